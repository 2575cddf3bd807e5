"""Shared fixtures: how to run the ``nordarchive`` command as a user would; archives on
SQLite and PostgreSQL; and a guard that the suite leaves the work tree as it found it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.cli import run_cli
from tests.helpers.services import CHROMIUM, PG_URL, pg_reachable

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
        missing = _missing_services(session.config)
        if missing:
            raise pytest.UsageError("\n".join(missing))
        session.config._git_status_before = _git_status()


def pytest_collection_finish(session) -> None:
    """pywb (a minute of pip) starts installing at once when a selected test serves from it,
    so that it is ready when they come."""
    if any("pywb" in getattr(item, "fixturenames", ()) for item in session.items):
        from tests.replica.webarchives import start_shared_pywb

        start_shared_pywb(session.config._tmp_path_factory.getbasetemp())


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


@pytest.fixture
def cli():
    """``run_cli``: ``nordarchive`` in a subprocess, exactly as a user or cron would run it."""
    return run_cli


# --- archives on SQLite and on the real PostgreSQL server ------------------------------------


#: Fixtures that reach the PostgreSQL server; a test using one carries the ``postgres`` mark.
_PG_FIXTURES = {"pg_available", "make_pg_url", "pg_url"}


def _pg_admin():
    from sqlalchemy import create_engine

    return create_engine(PG_URL, isolation_level="AUTOCOMMIT",
                         connect_args={"connect_timeout": 5})


def pytest_itemcollected(item) -> None:
    """Marks each test that needs the PostgreSQL server or the browser, so that
    ``-m "not postgres"`` / ``-m "not browser"`` leave them out (the ``db_url`` case and
    the like run PostgreSQL through a ``"postgresql"`` parameter)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if _PG_FIXTURES & set(item.fixturenames) or "postgresql" in params.values():
        item.add_marker(pytest.mark.postgres)
    if "browser" in item.fixturenames:
        item.add_marker(pytest.mark.browser)


def _selected(config, mark: str) -> bool:
    """Whether the ``-m`` expression lets a test carrying only ``mark`` run."""
    from _pytest.mark.expression import Expression

    expression = config.getoption("markexpr", "")
    if not expression:
        return True
    return Expression.compile(expression).evaluate(lambda name, /, **_: name == mark)


def _missing_services(config) -> list[str]:
    """What the selected tests need and this machine lacks, one line each: the suite fails
    at once rather than skip them (a run that skips the PostgreSQL half is not a pass)."""
    missing = []
    if _selected(config, "postgres") and not pg_reachable():
        missing.append(
            f"PostgreSQL is not reachable at {PG_URL}: start it (on Debian `pg_ctlcluster "
            "VERSION main start`), point NORDARCHIVE_TEST_PG at a server, or leave its tests "
            'out with -m "not postgres"')
    if _selected(config, "browser") and not Path(CHROMIUM).is_file():
        missing.append(
            f"Chromium is missing at {CHROMIUM}: install it (`apt-get install chromium`), "
            'point NORDARCHIVE_CHROMIUM at it, or leave the browser tests out with '
            '-m "not browser"')
    return missing


@pytest.fixture(scope="session")
def pg_available() -> bool:
    if not pg_reachable():
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}")
    return True


@pytest.fixture
def make_pg_url(request, pg_available):
    """Makes fresh, empty PostgreSQL databases for one test, dropped afterwards."""
    if request.node.get_closest_marker("postgres") is None:
        pytest.fail("this test uses PostgreSQL without the postgres mark: `-m \"not postgres\"` "
                    "would not leave it out (see pytest_itemcollected)")
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


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite archive for one test: ``archive.db`` in its ``tmp_path`` (made by the first
    command or ``Database`` that opens it; its captures go to ``archive-warc/`` beside it)."""
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """The same archive test on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def database(db_url):
    from archive.storage.database import Database

    with Database(db_url) as db:
        yield db


@pytest.fixture
def searchable(database):
    """The archive of the search tests (``tests/helpers/search_data.py``), on both backends."""
    from tests.helpers.search_data import fill

    fill(database)
    return database
