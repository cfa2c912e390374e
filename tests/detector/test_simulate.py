"""Farm simulator: every recipe's declared signals fire through the real extractors.

Runs on original pages written for these tests (``tests/fixtures/labelled``), so it needs
no shared data; one data test runs the simulator on real corpus pages.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from detector.errors import InputError
from detector.learn.labelled import Example, load_labelled
from detector.learn.simulate import (
    FARM_RECIPES,
    NEGATIVE_RECIPES,
    RECIPES,
    generate,
    simulate,
    source_of,
)
from features import extract_all, extractors

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "labelled"
SEEDS = (1, 2, 3, 17, 42)
NAMESPACES = {"ads", "autoblog", "bio", "copy", "hashtags", "mfa", "seo", "template", "text"}


def _example(name: str, lang: str, url: str) -> Example:
    return Example(id=f"fixture__{name}", path=FIX / name, label="original", kind="news-article",
                   confidence="clear", site=url.split("/")[2].removeprefix("www."), language=lang,
                   url=url, dataset="fixtures", source="example")


EN = _example("original-en.html", "en", "https://www.hollinvalleyrecord.org/local/orchard-restoration/")
DE = _example("original-de.html", "de", "https://www.lindenauer-anzeiger.de/lokal/buslinie")


def _values(sim) -> dict[str, float]:
    return extract_all(sim.page()).values


@pytest.fixture(scope="module")
def original_values() -> dict[str, dict[str, float]]:
    from detector.learn.labelled import load_page

    return {ex.id: extract_all(load_page(ex)).values for ex in (EN, DE)}


@pytest.mark.parametrize("recipe", RECIPES)
@pytest.mark.parametrize("original", [EN, DE], ids=["en", "de"])
def test_recipe_signals_fire(recipe: str, original: Example, original_values) -> None:
    checked = 0
    for seed in SEEDS:
        sim = simulate(original, recipe, seed)
        assert sim.label == ("farm" if recipe in FARM_RECIPES else "original")
        assert {n.split(".")[0] for n in sim.expected + sim.absent} <= NAMESPACES
        values = _values(sim)
        for name in sim.expected:
            if name in values:  # extractors not merged yet are checked once they are
                assert values[name] > 0, f"{recipe} seed {seed}: {name} did not fire ({sim.fmt})"
                checked += 1
        base = original_values[original.id]
        for name in sim.absent:
            if name in values:
                assert values[name] <= base.get(name, 0.0), f"{recipe} seed {seed}: {name} added"
    if recipe in FARM_RECIPES:
        assert checked > 0, f"{recipe}: none of its expected signals is computed by any extractor"


def test_extractors_cover_farm_recipes() -> None:
    """The signals the simulator targets exist in the extractors that are merged."""
    names = {n for n, _ in extractors()}
    assert {"ads", "template", "text"} <= names


@pytest.mark.parametrize("recipe", RECIPES)
def test_deterministic(recipe: str) -> None:
    a = simulate(EN, recipe, 7)
    b = simulate(EN, recipe, 7)
    assert a.data == b.data and a.url == b.url and a.expected == b.expected
    others = {simulate(EN, recipe, s).data for s in SEEDS}
    assert len(others) == len(SEEDS)


def test_recipes_vary_formats_and_omit_signals() -> None:
    fmts: dict[str, set[str]] = {}
    expected: dict[str, set[tuple[str, ...]]] = {}
    for recipe in FARM_RECIPES:
        for seed in range(24):
            sim = simulate(EN, recipe, seed)
            fmts.setdefault(recipe, set()).add(sim.fmt)
            expected.setdefault(recipe, set()).add(sim.expected)
    assert fmts["wp-mirror"] == {"html", "wp-json"}
    assert fmts["spun-bio"] == {"html", "text"}
    for recipe in FARM_RECIPES:
        assert len(expected[recipe]) > 1, f"{recipe} always fires the same signals"


def test_wp_mirror_json_is_a_wordpress_post_with_real_text() -> None:
    for seed in range(20):
        sim = simulate(EN, "wp-mirror", seed)
        if sim.fmt == "wp-json":
            post = json.loads(sim.data)
            assert "rendered" in post["content"] and post["link"] == sim.url
            assert "sixty trees" in post["content"]["rendered"]
            assert sim.page().kind == "wp-json"
            return
    pytest.fail("no REST JSON mirror in 20 seeds")


def test_farm_pages_live_on_other_sites_and_negatives_keep_the_origin() -> None:
    for seed in SEEDS:
        assert simulate(EN, "rss-autoblog", seed).site != EN.site
        assert simulate(EN, "original-with-ads", seed).site == EN.site
        assert simulate(EN, "genuine-bio", seed).label == "original"
        assert simulate(EN, "credited-wire", seed).kind == "wire-copy"
        assert simulate(EN, "llm-autoblog", seed).site != EN.site
        assert simulate(EN, "explainer-original", seed).site == EN.site


def test_llm_autoblog_fills_a_stock_outline_and_explainers_keep_few_headings() -> None:
    for seed in SEEDS:
        farm = _values(simulate(EN, "llm-autoblog", seed))
        assert farm["autoblog.outline_sections"] >= 2
        sim = simulate(EN, "explainer-original", seed)
        explainer = _values(sim)
        if "autoblog.outline_sections" in sim.expected:  # a company guide in generated style (below)
            assert explainer["autoblog.outline_sections"] >= 2 and sim.label == "original"
        else:
            assert explainer["autoblog.outline_sections"] <= 2 and explainer["autoblog.faq_block"] == 0


def test_spun_bio_uses_faker_locales_of_the_page_language() -> None:
    texts = [simulate(DE, "spun-bio", s).data.decode() for s in range(12)]
    assert any(k in t for t in texts for k in ("Geburtstag", "Telefon", "Beruf", "Aufrufe"))


def test_bytes_input_and_errors() -> None:
    sim = simulate((FIX / "original-en.html").read_bytes(), "seo-spam", 3)
    assert sim.origin_id == "bytes" and sim.label == "farm"
    with pytest.raises(InputError, match="unknown recipe"):
        simulate(EN, "nope", 1)
    with pytest.raises(InputError, match="too short"):
        simulate((FIX / "too-short.html").read_bytes(), "wp-mirror", 1)


def test_source_of_reads_title_and_main_text() -> None:
    src = source_of(EN)
    assert src.title.startswith("Volunteers restore")
    assert any("sixty trees" in p for p in src.paragraphs)
    assert src.site == "hollinvalleyrecord.org" and src.language == "en"


def test_generate_is_balanced_and_deterministic() -> None:
    pages = list(generate([EN, DE], 2 * len(RECIPES), seed=5))
    assert Counter(p.recipe for p in pages) == {r: 2 for r in RECIPES}
    again = list(generate([EN, DE], 2 * len(RECIPES), seed=5))
    assert [p.data for p in pages] == [p.data for p in again]
    assert {p.language for p in pages} == {"en", "de"}
    assert {p.label for p in pages if p.recipe in NEGATIVE_RECIPES} == {"original"}
    with pytest.raises(InputError):
        next(generate([], 1, seed=1))


def test_generate_on_real_corpus_pages(shared_dir: Path) -> None:
    examples = load_labelled(shared_dir / "corpus")
    pages = list(generate(examples, 2 * len(RECIPES), seed=11))
    assert Counter(p.recipe for p in pages) == {r: 2 for r in RECIPES}
    assert len({p.origin_id for p in pages}) > len(RECIPES)
    for sim in pages:
        values = _values(sim)
        missing = [n for n in sim.expected if n in values and not values[n] > 0]
        assert not missing, f"{sim.id}: {missing} did not fire"


def test_simulation_does_not_depend_on_hash_seed(tmp_path) -> None:
    """The same seed gives the same bytes in processes with different PYTHONHASHSEED."""
    import os
    import subprocess
    import sys

    code = (
        "from detector.learn.simulate import ALL_LOCALES, _faker_for\n"
        "for loc in ALL_LOCALES:\n"
        "    f = _faker_for(loc); f.seed_instance(5)\n"
        "    print(loc, f.city(), f.name(), f.street_address(), f.job())\n"
    )
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert outs[0] == outs[1]


def test_some_english_explainers_are_written_in_llm_filler() -> None:
    """Hard negatives in generated-prose vocabulary: the words alone must not make a farm."""
    polished = [sim for seed in range(40) if "autoblog.llm_vocab_sat" in (sim := simulate(EN, "explainer-original", seed)).expected]
    assert 0 < len(polished) < 40
    for sim in polished[:3]:
        assert sim.label == "original"
        assert _values(sim)["autoblog.llm_vocab_sat"] > 0
    assert not any("autoblog.llm_vocab_sat" in simulate(DE, "explainer-original", s).expected for s in range(40))
    # Half of them are company guides: the stock outline and an FAQ, on the original's site, no ad slots.
    guides = [sim for sim in polished if "autoblog.outline_sections" in sim.expected]
    assert 0 < len(guides) < len(polished)
    v = _values(guides[0])
    assert v["autoblog.outline_sections"] >= 2 and v["autoblog.faq_block"] == 1 and v["ads.slots"] == 0
