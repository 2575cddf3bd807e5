"""An SQLite archive opened read-only, for the web pages' own queries.

``Database`` migrates and switches on WAL, both writes; a crawl may be writing the same file at
the same time, so the web side opens it with SQLite's ``mode=ro`` and only reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from archive.storage.database import (
    CACHE_KIB,
    ArchiveError,
    Database,
    check_schema,
    error_line,
)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise ArchiveError("an in-memory database cannot be served")
    return Path(parsed.database)


class ReadOnlyArchive(Database):
    """A ``Database`` over an SQLite file whose every connection is ``mode=ro``: the library's
    read functions (``show``, ``history``, ``run_search``) work; any write fails."""

    def __init__(self, path: str | Path) -> None:  # noqa: D107 - no migration on purpose
        self.path = Path(path).resolve()
        if not self.path.is_file():
            raise ArchiveError(f"no archive at {self.path}")
        uri = f"file:{quote(str(self.path))}?mode=ro"
        self.url = f"sqlite:///{self.path}"
        def connect() -> sqlite3.Connection:
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # as every archive
            return connection

        self.engine = create_engine(self.url, creator=connect)
        try:
            check_schema(self.engine, f"nordarchive db upgrade --db {self.path}")
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise ArchiveError(f"cannot open the archive {self.path}: "
                               f"{error_line(error)}") from None
        except ArchiveError:
            self.engine.dispose()
            raise
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)


class ReadOnlyServer(Database):
    """A ``Database`` over a PostgreSQL archive whose every transaction is read-only: what
    ``serve`` reads its own pages from, live, instead of waiting for a snapshot."""

    def __init__(self, url: str) -> None:  # noqa: D107 - no migration on purpose
        self.url = url
        self._archive_id = None
        self.engine = create_engine(url, pool_pre_ping=True, connect_args={
            "connect_timeout": 10, "options": "-c default_transaction_read_only=on"})
        try:
            check_schema(self.engine)
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise ArchiveError(f"cannot open the archive {self.display_url}: "
                               f"{error_line(error)}") from None
        except ArchiveError:
            self.engine.dispose()
            raise
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
