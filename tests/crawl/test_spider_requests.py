"""What the spider asks of the portal, on a real crawl of a tiny replica: one request per page
however many tracking variants link it, at most as many query variants of a path as
``NORDARCHIVE_MAX_QUERY_VARIANTS`` says, and a 308 moves an article as a 301 does."""

from __future__ import annotations

from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import ArticleUrl
from tests.helpers.crawl_helpers import crawl
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal


def test_each_page_once_query_variants_capped_and_308_is_a_move(sqlite_url, tmp_path):
    first, second, third = content.STORIES[:3]
    with tiny_portal([first, second, third], linked=[first, third]) as portal:
        site = portal.site
        old = f"{PREFIX}nyheter/gammal-adress/"
        site.pages[old] = Page(b"", status=308, location=site.url(site.paths[second.key]))
        plain, query = site.url(site.paths[first.key]), site.url(site.paths[third.key])
        links = "".join(f'<a href="{href}">x</a>' for href in (
            plain + "?utm_source=nyhetsbrev", plain + "?utm_medium=email", site.url(old),
            query + "?sida=1", query + "?sida=2"))
        home = site.pages[PREFIX]
        home.body = home.body.replace(b"</ul>", f"</ul><p>{links}</p>".encode())
        crawl(sqlite_url, portal, tmp_path / "warc", "--set",
              "NORDARCHIVE_MAX_QUERY_VARIANTS=1")
        asked = portal.paths()
        portal.clear()  # a re-crawl: archived pages are asked again, each once all the same
        crawl(sqlite_url, portal, tmp_path / "warc")
        again = portal.paths()
    assert sum(p.split("?")[0] == site.paths[first.key] for p in asked) == 1, asked
    assert sum(p.split("?")[0] == site.paths[first.key] for p in again) == 1, again
    assert sum(p.startswith(site.paths[third.key] + "?") for p in asked) == 1, asked
    from archive.storage.models import ListedUrl

    with Database(sqlite_url) as db, db.session() as session:
        kinds = dict(session.execute(select(ArticleUrl.url, ArticleUrl.kind)).all())
        listed = set(session.scalars(select(ListedUrl.url).where(ListedUrl.source == "page")))
    assert kinds[site.url(old)] == "redirect", kinds  # the old address of the moved article
    # what `coverage` compares with the archive: the article links the pages list
    assert {plain, query} <= listed, listed


def test_start_urls_come_from_the_command_line_or_the_settings():
    """``scrapy crawl portal -a start_urls=A,B`` and ``NORDARCHIVE_START_URLS``: the spider
    crawls (and scopes itself to) exactly those."""
    from scrapy.utils.test import get_crawler

    from crawler.spiders.portal import PortalSpider

    a, b = "https://example.org/one/", "https://example.org/two/"
    given = PortalSpider.from_crawler(get_crawler(PortalSpider), start_urls=f"{a},{b}")
    assert given.start_urls == [a, b]
    configured = PortalSpider.from_crawler(
        get_crawler(PortalSpider, settings_dict={"NORDARCHIVE_START_URLS": [b]}))
    assert configured.start_urls == [b]
    assert configured.scope.allows(b + "page/") and not configured.scope.allows(a + "page/")


def test_a_sitemap_index_at_the_host_root_leads_to_sitemaps_outside_the_prefix(sqlite_url,
                                                                               tmp_path):
    from archive.storage.models import ListedUrl

    first, hidden = content.STORIES[:2]
    with tiny_portal([first, hidden], linked=[first]) as portal:
        site = portal.site
        xml = "application/xml"
        site.pages["/robots.txt"] = Page(
            f"User-agent: *\nSitemap: {site.url('/sitemap_index.xml')}\n".encode(),
            content_type="text/plain")
        site.pages["/sitemap_index.xml"] = Page(
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9"><sitemap><loc>{site.url("/news-sitemap.xml")}</loc>'
            "</sitemap></sitemapindex>".encode(), content_type=xml)
        site.pages["/news-sitemap.xml"] = Page(
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9"><url><loc>{site.url(site.paths[hidden.key])}</loc></url>'
            "</urlset>".encode(), content_type=xml)
        out = crawl(sqlite_url, portal, tmp_path / "warc")
    assert "new 2," in out, out  # the story no page links, found through the sitemaps
    with Database(sqlite_url) as db, db.session() as session:
        listed = set(session.execute(select(ListedUrl.url, ListedUrl.source)).all())
    assert (site.url(site.paths[hidden.key]), "sitemap") in listed, listed


def test_a_new_link_to_a_soft_404_is_neither_archived_nor_a_failure(sqlite_url, tmp_path):
    from tests.helpers.crawl_helpers import last_run

    first = content.STORIES[0]
    gone = f"{PREFIX}nyheter/en-nyhet-som-flyttats/"
    soft_404 = ('<!DOCTYPE html><html lang="sv"><head><title>Sidan hittades inte</title></head>'
                '<body class="error404"><main><h1>Sidan hittades inte</h1><p>Sidan du söker '
                'finns inte längre. Gå till <a href="/integration-norden/">startsidan</a> eller '
                'sök bland våra nyheter och publikationer om integration i Norden.</p>'
                '</main></body></html>').encode()
    with tiny_portal([first]) as portal:
        site = portal.site
        site.pages[gone] = Page(soft_404)
        home = site.pages[PREFIX]
        home.body = home.body.replace(b"</ul>", f'</ul><a href="{site.url(gone)}">x</a>'.encode())
        crawl(sqlite_url, portal, tmp_path / "warc")
        assert gone in portal.paths()
    with Database(sqlite_url) as db:
        run = last_run(db)
    assert (run["new"], run["failed"]) == (1, 0), run


def test_an_archived_article_that_now_fails_extraction_is_a_failure_not_a_removal(sqlite_url,
                                                                                 tmp_path):
    from tests.guarantees.test_guarantees_crawl import CONSENT_WALL
    from tests.helpers.crawl_helpers import last_run

    first, second = content.STORIES[:2]
    with tiny_portal([first, second]) as portal:
        site = portal.site
        crawl(sqlite_url, portal, tmp_path / "warc")
        site.pages[site.paths[first.key]] = Page(CONSENT_WALL)  # in place, answered 200
        crawl(sqlite_url, portal, tmp_path / "warc", "--set",
              "NORDARCHIVE_MAX_FAILURE_RATIO=1")
    with Database(sqlite_url) as db:
        run = last_run(db)
    assert (run["failed"], run["removed"], run["unchanged"]) == (1, 0, 1), run
