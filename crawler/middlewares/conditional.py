"""Conditional re-crawls: send the ETag / Last-Modified the archive holds for a URL, so an
unchanged page answers 304 with no body."""

from __future__ import annotations


class ConditionalRequestMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        validators = getattr(self.crawler.spider, "validators", None)
        if not validators or not request.meta.get("conditional", True):
            return None
        from archive.storage.urls import normalize_url

        if "redirect_urls" in request.meta:
            # Scrapy copies the redirecting URL's validators onto the next hop: another page's.
            for header in ("If-None-Match", "If-Modified-Since"):
                request.headers.pop(header, None)
            return None
        known = validators.get(normalize_url(request.url))
        if known:
            etag, last_modified = known
            if etag:
                request.headers.setdefault("If-None-Match", etag)
            if last_modified:
                request.headers.setdefault("If-Modified-Since", last_modified)
            self.crawler.stats.inc_value("nordarchive/conditional_requests")
        return None
