"""robots.txt ``Crawl-delay``: the interval the site asks of crawlers becomes the minimum
between two requests to it, whatever ``DOWNLOAD_DELAY`` and AutoThrottle say.

Scrapy parses robots.txt (``RobotsTxtMiddleware``, Protego) but never reads its
``Crawl-delay``. This component listens for each parsed robots.txt, asks the parser for the
delay of the group that applies to our User-Agent (as robots.txt obedience does) and hands it
to ``SlotFloors``. ``NORDARCHIVE_MAX_CRAWL_DELAY`` (default 60 s) caps absurd values.
"""

from __future__ import annotations

import logging

from scrapy import signals

from crawler.middlewares.slots import SlotFloors

logger = logging.getLogger(__name__)

DEFAULT_MAX_CRAWL_DELAY = 60.0


class CrawlDelayMiddleware:
    """A downloader component with no per-request work: everything happens on signals."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.ceiling = settings.getfloat("NORDARCHIVE_MAX_CRAWL_DELAY", DEFAULT_MAX_CRAWL_DELAY)
        self.slots = SlotFloors.of(crawler)
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request) -> None:
        try:
            delay = robotparser.crawl_delay(self.user_agent)
        except Exception:  # noqa: BLE001 - a parser without Crawl-delay support
            return
        if delay is None or delay <= 0:
            return
        host = request.url.split("/")[2]
        if delay > self.ceiling:
            logger.warning("robots.txt of %s asks for Crawl-delay %g s; using %g s "
                           "(NORDARCHIVE_MAX_CRAWL_DELAY)", host, delay, self.ceiling)
            delay = self.ceiling
        key = self.slots.slot_key(request)
        self.slots.raise_floor(key, "crawl-delay", delay)
        self.crawler.stats.max_value("nordarchive/crawl_delay", delay)
        logger.info("robots.txt Crawl-delay applied: at least %g s between requests to %s",
                    delay, host)
