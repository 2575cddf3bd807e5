"""Database faults during crawls: PostgreSQL connections killed, a locked SQLite file, a full
disk. The crawl retries or stops with a clear message; nothing is half-written."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleUrl, Revision
from crawler.pipelines import BATCH
from tests.crawl.test_crawl_faults import (
    articles_answered,
    assert_complete_and_unique,
    hold_articles_after,
)
from tests.helpers.archive_data import kill_backends
from tests.helpers.crawl_helpers import crawl_args, run_crawl, start_crawl
from tests.helpers.net import wait_until
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite


def assert_consistent(db_url: str) -> int:
    """Every article has its revision and its URLs; returns how many articles."""
    with Database(db_url) as db, db.session() as session:
        articles = list(session.scalars(select(Article)))
        for article in articles:
            revision = session.get(Revision, article.current_revision_id)
            assert revision is not None and revision.article_id == article.id
            assert session.scalar(select(func.count()).select_from(ArticleUrl).where(
                ArticleUrl.article_id == article.id)) >= 1
        return len(articles)


def test_postgresql_connections_killed_mid_crawl(pg_url):
    with ReplicaServer(ReplicaSite()) as server:
        server.delay = 0.05
        # The crawl is mid-way when its connections die: the articles after the tenth are
        # answered only once they have been killed.
        gate = hold_articles_after(server, 10)
        proc = start_crawl(pg_url, server.base + PREFIX, "--set",
                           "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        try:
            assert articles_answered(server, 8), "the crawl never got to its eighth article"
            killed = kill_backends(pg_url)
        except BaseException:
            proc.kill()
            raise
        finally:
            gate.set()
            server.before = None
        assert killed >= 1
        out, err = proc.communicate(timeout=180)
        # Either the crawl reconnected and finished, or it stopped with one clear line.
        assert proc.returncode in (0, 1), err.decode()[-2000:]
        if proc.returncode == 1:
            assert b"nordarchive: error:" in err
        assert b"Traceback" not in out
        assert_consistent(pg_url)
        server.delay = 0
        assert run_crawl(pg_url, server.base + PREFIX).returncode == 0
        assert_complete_and_unique(pg_url)


def _take_write_lock(path: Path) -> sqlite3.Connection:
    """Another process's write transaction on the archive (held until rolled back)."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None,
                                 check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO tags(name) VALUES ('held-by-another-process')")
    return connection


def test_a_write_lock_held_mid_crawl_is_waited_for(tmp_path):
    db_path = tmp_path / "archive.db"
    Database(str(db_path)).close()
    held: list[sqlite3.Connection] = []
    taken = threading.Lock()
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:3])) as server:
        articles = set(server.site.paths.values())

        def hold(path: str) -> None:
            # At the first article, before it is answered: the crawl's next write (its
            # capture, then the article) meets this lock; a timer lets it go.
            if path in articles and taken.acquire(blocking=False):
                held.append(_take_write_lock(db_path))
                threading.Timer(2.0, held[0].execute, ("COMMIT",)).start()

        server.before = hold
        result = subprocess.run(
            crawl_args(str(db_path), server.base + PREFIX), capture_output=True, timeout=180,
            env={**os.environ, "NORDARCHIVE_BUSY_TIMEOUT": "120"})
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert held, "the crawl never asked for an article"
    with sqlite3.connect(db_path) as connection:
        (held_id,) = connection.execute(
            "SELECT id FROM tags WHERE name = 'held-by-another-process'").fetchone()
        article_tags = [row[0] for row in connection.execute(
            "SELECT id FROM tags WHERE name <> 'held-by-another-process'")]
    # Every article was written after the other transaction committed: the crawl waited.
    assert article_tags and min(article_tags) > held_id
    assert assert_consistent(f"sqlite:///{db_path}") == 3 + len(ARCHIVED_PAGES)  # theme, about


def test_a_write_lock_held_past_the_busy_timeout_fails_clearly(tmp_path):
    db_path = tmp_path / "archive.db"
    Database(str(db_path)).close()
    connection = _take_write_lock(db_path)  # held for the crawl's whole life
    try:
        with ReplicaServer(ReplicaSite(stories=content.STORIES[:3])) as server:
            result = subprocess.run(
                crawl_args(str(db_path), server.base + PREFIX), capture_output=True,
                timeout=120, env={**os.environ, "NORDARCHIVE_BUSY_TIMEOUT": "1"})
    finally:
        connection.execute("ROLLBACK")
        connection.close()
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert lines[-1].startswith("nordarchive: error:") and "locked" in lines[-1], lines
    assert b"Traceback" not in result.stderr
    assert_consistent(f"sqlite:///{db_path}")


def _archived_ids(db_path: Path) -> set[int]:
    """The ids of the articles committed so far, read while the crawl writes (WAL mode)."""
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30) as connection:
            return {row[0] for row in connection.execute("SELECT id FROM articles")}
    except sqlite3.OperationalError:  # not created yet, or its schema half-way
        return set()


def _fill(filesystem: Path) -> None:
    """Write a file until the filesystem has not one free page left."""
    with open(filesystem / "filler", "wb", buffering=0) as filler:
        for chunk in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    filler.write(b"\0" * chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error


@pytest.mark.timeout(600)  # two waits of up to 240 s and 300 s on a crowded machine
def test_disk_full_stops_with_a_clear_error_and_the_archive_still_opens(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.fail("cannot mount a small tmpfs (needs root, as in CI)")
    try:
        db_path = mount / "archive.db"
        db_url = f"sqlite:///{db_path}"
        stories = content.STORIES * 8  # 200 articles: the disk is full long before the last
        stories = [replace(s, key=f"{s.key}-{i}", slug=f"{s.slug}-{i}", title=f"{s.title} {i}")
                   for i, s in enumerate(stories)]
        with ReplicaServer(ReplicaSite(stories=stories)) as server:
            # The disk fills at a known point, whatever the order and timing of the crawl's
            # writes: once its first batch of articles is committed (a few more articles than
            # a batch are answered, the others wait), a file takes the rest of the disk.
            gate = hold_articles_after(server, BATCH + 5)
            articles = set(server.site.paths.values())
            # Only the database on the small disk (captures beside it would fill it first).
            proc = start_crawl(db_url, server.base + PREFIX, "--set",
                               f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}")
            try:
                def written_so_far() -> set[int]:
                    written = _archived_ids(db_path)
                    assert written or proc.poll() is None, proc.communicate()[1].decode()[-2000:]
                    return written

                written = wait_until(written_so_far, 240, 0.05, "no article written in 240 s")
                _fill(mount)
            except BaseException:
                proc.kill()
                raise
            finally:
                gate.set()
            out, err = proc.communicate(timeout=300)
            answered = sum(1 for r in server.requests
                           if r.answered and r.path.split("?", 1)[0] in articles)
        assert proc.returncode == 1, err.decode()[-2000:]
        message = err.decode().strip().splitlines()[-1]
        # "crawl 1 failed: archive_error: …", or "crawl 1 failed (archive_error: …); the run
        # could not be closed: …" when even closing the run finds the disk full.
        assert message.startswith("nordarchive: error: crawl 1 failed") and \
            "archive_error: database or disk is full" in message, message
        # It stopped at once: most articles were never asked for (all of them when it goes on).
        assert answered < len(stories) // 2, answered
        assert b"Traceback" not in err
        # What was written before the disk filled is there, whole; the rest is not.
        assert written <= _archived_ids(db_path)
        assert assert_consistent(db_url) < len(stories)
        with sqlite3.connect(db_path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
