"""Exported blocklists parse under each format's documented grammar and block the right hosts."""

import pytest

from detector.errors import UsageError
from detector.sites.export import export, selected
from detector.sites.verdict import SiteVerdict
from detector.verdict import Signal


def verdict(site, label="farm", p=0.9, pages=5, errors=0, kind="content-farm", evidence="3 of 5 pages flagged"):
    return SiteVerdict(
        site=site, label=label, probability=p, pages=pages, pages_flagged=3, errors=errors, kind=kind,
        kind_signals=[], signals=[Signal("site.share_flagged", 1.2, (evidence,))], examples=[], model="m",
        threshold=0.5,
    )


VERDICTS = [
    verdict("farm-one.example"),
    verdict("alice.blogspot.com", p=0.7, kind="autoblog", evidence='quote "x", comma; and # hash\nnewline'),
    verdict("small-farm.example", pages=2),  # below --min-pages 3
    verdict("fine-site.example", label="original", p=0.1),
    verdict("?pages/notes.txt"),  # no domain: never exported
    verdict("few.example", label=None, p=None),  # too few pages
]
BLOCKED = ["https://farm-one.example/a/b?c=1", "http://www.farm-one.example/", "https://alice.blogspot.com/2024/01/x.html"]
NOT_BLOCKED = ["https://fine-site.example/", "https://small-farm.example/", "https://bob.blogspot.com/",
               "https://farm-one.example.org/", "https://notfarm-one.example/", "https://blogspot.com/"]


def test_selection_respects_label_domain_and_minimums():
    assert [v.site for v in selected(VERDICTS, min_pages=3)] == ["farm-one.example", "alice.blogspot.com"]
    assert [v.site for v in selected(VERDICTS, min_pages=3, min_probability=0.8)] == ["farm-one.example"]
    assert "small-farm.example" in [v.site for v in selected(VERDICTS, min_pages=2)]
    # Pages that failed do not count towards the minimum.
    assert selected([verdict("x.example", pages=3, errors=1)], min_pages=3) == []


def test_ublacklist_parses_by_the_ruleset_spec_and_blocks_site_and_subdomains(list_grammars):
    rules = list_grammars.parse_ublacklist(export(VERDICTS, "ublacklist", min_pages=3))
    assert len(rules) == 2
    assert all(list_grammars.ublacklist_blocks(rules, u) for u in BLOCKED)
    assert not any(list_grammars.ublacklist_blocks(rules, u) for u in NOT_BLOCKED)


def test_ubo_parses_as_abp_network_filters_and_in_a_real_adblock_engine(list_grammars):
    text = export(VERDICTS, "ubo", min_pages=3)
    filters = list_grammars.parse_abp(text)
    assert len(filters) == 2
    assert all(list_grammars.abp_blocks(filters, u) for u in BLOCKED)
    assert not any(list_grammars.abp_blocks(filters, u) for u in NOT_BLOCKED)
    braveblock = pytest.importorskip("braveblock")  # Brave's adblock-rust engine, already a dependency
    engine = braveblock.Adblocker(rules=text.splitlines(), include_easylist=False, include_easyprivacy=False)
    assert all(engine.check_network_urls(u, "https://search.example/", "sub_frame") for u in BLOCKED)
    assert not any(engine.check_network_urls(u, "https://search.example/", "sub_frame") for u in NOT_BLOCKED)


def test_hosts_parses_and_names_site_and_www(list_grammars):
    pairs = list_grammars.parse_hosts(export(VERDICTS, "hosts", min_pages=3))
    assert {name for _, name in pairs} == {"farm-one.example", "www.farm-one.example", "alice.blogspot.com",
                                           "www.alice.blogspot.com"}
    assert {addr for addr, _ in pairs} == {"0.0.0.0"}


def test_csv_is_rfc4180_with_reasons_in_a_column(list_grammars):
    rows = list_grammars.parse_csv(export(VERDICTS, "csv", min_pages=3))
    assert [r["site"] for r in rows] == ["farm-one.example", "alice.blogspot.com"]
    assert set(rows[0]) == {"site", "probability", "kind", "pages", "pages_flagged", "reasons"}
    assert float(rows[1]["probability"]) == pytest.approx(0.7) and rows[1]["kind"] == "autoblog"
    assert int(rows[0]["pages"]) == 5
    assert 'quote "x", comma; and # hash' in rows[1]["reasons"]  # quoted, not split


def test_reasons_cannot_break_a_list_line(list_grammars):
    # Evidence with a newline must not start a new (unparsed) rule line.
    for fmt, parse in (("ublacklist", list_grammars.parse_ublacklist), ("ubo", list_grammars.parse_abp), ("hosts", list_grammars.parse_hosts)):
        text = export(VERDICTS, fmt, min_pages=3)
        assert "newline" in text
        parse(text)


def test_grammar_readers_reject_bad_lines(list_grammars):
    # The readers are strict: a writer bug would fail the tests above.
    with pytest.raises(list_grammars.GrammarError):
        list_grammars.parse_ublacklist("*://www.qinterest.*/\n")
    with pytest.raises(list_grammars.GrammarError):
        list_grammars.parse_hosts("farm.example 0.0.0.0\n")
    with pytest.raises(list_grammars.GrammarError):
        list_grammars.parse_abp("example.com##.ad\n")
    with pytest.raises(list_grammars.GrammarError):
        list_grammars.parse_csv("a,b\r\n1\r\n")


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError):
        export(VERDICTS, "pac")
