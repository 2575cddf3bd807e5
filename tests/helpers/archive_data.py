"""Records and fetches for archive tests, made from the replica's stories, and stories ingested
as they are; an archive left at an older schema, for the tests of the migrations after it;
a PostgreSQL archive's connections cut, as a server restart or a network fault cuts them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from archive.ingest.articles import ingest
from archive.ingest.records import Fetch, Record
from archive.storage import database as archive_db
from tests.replica.content import STORIES, Story

BASE = "https://nordicwelfare.org/integration-norden/"
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def url_of(story: Story) -> str:
    return f"{BASE}nyheter/{story.slug}/"


def record_of(story: Story, **changes) -> Record:
    record = Record(canonical_url=url_of(story), title=story.title,
                    text="\n\n".join(story.paragraphs), language=story.lang,
                    published=story.published, modified=story.modified, tags=story.tags,
                    section="nyheter", extractor_version="test-1")
    return replace(record, **changes)


def fetch_of(url: str, minutes: int = 0, **changes) -> Fetch:
    return replace(Fetch(url=url, fetched_at=T0 + timedelta(minutes=minutes)), **changes)


def ingest_stories(database, stories=STORIES) -> dict[str, int]:
    """The stories ingested as they are (every replica story unless told), a minute apart from
    ``T0``: their articles' ids by story key."""
    return {story.key: ingest(database, record_of(story),
                              fetch_of(url_of(story), minutes)).article_id
            for minutes, story in enumerate(stories)}


def archive_at(db_url: str, revision: str) -> Engine:
    """An archive whose schema stops at migration ``revision`` ("0004"); a plain engine on it,
    to write rows as that version did (the next ``Database`` opening it migrates it)."""
    engine = archive_db.make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(archive_db._alembic_config(connection), revision)
    engine.dispose()
    return create_engine(archive_db.database_url(db_url))


def kill_backends(db_url: str) -> int:
    """Terminate every other connection to the PostgreSQL database of ``db_url``: how many."""
    admin = create_engine(archive_db.database_url(db_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    finally:
        admin.dispose()
