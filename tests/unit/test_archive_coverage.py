"""On SQLite and PostgreSQL: the coverage report over named URLs, the article's ``url`` as the
portal wrote it (export, search, show), and migration 0005 rewriting an older archive."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, text

from archive.ingest.articles import ingest
from archive.ingest.pages import record_failure, record_listed
from archive.ingest.records import Fetch
from archive.ingest.runs import start_run
from archive.read.coverage import COLUMNS, coverage, summary
from archive.read.queries import iter_export, run_search, show
from archive.search.filters import Filters
from archive.storage import database as archive_db
from archive.storage.database import Database
from archive.storage.models import Capture, ListedUrl
from tests.helpers.archive_data import BASE, T0, archive_at, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY

STORY = BY_KEY["sv-natverk-unga"]
URL = url_of(STORY)  # .../nyheter/nytt-nordiskt-natverk-for-ensamkommande-unga/


def _capture(db: Database, url: str, status: int, minutes: int) -> None:
    from archive.storage.urls import normalize_url

    with db.session() as session:
        session.add(Capture(url=url, normalized_url=normalize_url(url), http_status=status,
                            fetched_at=T0 + timedelta(minutes=minutes), warc_file="x.warc.gz",
                            offset=0, length=1, record_id=f"<urn:uuid:{minutes}>",
                            payload_digest="sha1:X", kind="response"))


def _named(database) -> tuple[int, list[tuple[str, str, str | None]]]:
    """An archive whose named URLs have every status; returns (run, expected rows)."""
    run = start_run(database, [BASE])
    archived, refused, gone, listing, never, refetched = (
        URL, f"{BASE}nyheter/tom/", f"{BASE}nyheter/borta/", f"{BASE}teman/bostad/",
        f"{BASE}nyheter/aldrig/", f"{BASE}nyheter/lagad/")
    assert record_listed(database, [archived, refused, gone, never], "sitemap",
                         f"{BASE}sitemap.xml", run, at=T0) == 4
    # A tracking variant of a named URL is the same URL; the first form written is kept.
    assert record_listed(database, [archived + "?utm_source=x", listing, refetched], "page",
                         BASE, run, at=T0 + timedelta(hours=1)) == 2
    ingest(database, record_of(STORY), fetch_of(URL), run)
    record_failure(database, refused, "mostly-consent", "old", run)
    record_failure(database, refused, "no-text", "newest", run)
    _capture(database, gone, 404, 1)
    _capture(database, listing, 200, 2)
    record_failure(database, refetched, "no-text", "then fixed", run)
    _capture(database, refetched, 200, 60 * 24 * 365 * 5)  # a later fetch went through
    record_failure(database, never, "robots-txt", "Forbidden by robots.txt", run)
    return run, [(archived, "archived", None), (refused, "refused", "no-text"),
                 (gone, "gone", "http-404"), (never, "never-fetched", "robots-txt"),
                 (listing, "not-article", None), (refetched, "not-article", None)]


def test_coverage_gives_each_named_url_one_status(database):
    run, expected = _named(database)
    rows = coverage(database)
    assert [(r["url"], r["status"], r["reason"]) for r in rows] == expected
    assert rows[0]["article_id"] is not None and rows[0]["source"] == "sitemap"
    assert rows[0]["last_listed"] > rows[0]["first_listed"]
    assert summary(rows) == {"named": 6, "archived": 1, "refused": 1, "gone": 1,
                             "not-article": 2, "never-fetched": 1}
    assert [r["url"] for r in coverage(database, ("refused", "gone"))] == [
        expected[1][0], expected[2][0]]
    with database.session() as session:
        assert session.scalar(select(ListedUrl.last_run_id).where(ListedUrl.url == URL)
                              ) == run


def test_coverage_command_in_every_format(database, cli):
    _, expected = _named(database)
    db_url = database.url
    as_json = cli("coverage", "--db", db_url, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert [(r["url"], r["status"], r["reason"]) for r in report["urls"]] == expected
    assert report["summary"]["named"] == 6
    as_csv = cli("coverage", "--db", db_url, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout.decode())))
    assert [(r["url"], r["status"], r["reason"] or None) for r in rows] == expected
    assert list(rows[0]) == list(COLUMNS)
    table = cli("coverage", "--db", db_url).stdout.decode().splitlines()
    assert [line.split() for line in table[:-1]] == [
        [status, reason or "-", url] for url, status, reason in expected]
    # No source cited: no sources line (the crawl's sources test sees one).
    assert table[-1] == ("6 URLs named: archived 1, refused 1, gone 1, not-article 2, "
                         "never-fetched 1")
    wrong = cli("coverage", "--db", db_url, "--status", "lost")
    assert wrong.returncode == 2 and b"lost" in wrong.stderr


def test_url_is_the_declared_canonical_everywhere_never_its_normal_form(database):
    tracking = URL + "?utm_source=newsletter"
    ingest(database, record_of(STORY), fetch_of(tracking))
    row = next(iter_export(database, Filters()))
    assert row["url"] == URL
    assert set(row["urls"]) == {tracking, URL}  # seen; the slash-less key is not
    assert [h["url"] for h in run_search(database, "ensamkommande", Filters())] == [URL]
    for ref in (URL.rstrip("/"), tracking, str(row["id"])):
        shown = show(database, ref)
        assert shown["url"] == URL and URL.rstrip("/") not in shown["urls"]
    # A page that declares no canonical: the URL it was fetched at, exactly.
    other = BY_KEY["sv-sprakkafe"]
    fetched = f"{BASE}nyheter/{other.slug}/"
    ingest(database, replace(record_of(other), canonical_url=""), fetch_of(fetched))
    assert show(database, fetched.rstrip("/"))["url"] == fetched


def test_a_changed_slug_moves_the_url_and_translations_show_the_portals_url(database):
    sv, en = BY_KEY["sv-natverk-unga"], BY_KEY["en-forum"]
    en_url = f"{BASE}en/news/{en.slug}/"
    ingest(database, record_of(en, canonical_url=en_url, language="en"), fetch_of(en_url))
    ingest(database, record_of(sv, translations={"en": en_url.rstrip("/")}), fetch_of(URL))
    assert show(database, URL)["translations"] == {"en": en_url}
    moved = f"{BASE}nyheter/nytt-namn/"
    ingest(database, record_of(sv, canonical_url=moved), fetch_of(moved, 5))
    assert show(database, URL)["url"] == moved


def test_migration_0005_fills_url_from_what_was_fetched_and_drops_unseen_keys(db_url):
    plain = archive_at(db_url, "0004")
    key = URL.rstrip("/")
    bare = f"{BASE}nyheter/utan-snedstreck"  # served without a slash: its key is itself
    with plain.begin() as connection:
        for article_id, canonical in ((1, key), (2, bare)):
            connection.execute(text(
                "INSERT INTO articles (id, canonical_url, language, first_seen, last_seen,"
                " content_hash, body_hash, title) VALUES (:id, :c, 'sv', :t, :t, 'h', 'b', 'T')"),
                {"id": article_id, "c": canonical, "t": T0})
        for article_id, url, normal in ((1, URL, key), (1, key, key),
                                        (1, URL + "?utm_source=x", key), (2, bare, bare)):
            connection.execute(text(
                "INSERT INTO article_urls (url, normalized_url, article_id, kind, first_seen,"
                " last_seen) VALUES (:u, :n, :a, 'canonical', :t, :t)"),
                {"u": url, "n": normal, "a": article_id, "t": T0})
        for article_id, url in ((1, URL), (2, bare)):
            connection.execute(text(
                "INSERT INTO revisions (article_id, number, fetched_at, url, title, language,"
                " tags, text, content_hash, extractor_version, origin, change_kind,"
                " lines_added, lines_removed) VALUES (:a, 1, :t, :u, 'T', 'sv', '[]', 'x', 'h',"
                " 'old', 'site', 'new', 1, 0)"), {"a": article_id, "u": url, "t": T0})
        connection.execute(text("UPDATE articles SET current_revision_id = (SELECT r.id FROM "
                                "revisions r WHERE r.article_id = articles.id)"))
    plain.dispose()
    with Database(db_url) as database:
        assert archive_db.current_revision(database.engine) == archive_db.head_revision()
        first, second = show(database, "1"), show(database, "2")
        assert first["url"] == URL and sorted(first["urls"]) == [URL, URL + "?utm_source=x"]
        assert second["url"] == bare and second["urls"] == [bare]
        # The archive goes on working: a re-crawl of the same page is unchanged.
        result = ingest(database, record_of(STORY, title="T", text="x", tags=(),
                                            published=None, modified=None),
                        Fetch(url=URL, fetched_at=T0 + timedelta(days=1)))
        assert result.article_id == 1
