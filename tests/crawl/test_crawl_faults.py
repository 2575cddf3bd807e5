"""Crawls that die: SIGKILL at random points and SIGTERM, on SQLite and PostgreSQL. The
archive stays consistent and the next crawl completes it without duplicates."""

from __future__ import annotations

import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleUrl, CrawlRun, Revision
from tests.helpers.crawl_helpers import run_crawl, start_crawl
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite


@pytest.fixture
def slow_portal():
    with ReplicaServer(ReplicaSite()) as server:
        server.delay = 0.05
        yield server


def article_count(db_url: str) -> int:
    try:
        with Database(db_url) as db, db.session() as session:
            return session.scalar(select(func.count()).select_from(Article))
    except Exception:  # noqa: BLE001 - the archive may not exist yet
        return 0


def assert_complete_and_unique(db_url: str) -> None:
    with Database(db_url) as db, db.session() as session:
        titles = list(session.scalars(select(Article.title)))
        assert sorted(titles) == sorted([*(s.title for s in content.STORIES),
                                         *(title for title, _ in ARCHIVED_PAGES.values())])
        assert session.scalar(select(func.count()).select_from(Revision)) == len(titles)
        urls = list(session.scalars(select(ArticleUrl.url)))
        assert len(urls) == len(set(urls))
        # Every article points at a revision of its own.
        for article in session.scalars(select(Article)):
            revision = session.get(Revision, article.current_revision_id)
            assert revision is not None and revision.article_id == article.id


def hold_articles_after(server: ReplicaServer, count: int) -> threading.Event:
    """The portal answers the first ``count`` article requests; the others wait until the
    returned event is set: the crawl cannot finish, however slowly the test gets to it."""
    articles = set(server.site.paths.values())
    arrived = iter(range(1, 10**6))
    lock, gate = threading.Lock(), threading.Event()

    def hold(path: str) -> None:
        if path.split("?", 1)[0] in articles:
            with lock:
                number = next(arrived)
            if number > count:
                gate.wait(300)

    server.before = hold
    return gate


def articles_answered(server: ReplicaServer, count: int) -> bool:
    """Block until the portal has written ``count`` article answers."""
    articles = set(server.site.paths.values())
    return server.wait_for(lambda requests: sum(
        1 for r in requests if r.answered and r.path.split("?", 1)[0] in articles) >= count)


def _kill_midway(db_url: str, server, seed: int, sig: int) -> int:
    rng = random.Random(seed)
    target = rng.randint(1, len(content.STORIES) - 5)
    # A few articles beyond the target are answered (the crawl is busy with them when the
    # signal comes); the rest only after the signal, so that it always comes mid-crawl.
    gate = hold_articles_after(server, target + 3)
    proc = start_crawl(db_url, server.base + PREFIX, "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    try:
        assert articles_answered(server, target), "the crawl never got to its target"
        time.sleep(rng.random() * 0.1)  # anywhere, including inside an ingest transaction
        proc.send_signal(sig)
    except BaseException:
        proc.kill()
        raise
    finally:
        gate.set()  # a stopping crawl finishes the downloads it has started
        server.before = None
    proc.communicate(timeout=120)
    return proc.returncode


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_then_rerun_sqlite(slow_portal, sqlite_url, seed):
    assert _kill_midway(sqlite_url, slow_portal, seed, signal.SIGKILL) == -signal.SIGKILL
    assert article_count(sqlite_url) < len(content.STORIES)
    slow_portal.delay = 0
    result = run_crawl(sqlite_url, slow_portal.base + PREFIX)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert_complete_and_unique(sqlite_url)
    with Database(sqlite_url) as db, db.session() as session:
        statuses = list(session.scalars(select(CrawlRun.status).order_by(CrawlRun.id)))
    assert statuses == ["interrupted", "finished"]


def test_sigkill_then_rerun_postgresql(slow_portal, pg_url):
    assert _kill_midway(pg_url, slow_portal, 7, signal.SIGKILL) == -signal.SIGKILL
    slow_portal.delay = 0
    result = run_crawl(pg_url, slow_portal.base + PREFIX)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert_complete_and_unique(pg_url)


def test_sigterm_stops_cleanly_with_exit_6_and_the_rerun_completes(slow_portal, sqlite_url):
    code = _kill_midway(sqlite_url, slow_portal, 4, signal.SIGTERM)
    assert code == 6
    with Database(sqlite_url) as db, db.session() as session:
        run = session.scalar(select(CrawlRun))
        assert run.status == "interrupted" and run.finished_at is not None
    slow_portal.delay = 0
    assert run_crawl(sqlite_url, slow_portal.base + PREFIX).returncode == 0
    assert_complete_and_unique(sqlite_url)


def test_three_crawls_started_at_once_exactly_one_runs(slow_portal, db_url):
    slow_portal.delay = 0
    gate = threading.Event()
    # The portal answers nothing until two crawls have exited: the winner holds the lock
    # the whole time the others try it.
    slow_portal.before = lambda _path: gate.wait(300)
    # Held answers never time out, however long the others take to start on a busy machine.
    procs = [start_crawl(db_url, slow_portal.base + PREFIX, "--set", "DOWNLOAD_TIMEOUT=600")
             for _ in range(3)]
    try:
        with ThreadPoolExecutor(3) as pool:
            futures = [pool.submit(proc.wait, 300) for proc in procs]
            finished = as_completed(futures, timeout=300)
            first_two = sorted(next(finished).result() for _ in range(2))
            gate.set()
            codes = sorted([*first_two, next(finished).result()])
    finally:
        gate.set()
    assert first_two == [3, 3] and codes == [0, 3, 3], \
        [p.stderr.read().decode()[-500:] for p in procs]
    for proc in procs:
        err = proc.stderr.read().decode()
        if "another crawl" in err:
            assert err.strip().splitlines()[-1].startswith("nordarchive: another crawl")
    with Database(db_url) as db, db.session() as session:
        runs = list(session.scalars(select(CrawlRun)))
        assert [r.status for r in runs] == ["finished"]
    assert_complete_and_unique(db_url)
