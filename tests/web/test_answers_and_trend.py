"""No confident empty answers: a language code the archive never stored is an error naming
the codes it has (CLI and web window), and an archive nothing has filled says so on standard
error with every answer it gives. And ``/trend``, the page of ``nordarchive trend``."""

from __future__ import annotations

from archive.ingest.articles import ingest
from archive.ingest.runs import finish_run, start_run
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, record_of, url_of
from tests.helpers.web import get, serving
from tests.replica.content import BY_KEY


def test_an_unknown_language_is_an_error_naming_the_known_ones(cli, sqlite_url, tmp_path):
    with Database(sqlite_url) as db:
        ingest(db, record_of(BY_KEY["sv-sprakkafe"]), fetch_of(url_of(BY_KEY["sv-sprakkafe"])))
    for command in (["search", "språkkaféer"], ["export", "--format", "jsonl"],
                    ["trend", "språkkaféer"]):
        result = cli(*command, "--lang", "se", "--db", sqlite_url)
        assert result.returncode == 1, command
        (line,) = result.stderr.decode().splitlines()
        assert line.startswith("nordarchive: error: --lang: no language 'se' in this archive")
        assert "sv" in line and "da" in line, line
    found = cli("search", "språkkaféer", "--lang", "SV", "--db", sqlite_url)
    assert found.returncode == 0 and found.stderr.decode().strip() == "1 result"
    with serving(sqlite_url, tmp_path / "serve.log") as (base, _process):
        status, _, body = get(f"{base}/search?q=spr%C3%A5kkaf%C3%A9er&lang=se")
        assert status == 400 and b"no language" in body
        assert get(f"{base}/search?q=spr%C3%A5kkaf%C3%A9er&lang=sv")[0] == 200


def test_an_archive_nothing_filled_says_so(cli, sqlite_url):
    assert cli("db", "upgrade", "--db", sqlite_url).returncode == 0
    empty = cli("search", "flyktingar", "--db", sqlite_url)
    assert empty.returncode == 0 and empty.stdout == b""
    assert empty.stderr.decode().splitlines() == [
        "nordarchive: warning: this archive is empty; nothing has been crawled into it",
        "0 results"]
    with Database(sqlite_url) as db:
        finish_run(db, start_run(db, ["http://127.0.0.1:9/integration-norden/"]), "unreachable")
    said = cli("stats", "--db", sqlite_url).stderr.decode().strip()
    assert said == "nordarchive: warning: this archive is empty; the last crawl ended unreachable"
    with Database(sqlite_url) as db:
        ingest(db, record_of(BY_KEY["sv-sprakkafe"]), fetch_of(url_of(BY_KEY["sv-sprakkafe"])))
    assert b"warning" not in cli("search", "flyktingar", "--db", sqlite_url).stderr


def test_trend_is_a_page_with_its_form_chart_table_and_downloads(sqlite_url, tmp_path):
    from tests.helpers.archive_data import ingest_stories

    with Database(sqlite_url) as db:
        ingest_stories(db)
    with serving(sqlite_url, tmp_path / "serve.log") as (base, _process):
        status, _, body = get(f"{base}/trend")
        page = body.decode()
        assert status == 200 and '<form class="na-form"' in page and 'name="q"' in page
        status, _, body = get(f"{base}/trend?q=flyktingar&q=spr%C3%A5kkaf%C3%A9er&split=none")
        page = body.decode()
        assert status == 200 and "<th>period</th>" in page, page[-2000:]
        assert 'href="/trend.csv?q=flyktingar&amp;q=spr%C3%A5kkaf%C3%A9er&amp;split=none"' in page
        assert "vega" in page and "<q>flyktingar</q>" in page
        assert get(f"{base}/trend?q={'x' * 1001}")[0] == 400  # a query search refuses
        assert 'href="/trend"' in get(f"{base}/search")[2].decode()  # in the menu
