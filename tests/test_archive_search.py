"""Search on both backends: base forms find inflected forms through each article's own
language stemmer, quoted words match as written, Nordic letters stay distinct, and SQLite and
PostgreSQL answer every query with the same articles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from archive.ingest.articles import ingest
from archive.read.queries import run_search
from archive.search.filters import Filters
from archive.storage.database import Database
from tests.archive_data import T0, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY, STORIES

# Inflected forms the replica's stories lack, in short articles of their own.
EXTRA = [
    record_of(BY_KEY["no-forum"], canonical_url="https://nordicwelfare.org/integration-norden/"
              "nyheter/arbeid/", title="Språkpraksis på arbeidsplassen",
              text="Mange nyankomne lærer norsk best på arbeidsplassen sammen med kolleger.",
              published=date(2024, 3, 1), tags=()),
]
# (query, language, the stories it must find: base form → inflected forms in the text)
BASE_FORMS = [
    ("flykting", "sv", {"sv-ukraina"}),                                 # flyktingar
    ("kommun", "sv", {"sv-ukraina", "sv-natverk-unga", "sv-sprakkafe"}),  # kommunerna, -er
    ("flygtning", "da", {"sv-dansk-brodtext", "da-forum", "da-unge", "da-ukraine"}),
    ("arbejdsmarked", "da", {"da-ukraine"}),                            # arbejdsmarkedet
    ("arbeidsplass", "nb", {"arbeid"}),                                 # arbeidsplassen
    ("municipality", "en", {"en-forum", "en-language-cafes", "en-ukraine"}),  # -ies
    ("maahanmuuttaja", "fi", {"fi-foorumi", "fi-kielikahvila"}),  # maahanmuuttajien, -jia
    ("flóttafólk", "is", {"is-vettvangur", "is-ukraina"}),  # unstemmed, prefix: flóttafólks
]
QUERIES = [q for q, _, _ in BASE_FORMS] + [
    '"flyktingar"', '"flykting"', "flykt*", "flottafolks", "före", "fore", "forum", "Ukraina",
    '"nordiska länderna"', "nordisk forum", "integration flygtninge", "unga nätverk",
    "refugees Ukraine", "2018", "kriget", "krig", "flóttafólks", "sveitarfélög*"]


def fill(database: Database) -> None:
    for minutes, story in enumerate(STORIES):
        ingest(database, record_of(story), fetch_of(url_of(story), minutes))
    for record in EXTRA:
        ingest(database, record, fetch_of(record.canonical_url, 99))


def found(database: Database, query: str, **filters) -> set[str]:
    """The stories (keys; "arbeid" for the extra article) a query finds."""
    keys = {s.title: s.key for s in STORIES} | {EXTRA[0].title: "arbeid"}
    return {keys[h["title"]] for h in run_search(database, query, Filters(**filters),
                                                 limit=100)}


@pytest.fixture
def filled(database):
    fill(database)
    return database


def test_base_forms_find_inflected_forms(filled):
    for query, language, expected in BASE_FORMS:
        assert found(filled, query, language=language) == expected, query
        assert expected <= found(filled, query), query


def test_exact_words_phrases_prefixes_and_nordic_letters(filled):
    assert found(filled, '"flyktingar"') == {"sv-ukraina"}   # as written: stems not used
    assert found(filled, '"flykting"') == set()
    assert found(filled, '"nordiska länderna"') == {"sv-ukraina"}
    assert found(filled, '"länderna nordiska"') == set()     # a phrase keeps its order
    assert {"sv-ukraina", "no-forum", "no-ukraina"} <= found(filled, "flykt*")
    assert found(filled, "flottafolks", language="is") == set()  # ó is not o
    assert found(filled, "flóttafólks") == {"is-vettvangur", "is-ukraina"}
    # A Swedish stem never matches a Danish article through the Danish word's spelling.
    assert found(filled, "flykting", language="da") == set()


def test_snippets_mark_the_inflected_words_and_newest_first(filled):
    hits = run_search(filled, "kommun", Filters(language="sv"))
    snippets = {h["title"]: h["snippet"] for h in hits}
    assert "[kommunerna]" in snippets[BY_KEY["sv-ukraina"].title]
    hits = run_search(filled, "flygtning", Filters(), order="date")
    # Dated articles newest first, then the undated ones (first seen 2026-01-01, later than
    # every publication date here: they are not new for that).
    dated = [h["published"] for h in hits if h["published"]]
    assert len(hits) == 4 and dated == sorted(dated, reverse=True) and len(dated) < 4
    assert [bool(h["published"]) for h in hits] == [True] * len(dated) + [False] * (
        4 - len(dated))
    assert dated[-1] == "2020-03-09"
    ranked = run_search(filled, "flygtning", Filters())
    assert {h["id"] for h in ranked} == {h["id"] for h in hits}


def test_both_backends_find_the_same_articles(tmp_path, pg_url):
    with Database(f"sqlite:///{tmp_path / 'a.db'}") as lite, Database(pg_url) as pg:
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
