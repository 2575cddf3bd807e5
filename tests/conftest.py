"""Shared fixtures: how to run the ``nordarchive`` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="session")
def pg_available() -> bool:
    available = _pg_available()
    if not available and os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}; CI must run these tests")
    return available


@pytest.fixture
def pg_url(pg_available):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not pg_available:
        pytest.skip("PostgreSQL not reachable (allowed outside CI only)")
    import uuid

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"na_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
