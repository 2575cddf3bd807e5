"""Scrapy's robots.txt obedience, with every request that waits for a host's robots.txt
checked against it. Scrapy (2.19) lets the first request to a new host fetch its robots.txt
and the others await the same Deferred; but awaiting a Deferred consumes its result, so only
the first waiter gets the parser and the others pass unchecked (seen on a source host: four
requests made at once, one of them disallowed, all fetched). Here each waiter gets a Deferred
of its own, fed from the shared one."""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _Scrapy
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(_Scrapy):
    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred = Deferred()

            def relay(result):
                waiter.callback(result)
                return result  # for the next waiter

            pending.addBoth(relay)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)
