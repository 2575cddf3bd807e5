"""Kept counts of common search terms (``archive.search.term_counts``): once kept, ``trend``, the
counts of ``search`` and the search page's kinds read them and give exactly what the index
gives (both backends, every filter, split and period); every kind of ingest keeps them in step
(new, revised, re-kinded, removed and restored, one by one and in batches); the crawl's end and
``db count-terms`` keep new ones; ``verify`` finds counts that went wrong."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import text

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.ingest.records import Fetch
from archive.ingest.removals import mark_gone
from archive.ingest.runs import finish_run, start_run
from archive.read.queries import run_search, search_kinds
from archive.read.trend import count_matches, trend
from archive.search import term_counts
from archive.search import terms as search_terms
from archive.search.filters import Filters
from archive.search.index import refresh_facets
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, record_of, url_of
from tests.helpers.search_data import QUERIES, fill
from tests.replica.content import BY_KEY

#: The plain words of the search tests (phrases, prefixes and several words are never read
#: from kept counts): stems of each language and Icelandic words (kept as prefixes).
WORDS = [q for q in QUERIES if q.replace("ö", "o").isalnum()] + ["arbeid", "kommun"]
FILTERS = [Filters(), Filters(language="sv"), Filters(language="no"), Filters(kind="theme"),
           Filters(since=date(2020, 1, 1), until=date(2024, 12, 31)),
           # not whole months, a tag: counted from the index
           Filters(since=date(2020, 1, 2)), Filters(until=date(2024, 12, 30)),
           Filters(tag="Ukraina")]
SHAPES = [("month", None), ("month", "language"), ("year", "kind"), ("week", None),
          ("year", "tag")]


def answers(database: Database) -> list:
    """Everything the kept counts may answer, under every filter and shape."""
    out = []
    for filters in FILTERS:
        out.append(count_matches(database, WORDS, filters))
        out.append([search_kinds(database, word, filters) for word in WORDS])
        for by, split in SHAPES:
            out.append(trend(database, WORDS, filters, by=by, split=split,
                             normalise=split is None))
    return out


def rekind(database: Database) -> None:
    with database.session() as session:
        session.execute(text("UPDATE articles SET kind = 'theme' WHERE id % 3 = 0"))
        refresh_facets(session, list(session.scalars(text("SELECT id FROM articles"))))


def test_kept_counts_answer_as_the_index(database):
    fill(database)
    rekind(database)
    exact = answers(database)
    assert sum(exact[0].values()) > 50  # the words do find articles
    kept = term_counts.keep_common(database, at_least=1, sample=10_000)
    assert "sv:flykting" in kept and any(key.startswith("xx:") and key.endswith("*")
                                        for key in kept)
    assert not any(key.startswith("xx:") and not key.endswith("*") for key in kept)
    assert answers(database) == exact
    assert term_counts.check(database) == []
    # and they are what is read: a wrong kept count shows (and verify's check finds it)
    with database.session() as session:
        session.execute(text("UPDATE term_months SET articles = articles + 1000 "
                             "WHERE term = 'sv:flykting'"))
    assert count_matches(database, ["flykting"], Filters())["flykting"] > 1000
    assert sum(search_kinds(database, "flykting", Filters()).values()) > 1000
    assert trend(database, ["flykting"], Filters())["totals"]["flykting"] > 1000
    assert term_counts.check(database) == ["sv:flykting"]
    # weeks, day-precise dates and tags are counted from the index
    assert trend(database, ["flykting"], Filters(), by="week")["totals"]["flykting"] < 1000
    assert count_matches(database, ["flykting"], Filters(until=date(2030, 1, 30)))[
        "flykting"] < 1000
    assert term_counts.drop_all(database) == len(kept)
    assert answers(database) == exact


def test_only_common_terms_are_kept(database):
    fill(database)
    exact = answers(database)
    assert term_counts.keep_common(database, at_least=10_000, sample=10_000) == {}
    kept = term_counts.keep_common(database, at_least=3, sample=10_000)
    assert kept and all(n >= 3 for n in kept.values())
    with database.session() as session:
        rows = dict(session.execute(text(
            "SELECT term, sum(articles) FROM term_months GROUP BY term")).all())
    assert rows == kept
    for key, n in kept.items():  # the index agrees
        code, stem = key.rstrip("*").split(":")
        if code == "sv" and not key.endswith("*"):
            assert count_matches(database, [stem], Filters(language="sv"))[stem] == n
    assert term_counts.keep_common(database, at_least=3, sample=10_000) == {}  # not twice
    assert term_counts.check(database) == []
    # a word with kept and unkept keys: the unkept ones counted from the index
    mixed = [w for w in WORDS if any(term_counts.key_of(*option) in kept for option in
                                     search_terms.alternatives(w.lower()))]
    assert mixed
    assert answers(database) == exact


def test_postgresql_ranks_title_matches_as_sqlite_does(database):
    """Articles with the word in the title are ranked; the others follow in id order, a word
    in the lead earning nothing (PostgreSQL ranked title and lead before 0012)."""
    story = BY_KEY["sv-ukraina"]
    texts = {"title": ("Kvoten i kommunen", "Annat."),
             "body": ("Annat i dag", "Mycket annat.\n\nSedan kvoten i kommunen."),
             "lead": ("Ännu annat", "Kvoten i kommunen är ny.\n\nMer.")}
    ids = {}
    for n, (name, (title, body)) in enumerate(texts.items()):
        url = f"{url_of(story)}{name}/"
        record = record_of(story, canonical_url=url, title=title, text=body, tags=())
        ids[name] = ingest(database, record, fetch_of(url, n)).article_id
    hits = [h["id"] for h in run_search(database, "kvoten", Filters())]
    assert hits == [ids["title"], ids["body"], ids["lead"]]


def test_every_ingest_keeps_the_counts_in_step(database):
    story, other = BY_KEY["sv-ukraina"], BY_KEY["sv-sprakkafe"]
    url = url_of(story)
    ingest(database, record_of(story), fetch_of(url))
    ingest(database, record_of(other), fetch_of(url_of(other)))
    icelandic = BY_KEY["is-tungumalakaffi"]
    ingest(database, record_of(icelandic), fetch_of(url_of(icelandic)))
    kept = term_counts.keep_common(database, at_least=1, sample=100)
    assert "xx:að*" in kept and "sv:ukrain" in kept  # Icelandic: a prefix
    word = "ukraina"
    before = count_matches(database, [word], Filters())[word]
    assert before >= 1

    def in_step() -> None:
        assert term_counts.check(database) == []
        assert answers(database)[0] == count_matches(database, WORDS, Filters())

    # a new article, one by one
    fresh = BY_KEY["is-ukraina"]  # Icelandic: its words are kept as prefixes
    ingest(database, record_of(fresh), fetch_of(url_of(fresh)))
    in_step()
    # revised: the word leaves the text, the article moves to another month
    revised = record_of(story, published=date(2019, 6, 1), title="Ett språkcafé",
                        text="Ett språkcafé i kommunen.")
    assert ingest(database, revised, fetch_of(url, 10)).outcome == "revised"
    in_step()
    assert count_matches(database, [word], Filters())[word] < before + 1
    # the same content under another kind: no revision, the facets and the counts follow
    assert ingest(database, dataclasses.replace(revised, kind="theme"),
                  fetch_of(url, 20)).outcome == "unchanged"
    in_step()
    with database.session() as session:
        assert session.scalar(text("SELECT count(*) FROM term_months WHERE kind = 'theme'"))
    # removed and restored
    assert mark_gone(database, Fetch(url=url, fetched_at=fetch_of(url, 30).fetched_at,
                                     status=404)).outcome == "removed"
    in_step()
    assert ingest(database, record_of(story), fetch_of(url, 40)).outcome == "restored"
    in_step()
    # in batches: new articles, and a change of kind of unchanged ones
    extra = [record_of(BY_KEY[key]) for key in ("sv-natverk-unga", "no-ukraina")]
    ingest_many(database, [(r, fetch_of(r.canonical_url, 50)) for r in extra]
                + [(dataclasses.replace(record_of(other), kind="fact"),
                    fetch_of(url_of(other), 50))])
    in_step()
    # written behind the ingest's back and refreshed as the ingest refreshes
    rekind(database)
    in_step()


def test_a_crawl_run_keeps_new_common_terms(database, monkeypatch):
    fill(database)
    monkeypatch.setattr(term_counts, "KEEP_AT", 1)
    run_id = start_run(database, ["http://127.0.0.1/"])
    finish_run(database, run_id, "finished", pages_fetched=1)
    assert term_counts.kept_total(database) > 100
    assert term_counts.check(database) == []


def test_count_terms_command(cli, tmp_path, sqlite_url):
    with Database(sqlite_url) as db:
        fill(db)

    def run(*args: str):
        done = cli("db", "count-terms", "--db", sqlite_url, "--at-least", "2", *args)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode()

    first = run()
    kept = int(first.split("kept the counts of ")[1].split()[0])
    assert kept > 10 and f"; {kept} kept in all" in first
    assert "kept the counts of 0 more common terms" in run()
    assert f"({kept} forgotten first); {kept} kept in all" in run("--again")
    missing = cli("db", "count-terms", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == 1
    assert missing.stderr.decode().count("\n") == 1 and "error" in missing.stderr.decode()
