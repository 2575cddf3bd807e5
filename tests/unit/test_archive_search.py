"""Search on both backends: base forms find inflected forms through each article's own
language stemmer, quoted words match as written, Nordic letters stay distinct, and SQLite and
PostgreSQL answer every query with the same articles."""

from __future__ import annotations

from datetime import timedelta

from archive.ingest.articles import ingest
from archive.read.queries import run_search
from archive.search.filters import Filters
from archive.storage.database import Database
from tests.helpers.archive_data import T0, fetch_of, record_of
from tests.helpers.search_data import BASE_FORMS, QUERIES, fill, found
from tests.replica.content import BY_KEY


def test_base_forms_find_inflected_forms(searchable):
    for query, language, expected in BASE_FORMS:
        assert found(searchable, query, language=language) == expected, query
        assert expected <= found(searchable, query), query


def test_exact_words_phrases_prefixes_and_nordic_letters(searchable):
    assert found(searchable, '"flyktingar"') == {"sv-ukraina"}   # as written: stems not used
    assert found(searchable, '"flykting"') == set()
    assert found(searchable, '"nordiska länderna"') == {"sv-ukraina"}
    assert found(searchable, '"länderna nordiska"') == set()     # a phrase keeps its order
    assert {"sv-ukraina", "no-forum", "no-ukraina"} <= found(searchable, "flykt*")
    # several prefixes: each as written, in whatever language (no stem of theirs is asked)
    assert found(searchable, "flykt* nordisk*") == {"sv-ukraina", "no-forum", "no-ukraina"}
    assert found(searchable, '"nordiska länderna" "kriget"') == {"sv-ukraina"}
    assert found(searchable, "flottafolks", language="is") == set()  # ó is not o
    assert found(searchable, "flóttafólks") == {"is-vettvangur", "is-ukraina"}
    # A Swedish stem never matches a Danish article through the Danish word's spelling.
    assert found(searchable, "flykting", language="da") == set()


def test_snippets_mark_the_inflected_words_and_newest_first(searchable):
    hits = run_search(searchable, "kommun", Filters(language="sv"))
    snippets = {h["title"]: h["snippet"] for h in hits}
    assert "[kommunerna]" in snippets[BY_KEY["sv-ukraina"].title]
    hits = run_search(searchable, "flygtning", Filters(), order="date")
    # Dated articles newest first, then the undated ones (first seen 2026-01-01, later than
    # every publication date here: they are not new for that).
    dated = [h["published"] for h in hits if h["published"]]
    assert len(hits) == 4 and dated == sorted(dated, reverse=True) and len(dated) < 4
    assert [bool(h["published"]) for h in hits] == [True] * len(dated) + [False] * (
        4 - len(dated))
    assert dated[-1] == "2020-03-09"
    ranked = run_search(searchable, "flygtning", Filters())
    assert {h["id"] for h in ranked} == {h["id"] for h in hits}


def test_both_backends_find_the_same_articles(sqlite_url, pg_url):
    with Database(sqlite_url) as lite, Database(pg_url) as pg:
        fill(lite)
        fill(pg)
        for query in QUERIES:
            for filters in ({}, {"language": "sv"}):
                assert found(lite, query, **filters) == found(pg, query, **filters), query


def test_undated_articles_are_bounded_by_the_day_first_seen(database):
    """An article without a publication date is in a date range when it was first seen on a day
    of it, on both backends (the day's bounds, never a cast SQLite cannot make)."""
    story = BY_KEY["no-forum"]
    day = T0.date()
    ingest(database, record_of(story, canonical_url="https://nordicwelfare.org/"
                               "integration-norden/teman/bostad/", title="Bostad",
                               text="Forum om bostad och integration i Norden.",
                               published=None, tags=()),
           fetch_of("https://nordicwelfare.org/integration-norden/teman/bostad/", 600))
    seen = (T0 + timedelta(minutes=600)).date()  # 22:00 UTC, T0's day

    def titles(**filters) -> set[str]:
        return {h["title"] for h in run_search(database, "bostad", Filters(**filters))}

    assert titles(since=seen, until=seen) == {"Bostad"}
    assert titles(since=day - timedelta(days=3), until=seen) == {"Bostad"}
    assert titles(since=seen + timedelta(days=1)) == set()
    assert titles(until=seen - timedelta(days=1)) == set()
