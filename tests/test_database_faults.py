"""Database faults during crawls: PostgreSQL connections killed, a locked SQLite file, a full
disk. The crawl retries or stops with a clear message; nothing is half-written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from archive.db import Database, database_url
from archive.models import Article, ArticleUrl, Revision
from tests.crawl_helpers import crawl_args, run_crawl, start_crawl
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite
from tests.test_crawl_faults import article_count, assert_complete_and_unique


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
        proc = start_crawl(pg_url, server.base + PREFIX, "--set",
                           "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        deadline = time.time() + 60
        while time.time() < deadline and article_count(pg_url) < 8:
            time.sleep(0.05)
        admin = create_engine(database_url(pg_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            killed = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        admin.dispose()
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


def _hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO tags(name) VALUES ('held-by-another-process')")
    ready.set()
    time.sleep(seconds)
    connection.execute("ROLLBACK")
    connection.close()


@pytest.mark.parametrize(("hold", "timeout", "expect_ok"), [(1.0, 10, True), (8.0, 1, False)])
def test_locked_sqlite_file_waits_then_fails_clearly(tmp_path, hold, timeout, expect_ok):
    db_path = tmp_path / "archive.db"
    Database(str(db_path)).close()
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, hold, ready))
    holder.start()
    ready.wait(10)
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:3])) as server:
        started = time.time()
        result = subprocess.run(
            crawl_args(str(db_path), server.base + PREFIX), capture_output=True, timeout=120,
            env={**os.environ, "NORDARCHIVE_BUSY_TIMEOUT": str(timeout)})
    holder.join()
    if expect_ok:
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        assert time.time() - started >= hold * 0.8  # it waited for the lock
    else:
        assert result.returncode == 1
        lines = result.stderr.decode().strip().splitlines()
        assert lines[-1].startswith("nordarchive: error:") and "locked" in lines[-1], lines
        assert b"Traceback" not in result.stderr
    assert_consistent(f"sqlite:///{db_path}")


def test_disk_full_stops_with_a_clear_error_and_the_archive_still_opens(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.fail("cannot mount a small tmpfs (needs root, as in CI)")
    try:
        db_url = f"sqlite:///{mount / 'archive.db'}"
        stories = content.STORIES * 40  # far more text than fits
        stories = [replace(s, key=f"{s.key}-{i}", slug=f"{s.slug}-{i}", title=f"{s.title} {i}")
                   for i, s in enumerate(stories)]
        with ReplicaServer(ReplicaSite(stories=stories, page_size=100)) as server:
            result = run_crawl(db_url, server.base + PREFIX, timeout=300)
        assert result.returncode == 1, result.stdout.decode()
        message = result.stderr.decode().strip().splitlines()[-1]
        assert message.startswith("nordarchive: error:") and "full" in message, message
        count = assert_consistent(db_url)
        assert 0 < count < len(stories)
        with sqlite3.connect(mount / "archive.db") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
