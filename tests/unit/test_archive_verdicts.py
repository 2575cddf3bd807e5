"""Verdicts on SQLite and PostgreSQL: moves, redirects to other articles (never merged),
removals naming what was served, one count per article and run, skipped articles, and which
articles a crawl re-verifies."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from archive.ingest.articles import ingest
from archive.ingest.records import Outcome
from archive.ingest.removals import mark_gone
from archive.ingest.runs import finish_run, start_run
from archive.ingest.verdicts import count_skipped, due_for_reverify, mark_retired
from archive.storage.models import Article, ArticleEvent, ArticleUrl, CrawlRun, Revision
from archive.storage.urls import normalize_url
from tests.helpers.archive_data import BASE, T0, fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import BY_KEY

A, B = BY_KEY["sv-natverk-unga"], BY_KEY["sv-sprakkafe"]
URL_A, URL_B = url_of(A), url_of(B)


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def run_counts(db, run_id) -> dict[str, int]:
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        return {k: getattr(run, k) for k in ("new", "revised", "unchanged", "removed",
                                             "restored", "aliases", "skipped") if getattr(run, k)}


def events(db) -> list[tuple]:
    with db.session() as session:
        return [(e.article_id, e.kind, e.url, e.http_status, e.final_url, e.page_kind)
                for e in session.scalars(select(ArticleEvent).order_by(ArticleEvent.id))]


def test_a_redirect_to_another_archived_article_removes_the_old_one_never_merges(database):
    a = ingest(database, record_of(A), fetch_of(URL_A)).article_id
    b = ingest(database, record_of(B), fetch_of(URL_B)).article_id
    run = start_run(database, [BASE])
    result = ingest(database, record_of(B), fetch_of(URL_A, 60, final_url=URL_B,
                                                     redirects=(URL_A,)), run)
    assert result.article_id == b and result.outcome is Outcome.UNCHANGED
    assert events(database) == [(a, "redirected", URL_A, 301, URL_B, "article")]
    with database.session() as session:
        assert session.get(Article, a).removed_at is not None
        assert session.get(Article, b).removed_at is None
        owners = dict(session.execute(select(ArticleUrl.url, ArticleUrl.article_id)).all())
    assert owners[URL_A] == a and owners[URL_B] == b  # the old URL stays the old article's
    assert run_counts(database, run) == {"removed": 1, "unchanged": 1}
    # It returns: restored.
    back = ingest(database, record_of(A), fetch_of(URL_A, 120), start_run(database, [BASE]))
    assert back.outcome is Outcome.RESTORED and back.article_id == a


def test_a_permanent_redirect_to_a_new_url_with_an_edit_is_a_move(database):
    a = ingest(database, record_of(A), fetch_of(URL_A)).article_id
    new_url = BASE + "nyheter/ett-nytt-natverk-2021/"
    edited = record_of(A, canonical_url=new_url, title=A.title + " (uppdaterad)",
                       text="\n\n".join((*A.paragraphs, "Ett andra möte hålls i Oslo.")))
    run = start_run(database, [BASE])
    moved = ingest(database, edited, fetch_of(URL_A, 60, final_url=new_url,
                                              redirects=(URL_A,)), run)
    assert (moved.outcome, moved.article_id, moved.revision) == (Outcome.REVISED, a, 2)
    # Reached again at its new URL, in the same run: the same article, not counted again.
    again = ingest(database, edited, fetch_of(new_url, 61), run)
    assert again.article_id == a and not again.counted
    assert (count(database, Article), count(database, Revision)) == (1, 2)
    with database.session() as session:
        assert session.get(Article, a).canonical_url == normalize_url(new_url)
    assert run_counts(database, run) == {"revised": 1}
    assert events(database) == []


def test_a_temporary_redirect_to_another_page_is_no_move(database):
    a = ingest(database, record_of(A), fetch_of(URL_A)).article_id
    run = start_run(database, [BASE])
    other = ingest(database, record_of(B), fetch_of(URL_A, 60, final_url=URL_B), run)
    assert other.outcome is Outcome.NEW and other.article_id != a
    assert [e[:2] for e in events(database)] == [(a, "redirected")]
    assert events(database)[0][3] == 302


def test_a_page_that_is_no_article_removes_it_with_what_was_served(database):
    a = ingest(database, record_of(A), fetch_of(URL_A)).article_id
    run = start_run(database, [BASE])
    listing = BASE + "nyheter/"
    gone = mark_retired(database, fetch_of(URL_A, 60, final_url=listing), "listing", run,
                        status=301)
    assert gone.outcome is Outcome.REMOVED and gone.article_id == a
    assert events(database) == [(a, "removed", URL_A, 301, listing, "listing")]
    finish_run(database, run, "finished")
    # Still retired next time: unchanged, no second event.
    run2 = start_run(database, [BASE])
    assert mark_retired(database, fetch_of(URL_A, 90), "not-found", run2).outcome \
        is Outcome.UNCHANGED
    assert len(events(database)) == 1
    assert mark_retired(database, fetch_of(BASE + "nyheter/x/"), "listing", run2).outcome \
        is Outcome.UNKNOWN
    assert run_counts(database, run) == {"removed": 1}
    assert run_counts(database, run2) == {"unchanged": 1}


def test_an_article_seen_in_a_run_is_counted_once_and_not_removed_by_that_run(database):
    ingest(database, record_of(A), fetch_of(URL_A))
    run = start_run(database, [BASE])
    assert ingest(database, record_of(A), fetch_of(URL_A, 60), run).counted
    variant = URL_A + "?utm_source=x"
    assert not ingest(database, record_of(A), fetch_of(variant, 61), run).counted
    refused = mark_gone(database, fetch_of(URL_A, 62, status=404), run)
    assert refused.outcome is Outcome.SEEN and not refused.counted
    assert run_counts(database, run) == {"unchanged": 1}
    with database.session() as session:
        assert session.scalar(select(Article.removed_at)) is None


def test_skipped_articles_are_counted_once_unless_seen(database):
    ingest(database, record_of(A), fetch_of(URL_A))
    ingest(database, record_of(B), fetch_of(URL_B))
    run = start_run(database, [BASE])
    ingest(database, record_of(B), fetch_of(URL_B, 60), run)
    assert count_skipped(database, run, [URL_A, URL_A.rstrip("/"), URL_B]) == 1
    assert run_counts(database, run) == {"unchanged": 1, "skipped": 1}


def test_reverification_is_due_for_the_longest_unverified_first(database):
    stories = [BY_KEY[k] for k in ("sv-natverk-unga", "sv-sprakkafe", "sv-ukraina",
                                   "sv-finland-mitt-hem")]
    ingest_stories(database, stories)
    normal = [normalize_url(url_of(s)) for s in stories]
    now = T0 + timedelta(hours=1)
    assert due_for_reverify(database, 0, now) == set(normal)
    # First crawl after the first: every article verified an hour ago, nothing is due but
    # the share an hour of a 7-day window asks for: the longest-unverified one.
    first = start_run(database, [BASE])
    finish_run(database, first, "finished")
    with database.engine.begin() as conn:
        conn.execute(update(CrawlRun).values(started_at=T0))
    assert due_for_reverify(database, 7, now) == {normal[0]}
    # Verified 8 days ago: overdue, whatever the share.
    with database.engine.begin() as conn:
        conn.execute(update(Article).where(Article.title.in_([stories[2].title,
                                                              stories[3].title]))
                     .values(last_seen=T0 - timedelta(days=8)))
    assert due_for_reverify(database, 7, now) == {normal[2], normal[3]}
    # A removed article is always due: its sitemap entry may mean it is back.
    mark_gone(database, fetch_of(url_of(stories[1]), 70, status=404))
    assert due_for_reverify(database, 7, now) == {normal[1], normal[2], normal[3]}
