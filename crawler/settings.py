"""Scrapy settings of the ``portal`` spider: polite defaults for the real portal.

Tests and benchmarks against the loopback replica turn politeness off with ``--set``; the
defaults users get stay polite.
"""

import os

BOT_NAME = "nordarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

#: Where the crawl starts (``--start-url`` replaces these).
NORDARCHIVE_START_URLS = [
    "https://nordicwelfare.org/integration-norden/",
    "https://nordicwelfare.org/integration-norden/en/",
]
#: Archive database (``--db`` / ``NORDARCHIVE_DB``; default nordarchive.db here).
NORDARCHIVE_DB = None
#: Share of failed article pages above which a crawl exits non-zero.
NORDARCHIVE_MAX_FAILURE_RATIO = 0.2
#: How many distinct query strings one path may be fetched with (URL-variant traps).
NORDARCHIVE_MAX_QUERY_VARIANTS = 3
#: Folder of the WARC captures (default: beside an SQLite archive, ``<name>-warc/``).
NORDARCHIVE_WARC_DIR = None
#: Size at which a WARC file is closed and the next begun.
NORDARCHIVE_WARC_MAX_BYTES = 100 * 1024 * 1024
#: Re-check archived articles that links and sitemaps no longer lead to.
NORDARCHIVE_RECHECK_KNOWN = True
#: Ceiling on a robots.txt Crawl-delay (and on the slowdown after 429s), in seconds.
NORDARCHIVE_MAX_CRAWL_DELAY = 60
#: A Retry-After longer than this (seconds) gives the URL up for this crawl (rate-limited).
NORDARCHIVE_MAX_RETRY_AFTER = 300
#: Every archived article is fetched (conditionally) at least every this many days, whatever
#: its sitemap lastmod says; spread over the crawls, longest-unverified first. 0: every crawl.
NORDARCHIVE_REVERIFY_DAYS = 7
#: Pages of one listing followed at most (pagination does not spend DEPTH_LIMIT).
NORDARCHIVE_MAX_LISTING_PAGES = 1000
#: Capture the sources articles cite, one hop out (``--no-sources``; ``NORDARCHIVE_SOURCES=0``).
NORDARCHIVE_SOURCES = os.environ.get("NORDARCHIVE_SOURCES", "1").strip().lower() not in (
    "0", "false", "no", "off")
#: A cited document larger than this is refused (``too-large``).
NORDARCHIVE_SOURCE_MAX_BYTES = 50 * 1024 * 1024
#: Days between checks of a captured source; unset: ``$NORDARCHIVE_SOURCE_RECHECK_DAYS`` or 30.
NORDARCHIVE_SOURCE_RECHECK_DAYS = None

USER_AGENT = ("nordarchive/0.1 (research archive of Nordic integration news; "
              "+https://github.com/nordarchive/nordarchive)")
ROBOTSTXT_OBEY = True

# Politeness: at most 2 requests at a time to the portal, a delay, AutoThrottle.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries with backoff on 5xx and timeouts; bounded responses.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
#: The archive's URL columns hold 2,048 characters (Scrapy's default limit is 2,083).
URLLENGTH_LIMIT = 2048
DEPTH_LIMIT = 12
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No listening ports: an unattended crawler opens nothing to the network.
REMOTE_CONTROL_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # Scope runs before anything is fetched, including every redirect hop.
    "crawler.middlewares.scope.ScopeMiddleware": 50,
    # Scrapy's robots.txt obedience, every request waiting for a robots.txt checked against it.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 560,
    # Sees each response first, as it came off the wire.
    "crawler.middlewares.capture.WarcCaptureMiddleware": 950,
    # The site's own politeness: robots.txt Crawl-delay, Retry-After on 429/503 (sees the
    # answer before the retry middleware makes the retry).
    "crawler.middlewares.crawl_delay.CrawlDelayMiddleware": 110,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,
    # Replaces Scrapy's retry middleware at its place, adding a backoff.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.backoff.RetryBackoffMiddleware": 550,
}
SPIDER_MIDDLEWARES = {
    # Scrapy's depth limit, with listing pagination exempt.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "crawler.middlewares.depth.PaginationDepthMiddleware": 900,
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawler.extensions.CrawlRunExtension": 100}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
