"""The politeness the site sets: robots.txt Crawl-delay and Retry-After on 429/503, measured
by the replica server (its arrival times), with the project's own delays turned off."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import Capture, FetchFailure
from crawler.middlewares.retry_after import retry_after_seconds
from tests.helpers.crawl_helpers import export, run_crawl, start_crawl
from tests.helpers.net import wait_until
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"4") == 4.0
    assert retry_after_seconds(" 120 ") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True),
                               now) == 90.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0  # in the past
    for bad in (None, "", "soon", "-5", "4.5.6"):
        assert retry_after_seconds(bad, now) is None, bad


def test_an_absurd_crawl_delay_is_capped_with_a_warning(caplog):
    from scrapy import Request
    from scrapy.robotstxt import ProtegoRobotParser
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.crawl_delay import CrawlDelayMiddleware

    crawler = get_crawler(settings_dict={"NORDARCHIVE_MAX_CRAWL_DELAY": 30,
                                         "USER_AGENT": "nordarchive/0.1 (+https://x.example)"})
    middleware = CrawlDelayMiddleware.from_crawler(crawler)
    robots = (b"User-agent: otherbot\nCrawl-delay: 1\n\n"
              b"User-agent: nordarchive\nCrawl-delay: 86400\n")
    middleware.robots_parsed(ProtegoRobotParser(robots, None),
                             Request("https://portal.example/integration-norden/"))
    assert middleware.slots.floor("portal.example") == 30
    assert "Crawl-delay 86400 s; using 30 s" in caplog.text


def test_crawl_delay_spaces_every_request_whatever_the_project_settings(tmp_path, sqlite_url):
    stories = content.STORIES[:3]
    log = tmp_path / "crawl.log"
    with tiny_portal(stories, robots="Crawl-delay: 1\n") as server:
        # DOWNLOAD_DELAY 0, and AutoThrottle on with nothing to hold it up: it lowers the
        # slot's delay towards the loopback latency on every 200 answer, while the home
        # page's three articles wait in the slot together.
        result = run_crawl(sqlite_url, server.base + PREFIX, "--log-file", str(log),
                           "--set", "AUTOTHROTTLE_ENABLED=true",
                           "--set", "AUTOTHROTTLE_START_DELAY=0")
        times = [r.at for r in server.requests]
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert len(times) >= 8  # robots.txt twice, home, three sitemap guesses, the articles
    assert min(gaps(times)) >= 0.9, gaps(times)
    assert sorted(row["title"] for row in export(sqlite_url)) == sorted(s.title for s in stories)
    assert "robots.txt Crawl-delay applied: at least 1 s between requests to 127.0.0.1" in \
        log.read_text()


def test_429_and_503_wait_for_retry_after_and_the_articles_are_archived(sqlite_url):
    limited, unavailable, refused, plain = content.STORIES[1:5]
    # The home page leads to the 429; the sitemap, answered only once the 429 has been sent,
    # to the rest: the crawler learns of those pages while the site has asked it to wait.
    with tiny_portal([limited, unavailable, refused, plain], linked=[limited],
                     sitemap=[unavailable, refused, plain]) as server:
        paths = {key: server.site.paths[s.key] for key, s in
                 (("429", limited), ("503", unavailable), ("refused", refused))}
        server.scripted = {
            paths["429"]: [Page(b"slow down", status=429, headers={"Retry-After": "4"})],
            paths["503"]: [Page(b"maintenance", status=503, headers={"Retry-After": "4"})],
            # Far beyond NORDARCHIVE_MAX_RETRY_AFTER: given up for this crawl.
            paths["refused"]: [Page(b"come back tomorrow", status=429,
                                    headers={"Retry-After": "86400"})],
        }
        server.held["/sitemap.xml"] = threading.Event()

        def settle(path: str) -> None:
            # The 429 is answered only once nothing else has arrived for 0.5 s: whatever the
            # crawler sent before it could know of the 429 is at the server by then.
            if path == paths["429"]:
                wait_until(lambda: time.monotonic() - server.last_arrival >= 0.5, None, 0.05)

        server.before = settle
        crawl = start_crawl(sqlite_url, server.base + PREFIX, "--set",
                            "NORDARCHIVE_MAX_FAILURE_RATIO=1")
        try:
            # Released once the 429 has been written, not merely logged: any other answer's
            # notification could otherwise let the sitemap out first.
            assert server.wait_for(lambda rs: any(r.status == 429 and r.answered for r in rs))
            server.held["/sitemap.xml"].set()
            out, err = crawl.communicate(timeout=180)
        finally:
            crawl.kill()
        assert crawl.returncode == 0, err.decode()[-2000:]
        requests = list(server.requests)
        for key in ("429", "503"):
            asked = [r for r in requests if r.path == paths[key]]
            assert [r.status for r in asked] == [int(key), 200], key
            assert asked[1].at - asked[0].at >= 4.0, key
        # The 429 paused the whole site: no page was asked in the 4 s after it was answered.
        # (The server notes "answered" once its write returns, which can be a few µs after the
        # crawler has read the answer and started its pause: seen 3.99995 s.)
        first_429 = next(r for r in requests if r.status == 429)
        after = [r.at - first_429.answered for r in requests if r.at > first_429.answered]
        assert len(after) >= 4 and min(after) >= 3.99, after
        titles = {row["title"] for row in export(sqlite_url)}
        assert {limited.title, unavailable.title, plain.title} <= titles
        assert refused.title not in titles
        with Database(sqlite_url) as db, db.session() as session:
            failures = session.execute(select(FetchFailure.url, FetchFailure.reason)).all()
            statuses = set(session.scalars(select(Capture.http_status)))
        assert [(url.endswith(paths["refused"]), reason) for url, reason in failures] \
            == [(True, "rate-limited")]
        assert {429, 503, 200} <= statuses  # the 429 and 503 answers are captured too
        # The next crawl asks the given-up URL again.
        second = run_crawl(sqlite_url, server.base + PREFIX)
        assert second.returncode == 0, second.stderr.decode()[-2000:]
        assert refused.title in {row["title"] for row in export(sqlite_url)}
