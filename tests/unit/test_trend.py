"""Attention over time: ``trend`` counts exactly what ``search`` finds (both backends, every
filter, split and period), its CSV and JSON have one shape, the search page's count and chart
carry the command's numbers, and a result set's words leave the stop words out."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import date

from sqlalchemy import text

from archive.ingest.articles import ingest
from archive.read.distinctive_terms import stop_words, top_terms
from archive.read.queries import run_search
from archive.read.trend import count_matches, trend
from archive.search.filters import Filters
from archive.search.index import refresh_facets
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, record_of
from tests.helpers.search_data import QUERIES, fill
from tests.replica.content import BY_KEY

FILTERS = [Filters(), Filters(language="sv"), Filters(tag="Ukraina"),
           Filters(since=date(2020, 1, 1), until=date(2024, 12, 31))]


def hits_of_language(database: Database, language: str) -> int:
    with database.session() as session:
        return session.scalar(text("SELECT count(*) FROM revisions r JOIN articles a ON "
                                   "a.id = r.article_id WHERE a.language = :l"),
                              {"l": language}) - 1


def hits(database: Database, query: str, filters: Filters) -> int:
    return len(run_search(database, query, filters, limit=10_000))


def test_trend_counts_equal_search(database):
    fill(database)
    with database.session() as session:
        languages = list(session.scalars(text("SELECT DISTINCT language FROM articles")))
        session.execute(text("UPDATE articles SET kind = 'theme' WHERE id % 3 = 0"))
        # written behind the ingest's back: the index's copy of the kind is refreshed as the
        # ingest refreshes it
        refresh_facets(session, list(session.scalars(text("SELECT id FROM articles"))))
        total = session.scalar(text("SELECT count(*) FROM articles"))
    compared = 0
    for filters in FILTERS:
        result = trend(database, QUERIES, filters, by="month", split="language")
        by_tag = trend(database, QUERIES, filters, by="year", split="tag")
        counted = count_matches(database, QUERIES, filters)
        for query in QUERIES:
            expected = hits(database, query, filters)
            compared += expected
            assert result["totals"][query] == expected, (query, filters)
            assert by_tag["totals"][query] == expected, (query, filters)
            assert counted[query] == expected, (query, filters)
            rows = [r for r in result["rows"] if r["query"] == query]
            assert sum(r["matches"] for r in rows) == expected
            if filters == Filters():
                for language in languages:
                    assert sum(r["matches"] for r in rows if r["language"] == language) == hits(
                        database, query, Filters(language=language)), (query, language)
    assert compared > 50  # the queries do find articles
    by_kind = trend(database, QUERIES, Filters(), by="year", split="kind")
    for query in QUERIES:
        for kind in ("news", "theme"):
            assert sum(r["matches"] for r in by_kind["rows"] if r["query"] == query
                       and r["kind"] == kind) == hits(database, query, Filters(kind=kind))
    assert {r["kind"] for r in by_kind["rows"] if r["matches"]} == {"news", "theme"}
    # An article's period is its publication date's (first seen: 2026-01-01).
    placed = trend(database, ["arbeidsplass"], Filters(), by="month")["rows"]
    assert [r["period"] for r in placed if r["matches"]] == ["2024-03"]
    weekly = trend(database, ["kommun", "flykting"], Filters(), by="week", normalise=True)
    assert all(re.fullmatch(r"\d{4}-W\d{2}", r["period"]) for r in weekly["rows"])
    first = [r for r in weekly["rows"] if r["query"] == "kommun"]
    assert sum(r["articles"] for r in first) == total  # every article in some week
    assert all(r["share"] == round(r["matches"] / r["articles"], 6) for r in first
               if r["articles"])


def test_trend_csv_and_json_shapes(cli, sqlite_url):
    with Database(sqlite_url) as database:
        fill(database)
        expected = hits(database, "kommun", Filters())
    env = {"NORDARCHIVE_DB": sqlite_url}
    out = cli("trend", "kommun", "Ukraina", "--split", "language", "--normalise",
              "--format", "json", env=env)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"queries", "by", "split", "normalised", "totals", "rows"}
    assert result["totals"]["kommun"] == expected
    assert {tuple(r) for r in result["rows"]} == {
        ("period", "query", "language", "matches", "articles", "share")}
    out = cli("trend", "kommun", "Ukraina", "--split", "language", "--normalise",
              "--format", "csv", env=env)
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode())))
    assert list(rows[0]) == ["period", "query", "language", "matches", "articles", "share"]
    assert [(r["period"], r["query"], r["language"], int(r["matches"])) for r in rows] == [
        (r["period"], r["query"], r["language"], r["matches"]) for r in result["rows"]]
    out = cli("trend", "kommun", "--by", "year", env=env)
    assert out.stdout.decode().splitlines()[0].split("\t") == ["period", "query", "matches"]
    assert f"{expected} articles match 'kommun'" in out.stderr.decode()
    out = cli("trend", "kommun", "--terms", "--format", "json", env=env)
    assert json.loads(out.stdout)[0]["matches"] == expected
    out = cli("trend", "   ", env=env)
    assert out.returncode == 1 and out.stderr.decode().startswith("nordarchive: error:")


def test_search_page_shows_the_count_and_chart_of_trend(cli, tmp_path):
    from tests.helpers.web import get, serving

    url = f"sqlite:///{tmp_path / 'a.db'}"
    with Database(url) as database:
        fill(database)
    env = {"NORDARCHIVE_DB": url}
    command = json.loads(cli("trend", "kommun", "flykting", "--split", "language",
                             "--normalise", "--format", "json", env=env).stdout)
    with serving(str(tmp_path / "a.db"), tmp_path / "serve.log") as (base, _):
        status, _, body = get(base + "/search?q=kommun&q=flykting&norm=1")
        page = body.decode()
        assert status == 200
        totals = [int(n) for n in re.findall(r'data-total="(\d+)"', page)]
        assert totals == [command["totals"]["kommun"], command["totals"]["flykting"]]
        charts = re.findall(r'<script type="application/json">(.*?)</script>', page, re.S)
        data = json.loads(charts[0])["data"]  # the chart's rows: loaded by the browser
        assert data == {"url": "/trend.json?q=kommun&q=flykting&norm=1",
                        "format": {"type": "json", "property": "rows"}}
        assert "/trend.csv?q=kommun&amp;q=flykting&amp;norm=1" in page
        status, headers, body = get(base + "/trend.csv?q=kommun&q=flykting&norm=1")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert body.decode() == cli("trend", "kommun", "flykting", "--split", "language",
                                    "--normalise", "--format", "csv", env=env).stdout.decode()
        status, _, body = get(base + data["url"])
        assert json.loads(body) == command
        status, _, body = get(base + "/terms?q=kommun")
        assert status == 200 and "Top tags and words" in body.decode()
        assert get(base + "/trend.json")[0] == 400


def test_top_words_leave_stop_words_out(sqlite_url):
    story = BY_KEY["sv-ukraina"]
    stop = "också"
    assert stop in stop_words("sv") and "cykel" not in stop_words("sv")
    with Database(sqlite_url) as database:
        for i in range(40):
            matching = i < 12
            body = (f"Cykel och {stop} fika, {stop} cykelbana i staden {i}." if matching
                    else f"Arbete och bostad i kommunen nummer {i}.")
            ingest(database, record_of(story, canonical_url=f"https://x.example/a/{i}",
                                       title=f"Artikel {i}", text=body, tags=("Tema",)),
                   fetch_of(f"https://x.example/a/{i}", i))
        result = top_terms(database, "cykel", Filters())
    assert result["matches"] == 12
    assert result["tags"] == [{"tag": "Tema", "articles": 12}]
    words = [w["term"] for w in result["terms"]["sv"]]
    assert "fika" in words and "cykelbana" in words
    assert stop not in words and "och" not in words and "cykel" not in words
    assert Counter(w["sample"] for w in result["terms"]["sv"]) == {12: len(words)}


def test_top_words_leave_the_querys_inflections_and_silent_languages_out(sqlite_url):
    story = BY_KEY["sv-ukraina"]
    with Database(sqlite_url) as database:
        for i in range(40):
            matching = i < 12
            body = (f"Kommuner och kommunerna ordnar språkkaféer i biblioteket {i}." if matching
                    else f"Arbete och bostad i staden nummer {i}.")
            ingest(database, record_of(story, canonical_url=f"https://x.example/a/{i}",
                                       title=f"Artikel {i}", text=body),
                   fetch_of(f"https://x.example/a/{i}", i))
        # one Danish match, with nothing that sets it apart from the Danish archive
        dane = BY_KEY["da-sprogcafe"]
        ingest(database, record_of(dane, canonical_url="https://x.example/da/1",
                                   title="Kommune", text="Kommune."),
               fetch_of("https://x.example/da/1", 50))
        result = top_terms(database, "kommun", Filters())
    words = [w["term"] for w in result["terms"]["sv"]]
    assert "språkkaféer" in words and "biblioteket" in words
    assert not {"kommuner", "kommunerna", "kommun"} & set(words), words
    assert set(result["terms"]) == {"sv"}  # no empty Danish table


def test_million_benchmark_runs_small(tmp_path):
    """The million-page benchmark, at 200 pages on SQLite: it builds, measures every figure and
    prints each in its one-line form."""
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    out = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.million", "--pages", "200", "--workdir",
         str(tmp_path), "--export-seconds", "0"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    figures = dict(re.findall(r"^SQLite (.+?) at 200 pages(?::|=| =) (.+)$", out.stdout, re.M))
    for name in ("search", "trend", "search page", "article page", "changes page",
                 "stats page"):
        assert re.fullmatch(r"p50 \d+ ms, p95 \d+ ms", figures[name]), (name, out.stdout)
    assert re.search(r"^SQLite export at 200 pages = \d+ rows/s$", out.stdout, re.M)
    assert re.search(r"^SQLite export at 200 pages: peak RSS \d+ MB$", out.stdout, re.M)
    assert re.search(r"^SQLite serve ready at 200 pages = [\d.]+ s$", out.stdout, re.M)


def test_changes_read_newest_first_through_the_time_index(database):
    """The change feed (web window and Atom) on both backends: newest first, filters kept."""
    from archive.web.data import changes

    fill(database)
    story = BY_KEY["sv-ukraina"]
    ingest(database, record_of(story, text="Ny text om flyktingar."), fetch_of(
        record_of(story).canonical_url, 500))
    newest = changes(database, Filters(), 5)
    assert [c.kind for c in newest][:1] == ["revised"] and newest[0].title == story.title
    assert [c.at for c in newest] == sorted((c.at for c in newest), reverse=True)
    assert len(changes(database, Filters(), 5, 3)) == 5
    swedish = changes(database, Filters(language="sv"), 100)
    assert swedish and {c.language for c in swedish} == {"sv"}
    assert len(swedish) == hits_of_language(database, "sv") + 1


def test_a_changes_language_is_its_own(database):
    """The feed of one language lists each revision in the language it had: an article that
    turned English keeps its Swedish revision in the Swedish feed (read through the
    revisions' own language-and-time index, migration 0012)."""
    from archive.web.data import changes

    story = BY_KEY["sv-ukraina"]
    url = record_of(story).canonical_url
    ingest(database, record_of(story), fetch_of(url))
    other = BY_KEY["sv-sprakkafe"]
    ingest(database, record_of(other), fetch_of(record_of(other).canonical_url, 1))
    turned = record_of(story, language="en", text="The same article, now in English.")
    assert ingest(database, turned, fetch_of(url, 10)).outcome == "revised"
    swedish = [(c.title, c.number, c.language) for c in changes(database, Filters(language="sv"))]
    english = [(c.title, c.number, c.language) for c in changes(database, Filters(language="en"))]
    assert swedish == [(other.title, 1, "sv"), (story.title, 1, "sv")]
    assert english == [(story.title, 2, "en")]
    assert [c.language for c in changes(database, Filters())] == ["en", "sv", "sv"]
