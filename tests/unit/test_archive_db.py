"""Opening archives: migrations, refusal of newer schemas, unreachable databases."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from archive.ingest.articles import ingest
from archive.read.queries import run_search
from archive.search.filters import Filters
from archive.storage import database as archive_db
from archive.storage.database import ArchiveError, Database
from tests.helpers.archive_data import archive_at, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY


def test_upgrade_from_empty_and_current(cli, db_url):
    result = cli("db", "upgrade", "--db", db_url)
    assert result.returncode == 0, result.stderr
    head = archive_db.head_revision()
    assert f"empty -> {head}".encode() in result.stdout
    current = cli("db", "current", "--db", db_url)
    assert f"current {head} (head {head})".encode() in current.stdout


def test_upgrade_from_the_previous_revision_keeps_and_indexes_data(db_url):
    plain = archive_at(db_url, "0001")
    # Write data with the 0001 schema (search index absent), then open: 0002 is applied.
    story = BY_KEY["sv-ukraina"]
    with plain.begin() as connection:
        connection.execute(text(
            "INSERT INTO articles (id, canonical_url, language, section, first_seen, last_seen,"
            " content_hash, body_hash, title) VALUES (1, 'https://x.example/a', 'sv', 'nyheter',"
            " '2026-01-01', '2026-01-01', 'h', 'b', :title)"), {"title": story.title})
        connection.execute(text(
            "INSERT INTO revisions (id, article_id, number, fetched_at, url, title, language,"
            " tags, text, content_hash, extractor_version, origin, change_kind, lines_added,"
            " lines_removed) VALUES (1, 1, 1, '2026-01-01', 'https://x.example/a', :title, 'sv',"
            " '[]', :body, 'h', 'old', 'site', 'new', 1, 0)"),
            {"title": story.title, "body": "\n\n".join(story.paragraphs)})
        connection.execute(text("UPDATE articles SET current_revision_id = 1"))
    plain.dispose()
    with Database(db_url) as database:
        assert archive_db.current_revision(database.engine) == archive_db.head_revision()
        hits = run_search(database, "kartläggning", Filters())
        assert [h["id"] for h in hits] == [1]
        # The stemmed-search migration indexed stems: an inflected form finds the article.
        assert [h["id"] for h in run_search(database, "kartläggningar", Filters())] == [1]
        story2 = BY_KEY["sv-sprakkafe"]
        assert ingest(database, record_of(story2), fetch_of(url_of(story2))).outcome == "new"
        assert len(run_search(database, "språkkaféer", Filters())) == 1


def test_a_newer_schema_is_refused_untouched(cli, db_url):
    Database(db_url).close()
    engine = create_engine(archive_db.database_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(ArchiveError, match="newer nordarchive"):
        Database(db_url)
    result = cli("stats", "--db", db_url)
    assert result.returncode == 1 and b"newer nordarchive" in result.stderr
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0099"
    engine.dispose()


def test_sqlite_connection_settings(tmp_path):
    with Database(str(tmp_path / "a.db")) as database, database.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA busy_timeout")) == archive_db.SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:1/none",
                                 "sqlite:////nonexistent-dir/x/archive.db", "nosuchdb://x"])
def test_unreachable_database_is_one_line(cli, url):
    result = cli("stats", "--db", url)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nordarchive: error:"), lines
