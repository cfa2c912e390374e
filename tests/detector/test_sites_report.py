"""The HTML report renders in a real headless browser: it opens, lists the sites, expands one.

Needs Chromium + chromedriver (Debian: ``apt-get install chromium chromium-driver``) and the
``selenium`` package; skipped with the reason otherwise. Set ``FARMSCAN_SCREENSHOT`` to keep a
screenshot of the expanded report.
"""

import os
import shutil

import pytest

from detector.sites.report import render
from detector.sites.verdict import SiteVerdict
from detector.verdict import Signal


def verdict(site, p, label, pages, note=None):
    hist = [0] * 20
    hist[min(int(p * 20), 19) if p is not None else 0] = pages
    return SiteVerdict(
        site=site, label=label, probability=p, pages=pages, pages_flagged=pages if label == "farm" else 0, errors=0,
        kind="seo-spam-doorway" if label == "farm" else None, kind_signals=["site.doorway_titles"] if label == "farm" else [],
        signals=[Signal("site.doorway_titles", 1.5, ("5 pages differ only in one word", "<b>not markup</b>"))],
        examples=[f"https://{site}/a"], model="site-x", threshold=0.5, note=note, histogram=hist,
        page_rows=[{"input": f"https://{site}/a", "url": f"https://{site}/a", "probability": p, "label": label,
                    "error": None, "signals": [{"name": "seo.spam_terms", "score": 0.5, "evidence": "x"}]}],
    )


VERDICTS = [verdict("original.example", 0.1, "original", 6), verdict("doorway.example", 0.93, "farm", 12),
            verdict("few.example", None, None, 1, note="too few pages: 1 scored, 3 needed")]


def _driver():
    pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("no headless browser: install Debian's chromium and chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=opts)


def test_report_opens_lists_sites_and_expands_one(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(VERDICTS, pages=19), encoding="utf-8")
    from selenium.webdriver.common.by import By

    drv = _driver()
    try:
        drv.get(path.as_uri())
        assert drv.title == "farmscan site report"
        sites = drv.find_elements(By.CSS_SELECTOR, "details.site")
        assert [s.get_attribute("data-site") for s in sites] == ["doorway.example", "original.example", "few.example"]
        assert "3 sites, 19 pages, 1 sites flagged" in drv.find_element(By.ID, "totals").text
        first = sites[0]
        table = first.find_element(By.CSS_SELECTOR, "table.signals")
        assert not table.is_displayed()
        first.find_element(By.TAG_NAME, "summary").click()
        assert first.get_attribute("open") is not None and table.is_displayed()
        assert "site.doorway_titles" in table.text and "<b>not markup</b>" in table.text  # escaped, shown as text
        assert first.find_element(By.CSS_SELECTOR, "table.pages").is_displayed()
        bars = drv.find_elements(By.CSS_SELECTOR, "svg.hist rect.bar")
        assert len(bars) >= 20 and drv.find_elements(By.CSS_SELECTOR, "svg.hist")[0].size["height"] > 50
        if os.environ.get("FARMSCAN_SCREENSHOT"):
            drv.save_screenshot(os.environ["FARMSCAN_SCREENSHOT"])
    finally:
        drv.quit()


def _one_page_farm():
    v = verdict("onepage.example", None, None, 1, note="too few pages: 1 scored, 3 needed")
    v.pages_flagged = 1
    v.page_rows[0].update(probability=0.95, label="farm")
    return v


def _networked(site, others):
    v = verdict(site, 0.88, "farm", 7)
    v.network = {"sites": others, "evidence": ["AdSense ca-pub-000111 on both sites"]}  # the field issue 26 adds
    return v


def test_report_table_sorts_filters_and_shows_what_a_list_maintainer_needs(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    verdicts = [*VERDICTS, _one_page_farm(), _networked("sister-a.example", ["sister-b.example"]),
                verdict("gone.example", None, None, 0, note="dead: cannot connect")]
    probes = {"gone.example": {"outcome": "dead", "reason": "cannot connect to gone.example", "requests": 1, "bytes": 0,
                               "seconds": 0.0, "pages_read": []},
              "doorway.example": {"outcome": "scored", "requests": 9, "bytes": 5000, "seconds": 1.2,
                                  "pages_read": [{"url": "https://doorway.example/a", "found_in": "sitemap",
                                                  "probability": 0.93, "label": "farm"}]}}
    path = tmp_path / "report.html"
    path.write_text(render(verdicts, pages=30, probes=probes, page_model="farmscan-test-model",
                           generated="2026-01-02 03:04 UTC"), encoding="utf-8")
    drv = _driver()
    try:
        drv.get(path.as_uri())
        meta = drv.find_element(By.ID, "meta").text
        assert "site-x" in meta and "farmscan-test-model" in meta and "2026-01-02 03:04 UTC" in meta

        def order():
            return [r.get_attribute("data-site") for r in drv.find_elements(By.CSS_SELECTOR, "#site-table tbody tr")
                    if r.is_displayed()]

        # Most farm-like first; the one-page site's flagged page ranks it above the original site.
        assert order() == ["onepage.example", "doorway.example", "sister-a.example", "original.example",
                           "few.example", "gone.example"]
        row = drv.find_element(By.CSS_SELECTOR, "tr[data-site='onepage.example']")
        assert "flagged page" in row.text and "(0.95)" in row.text
        assert "sister-b.example" in drv.find_element(By.CSS_SELECTOR, "tr[data-site='sister-a.example']").text
        assert "dead" in drv.find_element(By.CSS_SELECTOR, "tr[data-site='gone.example']").text
        link = row.find_element(By.CSS_SELECTOR, "a.ext")
        assert link.get_attribute("href") == "https://onepage.example/" and "noreferrer" in link.get_attribute("rel")
        # Sorting (the inline script runs under the page's Content-Security-Policy).
        drv.find_element(By.CSS_SELECTOR, "th[data-key='site']").click()
        assert order() == sorted(order(), reverse=True)
        drv.find_element(By.CSS_SELECTOR, "th[data-key='site']").click()
        assert order() == sorted(order())
        # Filtering: by text, then by label.
        box = drv.find_element(By.ID, "filter")
        box.send_keys("sister")
        assert order() == ["sister-a.example"] and drv.find_element(By.ID, "shown").text == "1 shown"
        box.clear()
        box.send_keys(" ")
        box.clear()
        drv.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
        Select(drv.find_element(By.ID, "show")).select_by_value("farm")
        assert set(order()) == {"doorway.example", "sister-a.example"}
        Select(drv.find_element(By.ID, "show")).select_by_value("flagged-page")
        assert order() == ["onepage.example"]
        Select(drv.find_element(By.ID, "show")).select_by_value("dead")
        assert order() == ["gone.example"]
        # A row's details link opens the site's section; page evidence opens on demand.
        Select(drv.find_element(By.ID, "show")).select_by_value("all")
        drv.find_element(By.CSS_SELECTOR, "tr[data-site='sister-a.example'] a[title='details']").click()
        section = drv.find_element(By.CSS_SELECTOR, "details.site[data-site='sister-a.example']")
        assert section.get_attribute("open") is not None
        assert "sister-b.example" in section.find_element(By.CSS_SELECTOR, "p.network").text
        ev = section.find_element(By.CSS_SELECTOR, "table.pages details.page-ev")
        item = ev.find_element(By.TAG_NAME, "li")
        assert not item.is_displayed()
        ev.find_element(By.TAG_NAME, "summary").click()
        assert item.is_displayed() and "seo.spam_terms" in item.text
        door = drv.find_element(By.CSS_SELECTOR, "details.site[data-site='doorway.example']")
        door.find_element(By.TAG_NAME, "summary").click()
        assert "9 requests" in door.find_element(By.CSS_SELECTOR, "p.probe").text
        logs = [e for e in drv.get_log("browser") if e.get("level") == "SEVERE"] if hasattr(drv, "get_log") else []
        assert not logs, logs  # no script refused by the Content-Security-Policy, no error
    finally:
        drv.quit()
