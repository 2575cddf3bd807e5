"""One crawl per archive at a time.

SQLite archives: an exclusive ``flock`` on ``<archive>.lock`` beside the file. PostgreSQL: a
session advisory lock. Both are released by the operating system or the server when the
process dies, even by SIGKILL, so a crashed crawl never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

#: Advisory lock key for crawls on PostgreSQL ("nordarch" in ASCII, truncated to bigint).
PG_LOCK_KEY = 0x6E6F7264617263


class LockHeld(RuntimeError):
    """Another crawl holds this archive."""


#: The lock this process holds, if any (the pipeline checks it is still held).
_held: CrawlLock | None = None


def held_lock() -> CrawlLock | None:
    return _held


class CrawlLock:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self._file = None
        self._connection = None
        self._engine = None

    def lock_path(self) -> Path | None:
        url = make_url(self.db_url)
        if url.get_backend_name() != "sqlite":
            return None
        database = url.database or ""
        if database in ("", ":memory:"):
            return None
        return Path(database).with_name(Path(database).name + ".lock")

    def acquire(self) -> CrawlLock:
        path = self.lock_path()
        if path is not None:
            handle = open(path, "a+")  # noqa: SIM115 - held for the crawl's lifetime
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise LockHeld(f"another crawl ({holder}) is running on this archive "
                               f"(lock {path})") from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            self._file = handle
        elif make_url(self.db_url).get_backend_name() == "postgresql":
            if not self._take_advisory_lock():
                self.release()
                raise LockHeld("another crawl is running on this archive "
                               "(PostgreSQL advisory lock held)")
        global _held
        _held = self
        return self

    def _take_advisory_lock(self) -> bool:
        self._engine = create_engine(self.db_url, poolclass=NullPool)
        self._connection = self._engine.connect()
        got = self._connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                       {"k": PG_LOCK_KEY}).scalar()
        self._connection.commit()
        return bool(got)

    def ensure(self) -> None:
        """Still ours? A PostgreSQL lock dies with its connection (a restarted server, a
        killed backend): take it again, or raise ``LockHeld`` if another crawl took it."""
        if self._connection is None:
            return  # flock: held until this process ends
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return
        except SQLAlchemyError:
            self._close_connection()
        if not self._take_advisory_lock():
            self._close_connection()
            raise LockHeld("the crawl lock was lost with the database connection and another "
                           "crawl holds it now")

    def _close_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except SQLAlchemyError:
                pass
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def release(self) -> None:
        global _held
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._close_connection()
        if _held is self:
            _held = None

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


@contextmanager
def archive_lock(url: str) -> Iterator[CrawlLock]:
    """The crawl lock of the archive at ``url``, held for one run (a crawl, a backfill, an
    import). ``LockHeld`` when another run holds it; ``ArchiveError`` when it cannot be
    taken (an archive that cannot be opened, a lock file that cannot be made)."""
    from archive.storage.database import ArchiveError, error_line

    lock = CrawlLock(url)
    try:
        lock.acquire()
    except SQLAlchemyError as error:
        raise ArchiveError(f"cannot open the archive: {error_line(error)}") from None
    except OSError as error:
        raise ArchiveError(f"cannot create the crawl lock {lock.lock_path()}: "
                           f"{error.strerror}") from None
    try:
        yield lock
    finally:
        lock.release()
