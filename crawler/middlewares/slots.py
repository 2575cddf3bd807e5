"""Minimum intervals between requests to a site that the site itself asked for (robots.txt
``Crawl-delay``, 429 answers), kept on Scrapy's download slot whatever ``DOWNLOAD_DELAY``,
its jitter and AutoThrottle say, and pauses of a whole slot (``Retry-After`` on a 429).

Scrapy's slot already spaces requests by ``slot.delay`` (measured from one request's
dispatch to the next); this module only keeps that delay from going below the site's floor:
when a request enters the slot (a new slot starts at ``DOWNLOAD_DELAY``) and after every
response (AutoThrottle lowers ``slot.delay`` on responses; the handlers here are connected
after AutoThrottle's, because downloader middlewares are built after extensions). A pause
moves the slot's ``lastseen`` forward, so nothing queued in the slot leaves before it ends.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from scrapy import signals


class SlotFloors:
    """One per crawler (``SlotFloors.of(crawler)``), shared by the politeness middlewares."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        #: slot key -> {source ("crawl-delay", "rate-limit"): seconds}
        self.floors: dict[str, dict[str, float]] = {}
        #: slot key -> monotonic time before which nothing leaves the slot
        self.paused_until: dict[str, float] = {}
        crawler.signals.connect(self._on_request, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._on_response, signal=signals.response_downloaded)

    @classmethod
    def of(cls, crawler) -> SlotFloors:
        floors = getattr(crawler, "_nordarchive_slot_floors", None)
        if floors is None:
            floors = crawler._nordarchive_slot_floors = cls(crawler)
        return floors

    def slot_key(self, request) -> str:
        """Scrapy's download slot of a request (its host, unless the request names one)."""
        if request.meta.get("download_slot"):
            return request.meta["download_slot"]
        downloader = self._downloader()
        if downloader is not None:
            return downloader.get_slot_key(request)
        return urlsplit(request.url).hostname or ""

    def _downloader(self):
        """The crawl's downloader, or None before the crawl has started."""
        try:
            return self.crawler.engine.downloader
        except (AttributeError, RuntimeError):  # Scrapy >= 2.14 raises until the crawl runs
            return None

    def floor(self, key: str) -> float:
        return max(self.floors.get(key, {}).values(), default=0.0)

    def raise_floor(self, key: str, source: str, seconds: float) -> None:
        """At least ``seconds`` between requests to this slot from now on (never lowered)."""
        sources = self.floors.setdefault(key, {})
        sources[source] = max(sources.get(source, 0.0), seconds)
        self.enforce(key)

    def pause(self, key: str, seconds: float) -> None:
        """Nothing leaves this slot for ``seconds`` (a longer pause already set stays)."""
        until = time.monotonic() + seconds
        self.paused_until[key] = max(self.paused_until.get(key, 0.0), until)
        self.enforce(key)

    def enforce(self, key: str) -> None:
        downloader = self._downloader()
        slot = downloader.slots.get(key) if downloader is not None else None
        if slot is None or (key not in self.floors and key not in self.paused_until):
            return
        floor = self.floor(key)
        until = self.paused_until.get(key, 0.0)
        if until:
            floor = max(floor, 0.001)  # Scrapy waits on lastseen only when a slot has a delay
        if floor <= 0:
            return
        if slot.delay < floor:
            slot.delay = floor
        # A fixed interval: the default jitter (delay × 0.5–1.5) would go below the floor.
        if hasattr(slot, "jitter"):
            slot.jitter = 0.0
        else:  # Scrapy < 2.19
            slot.randomize_delay = False
        if until > time.monotonic():
            # Scrapy sends the next request at lastseen + delay (monotonic since Scrapy 2.16).
            slot.lastseen = max(slot.lastseen, until - slot.delay)

    def _on_request(self, request, spider=None) -> None:
        self.enforce(self.slot_key(request))

    def _on_response(self, response, request, spider=None) -> None:
        key = request.meta.get("download_slot")
        if key is not None:
            self.enforce(key)
