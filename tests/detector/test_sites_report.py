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
