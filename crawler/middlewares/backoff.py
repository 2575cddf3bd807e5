"""Exponential backoff between retries of 5xx answers and timeouts (Scrapy retries at once)."""

from __future__ import annotations

import asyncio
import logging

from scrapy import Request, exceptions
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

#: Failures retried at most ``LASTING_RETRIES`` times, whatever ``RETRY_TIMES`` says: as
#: Twisted raises them, and as Scrapy (2.13 and later) re-raises them.
LASTING_FAILURES = (DNSLookupError, ConnectionRefusedError) + tuple(
    getattr(exceptions, name) for name in ("CannotResolveHostError",
                                           "DownloadConnectionRefusedError")
    if hasattr(exceptions, name))
LASTING_RETRIES = 1


class RetryBackoffMiddleware(RetryMiddleware):
    """Scrapy's retry, with the n-th retry held back ``RETRY_BACKOFF_BASE * 2**n`` seconds
    (at most ``RETRY_BACKOFF_MAX``); a base of 0 turns the backoff off, as tests do."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _retry(self, request, reason):
        # robots.txt that cannot be had is an INFO line: the crawl goes on without it.
        if request.url.endswith("/robots.txt"):
            request.meta.setdefault("give_up_log_level", logging.INFO)
        if isinstance(reason, LASTING_FAILURES):
            # A name that does not resolve or a port that refuses does not heal in seconds.
            request.meta["max_retry_times"] = min(
                request.meta.get("max_retry_times", self.max_retry_times), LASTING_RETRIES)
        return super()._retry(request, reason)

    async def _hold(self, result):
        if isinstance(result, Request) and self.base > 0:
            attempt = result.meta.get("retry_times", 1)
            await asyncio.sleep(min(self.cap, self.base * 2 ** (attempt - 1)))
        return result

    async def process_response(self, request, response, spider=None):
        return await self._hold(super().process_response(request, response))

    async def process_exception(self, request, exception, spider=None):
        return await self._hold(super().process_exception(request, exception))
