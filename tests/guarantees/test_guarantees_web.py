"""The web window's promises below the browser: the change feed's Atom entry ids stay the
same across copies of the archive (read from an archive, SQLite or PostgreSQL, and from its
``export --format sqlite`` copy, every entry has the same id, so feed readers never show an
entry twice), and the archive is opened read-only (a write fails, the file is unchanged; a
missing file or a schema of another version is refused, untouched)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from archive.ingest.articles import ingest
from archive.ingest.removals import mark_gone
from archive.search.filters import Filters
from archive.storage.database import ArchiveError, Database, head_revision
from archive.web.data import changes
from archive.web.feed import ATOM, atom
from archive.web.readonly import ReadOnlyArchive
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import STORIES


def entry_ids(db: Database, server: str) -> list[str]:
    """The entry ids of the feed as ``server`` (its address) serves it."""
    feed = atom(changes(db, Filters()), feed_id="urn:x", title="t", self_url=server + "/a",
                page_url=server, absolute=lambda path: server + path)
    return [e.find(f"{{{ATOM}}}id").text for e in ET.fromstring(feed).iter(f"{{{ATOM}}}entry")]


def test_atom_entry_ids_are_the_same_in_the_archive_and_its_sqlite_copy(db_url, tmp_path,
                                                                         cli):
    edited, gone = STORIES[0], STORIES[1]
    with Database(db_url) as db:
        ingest_stories(db, (edited, gone))
        ingest(db, record_of(edited, text=record_of(edited).text + "\n\nEtt nytt stycke."),
               fetch_of(url_of(edited), 10))
        mark_gone(db, replace(fetch_of(url_of(gone), 20), status=404))
        ingest(db, record_of(gone), fetch_of(url_of(gone), 30))  # restored
        original = entry_ids(db, "http://127.0.0.1:8001")
    assert len(original) == len(set(original)) == 5, original  # 2 new, revised, removed, back
    copy = tmp_path / "copy.db"
    result = cli("export", "--db", db_url, "--format", "sqlite", "--output", str(copy))
    assert result.returncode == 0, result.stderr.decode()
    with Database(f"sqlite:///{copy}") as db:
        assert entry_ids(db, "http://archive.example") == original


def test_the_web_window_opens_the_archive_read_only(tmp_path):
    path = tmp_path / "archive.db"
    with Database(f"sqlite:///{path}") as db:
        ingest(db, record_of(STORIES[0]), fetch_of(url_of(STORIES[0])))
    before = path.read_bytes()
    archive = ReadOnlyArchive(path)
    try:
        with archive.session() as session:
            assert session.execute(text("SELECT count(*) FROM articles")).scalar() == 1
            with pytest.raises(OperationalError, match="readonly"):
                session.execute(text("DELETE FROM articles"))
                session.commit()
    finally:
        archive.engine.dispose()
    assert path.read_bytes() == before
    with pytest.raises(ArchiveError, match="no archive at"):
        ReadOnlyArchive(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    for version, message in (("0001", "db upgrade"), ("9999", "newer nordarchive")):
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = ?", (version,))
        with pytest.raises(ArchiveError, match=message):
            ReadOnlyArchive(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (head_revision(),))
