"""A complete SQLite copy of any archive (SQLite or PostgreSQL): ``nordarchive export
--format sqlite`` and what ``serve`` shows of a PostgreSQL archive.

The copy's schema is made by the project's own migrations, so it is the schema of every SQLite
archive; rows are copied in one read transaction of the source (a consistent snapshot while a
crawl writes), and the search indexes (articles, sources) are built with the same functions the
crawl uses.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, text

from archive.search import index as search
from archive.sources.store import index_source
from archive.storage.database import ArchiveError, Database
from archive.storage.models import Base
from archive.storage.times import as_utc

#: Rows copied per INSERT batch.
BATCH = 1000


def _utc(value: Any) -> Any:
    """PostgreSQL hands out times in the session's zone; SQLite stores them as UTC text."""
    return as_utc(value) if isinstance(value, datetime) else value


def _copy(source: Connection, target: Connection, search_index: bool = True
          ) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        # Exactly the source's rows: the copy is the same archive (its identity included, so
        # its captures stay its own), not the new one the migrations seeded.
        target.execute(table.delete())
        result = source.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns))
        count = 0
        for chunk in result.partitions(BATCH):
            target.execute(insert(table), [{k: _utc(v) for k, v in row._mapping.items()}
                                           for row in chunk])
            count += len(chunk)
        counts[table.name] = count
    if not search_index:
        return counts
    for article_id, language, title, body in target.execute(text(
            "SELECT a.id, a.language, r.title, r.text FROM articles a "
            "JOIN revisions r ON r.id = a.current_revision_id ORDER BY a.id")).all():
        search.index_article(target, article_id, language, title, body, new=True)
    for source_id, language, title, body in target.execute(text(
            "SELECT s.id, c.language, c.title, c.text FROM sources s "
            "JOIN source_captures c ON c.id = s.current_capture_id ORDER BY s.id")).all():
        index_source(target, source_id, language, title or "", body, new=True)
    return counts


def write_snapshot(source: Database, target: str | Path, *, search_index: bool = True
                   ) -> dict[str, int]:
    """Copy ``source`` into the new SQLite file ``target``; returns rows per table. The file
    appears complete or not at all (written beside it, then renamed). Without
    ``search_index`` its full-text index stays empty (``serve`` searches PostgreSQL itself)."""
    target = Path(target)
    if target.exists():
        raise ArchiveError(f"{target} exists; a snapshot is written to a new file")
    if not target.parent.is_dir():
        raise ArchiveError(f"no folder {target.parent} for {target.name}")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        copy = Database(f"sqlite:///{partial}")  # the schema, by the migrations
        try:
            with source.engine.connect() as reading, copy.engine.connect() as writing:
                if source.dialect == "postgresql":
                    reading = reading.execution_options(isolation_level="REPEATABLE READ")
                writing.exec_driver_sql("PRAGMA foreign_keys=OFF")  # rows come in id order
                writing.commit()
                with reading.begin():
                    if source.dialect == "sqlite":  # pysqlite opens no read transaction itself
                        reading.exec_driver_sql("BEGIN")
                    with writing.begin():
                        counts = _copy(reading, writing, search_index)
                problems = writing.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise ArchiveError(f"the copy has broken references: {problems[:3]}")
                # One self-contained file: no -wal beside it.
                writing.exec_driver_sql("PRAGMA journal_mode=DELETE")
                writing.commit()
        finally:
            copy.close()
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return counts
