"""Shared fixtures: how to run the ``nordarchive`` command as a user would; archives on
SQLite and PostgreSQL; and a guard that the suite leaves the work tree as it found it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# PostgreSQL archives keep their captures in the user's data directory: in tests, a temporary
# one (inherited by every crawl subprocess), never the developer's home or the work tree.
_DATA_HOME = tempfile.mkdtemp(prefix="nordarchive-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
atexit.register(shutil.rmtree, _DATA_HOME, ignore_errors=True)


# --- the work tree stays clean -----------------------------------------------------------------

#: Caches that Python and the tools make; anything else a test run adds is a finding.
_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".ci-venv", ".venv"}


def _git_status() -> set[str] | None:
    """``git status --porcelain`` lines of the checkout, ignored files included (a stray
    ``*.db`` or ``*-warc/`` is as wrong as any other file), or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=matching"],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return {line for line in result.stdout.splitlines()
            if not (_CACHES & set(line[3:].strip('"').split("/"))
                    or line.rstrip("/").endswith(".egg-info"))}


def pytest_sessionstart(session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, not xdist workers
        session.config._git_status_before = _git_status()


def pytest_sessionfinish(session, exitstatus) -> None:
    before = getattr(session.config, "_git_status_before", None)
    if before is None:
        return
    left = sorted((_git_status() or set()) - before)
    if left:
        session.config._git_status_left = left
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    left = getattr(terminalreporter.config, "_git_status_left", None)
    if left:
        terminalreporter.write_line("FAILED: the test run left files in the work tree (tests "
                                    "must write under tmp_path only):", red=True)
        for line in left:
            terminalreporter.write_line(f"    {line}", red=True)


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None,
            cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``nordarchive`` in a subprocess, exactly as a user or cron would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], input=input, capture_output=True,
        env=full_env, cwd=cwd or ROOT, timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli


# --- archives on SQLite and on the real PostgreSQL server ------------------------------------

PG_URL = os.environ.get("NORDARCHIVE_TEST_PG",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_admin():
    from sqlalchemy import create_engine

    return create_engine(PG_URL, isolation_level="AUTOCOMMIT",
                         connect_args={"connect_timeout": 5})


def _pg_available() -> bool:
    from sqlalchemy import text

    try:
        with _pg_admin().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def pg_required() -> bool:
    """In CI (``CI`` or ``NORDARCHIVE_REQUIRE_PG`` set, as ``.ci/run`` does) PostgreSQL tests
    fail when the server is unreachable; elsewhere they skip."""
    return any(os.environ.get(name, "").lower() not in ("", "0", "false", "no")
               for name in ("CI", "NORDARCHIVE_REQUIRE_PG"))


@pytest.fixture(scope="session")
def pg_available() -> bool:
    available = _pg_available()
    if not available and pg_required():
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}; CI must run these tests")
    return available


@pytest.fixture
def make_pg_url(pg_available):
    """Makes fresh, empty PostgreSQL databases for one test, dropped afterwards."""
    if not pg_available:
        pytest.skip("PostgreSQL not reachable (allowed outside CI only)")
    import uuid

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    admin = _pg_admin()
    names: list[str] = []

    def make() -> str:
        name = f"na_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(make_pg_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    return make_pg_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same archive test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def database(db_url):
    from archive.db import Database

    with Database(db_url) as db:
        yield db
