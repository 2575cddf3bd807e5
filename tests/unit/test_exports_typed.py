"""Exports for analysis: Parquet columns typed (dates, UTC timestamps) and one row per
revision with ``export --revisions``, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from archive.ingest.articles import ingest
from archive.ingest.records import Fetch
from archive.ingest.removals import mark_gone
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import BY_KEY, STORIES

EDITED = BY_KEY["sv-natverk-unga"]
REVISION_COLUMNS = ["article_id", "number", "fetched_at", "url", "title", "language",
                    "change_kind", "lines_added", "lines_removed", "origin", "diff",
                    "changed_fields", "words_added", "words_removed", "changed_share",
                    "numbers_changed", "minor", "significance"]


@pytest.fixture
def filled(database):
    ingest_stories(database)
    edited = "\n\n".join(EDITED.paragraphs).replace("Göteborg", "Malmö")
    ingest(database, record_of(EDITED, text=edited), fetch_of(url_of(EDITED), 100))
    gone = BY_KEY["en-forum"]
    mark_gone(database, Fetch(url=url_of(gone), status=404))
    return database


def export(cli, db_url, *args):
    result = cli("export", *args, env={"NORDARCHIVE_DB": db_url})
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_parquet_has_dates_and_utc_timestamps(filled, cli, db_url, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "articles.parquet"
    export(cli, db_url, "--format", "parquet", "--output", str(out))
    table = pq.read_table(out)
    for name in ("published", "modified"):
        assert table.schema.field(name).type == pa.date32(), name
    for name in ("first_seen", "last_seen", "removed"):
        assert table.schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    rows = {r["id"]: r for r in table.to_pylist()}
    texts = [json.loads(line) for line in export(cli, db_url).splitlines()]
    assert len(rows) == len(texts) == len(STORIES)
    for text_row in texts:
        row = rows[text_row["id"]]
        for name in ("published", "modified"):
            expected = text_row[name] and date.fromisoformat(text_row[name])
            assert row[name] == (expected or None), name
        for name in ("first_seen", "last_seen", "removed"):
            expected = text_row[name] and utc(text_row[name])
            assert row[name] == (expected or None), name
    removed = [r for r in rows.values() if r["removed"] is not None]
    assert [r["title"] for r in removed] == [BY_KEY["en-forum"].title]


def test_revisions_export_one_row_per_revision_in_three_formats(filled, cli, db_url, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in export(cli, db_url, "--revisions").splitlines()]
    assert len(rows) == len(STORIES) + 1
    assert list(rows[0]) == REVISION_COLUMNS
    assert [(r["article_id"], r["number"]) for r in rows] == sorted(
        (r["article_id"], r["number"]) for r in rows)
    edited = [r for r in rows if r["title"] == EDITED.title]
    assert [(r["number"], r["change_kind"], r["origin"]) for r in edited] == [
        (1, "new", "site"), (2, "text", "site")]
    assert edited[1]["lines_added"] >= 1 and edited[1]["lines_removed"] >= 1
    # what changed: one place name for another
    assert [(r["significance"], r["changed_fields"], r["words_added"], r["words_removed"])
            for r in edited] == [(None, [], edited[0]["words_added"], 0),
                                 ("edit", ["text"], 1, 1)]
    assert not edited[1]["numbers_changed"] and not edited[1]["minor"]
    assert any(line.startswith("+") and "Malmö" in line
               for line in edited[1]["diff"].splitlines())
    assert utc(edited[1]["fetched_at"]) > utc(edited[0]["fetched_at"])

    swedish = [json.loads(line) for line in
               export(cli, db_url, "--revisions", "--lang", "sv").splitlines()]
    assert swedish and {r["language"] for r in swedish} == {"sv"}
    assert len(swedish) == sum(s.lang == "sv" for s in STORIES) + 1

    table = list(csv.DictReader(io.StringIO(export(cli, db_url, "--revisions", "--format",
                                                   "csv"))))
    assert list(table[0]) == REVISION_COLUMNS
    assert [r["diff"] for r in table] == [r["diff"] or "" for r in rows]
    assert [r["significance"] for r in table] == [r["significance"] or "" for r in rows]
    assert {r["changed_fields"] for r in table} == {"[]", '["text"]'}

    out = tmp_path / "revisions.parquet"
    export(cli, db_url, "--revisions", "--format", "parquet", "--output", str(out))
    parquet = pq.read_table(out)
    assert parquet.schema.names == REVISION_COLUMNS
    assert parquet.schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert [r["fetched_at"] for r in parquet.to_pylist()] == [utc(r["fetched_at"])
                                                              for r in rows]
    assert parquet.schema.field("numbers_changed").type == pa.bool_()
    assert [(r["significance"], r["changed_fields"], r["changed_share"])
            for r in parquet.to_pylist()] == [
        (r["significance"], r["changed_fields"], r["changed_share"]) for r in rows]
