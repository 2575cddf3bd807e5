"""The crawl lock alone: SQLite flock and the PostgreSQL advisory lock, including a lock lost
with its database connection."""

from __future__ import annotations

import pytest

from archive.storage.database import database_url
from crawler.lock import CrawlLock, LockHeld, held_lock
from tests.helpers.archive_data import kill_backends


def test_sqlite_lock_is_exclusive_and_released(sqlite_url):
    with CrawlLock(sqlite_url) as first:
        assert held_lock() is first
        with pytest.raises(LockHeld, match="another crawl"):
            CrawlLock(sqlite_url).acquire()
        first.ensure()  # a flock cannot be lost while the process lives
    assert held_lock() is None
    CrawlLock(sqlite_url).acquire().release()


def test_postgresql_lock_is_taken_again_after_its_connection_dies(pg_url):
    url = database_url(pg_url)
    first = CrawlLock(url).acquire()
    try:
        with pytest.raises(LockHeld):
            CrawlLock(url).acquire()
        kill_backends(url)
        first.ensure()  # reconnects and takes the lock again
        with pytest.raises(LockHeld):
            CrawlLock(url).acquire()
    finally:
        first.release()


def test_postgresql_lock_taken_by_another_crawl_meanwhile_is_reported(pg_url):
    url = database_url(pg_url)
    first = CrawlLock(url).acquire()
    kill_backends(url)
    second = CrawlLock(url).acquire()  # the lock was free after the kill
    try:
        with pytest.raises(LockHeld, match="lost"):
            first.ensure()
    finally:
        second.release()
        first.release()


def _contender(url: str, barrier, results, done) -> None:
    barrier.wait()
    try:
        lock = CrawlLock(url).acquire()
    except LockHeld:
        results.put("held")
        return
    results.put("won")
    done.wait(120)  # held until every other contender has tried
    lock.release()


def test_processes_racing_for_the_lock_at_one_barrier_one_wins(db_url):
    import multiprocessing

    url = database_url(db_url)
    if url.startswith("sqlite"):
        from archive.storage.database import Database

        Database(url).close()
    context = multiprocessing.get_context("spawn")
    barrier, results, done = context.Barrier(3, timeout=120), context.Queue(), context.Event()
    procs = [context.Process(target=_contender, args=(url, barrier, results, done))
             for _ in range(3)]
    for proc in procs:
        proc.start()
    try:
        outcomes = sorted(results.get(timeout=120) for _ in procs)
    finally:
        done.set()
        for proc in procs:
            proc.join(60)
    assert outcomes == ["held", "held", "won"]
    assert [proc.exitcode for proc in procs] == [0, 0, 0]
