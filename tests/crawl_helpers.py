"""Running real crawls of the replica in subprocesses (Twisted's reactor cannot restart)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

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
    result = subprocess.run([sys.executable, "-m", "crawler.commands", "export", "--db", db_url],
                            capture_output=True, cwd=ROOT, timeout=120, check=True)
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def cli_json(db_url: str, *args: str, cwd=None):
    result = subprocess.run([sys.executable, "-m", "crawler.commands", *args, "--db", db_url,
                             "--format", "json"], capture_output=True, cwd=cwd or ROOT,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)
