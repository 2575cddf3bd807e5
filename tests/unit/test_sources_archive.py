"""The sources behind the news, on SQLite and PostgreSQL: citations, captures, re-checks,
link rot (gone), refusals, the re-check schedule and the sources' search index."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from archive.ingest.articles import ingest
from archive.search import terms as search_terms
from archive.sources.read import list_sources, source_counts, sources_of
from archive.sources.store import (
    JITTER,
    DueSource,
    SourceFetch,
    recheck_after,
    record_citations,
    record_source_fetch,
    record_source_refusal,
    source_kind,
    sources_due,
)
from archive.storage.models import ArticleSource, Source, SourceCapture
from tests.helpers.archive_data import T0, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY

STORY = BY_KEY["sv-natverk-unga"]
OTHER = BY_KEY[next(k for k in BY_KEY if k != "sv-natverk-unga")]
PAGE = "https://kommuntorget.example/rapport-om-unga?utm_source=nordic"
PDF = "https://arbeidsliv.example/files/rapport-2026.pdf"
DAY = timedelta(days=1)


def article(db, story=STORY) -> int:
    return ingest(db, record_of(story), fetch_of(url_of(story))).article_id


def page(at, **changes) -> SourceFetch:
    fetch = SourceFetch(url=PAGE, fetched_at=at, status=200, content_type="text/html",
                        title="Rapport om unga", language="sv",
                        text="Kommunernas arbete med ungdomsgarantin fortsätter.",
                        etag='"v1"')
    return replace(fetch, **changes)


def source(db, url=PAGE) -> Source:
    from archive.storage.urls import normalize_url

    with db.session() as session:
        return session.scalars(select(Source).where(
            Source.normalized_url == normalize_url(url))).one()


def captures(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(SourceCapture))


def test_kinds_from_url_and_content_type():
    assert source_kind(PDF) == "pdf"
    assert source_kind("https://x.example/a.DOCX") == "document"
    assert source_kind("https://x.example/a.odt") == "document"
    assert source_kind("https://x.example/download", "application/pdf; charset=binary") == "pdf"
    assert source_kind(PDF, "text/html; charset=utf-8") == "page"
    assert source_kind("https://x.example/f", "application/vnd.openxmlformats-officedocument."
                       "wordprocessingml.document") == "document"
    assert source_kind("https://x.example/f.pdf", "application/octet-stream") == "pdf"
    assert source_kind("https://x.example/nyheter/") == "page"


def test_citations_link_each_source_once_in_order_and_keep_old_links(database):
    first, second = article(database), article(database, OTHER)
    ids = record_citations(database, first, [PAGE, PDF, PAGE + "&utm_medium=mail"], at=T0)
    assert len(ids) == 2 and ids[0] != ids[1]  # the tracking variant is the same source
    assert record_citations(database, second, [PDF], at=T0 + DAY) == [ids[1]]
    # A new revision cites only the PDF: the page stays cited (history), the PDF moves first.
    assert record_citations(database, first, [PDF], at=T0 + 2 * DAY) == [ids[1]]
    with database.session() as session:
        links = session.execute(select(ArticleSource.article_id, ArticleSource.source_id,
                                       ArticleSource.position, ArticleSource.first_cited)
                                .order_by(ArticleSource.article_id,
                                          ArticleSource.position)).all()
    assert [(a, s, p) for a, s, p, _ in links] == [(first, ids[1], 0), (first, ids[0], 1),
                                                   (second, ids[1], 0)]
    assert [c.replace(tzinfo=None) for *_, c in links] == [
        (T0 + d).replace(tzinfo=None) for d in (0 * DAY, 0 * DAY, DAY)]
    row = source(database)
    assert (row.url, row.host, row.kind, row.status) == (PAGE, "kommuntorget.example", "page",
                                                         None)
    assert source(database, PDF).kind == "pdf"
    due = sources_due(database, now=T0)
    assert due == [DueSource(ids[0], PAGE, "page", None, None, False),
                   DueSource(ids[1], PDF, "pdf", None, None, False)]
    assert sources_due(database, now=T0 - DAY) == []  # not cited yet then
    assert record_citations(database, first, []) == []


def test_capture_then_unchanged_then_changed(database):
    article_id = article(database)
    (source_id,) = record_citations(database, article_id, [PAGE], at=T0)
    assert record_source_fetch(database, page(T0 + DAY), recheck_days=30) == "captured"
    row = source(database)
    assert row.current_capture_id is not None and row.reason is None
    assert (row.status, row.title, row.language, row.etag, row.chars) == (
        200, "Rapport om unga", "sv", '"v1"', len(page(T0).text))
    first_captured = row.first_captured
    assert sources_due(database, now=T0 + 2 * DAY) == []
    due_at = T0 + DAY + recheck_after(row.normalized_url, 30)
    assert [d.id for d in sources_due(database, now=due_at)] == [source_id]
    assert sources_due(database, now=due_at)[0].captured is True
    assert sources_due(database, now=due_at)[0].etag == '"v1"'

    # Same content (another etag), then 304: no new capture, the check moves.
    assert record_source_fetch(database, page(due_at, etag='"v2"'), recheck_days=30
                               ) == "unchanged"
    assert record_source_fetch(database, page(due_at + DAY, status=304, text=None, title=None,
                                              etag=None), recheck_days=30) == "unchanged"
    row = source(database)
    assert captures(database) == 1 and row.etag == '"v2"' and row.status == 304
    assert row.last_checked.replace(tzinfo=None) == (due_at + DAY).replace(tzinfo=None)

    # Changed: a second capture; the first is kept and stays the first.
    changed = page(due_at + 40 * DAY, text="Ny version av rapporten om ungdomsgarantin.")
    assert record_source_fetch(database, changed, recheck_days=30) == "captured"
    assert captures(database) == 2
    row = source(database)
    assert row.first_captured == first_captured and row.chars == len(changed.text)
    with database.session() as session:
        current = session.get(SourceCapture, row.current_capture_id)
        assert current.text == changed.text


def test_404_makes_it_gone_and_keeps_its_capture_then_one_more_check(database):
    record_citations(database, article(database), [PAGE], at=T0)
    record_source_fetch(database, page(T0), recheck_days=30)
    at = T0 + 31 * DAY
    assert record_source_fetch(database, page(at, status=404, text=None), recheck_days=30
                               ) == "gone"
    row = source(database)
    assert row.gone_at is not None and row.gone_reason == "http-404"
    assert (row.reason, row.status, captures(database)) == ("http-404", 404, 1)
    assert row.current_capture_id is not None and row.chars == len(page(T0).text)
    later = at + 40 * DAY
    assert [d.url for d in sources_due(database, now=later, recheck_days=30)] == [PAGE]
    # Still gone at that check: gone_at stays, never checked again.
    assert record_source_fetch(database, page(later, status=404), recheck_days=30) == "gone"
    row = source(database)
    assert row.gone_at.replace(tzinfo=None) == at.replace(tzinfo=None)
    assert row.next_check is None
    assert sources_due(database, now=later + 400 * DAY) == []


def test_a_gone_source_that_comes_back_is_restored(database):
    record_citations(database, article(database), [PAGE], at=T0)
    record_source_fetch(database, page(T0))
    assert record_source_fetch(database, page(T0 + DAY, status=410)) == "gone"
    assert source(database).gone_reason == "http-410"
    assert record_source_fetch(database, page(T0 + 40 * DAY)) == "restored"
    row = source(database)
    assert (row.gone_at, row.gone_reason, row.reason, captures(database)) == (
        None, None, None, 1)


def test_dns_failing_once_is_not_gone_twice_is(database):
    record_citations(database, article(database), [PAGE], at=T0)
    dns = page(T0, status=None, text=None, error="dns", message="Name or service not known")
    assert record_source_fetch(database, dns) == "failed"
    row = source(database)
    assert (row.gone_at, row.reason, row.dns_failures, row.message) == (
        None, "dns", 1, "Name or service not known")
    assert sources_due(database, now=T0 + DAY / 2) == []  # not retried the same night
    assert len(sources_due(database, now=T0 + DAY)) == 1
    assert record_source_fetch(database, replace(dns, fetched_at=T0 + DAY)) == "gone"
    row = source(database)
    assert (row.gone_reason, row.dns_failures) == ("dns", 2)


def test_dns_failures_in_a_row_only(database):
    record_citations(database, article(database), [PAGE], at=T0)
    dns = page(T0, status=None, text=None, error="dns")
    assert record_source_fetch(database, dns) == "failed"
    assert record_source_fetch(database, page(T0 + DAY)) == "captured"
    assert source(database).dns_failures == 0
    assert record_source_fetch(database, replace(dns, fetched_at=T0 + 40 * DAY)) == "failed"


def test_redirect_to_home_is_gone(database):
    record_citations(database, article(database), [PAGE], at=T0)
    record_source_fetch(database, page(T0))
    home = page(T0 + 31 * DAY, final_url="https://kommuntorget.example/", redirect="home",
                title="Kommuntorget", text="Välkommen", etag='"home"')
    assert record_source_fetch(database, home) == "gone"
    row = source(database)
    assert (row.gone_reason, row.reason, row.message) == (
        "redirect-home", "redirect-home", "redirected to https://kommuntorget.example/")
    assert row.etag == '"v1"' and captures(database) == 1  # the home page is not the source
    assert record_source_fetch(database, replace(home, redirect="unrelated")) == "gone"


def test_server_errors_fail_and_back_off(database):
    record_citations(database, article(database), [PAGE], at=T0)
    assert record_source_fetch(database, page(T0, status=503, text=None), recheck_days=30
                               ) == "failed"
    row = source(database)
    assert (row.reason, row.gone_at, row.status) == ("http-503", None, 503)
    assert row.next_check.replace(tzinfo=None) == (T0 + DAY).replace(tzinfo=None)
    record_source_fetch(database, page(T0 + DAY, status=503, text=None), recheck_days=30)
    # A second failure a day later: retried after two days, then four ...
    assert source(database).next_check.replace(tzinfo=None) == (T0 + 3 * DAY).replace(
        tzinfo=None)
    assert record_source_fetch(database, page(T0 + 3 * DAY, status=None, text=None,
                                              error="timeout")) == "failed"
    assert source(database).reason == "timeout"


def test_refusal_keeps_its_reason_and_is_not_due_tomorrow(database):
    record_citations(database, article(database), [PAGE, "mailto:someone@example.org",
                                                   PDF], at=T0)
    record_source_refusal(database, PAGE, "robots", "robots.txt disallows /rapport",
                          at=T0, recheck_days=30)
    record_source_refusal(database, "mailto:someone@example.org", "scheme", at=T0)
    row = source(database)
    assert (row.reason, row.message, row.status, row.last_checked) == (
        "robots", "robots.txt disallows /rapport", None, None)
    assert [d.url for d in sources_due(database, now=T0 + DAY)] == [PDF]
    later = [d.url for d in sources_due(database, now=T0 + 37 * DAY, recheck_days=30)]
    assert later == [PDF, PAGE]  # robots.txt may have changed; the mailto never
    assert source_counts(database)["refused"] == 2
    with pytest.raises(ValueError, match="failed fetch"):
        record_source_refusal(database, PAGE, "http-404")


def test_rechecks_spread_deterministically_within_a_fifth_of_the_period():
    urls = [f"https://host{i}.example/page/{i}" for i in range(400)]
    delays = [recheck_after(url, 30) for url in urls]
    assert delays == [recheck_after(url, 30) for url in urls]  # deterministic
    assert all(timedelta(days=30) <= d < timedelta(days=30 * (1 + JITTER)) for d in delays)
    # Spread: every sixth of the jitter window holds some of them.
    days = [(d - timedelta(days=30)) / timedelta(days=1) for d in delays]
    assert {int(x // 1) for x in days} == set(range(6))


def test_shorter_period_takes_effect_for_captured_sources(database):
    record_citations(database, article(database), [PAGE], at=T0)
    record_source_fetch(database, page(T0), recheck_days=30)
    assert sources_due(database, now=T0 + 10 * DAY, recheck_days=30) == []
    assert len(sources_due(database, now=T0 + 10 * DAY, recheck_days=7)) == 1


def test_due_order_and_limit(database):
    article_id = article(database)
    urls = [f"https://s{i}.example/a" for i in range(4)]
    record_citations(database, article_id, urls, at=T0)
    record_source_fetch(database, page(T0, url=urls[2]), recheck_days=1)
    record_source_fetch(database, page(T0 + DAY, url=urls[3]), recheck_days=1)
    due = sources_due(database, now=T0 + 10 * DAY, recheck_days=1)
    assert [d.url for d in due] == [urls[0], urls[1], urls[2], urls[3]]
    assert [d.url for d in sources_due(database, now=T0 + 10 * DAY, recheck_days=1,
                                       limit=1)] == [urls[0]]


def test_sources_of_and_list_sources_objects(database):
    first, second, quiet = article(database), article(database, OTHER), None
    record_citations(database, first, [PAGE, PDF], at=T0)
    record_citations(database, second, [PDF], at=T0)
    record_source_fetch(database, page(T0 + DAY))
    record_source_fetch(database, page(T0 + 2 * DAY, url=PDF, status=404, text=None))
    page_object = {"url": PAGE, "kind": "page", "status": 200, "reason": None, "gone": False,
                   "gone_since": None, "first_captured": "2026-01-02T12:00:00Z",
                   "last_checked": "2026-01-02T12:00:00Z", "title": "Rapport om unga",
                   "chars": len(page(T0).text)}
    pdf_object = {"url": PDF, "kind": "pdf", "status": 404, "reason": "http-404", "gone": True,
                  "gone_since": "2026-01-03", "first_captured": None,
                  "last_checked": "2026-01-03T12:00:00Z", "title": None, "chars": 0}
    quiet = first + second + 1000
    assert sources_of(database, [first, second, quiet]) == {
        first: [page_object, pdf_object], second: [pdf_object], quiet: []}
    with database.engine.connect() as conn:  # a caller's connection works too
        assert sources_of(conn, [second]) == {second: [pdf_object]}
    page_id, pdf_id = source(database).id, source(database, PDF).id
    everything = list_sources(database)
    assert everything == [
        {"id": page_id, "host": "kommuntorget.example", **page_object, "cited_by": [first]},
        {"id": pdf_id, "host": "arbeidsliv.example", **pdf_object,
         "cited_by": sorted([first, second])}]
    assert [s["id"] for s in list_sources(database, gone=True)] == [pdf_id]
    assert [s["id"] for s in list_sources(database, gone=False)] == [page_id]
    assert [s["id"] for s in list_sources(database, host="www.Kommuntorget.example")] == [
        page_id]
    assert list_sources(database, host="elsewhere.example") == []
    assert source_counts(database) == {"cited": 2, "captured": 1, "refused": 0, "failed": 0,
                                       "gone": 1}


def test_a_captured_source_is_found_in_its_search_index(database):
    record_citations(database, article(database), [PAGE], at=T0)
    record_source_fetch(database, page(T0))
    source_id = source(database).id
    terms = search_terms.parse_query("ungdomsgarantin")
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            found = conn.execute(text("SELECT rowid FROM source_fts WHERE source_fts MATCH :q"),
                                 {"q": search_terms.fts5_match(terms)}).scalars().all()
        else:
            found = conn.execute(text("SELECT source_id FROM source_search WHERE document @@ "
                                      "CAST(:q AS tsquery)"),
                                 {"q": search_terms.tsqueries(terms)[0]}).scalars().all()
    assert found == [source_id]
    # A new capture replaces the entry: the old words are gone from it.
    record_source_fetch(database, page(T0 + 40 * DAY, text="Helt annan text om bostäder."))
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            count = conn.execute(text("SELECT count(*) FROM source_fts WHERE source_fts "
                                      "MATCH :q"), {"q": search_terms.fts5_match(terms)}
                                 ).scalar()
            rows = conn.execute(text("SELECT count(*) FROM source_fts")).scalar()
        else:
            count = conn.execute(text("SELECT count(*) FROM source_search WHERE document @@ "
                                      "CAST(:q AS tsquery)"),
                                 {"q": search_terms.tsqueries(terms)[0]}).scalar()
            rows = conn.execute(text("SELECT count(*) FROM source_search")).scalar()
    assert (count, rows) == (0, 1)


def test_times_in_another_zone_are_stored_as_utc(database):
    oslo = timezone(timedelta(hours=1))
    record_citations(database, article(database), [PAGE], at=T0.astimezone(oslo))
    assert sources_due(database, now=T0 - timedelta(minutes=1)) == []
    assert len(sources_due(database, now=T0)) == 1
    assert record_source_fetch(database, page(T0.astimezone(oslo))) == "captured"
    assert list_sources(database)[0]["last_checked"] == "2026-01-01T12:00:00Z"
