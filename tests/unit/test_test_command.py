"""The README's test command tests everything or says why not: without the PostgreSQL server
or Chromium it stops at once with one line naming what is missing and how to start it or
leave its tests out, instead of passing with skips; leaving them out is one ``-m``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

#: Nothing listens on port 1 of the loopback address: the connection is refused at once.
CLOSED = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The test command as a contributor runs it: no ``CI``, no ``NORDARCHIVE_REQUIRE_PG``."""
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "NORDARCHIVE_REQUIRE_PG")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**clean, "PYTHONPATH": str(ROOT), **env})


def test_without_postgresql_the_test_command_fails_with_one_line():
    result = _pytest("-n", "2", "tests/unit/test_crawl_lock.py", NORDARCHIVE_TEST_PG=CLOSED)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout[-2000:]
    assert result.stdout.strip() == ""  # no test ran, none was skipped
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"ERROR: PostgreSQL is not reachable at {CLOSED}: start it"), line
    assert line.endswith('-m "not postgres"'), line


def test_without_chromium_the_test_command_fails_with_one_line(tmp_path):
    missing = tmp_path / "chromium"
    result = _pytest("-n", "2", "tests/unit/test_crawl_lock.py", NORDARCHIVE_CHROMIUM=str(missing))
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout[-2000:]
    assert result.stdout.strip() == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"ERROR: Chromium is missing at {missing}: install it"), line
    assert line.endswith('-m "not browser"'), line


def test_leaving_postgresql_and_the_browser_out_is_one_mark_expression(tmp_path):
    # Both missing; the PostgreSQL cases of the file (a pg_url test, a "postgresql"
    # parameter) are chosen by -k and left out by -m: only the SQLite one runs.
    result = _pytest(
        "-n", "0", "-m", "not postgres and not browser", "-k",
        "test_sqlite_lock_is_exclusive_and_released or postgresql", "-rA",
        "tests/unit/test_crawl_lock.py", NORDARCHIVE_TEST_PG=CLOSED,
        NORDARCHIVE_CHROMIUM=str(tmp_path / "chromium"))
    assert result.returncode == pytest.ExitCode.OK, result.stdout[-2000:] + result.stderr
    ran = [line.split(" ", 1)[1] for line in result.stdout.splitlines()
           if line.startswith(("PASSED ", "FAILED ", "SKIPPED ", "ERROR "))]
    assert ran == ["tests/unit/test_crawl_lock.py::test_sqlite_lock_is_exclusive_and_released"]
    assert " 1 passed, " in result.stdout.splitlines()[-1], result.stdout[-500:]
