"""``Retry-After`` on 429 and 503 answers: the URL is not asked again before the time the
site gives; a 429 also pauses the whole site and slows it down for the rest of the crawl.

- 429 or 503 with ``Retry-After`` (seconds or an HTTP date): the retry (made by
  ``RetryBackoffMiddleware``, which runs after this one on responses) waits until then.
- 429: the site's download slot pauses for ``max(Retry-After, backoff)``; the backoff is
  1 s and doubles while 429s continue (reset by any other answer), and it becomes the
  slot's minimum interval for the rest of the crawl (at most ``NORDARCHIVE_MAX_CRAWL_DELAY``).
- A ``Retry-After`` beyond ``NORDARCHIVE_MAX_RETRY_AFTER`` (default 300 s), or a 429 that
  outlasts the retries, gives the URL up for this crawl: the spider records the failure with
  reason ``rate-limited``, and the next crawl asks again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares.crawl_delay import DEFAULT_MAX_CRAWL_DELAY
from crawler.middlewares.slots import SlotFloors

logger = logging.getLogger(__name__)

DEFAULT_MAX_RETRY_AFTER = 300.0
RATE_LIMITED_STATUSES = (429, 503)
#: ``request.meta`` key: monotonic time before which this request is not sent again.
NOT_BEFORE = "nordarchive_not_before"


class RateLimited(IgnoreRequest):
    """The site asked us to wait longer than we will in this crawl."""

    failure_reason = "rate-limited"


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None
                        ) -> float | None:
    """Seconds from ``now`` that a ``Retry-After`` value asks for: delta-seconds or an
    HTTP date (RFC 9110, 10.2.3); None when absent or unreadable; a past date gives 0."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.ceiling = settings.getfloat("NORDARCHIVE_MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER)
        self.max_interval = settings.getfloat("NORDARCHIVE_MAX_CRAWL_DELAY",
                                              DEFAULT_MAX_CRAWL_DELAY)
        self.retry_times = settings.getint("RETRY_TIMES")
        self.slots = SlotFloors.of(crawler)
        #: slot key -> consecutive 429 answers
        self.streaks: dict[str, int] = {}
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_downloaded(self, response, request, spider=None) -> None:
        """Pause the slot before Scrapy hands it its next request (that happens right after
        this signal, before any middleware sees the response)."""
        key = request.meta.get("download_slot")
        if key is None:
            return
        if response.status != 429:
            self.streaks.pop(key, None)
            return
        streak = self.streaks[key] = self.streaks.get(key, 0) + 1
        backoff = min(self.max_interval, 2.0 ** (streak - 1))
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        pause = max(backoff, asked if asked is not None and asked <= self.ceiling else 0.0)
        self.slots.raise_floor(key, "rate-limit", backoff)
        self.slots.pause(key, pause)
        self.crawler.stats.inc_value("nordarchive/rate_limited_429")
        logger.info("429 from %s: pausing the site %.1f s, then at least %g s between "
                    "requests", request.url.split("/")[2], pause, self.slots.floor(key))

    async def process_request(self, request):
        wait = request.meta.get(NOT_BEFORE, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request, response):
        if response.status not in RATE_LIMITED_STATUSES:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.ceiling:
            self._give_up(request, f"{response.status} with Retry-After {asked:.0f} s, beyond "
                                   f"NORDARCHIVE_MAX_RETRY_AFTER ({self.ceiling:.0f} s)")
        retries = request.meta.get("retry_times", 0)
        if response.status == 429 and (request.meta.get("dont_retry") or retries >= (
                request.meta.get("max_retry_times", self.retry_times))):
            self._give_up(request, f"429 after {retries} retries")
        if asked is not None:
            request.meta[NOT_BEFORE] = max(request.meta.get(NOT_BEFORE, 0.0),
                                           time.monotonic() + asked)
            logger.info("%d on %s: not asked again for %.1f s (Retry-After)",
                        response.status, request.url, asked)
        return response

    def _give_up(self, request, why: str):
        self.crawler.stats.inc_value("nordarchive/rate_limited_given_up")
        raise RateLimited(f"{why}; the next crawl tries again")
