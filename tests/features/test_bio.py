"""bio.*: fake author bios, invented engagement figures, generic and missing bylines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detector.sources.load import load
from features import bio
from features.page import Page, from_text, parse_html

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "bio"
STRONG = ("bio.has_birthday", "bio.has_address", "bio.has_phone", "bio.hobby_list",
          "bio.adjective_chain", "bio.honorific_job")


def html_page(title: str, body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body><article>{body}</article></body></html>"


def page_of(name: str, url: str = "https://site.example/post/1") -> Page:
    return next(iter(load(FIX / name, url=url))).page


def ev(f, name: str) -> str:
    return " | ".join(f.evidence.get(name, []))


# ---- fake bios in three languages ---------------------------------------------------------


def test_spun_plain_text_bio_english():
    f = bio.extract(page_of("spun_en.txt"))
    assert f.values["bio.fields"] == 7
    assert f.values["bio.fields_sat"] == 1.0
    for name in STRONG:
        assert f.values[name] == 1.0, name
    assert ev(f, "bio.has_birthday") == "Birthday: 1987-03-22"
    assert ev(f, "bio.has_address").startswith("Address: 5127 Quigley Crossing")
    assert ev(f, "bio.has_phone") == "Phone: +14157730921"
    assert ev(f, "bio.hobby_list").startswith("Hobby: 5 items")
    assert "Rev. Ottilie Brandtmeyer" in ev(f, "bio.honorific_job")
    assert "Agricultural Engineer" in ev(f, "bio.honorific_job")
    assert "gentle, zealous, tidy, curious, lively, sincere" in ev(f, "bio.adjective_chain")
    assert f.values["bio.engagement"] == 1.0
    engagement = ev(f, "bio.engagement")
    assert "Views: 7312" in engagement
    assert "Rating: 4.6 / 5 (81 voted)" in engagement
    assert "Last Updated: (empty)" in engagement
    assert f.values["bio.byline_missing"] == 0.0  # "Author: ..." line


def test_spun_html_bio_german_list():
    f = bio.extract(page_of("spun_de.html"))
    assert f.values["bio.fields"] == 7
    assert ev(f, "bio.has_birthday") == "Geburtstag: 14. März 1992"
    assert ev(f, "bio.has_address") == "Adresse: Lindenallee 48, 34117 Kassel"
    assert ev(f, "bio.has_phone") == "Telefon: +49 561 93820417"
    assert ev(f, "bio.hobby_list").startswith("Hobby: 4 items")
    assert f.values["bio.adjective_chain"] == 1.0
    assert f.values["bio.honorific_job"] == 1.0  # "Dr." from the meta author, surveyor's job
    assert "Aufrufe: 4120" in ev(f, "bio.engagement")
    assert "4,1 / 5 (37 Stimmen)" in ev(f, "bio.engagement")


def test_spun_html_bio_spanish_table():
    f = bio.extract(page_of("spun_es.html"))
    assert f.values["bio.fields"] == 7
    assert ev(f, "bio.has_birthday") == "Cumpleaños: 3 de julio de 1995"
    assert ev(f, "bio.has_address").startswith("Dirección: Calle de los Almendros 27")
    assert ev(f, "bio.has_phone") == "Teléfono: +34 961 482 305"
    assert ev(f, "bio.hobby_list").startswith("Pasatiempo: 4 items")
    assert "alegre, paciente, creativa, sincera" in ev(f, "bio.adjective_chain")
    assert "Sgto." in ev(f, "bio.honorific_job")
    assert "Visitas: 2954" in ev(f, "bio.engagement")
    assert "9 people found this helpful" in ev(f, "bio.engagement")
    assert f.values["bio.byline_missing"] == 1.0


def test_bio_block_with_value_on_next_line():
    """Definition lists and table cells put the value on the line after its label."""
    body = (
        "<dl><dt>Name:</dt><dd>Wen Okafor</dd><dt>Date of birth:</dt><dd>02/11/1990</dd>"
        "<dt>Occupation:</dt><dd>Dental hygienist</dd><dt>Phone:</dt><dd>(312) 555-0199</dd>"
        "<dt>Hobbies:</dt><dd>Sailing; Pottery; Chess</dd></dl>"
    )
    f = bio.extract(parse_html(html_page("Winter tyres explained", body)))
    assert f.values["bio.fields"] == 5
    assert ev(f, "bio.has_birthday") == "Date of birth: 02/11/1990"
    assert ev(f, "bio.has_phone") == "Phone: (312) 555-0199"
    assert f.values["bio.hobby_list"] == 1.0


# ---- what real pages have and must not fire the strong features ---------------------------


def test_newsroom_page_with_contact_box_and_staff_bio_is_quiet():
    f = bio.extract(page_of("newsroom.html", url="https://www.riverbendcourier.example/news/buses"))
    for name in STRONG:
        assert f.values[name] == 0.0, name
    assert f.values["bio.fields"] == 0  # address/phone/email without personal fields: contact box
    assert f.values["bio.engagement"] == 0.0  # "Last Updated:" is followed by its date
    assert f.values["bio.byline_generic"] == 0.0
    assert f.values["bio.byline_missing"] == 0.0


def test_profile_infobox_has_no_personal_data_features():
    """Name / Born / Occupation / Hobbies without any contact field is a profile, not a fake bio."""
    f = bio.extract(page_of("infobox.html"))
    assert f.values["bio.fields"] == 5
    for name in STRONG:
        assert f.values[name] == 0.0, name


def test_contact_box_alone_counts_no_fields():
    text = "Our office\nAddress: 12 Quay Road, Dunmore, AB12 3CD\nPhone: 01632 960123\nEmail: hello@shop.example"
    f = bio.extract(from_text(text))
    assert f.values["bio.fields"] == 0
    assert f.values["bio.has_address"] == 0.0
    assert f.values["bio.has_phone"] == 0.0


def test_labels_far_apart_do_not_make_a_block():
    filler = "\n".join(f"Paragraph {i} of the story about the harbour." for i in range(8))
    text = f"Birthday: 1990-05-01\n{filler}\nAddress: 9 Elm Street\n{filler}\nPhone: +1 555 010 9999\n{filler}\nJob: Nurse"
    f = bio.extract(from_text(text))
    assert f.values["bio.fields"] == 1
    assert f.values["bio.has_birthday"] == 0.0


def test_single_view_counter_is_weak_engagement():
    f = bio.extract(from_text("Club news\nViews: 120\nThe club meets on Fridays."))
    assert 0 < f.values["bio.engagement"] < 0.5
    assert ev(f, "bio.engagement") == "Views: 120"


def test_adjective_chain_needs_four_adjectives():
    three = "I am a kind, brave, honest person who loves gardens."
    four = "Hi! I'm a kind, brave, honest, witty person who loves gardens."
    assert bio.extract(from_text(three)).values["bio.adjective_chain"] == 0.0
    f = bio.extract(from_text(four))
    assert f.values["bio.adjective_chain"] == 1.0
    assert "kind, brave, honest, witty" in ev(f, "bio.adjective_chain")
    staff = "Lena Park is a reporter covering schools, courts, housing and city hall."
    assert bio.extract(from_text(staff)).values["bio.adjective_chain"] == 0.0


def _bio_block(name: str, job: str) -> str:
    return (
        f"Name: {name}\nBirthday: 1980-01-01\nAddress: 77 Birch Lane, Oakton, VA 22124\n"
        f"Phone: +1 703 555 0143\nJob: {job}\nHobby: Hiking, Chess, Baking"
    )


@pytest.mark.parametrize(
    ("name", "job", "fires"),
    [
        ("Hon. Basil Treadwell", "Forestry Consultant", True),
        ("Col. Mirela Vasquez", "Retail Supervisor", True),
        ("Prof. Idris Kamau", "Senior Editor", False),  # writing job: plausible columnist
        ("Basil Treadwell", "Forestry Consultant", False),  # no honorific
    ],
)
def test_honorific_with_unrelated_job(name, job, fires):
    f = bio.extract(from_text(_bio_block(name, job)))
    assert f.values["bio.honorific_job"] == (1.0 if fires else 0.0)


# ---- bylines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "generic"),
    [
        ("admin", True),
        ("Staff Writer", True),
        ("Editorial Team", True),
        ("Guest", True),
        ("Newsdesk", True),
        ("Marisol", 0.5),  # a first name only: weaker, many personal blogs sign so
        ("Marisol Etxeberria", False),
        ("Reuters", False),
        ("Weekly", False),  # the site's own name (weekly.example)
    ],
)
def test_generic_bylines_from_meta_author(author, generic):
    head = f'<meta name="author" content="{author}">'
    page = parse_html(html_page("Harvest festival returns", "<p>Stalls open at nine.</p>", head),
                      url="https://weekly.example/a/1")
    f = bio.extract(page)
    assert f.values["bio.byline_generic"] == float(generic)
    if generic:
        assert f'byline "{author}"' in ev(f, "bio.byline_generic")


def test_generic_byline_from_wordpress_author():
    post = {"title": {"rendered": "Night trains"}, "content": {"rendered": "<p>Sleeper cars return.</p>"},
            "author_info": {"display_name": "admin"}}
    f = bio.extract(next(iter(load(post))).page)
    assert f.values["bio.byline_generic"] == 1.0
    assert ev(f, "bio.byline_generic") == 'byline "admin" (author)'


def test_byline_missing_and_found():
    bare = parse_html(html_page("Harvest festival returns", "<p>Stalls open at nine.</p>"))
    assert bio.extract(bare).values["bio.byline_missing"] == 1.0
    by_line = parse_html(html_page("Harvest festival returns", "<p>By Jonas Reiter</p><p>Stalls open.</p>"))
    assert bio.extract(by_line).values["bio.byline_missing"] == 0.0
    rel = parse_html(html_page("Harvest", '<a rel="author" href="/u/ak">Aiko Kato</a><p>Stalls.</p>'))
    f = bio.extract(rel)
    assert f.values["bio.byline_missing"] == 0.0
    assert f.values["bio.byline_generic"] == 0.0
    sentence = from_text("Harvest\nBy the way, the stalls open at nine.")
    assert bio.extract(sentence).values["bio.byline_missing"] == 1.0


# ---- the seeds ---------------------------------------------------------------------------


def test_spun_seed_evidence_names_personal_data_and_figures(shared_dir):
    path = shared_dir / "seeds" / "000_8d58c35ee6b0d508.txt"
    text = path.read_text(encoding="utf-8")
    f = bio.extract(next(iter(load(path))).page)
    for name in ("bio.has_birthday", "bio.has_address", "bio.has_phone", "bio.hobby_list"):
        assert f.values[name] == 1.0, name
    # Each piece of evidence is "Label: value" with the value as written on the page.
    for name, label in (("bio.has_birthday", "Birthday"), ("bio.has_address", "Address"),
                        ("bio.has_phone", "Phone")):
        (e,) = f.evidence[name]
        assert e.startswith(f"{label}: ") and e in text
    assert re.fullmatch(r"Birthday: \d{4}-\d\d-\d\d", f.evidence["bio.has_birthday"][0])
    assert sum(c.isdigit() for c in f.evidence["bio.has_phone"][0]) >= 7
    assert f.values["bio.engagement"] == 1.0
    engagement = f.evidence["bio.engagement"]
    assert any(re.fullmatch(r"Views: \d+", e) and e in text for e in engagement)
    assert any(re.fullmatch(r"Rating: [\d.]+ / 5 \(\d+ voted\)", e) and e in text for e in engagement)
    assert f.values["bio.honorific_job"] == 1.0
    assert f.values["bio.adjective_chain"] == 1.0


def test_mirror_seed_has_generic_byline_and_no_bio(shared_dir):
    page = next(iter(load(shared_dir / "seeds" / "003_ae8346d7868e5d9d.txt"))).page
    f = bio.extract(page)
    assert f.values["bio.byline_generic"] == 1.0
    for name in STRONG:
        assert f.values[name] == 0.0, name
