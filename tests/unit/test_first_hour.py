"""A newcomer's first hour (issue 20), on SQLite and PostgreSQL: Norwegian language filters
that find Norwegian articles, read-only commands that refuse a mistyped archive instead of
making an empty one, and the small answers a person reads (``diff`` of one revision, ``stats``
run times, ``coverage`` summary and times, ``search --order date``)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from archive.ingest.articles import ingest
from archive.ingest.runs import finish_run
from archive.read.queries import run_search
from archive.search.filters import Filters
from tests.helpers.archive_data import BASE, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY, STORIES
from tests.unit.test_archive_coverage import _named

NORWEGIAN = {s.key: s.lang for s in STORIES if s.lang in ("nb", "nn")}
#: An article stored as "no": Norwegian whose standard the language identifier left open.
UNSURE = replace(BY_KEY["no-forum"], key="no-unsure", slug="usikker-norsk-no")


def run(cli, db_url, *args):
    return cli(*args, env={"NORDARCHIVE_DB": db_url})


@pytest.fixture
def filled(database):
    for minutes, story in enumerate([*STORIES, UNSURE]):
        ingest(database, record_of(story, language="no" if story is UNSURE else story.lang),
               fetch_of(url_of(story), minutes))
    return database


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


def test_norwegian_filters_find_bokmal_nynorsk_and_unsure_norwegian(cli, db_url, filled):
    assert {"nb", "nn"} <= set(NORWEGIAN.values())
    every = {s.title for s in STORIES if s.key in NORWEGIAN} | {UNSURE.title}
    exported = run(cli, db_url, "export", "--lang", "no")
    assert exported.returncode == 0, exported.stderr
    assert titles(json.loads(line) for line in exported.stdout.decode().splitlines()) == every
    # nb and nn each find their own and the unsure "no"; never the other standard.
    for code in ("nb", "nn"):
        lines = run(cli, db_url, "export", "--lang", code).stdout.decode().splitlines()
        assert titles(json.loads(line) for line in lines) == {
            s.title for s in STORIES if NORWEGIAN.get(s.key) == code} | {UNSURE.title}, code
    found = json.loads(run(cli, db_url, "search", "forum", "--lang", "no", "--format",
                           "json").stdout)
    assert {h["language"] for h in found} == {"nb", "no"} and UNSURE.title in titles(found)
    assert titles(run_search(filled, "nordisk", Filters(language="NO"), limit=50)) >= {
        BY_KEY["no-forum"].title, UNSURE.title}
    assert run_search(filled, "nordisk", Filters(language="nb"), limit=50)
    # --help names the codes that are stored, and what "no" means.
    helped = run(cli, db_url, "search", "--help").stdout.decode()
    assert re.search(r"nb\s+\(Bokmål\)", helped) and "nn (Nynorsk)" in helped, helped


@pytest.mark.parametrize("args", [
    ("stats",), ("search", "x"), ("export",), ("show", "1"), ("history", "1"), ("diff", "1"),
    ("coverage",), ("verify",), ("db", "current"), ("reextract", "--dry-run")])
def test_read_only_commands_refuse_a_missing_sqlite_archive(cli, tmp_path, args):
    missing = tmp_path / "mistyped.db"
    result = cli(*args, "--db", str(missing), cwd=tmp_path)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 1, (args, result.stdout, lines)
    assert lines == [f"nordarchive: error: no archive at {missing} (`nordarchive crawl` or "
                     "`nordarchive db upgrade` creates one; check --db or NORDARCHIVE_DB)"]
    assert result.stdout == b"" and list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())


def test_read_only_commands_refuse_a_postgresql_database_without_archive(cli, pg_url):
    for args in (("stats",), ("export",), ("db", "current")):
        result = cli(*args, "--db", pg_url)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, (args, lines)
        assert lines[0].startswith("nordarchive: error: no archive at postgresql"), lines
    # Nothing was made there: db upgrade creates the archive, then stats reads it.
    assert "current empty" not in cli("db", "current", "--db", pg_url).stdout.decode()
    assert cli("db", "upgrade", "--db", pg_url).returncode == 0
    assert cli("stats", "--db", pg_url).returncode == 0


def test_diff_of_one_revision_stats_run_times_and_coverage_summary(cli, db_url, database):
    run_id, expected = _named(database)
    finish_run(database, run_id, "finished")
    only = run(cli, db_url, "diff", url_of(BY_KEY["sv-natverk-unga"]))
    assert only.returncode == 0, only.stderr
    assert "has only one revision" in only.stdout.decode(), only.stdout
    assert "no differences" not in only.stdout.decode()

    data = json.loads(run(cli, db_url, "stats", "--format", "json").stdout)
    last = data["last_runs"][0]
    assert last["finished_at"] and last["started_at"]
    table = run(cli, db_url, "stats").stdout.decode()
    assert f"run {run_id}: finished {last['finished_at']} (started {last['started_at']})" in (
        table), table

    refused = run(cli, db_url, "coverage", "--status", "refused").stdout.decode().splitlines()
    counts = {status: sum(1 for _, s, _ in expected if s == status)
              for status in ("archived", "refused", "gone", "not-article", "never-fetched")}
    assert refused[-1] == f"{len(expected)} URLs named: " + ", ".join(
        f"{status} {n}" for status, n in counts.items()), refused
    assert len(refused) == 1 + counts["refused"]
    report = json.loads(run(cli, db_url, "coverage", "--status", "gone", "--format",
                            "json").stdout)
    assert report["summary"]["named"] == len(expected) and len(report["urls"]) == 1
    for row in report["urls"]:
        for key in ("first_listed", "last_listed"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row[key]), row
    assert BASE in report["urls"][0]["url"]
