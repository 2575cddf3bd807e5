"""WARC files belong to one archive: two archives crawled from one working directory, and two
crawls writing captures into one folder at the same moment, each verify clean."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Capture
from archive.webarchive.warc import FILE_NAME
from tests.helpers import ROOT
from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import cli_json, run_crawl, start_crawl
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite


def verify(db_url: str, cwd: Path, *extra: str) -> str:
    result = run_cli("verify", "--db", db_url, *extra, cwd=cwd, env={"PYTHONPATH": str(ROOT)})
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert ": 0 problems, 0 orphans" in out.splitlines()[-1], out
    return out


def test_two_postgresql_archives_crawled_from_one_directory(make_pg_url, tmp_path):
    workdir = tmp_path / "cron-dir"
    workdir.mkdir()
    archives = [make_pg_url(), make_pg_url()]
    folders, ids = [], []
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:4])) as server:
        for db_url in archives:
            result = run_crawl(db_url, server.base + PREFIX, cwd=workdir)
            assert result.returncode == 0, result.stderr.decode()[-2000:]
            summary = result.stdout.decode().strip()
            stats = cli_json(db_url, "stats", cwd=workdir)
            folders.append(Path(stats["warc_dir"]))
            ids.append(stats["archive"])
            assert summary.startswith("crawl 1 finished: new 6,")  # 4 stories, the theme, about
            assert summary.endswith(f"; WARC in {folders[-1]}"), summary  # crawl prints it
    assert ids[0] != ids[1] and folders[0] != folders[1]
    assert all(f.is_relative_to(os.environ["XDG_DATA_HOME"]) for f in folders), folders
    assert list(workdir.iterdir()) == []  # nothing in the working directory
    for db_url, folder, archive_id in zip(archives, folders, ids, strict=True):
        names = [p.name for p in folder.iterdir()]
        assert names and all(FILE_NAME.match(n)["archive"] == archive_id for n in names), names
        assert f"of archive {archive_id} in {folder}" in verify(db_url, workdir)


def test_two_crawls_writing_captures_into_one_folder_at_once(tmp_path):
    shared = tmp_path / "shared-warc"
    archives = [f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db")]
    servers = [ReplicaServer(ReplicaSite(stories=content.STORIES[:6])) for _ in archives]
    # Each portal holds its first article until the other crawl has asked for one: both
    # crawls are then mid-way at once, each having captured its start page already.
    barrier = threading.Barrier(2, timeout=120)
    article_paths = [set(s.site.paths.values()) for s in servers]
    for server, paths in zip(servers, article_paths, strict=True):
        first = threading.Lock()

        def hold(path, paths=paths, first=first):
            if path in paths and first.acquire(blocking=False):
                barrier.wait()

        server.before = hold
    try:
        for server in servers:
            server.start()
        # A held answer never times out, however long the other crawl takes to start.
        procs = [start_crawl(db_url, server.base + PREFIX, "--set",
                             f"NORDARCHIVE_WARC_DIR={shared}", "--set", "DOWNLOAD_TIMEOUT=600")
                 for db_url, server in zip(archives, servers, strict=True)]
        for proc in procs:
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, err.decode()[-2000:]
    finally:
        for server in servers:
            server.stop()
    assert not barrier.broken
    spans = []
    for db_url in archives:
        with Database(db_url) as db, db.session() as session:
            spans.append(session.execute(select(func.min(Capture.fetched_at),
                                                func.max(Capture.fetched_at))).one())
    (a_first, a_last), (b_first, b_last) = spans
    assert a_first < b_last and b_first < a_last, spans  # the writers overlapped
    names = sorted(p.name for p in shared.iterdir())
    owners = {FILE_NAME.match(name)["archive"] for name in names}
    assert len(owners) == 2, names  # same run number, two archives: two files
    for db_url in archives:
        out = verify(db_url, tmp_path, "--warc-dir", str(shared))
        assert "1 files of other archives left alone" in out, out
