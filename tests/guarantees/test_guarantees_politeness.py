"""Politeness as the README states it, below the crawl: a 429 pauses the site for
``max(Retry-After, backoff)``, the backoff starting at 1 s and doubling while 429s continue
(any other answer resets it), the backoff becomes the site's minimum interval (capped by
``NORDARCHIVE_MAX_CRAWL_DELAY``); a Retry-After beyond ``NORDARCHIVE_MAX_RETRY_AFTER`` gives
the URL up as ``rate-limited``. Scrapy's own request, response and crawler objects."""

from __future__ import annotations

import time

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.retry_after import RateLimited, RetryAfterMiddleware

URL = "https://portal.example/integration-norden/nyheter/a/"


def middleware(**settings) -> RetryAfterMiddleware:
    crawler = get_crawler(settings_dict={"NORDARCHIVE_MAX_CRAWL_DELAY": 6, "RETRY_TIMES": 2,
                                         **settings})
    return RetryAfterMiddleware.from_crawler(crawler)


def answer(mw: RetryAfterMiddleware, status: int, retry_after: str | None = None) -> float:
    """The pause the site is given after this answer (seconds from now)."""
    request = Request(URL, meta={"download_slot": "portal.example"})
    headers = {"Retry-After": retry_after} if retry_after else {}
    mw.response_downloaded(Response(URL, status=status, headers=headers), request)
    return mw.slots.paused_until.get("portal.example", 0.0) - time.monotonic()


def test_429s_pause_the_site_with_a_doubling_backoff_that_becomes_its_floor():
    mw = middleware()
    floor = lambda: mw.slots.floor("portal.example")  # noqa: E731
    assert 0.8 < answer(mw, 429) <= 1.0 and floor() == 1.0
    assert 1.8 < answer(mw, 429) <= 2.0 and floor() == 2.0
    assert 3.8 < answer(mw, 429) <= 4.0 and floor() == 4.0
    assert 5.8 < answer(mw, 429) <= 6.0 and floor() == 6.0  # capped
    answer(mw, 200)  # resets the backoff, not the floor
    mw.slots.paused_until.clear()
    assert 0.8 < answer(mw, 429) <= 1.0 and floor() == 6.0
    mw.slots.paused_until.clear()
    assert 9.8 < answer(mw, 429, "10") <= 10.0  # Retry-After longer than the backoff
    mw.slots.paused_until.clear()
    assert answer(mw, 429, "400") <= 4.0  # beyond NORDARCHIVE_MAX_RETRY_AFTER: not waited


def test_retry_after_beyond_the_ceiling_or_past_the_retries_gives_up():
    mw = middleware(NORDARCHIVE_MAX_RETRY_AFTER=60)
    limited = Response(URL, status=429, headers={"Retry-After": "61"})
    with pytest.raises(RateLimited, match="beyond NORDARCHIVE_MAX_RETRY_AFTER"):
        mw.process_response(Request(URL), limited)
    with pytest.raises(RateLimited, match="beyond"):
        mw.process_response(Request(URL), Response(URL, status=503,
                                                   headers={"Retry-After": "61"}))
    waited = Request(URL)
    assert mw.process_response(waited, Response(URL, status=503,
                                                headers={"Retry-After": "60"})) is not None
    assert waited.meta["nordarchive_not_before"] > time.monotonic() + 59
    assert mw.process_response(Request(URL, meta={"retry_times": 1}),
                               Response(URL, status=429)).status == 429
    with pytest.raises(RateLimited, match="429 after 2 retries"):
        mw.process_response(Request(URL, meta={"retry_times": 2}), Response(URL, status=429))
    with pytest.raises(RateLimited):
        mw.process_response(Request(URL, meta={"dont_retry": True}), Response(URL, status=429))
    # A 503 past the retries is Scrapy's retry's to give up (a fetch-error), not ours.
    assert mw.process_response(Request(URL, meta={"retry_times": 2}),
                               Response(URL, status=503)).status == 503


def test_a_5xx_is_retried_after_the_backoff_not_at_once():
    import asyncio

    from scrapy import Spider

    from crawler.middlewares.backoff import RetryBackoffMiddleware

    crawler = get_crawler(Spider, settings_dict={"RETRY_BACKOFF_BASE": 0.5, "RETRY_TIMES": 2})
    crawler.spider = crawler._create_spider("portal")
    mw = RetryBackoffMiddleware.from_crawler(crawler)
    started = time.monotonic()
    retry = asyncio.run(mw.process_response(Request(URL), Response(URL, status=503)))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert time.monotonic() - started >= 0.5  # the first retry waits the base
    started = time.monotonic()
    asyncio.run(mw.process_response(retry, Response(URL, status=503)))
    assert time.monotonic() - started >= 1.0  # then twice that
