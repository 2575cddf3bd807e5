"""The ``nordarchive`` command in subprocesses, as a user or cron runs it: real crawls of the
replica (Twisted's reactor cannot restart) and the commands that read the archive; and what a
crawl run counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from archive.storage.models import CrawlRun
from tests.helpers import ROOT
from tests.helpers.cli import run_cli
from tests.replica import content
from tests.replica.site import PREFIX, story_path

#: A crawl run's counters: every article the crawl saw is counted in exactly one.
COUNTERS = ("new", "revised", "unchanged", "removed", "restored", "aliases", "failed",
            "skipped")
#: Politeness off against our own loopback server, through settings only.
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
        "--set", "RETRY_BACKOFF_BASE=0", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl_args(db_url: str, start_url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "crawler.commands", "crawl", "--db", db_url, "--start-url",
            start_url, "--quiet", *FAST, *extra]


def run_crawl(db_url: str, start_url: str, *extra: str, timeout: float = 180, cwd=None
              ) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_args(db_url, start_url, *extra), capture_output=True,
                          cwd=cwd or ROOT, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def start_crawl(db_url: str, start_url: str, *extra: str, cwd=None) -> subprocess.Popen:
    return subprocess.Popen(crawl_args(db_url, start_url, *extra), cwd=cwd or ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def export(db_url: str) -> list[dict]:
    """``nordarchive export``: every article, one dict each."""
    result = run_cli("export", "--db", db_url)
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def cli_json(db_url: str, *args: str, cwd=None):
    """A ``nordarchive`` command's answer with ``--format json``, read; it must succeed."""
    result = run_cli(*args, "--db", db_url, "--format", "json", cwd=cwd,
                     env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def crawl(db_url: str, portal, warc_dir, *extra: str) -> str:
    """A crawl of ``portal`` (a ``ReplicaServer``) from its start page that must succeed,
    its captures in ``warc_dir``; its summary line."""
    result = run_crawl(db_url, portal.base + PREFIX, "--set", f"NORDARCHIVE_WARC_DIR={warc_dir}",
                       *extra)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return result.stdout.decode()


def last_run(db) -> dict[str, int]:
    """The counters of the archive's latest crawl run."""
    with db.session() as session:
        run = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()))
        return {name: getattr(run, name) for name in COUNTERS}


def story_url(site, key: str) -> str:
    """The path the replica's article ``key`` was first archived at (before any move)."""
    return story_path(content.BY_KEY[key])
