"""Adapters that put farmscan inside other tools (crawlers, archive readers, clusters).

Each module imports its host library lazily, so importing this package needs none of them:

* :mod:`detector.integrations.scrapy`: Scrapy item pipeline and downloader middleware.
"""
