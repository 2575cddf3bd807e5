"""End-to-end: every listed article is reached (pagination spends no depth; the trap guard
and the page cap bound it and say so), and a stale sitemap ``lastmod`` delays an edit by at
most ``NORDARCHIVE_REVERIFY_DAYS``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, CrawlRun
from tests.helpers.crawl_helpers import COUNTERS, cli_json, run_crawl
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite


def numbered_stories(n: int) -> list[content.Story]:
    """``n`` distinct Swedish news stories (all in the one news listing)."""
    base = [s for s in content.STORIES if s.key.startswith("sv-")]
    return [replace(s, key=f"sv-{i}-{s.key[3:]}", slug=f"{s.slug}-{i}",
                    title=f"{s.title} ({i})",
                    paragraphs=(f"Del {i}. " + s.paragraphs[0], *s.paragraphs[1:]))
            for i, s in enumerate(base[i % len(base)] for i in range(n))]


def archived(db_url) -> int:
    with Database(db_url) as db, db.session() as session:
        return session.scalar(select(func.count()).select_from(Article))


def test_a_60_page_listing_without_sitemap_is_archived_whole(tmp_path, sqlite_url):
    site = ReplicaSite(stories=numbered_stories(60), sitemap=False, page_size=1)
    with ReplicaServer(site) as portal:
        result = run_crawl(sqlite_url, portal.base + PREFIX)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert archived(sqlite_url) == 60 + len(ARCHIVED_PAGES)  # and the theme and about pages
        assert b"cut" not in result.stderr and b"stopped" not in result.stderr
        # A page cap cuts the listing short, and the crawl says so.
        capped = f"sqlite:///{tmp_path / 'capped.db'}"
        result = run_crawl(capped, portal.base + PREFIX, "--set",
                           "NORDARCHIVE_MAX_LISTING_PAGES=20")
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert 20 <= archived(capped) < 30 + len(ARCHIVED_PAGES)
        assert b"NORDARCHIVE_MAX_LISTING_PAGES=20" in result.stderr, result.stderr[-2000:]


def runs(db_url) -> list[dict]:
    with Database(db_url) as db, db.session() as session:
        return [{k: getattr(r, k) for k in COUNTERS}
                for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id))]


def shift_last_seen(db_url, delta: timedelta, *, titles: set[str] | None = None) -> None:
    """Age the archive's last-verified times (``articles.last_seen``) instead of waiting."""
    with Database(db_url) as db, db.session() as session:
        for article in session.scalars(select(Article)):
            if titles is None or article.title in titles:
                article.last_seen = article.last_seen - delta


def test_an_edit_behind_a_stale_lastmod_is_archived_within_the_window(sqlite_url):
    stories = [*content.STORIES[:8], content.BY_KEY["da-unge"]]  # da-unge: sitemap only
    site = ReplicaSite(stories=stories)
    key = "da-unge"
    url = None
    with ReplicaServer(site) as portal:
        url = site.url(site.paths[key])
        assert run_crawl(sqlite_url, portal.base + PREFIX).returncode == 0
        story = content.BY_KEY[key]

        def edit(n: int) -> None:
            site.edit(key, bump_lastmod=False,
                      paragraphs=(*story.paragraphs, f"Tilføjelse nummer {n}."))
            site.render()

        # Within the window, the stale lastmod is believed: skipped, and counted as such
        # (the other articles are the longest unverified, so this crawl's share goes to them).
        edit(1)
        shift_last_seen(sqlite_url, timedelta(hours=1),
                        titles={s.title for s in stories if s.key != key})
        assert run_crawl(sqlite_url, portal.base + PREFIX).returncode == 0
        assert len(cli_json(sqlite_url, "history", url)) == 1
        second = runs(sqlite_url)[-1]
        assert second["skipped"] >= 1 and sum(second.values()) == 9 + len(ARCHIVED_PAGES), second
        # Not verified for 8 days (> NORDARCHIVE_REVERIFY_DAYS=7): fetched, the edit archived.
        shift_last_seen(sqlite_url, timedelta(days=8))
        assert run_crawl(sqlite_url, portal.base + PREFIX).returncode == 0
        assert len(cli_json(sqlite_url, "history", url)) == 2
        third = runs(sqlite_url)[-1]
        counted = 9 + len(ARCHIVED_PAGES)
        assert (third["revised"], third["skipped"], sum(third.values())) == (1, 0, counted), third
        # NORDARCHIVE_REVERIFY_DAYS=0: every article on every crawl.
        edit(2)
        assert run_crawl(sqlite_url, portal.base + PREFIX, "--set",
                         "NORDARCHIVE_REVERIFY_DAYS=0").returncode == 0
        assert len(cli_json(sqlite_url, "history", url)) == 3
        fourth = runs(sqlite_url)[-1]
        assert (fourth["revised"], fourth["skipped"], sum(fourth.values())) == (1, 0, counted), \
            fourth
