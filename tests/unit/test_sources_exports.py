"""Where a user meets the sources, on SQLite and PostgreSQL: ``nordarchive sources``, the
``sources`` field of every export format, the WACZ's extra pages, the SQLite copy's source
index, and the counts of ``stats`` and ``coverage``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from archive.sources.read import LIST_KEYS, list_sources, sources_of
from archive.sources.store import (
    SourceFetch,
    record_citations,
    record_source_fetch,
    record_source_refusal,
)
from archive.webarchive.captures import add_capture
from archive.webarchive.warc import RotatingWarcWriter
from tests.helpers.archive_data import T0, ingest_stories
from tests.replica.content import BY_KEY

CITING = BY_KEY["sv-natverk-unga"]
ALSO = BY_KEY[next(k for k in BY_KEY if k != "sv-natverk-unga")]
PAGE = "https://kommuntorget.example/rapport-om-unga"
PDF = "https://arbeidsliv.example/files/rapport-2026.pdf"
ROBOTS = "https://closed.example/report"
DOWN = "https://down.example/page"
HOUR = timedelta(hours=1)


@pytest.fixture
def cited(database, tmp_path):
    """Every replica story archived; one cites four sources (a captured page with its WARC
    record, a PDF gone with 404, one refused by robots.txt, one whose server fails), another
    cites the PDF."""
    ids = ingest_stories(database)
    record_citations(database, ids[CITING.key], [PAGE, PDF, ROBOTS, DOWN], at=T0)
    record_citations(database, ids[ALSO.key], [PDF], at=T0)
    warcs = tmp_path / "warc"
    writer = RotatingWarcWriter(warcs, "nordarchive-test-1", archive_id=database.archive_id)
    body = b"<html><title>Rapport om unga</title><p>Ungdomsgarantin i kommunerna.</p></html>"
    written = writer.write(PAGE, 200, "OK", [("Content-Type", "text/html")], body, [],
                           T0 + HOUR)
    writer.close()
    capture_id = add_capture(database, written, PAGE, 200, T0 + HOUR, None)
    record_source_fetch(database, SourceFetch(
        url=PAGE, fetched_at=T0 + HOUR, status=200, content_type="text/html",
        title="Rapport om unga", language="sv", text="Ungdomsgarantin i kommunerna.",
        capture_id=capture_id))
    record_source_fetch(database, SourceFetch(url=PDF, fetched_at=T0 + HOUR, status=404))
    record_source_refusal(database, ROBOTS, "robots", "Disallow: /", at=T0 + HOUR)
    record_source_fetch(database, SourceFetch(url=DOWN, fetched_at=T0 + HOUR, status=503))
    return {"db": database, "ids": ids, "warcs": warcs}


def run(cli, database, *args):
    return cli(*args, env={"NORDARCHIVE_DB": database.url})


def ok(result) -> str:
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_export_rows_carry_sources_in_every_article_format(cited, cli, tmp_path):
    import pyarrow.parquet as pq

    db, ids = cited["db"], cited["ids"]
    expected = sources_of(db, ids.values())
    assert [s["url"] for s in expected[ids[CITING.key]]] == [PAGE, PDF, ROBOTS, DOWN]
    rows = [json.loads(line) for line in ok(run(cli, db, "export")).splitlines()]
    assert {row["id"]: row["sources"] for row in rows} == expected
    table = list(csv.DictReader(io.StringIO(ok(run(cli, db, "export", "--format", "csv")))))
    assert {int(row["id"]): json.loads(row["sources"]) for row in table} == expected
    out = tmp_path / "articles.parquet"
    ok(run(cli, db, "export", "--format", "parquet", "--output", str(out)))
    typed = {row["id"]: row["sources"] for row in pq.read_table(out).to_pylist()}
    gone = next(s for s in typed[ids[CITING.key]] if s["url"] == PDF)
    assert gone["gone"] is True and gone["gone_since"].isoformat() == "2026-01-01"
    assert gone["last_checked"].isoformat() == "2026-01-01T13:00:00+00:00"
    assert [s["url"] for s in typed[ids[ALSO.key]]] == [PDF]
    assert typed[ids[BY_KEY["en-forum"].key]] == []
    assert {row["id"] for row in table} == {str(i) for i in ids.values()}


def test_sqlite_copy_holds_the_sources_and_their_search_index(cited, cli, tmp_path):
    db = cited["db"]
    out = tmp_path / "copy.db"
    ok(run(cli, db, "export", "--format", "sqlite", "--output", str(out)))
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT count(*) FROM sources").fetchone() == (4,)
        assert copy.execute("SELECT count(*) FROM article_sources").fetchone() == (5,)
        found = copy.execute("SELECT s.url FROM source_fts f JOIN sources s ON s.id = f.rowid "
                             "WHERE source_fts MATCH 'text : ungdomsgarantin'").fetchall()
    assert found == [(PAGE,)]


def test_wacz_lists_each_captured_source_as_an_extra_page(cited, cli, tmp_path):
    db = cited["db"]
    out = tmp_path / "archive.wacz"
    ok(run(cli, db, "export", "--format", "wacz", "--warc-dir", str(cited["warcs"]),
           "--output", str(out)))
    check = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                            str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out) as package:
        lines = package.read("pages/extraPages.jsonl").decode().splitlines()
    page_id = next(s["id"] for s in list_sources(db) if s["url"] == PAGE)
    assert [json.loads(line) for line in lines[1:]] == [
        {"id": f"source-{page_id}", "url": PAGE, "ts": "2026-01-01T13:00:00Z",
         "title": "Rapport om unga"}]


def test_sources_command_in_every_format(cited, cli):
    db, ids = cited["db"], cited["ids"]
    listed = json.loads(ok(run(cli, db, "sources", "--format", "json")))
    assert listed == list_sources(db)
    assert [s["url"] for s in listed] == [PAGE, PDF, ROBOTS, DOWN]
    assert listed[1]["cited_by"] == sorted([ids[CITING.key], ids[ALSO.key]])
    gone = json.loads(ok(run(cli, db, "sources", "--gone", "--format", "json")))
    assert [s["url"] for s in gone] == [PDF]
    on_host = json.loads(ok(run(cli, db, "sources", "--host", "www.closed.example",
                                "--format", "json")))
    assert [s["url"] for s in on_host] == [ROBOTS]
    rows = list(csv.DictReader(io.StringIO(ok(run(cli, db, "sources", "--format", "csv")))))
    assert list(rows[0]) == list(LIST_KEYS)
    assert [(r["url"], r["reason"], r["gone"]) for r in rows] == [
        (PAGE, "", "False"), (PDF, "http-404", "True"), (ROBOTS, "robots", "False"),
        (DOWN, "http-503", "False")]
    assert json.loads(rows[1]["cited_by"]) == listed[1]["cited_by"]
    table = run(cli, db, "sources")
    lines = ok(table).splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["captured", "-"], ["gone", "http-404"], ["refused", "robots"], ["failed", "http-503"]]
    assert "since 2026-01-01" in lines[1] and lines[1].endswith(PDF)
    assert table.stderr.decode().strip() == "4 sources"


def test_sources_command_refuses_bad_input(cited, cli, tmp_path):
    missing = cli("sources", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and not (tmp_path / "none.db").exists()
    assert missing.stderr.decode().startswith("nordarchive: error: no archive at")
    assert len(missing.stderr.decode().strip().splitlines()) == 1
    wrong = run(cli, cited["db"], "sources", "--format", "xml")
    assert wrong.returncode == 2 and b"xml" in wrong.stderr
    assert json.loads(ok(run(cli, cited["db"], "sources", "--host", "nowhere.example",
                             "--format", "json"))) == []


def test_stats_and_coverage_count_the_sources(cited, cli):
    db = cited["db"]
    counts = {"cited": 4, "captured": 1, "refused": 1, "failed": 1, "gone": 1}
    assert json.loads(ok(run(cli, db, "stats", "--format", "json")))["sources"] == counts
    line = "sources cited 4: captured 1, refused 1, failed 1, gone 1"
    assert line in ok(run(cli, db, "stats")).splitlines()
    assert json.loads(ok(run(cli, db, "coverage", "--format", "json")))["sources"] == counts
    assert ok(run(cli, db, "coverage")).splitlines()[-2] == line


def test_show_lists_the_articles_sources(cited, cli):
    db, ids = cited["db"], cited["ids"]
    shown = json.loads(ok(run(cli, db, "show", str(ids[CITING.key]), "--format", "json")))
    assert shown["sources"] == sources_of(db, [ids[CITING.key]])[ids[CITING.key]]
    text = ok(run(cli, db, "show", str(ids[CITING.key])))
    assert f"     source: {PDF} (gone since 2026-01-01)" in text.splitlines()
    assert f"     source: {ROBOTS} (refused)" in text.splitlines()
