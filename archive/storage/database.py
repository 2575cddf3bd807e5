"""Opening an archive: which database, its connection settings, and its schema version.

The schema is migrated with Alembic on first use. A database written by a newer nordarchive is
refused rather than touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class ArchiveError(RuntimeError):
    """Something the user must fix (unreachable database, newer schema, bad reference)."""


DEFAULT_DB = "sqlite:///nordarchive.db"
ENV_VAR = "NORDARCHIVE_DB"
#: How long SQLite waits for a lock held by another process before giving up (ms);
#: ``NORDARCHIVE_BUSY_TIMEOUT`` (seconds) overrides it.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Page cache of each SQLite connection, in KiB.
CACHE_KIB = 65_536


def busy_timeout_ms() -> int:
    value = os.environ.get("NORDARCHIVE_BUSY_TIMEOUT")
    try:
        return int(float(value) * 1000) if value else SQLITE_BUSY_TIMEOUT_MS
    except ValueError:
        raise ArchiveError(f"NORDARCHIVE_BUSY_TIMEOUT: not a number of seconds: {value!r}"
                           ) from None
_MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(db: str | None = None) -> str:
    """``--db``, else ``$NORDARCHIVE_DB``, else ``nordarchive.db`` here. A bare path is SQLite."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in value:
        value = f"sqlite:///{value}"
    if value.startswith(("postgresql://", "postgres://")):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ArchiveError(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() == "sqlite":
        timeout_ms = busy_timeout_ms()
        engine = create_engine(url, connect_args={"timeout": timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 64 MiB of pages per connection (the default is 2 MiB): a search at a million
            # pages reads the same index pages again and again, each read a system call.
            cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (ArgumentError, ImportError) as error:
        raise ArchiveError(f"cannot use database {parsed.render_as_string()}: {error}") from error


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _newer_message(schema: str) -> str:
    return (f"the archive's schema ({schema}) was written by a newer nordarchive; "
            f"upgrade nordarchive (this version knows up to {head_revision()})")


def _is_newer(schema: str | None) -> bool:
    """A schema this version has no migration for was written by a later version."""
    known = {rev.revision for rev in ScriptDirectory.from_config(
        _alembic_config(None)).walk_revisions()}
    return schema is not None and schema not in known


def check_schema(engine: Engine, upgrade_command: str = "nordarchive db upgrade") -> None:
    """The one check of an archive opened without migrating it (the web window's read-only
    archives): its schema must be this version's head, else one line saying what to do."""
    schema = current_revision(engine)
    if schema == head_revision():
        return
    if _is_newer(schema):
        raise ArchiveError(_newer_message(schema))
    raise ArchiveError(f"the archive's schema is {schema or 'empty'}, this nordarchive reads "
                       f"{head_revision()}: run `{upgrade_command}` first")


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to this version's head; returns (before, after)."""
    before = current_revision(engine)
    if _is_newer(before):
        raise ArchiveError(_newer_message(before))
    if before != head_revision():
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # SQLite rebuilds a table to alter it; the rebuild must not trip foreign keys
                # (checked once the migration is done).
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                if not sqlite:
                    # Two processes opening a fresh archive at once: one migrates, one waits.
                    connection.execute(text("SELECT pg_advisory_xact_lock(74207411)"))
                command.upgrade(_alembic_config(connection), "head")
            if sqlite:
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
                if problems:
                    raise ArchiveError(f"migration left broken references: {problems[:3]}")
    return before, head_revision()


def no_archive_message(where: str) -> str:
    return (f"no archive at {where} (`nordarchive crawl` or `nordarchive db upgrade` "
            "creates one; check --db or NORDARCHIVE_DB)")


def refuse_missing_file(url: str) -> None:
    """An SQLite URL whose file does not exist names no archive: refuse it before SQLite
    creates an empty file there."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ArchiveError(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if str(parsed.database).startswith("file:"):
        return  # an SQLite URI: its options decide
    path = Path(parsed.database)
    if not path.is_file():
        raise ArchiveError(no_archive_message(str(path.resolve())))


class Database:
    """An open archive: an engine with a migrated schema and a session factory."""

    def __init__(self, db: str | None = None, *, migrate: bool = True,
                 create: bool = True) -> None:
        """``create=False`` (every command that only reads) refuses a database that holds no
        archive instead of making an empty one there: a mistyped path is an error, not zeros."""
        self.url = database_url(db)
        self._archive_id: str | None = None
        if not create:
            refuse_missing_file(self.url)
        self.engine = make_engine(self.url)
        try:
            if not create and current_revision(self.engine) is None:
                self.engine.dispose()
                raise ArchiveError(no_archive_message(self.display_url))
            if migrate:
                upgrade(self.engine)
            else:
                current_revision(self.engine)
        except OperationalError as error:
            self.engine.dispose()
            raise ArchiveError(f"cannot open the archive {self.display_url}: "
                               f"{error_line(error)}") from error
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise ArchiveError(f"archive {self.display_url}: {error_line(error)}") from error
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def archive_id(self) -> str:
        """The archive's identity (a UUID made when it was created; see ``ArchiveIdentity``)."""
        if self._archive_id is None:
            with self.engine.connect() as connection:
                value = connection.execute(text("SELECT uuid FROM archive_identity")).scalar()
            if value is None:
                raise ArchiveError(f"archive {self.display_url} has no identity; run "
                                   "`nordarchive db upgrade`")
            self._archive_id = str(value)
        return self._archive_id

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self):
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def error_line(error: Exception) -> str:
    """The first line of a database error's message (the driver's own words when there are
    some): what a user is shown, instead of a traceback."""
    message = str(getattr(error, "orig", None) or error)
    return message.strip().splitlines()[0] if message.strip() else type(error).__name__


__all__ = ["ArchiveError", "Database", "Session", "database_url", "error_line", "retrying",
           "upgrade"]


def dialect_of(conn: Session | Connection) -> str:
    """The backend (``sqlite``, ``postgresql``) of a session or connection."""
    return (conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect).name


#: How often one write is tried when a concurrent writer got there first.
ATTEMPTS = 4


def retrying(db: Database, work: Callable[[Connection], T]) -> T:
    """Run ``work(connection)`` in its own transaction; a unique-key race with a concurrent
    writer (or a dropped connection) rolls back and tries again from the start."""
    for attempt in range(ATTEMPTS):
        try:
            with db.engine.begin() as connection:
                return work(connection)
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
