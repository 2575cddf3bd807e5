"""Drop every request outside the crawl's scope, redirects included (each hop passes here):
other hosts, sister sub-sites on the same host, non-HTTP schemes, and IP literals in loopback,
private and link-local ranges unless the start URL itself is on such a host (see
``crawler.scope``); and every URL longer than the archive keeps (``URLLENGTH_LIMIT``, in full
or in normal form), which only a redirect can lead to: a recorded ``url-too-long`` failure.

Sources one hop out (``meta["source"]``) are off the portal by nature: for them, and for the
robots.txt of the hosts they are on, only the address rule and the scheme hold."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from archive.storage.urls import normalize_url
from crawler.scope import Scope

logger = logging.getLogger(__name__)


class UrlTooLong(IgnoreRequest):
    failure_reason = "url-too-long"


class ScopeMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.max_length = crawler.settings.getint("URLLENGTH_LIMIT")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        scope: Scope = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            return None
        if scope.internal_target(request.url):
            self.crawler.stats.inc_value("nordarchive/internal_address_refused")
            source = request.meta.get("redirect_urls", ["a link"])[0]
            logger.info("internal address, out of scope, not fetched: %s (from %s)",
                        request.url, source)
            raise IgnoreRequest(f"out of scope (internal address): {request.url}")
        allowed = (scope.allows(request.url) or scope.allows_host_file(request.url)
                   or ((request.meta.get("source") or _robots_of_a_host(request))
                       and urlsplit(request.url).scheme in ("http", "https")))
        if not allowed:
            self.crawler.stats.inc_value("nordarchive/out_of_scope")
            source = request.meta.get("redirect_urls", ["a link"])[0]
            logger.info("out of scope, not fetched: %s (from %s)", request.url, source)
            raise IgnoreRequest(f"out of scope: {request.url}")
        if self.max_length and (len(request.url) > self.max_length
                                or len(normalize_url(request.url)) > self.max_length):
            self.crawler.stats.inc_value("nordarchive/url_too_long")
            raise UrlTooLong(f"URL over {self.max_length} characters (in full or in normal "
                             f"form), longer than the archive keeps: {request.url[:200]}…")
        return None


def _robots_of_a_host(request) -> bool:
    """Scrapy's own request for the robots.txt of a host a request that passed here goes to."""
    return (request.meta.get("dont_obey_robotstxt") is True
            and urlsplit(request.url).path == "/robots.txt")
