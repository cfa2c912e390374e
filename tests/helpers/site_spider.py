"""The Scrapy spider of the local-site crawls (the Scrapy tests and ``benchmarks/scrapy_crawl.py``).

It starts at ``base/index.html``, follows every link once and yields one item per page with
its URL and HTML (and what the downloader middleware put in ``response.meta``, if it ran).
"""

from __future__ import annotations

import scrapy


class Site(scrapy.Spider):
    name = "site"

    def __init__(self, base: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [base + "/index.html"]

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.page)

    def page(self, response):
        item = {"url": response.url, "html": response.text}
        if "farmscan" in response.meta:
            item["from_middleware"] = response.meta["farmscan"]
        yield item
