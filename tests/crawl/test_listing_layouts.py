"""No false alarms, end to end: a real crawl of a replica whose listings come in every layout
found in real WordPress themes (the date before the teaser's title, after it, in the category
line, none; headings or a page builder's title links), each where a naive rule takes it for an
article: below a news section (``news-path``), in the sitemap of posts (``sitemap-post``), the
first teaser's date right under the listing's headline (``dated-byline``), a ``BlogPosting``
microdata scope per teaser (GeneratePress), tag pages in Yoast's ``post_tag-sitemap.xml``.
The crawl exits 0, records no failure and archives the articles, never a listing."""

from __future__ import annotations

from html import escape

from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import FetchFailure
from tests.helpers.crawl_helpers import export, run_crawl
from tests.replica import content
from tests.replica.listings import LAYOUTS, Card, listing_html
from tests.replica.site import PREFIX, Page, ReplicaServer, ReplicaSite

STORIES = [s for s in content.STORIES if s.date_text][:6]


class LayoutsSite(ReplicaSite):
    """The replica's articles, plus a category listing (three teasers, and a second page of
    one) in each layout below ``nyheter/``, and a tag page of each layout."""

    def cards(self, stories) -> list[Card]:
        return [Card(s.title, self.url(self.paths[s.key]), s.date_text or "",
                     s.paragraphs[0][:140], s.tags[0] if s.tags else "",
                     self.url(f"{PREFIX}tag/{layout_slug(s.tags[0])}/") if s.tags else "")
                for s in stories]

    def listing_paths(self) -> list[str]:
        paths = []
        for layout in LAYOUTS:
            root = f"{PREFIX}nyheter/kategori/{layout}/"
            paths += [root, f"{root}page/2/", f"{PREFIX}tag/{layout}/"]
        return paths

    def render(self) -> None:
        super().render()
        base = self.url(PREFIX)
        for layout in LAYOUTS:
            root = f"{PREFIX}nyheter/kategori/{layout}/"
            self.pages[root] = Page(listing_html(
                layout, f"Kategori {layout}", self.cards(STORIES[:3]), base,
                next_href=self.url(f"{root}page/2/")).encode())
            self.pages[f"{root}page/2/"] = Page(listing_html(
                layout, f"Kategori {layout}", self.cards(STORIES[3:4]), base).encode())
            self.pages[f"{PREFIX}tag/{layout}/"] = Page(listing_html(
                layout, f"Tagg {layout}", self.cards(STORIES[4:6]), base).encode())
        # The category listings in the sitemap of posts, the tag pages in Yoast's tag sitemap.
        categories = "".join(f"<url><loc>{escape(self.url(p))}</loc></url>"
                             for p in self.listing_paths() if "/kategori/" in p)
        tags = "".join(f"<url><loc>{escape(self.url(p))}</loc></url>"
                       for p in self.listing_paths() if "/tag/" in p)
        posts = self.pages[f"{PREFIX}sitemap-articles.xml"]
        posts.body = posts.body.replace(b"</urlset>", categories.encode() + b"</urlset>")
        self.pages[f"{PREFIX}post_tag-sitemap.xml"] = Page(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{tags}</urlset>'.encode(),
            content_type="application/xml")
        index = self.pages["/sitemap_index.xml"]
        index.body = index.body.replace(
            b"</sitemapindex>", f"<sitemap><loc>{escape(self.url(PREFIX))}post_tag-sitemap.xml"
                                f"</loc></sitemap></sitemapindex>".encode())


def layout_slug(tag: str) -> str:
    return tag.lower().replace(" ", "-").replace("&", "och")


def test_listings_in_every_layout_are_no_failures(sqlite_url):
    site = LayoutsSite(stories=STORIES)
    with ReplicaServer(site) as server:
        result = run_crawl(sqlite_url, server.base + PREFIX)
        requested = {path.split("?", 1)[0] for path in server.paths()}
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    # Every listing was fetched (through the sitemaps and the pagers) ...
    assert set(site.listing_paths()) <= requested, sorted(set(site.listing_paths()) - requested)
    # ... none is a failure, none is archived: the archive holds the articles as news and the
    # replica's about and theme pages with their kinds, never a listing, pager or tag page.
    with Database(sqlite_url) as db, db.session() as session:
        failures = {f.url: f.reason for f in session.scalars(select(FetchFailure))}
    assert failures == {}, failures
    assert "failed 0," in result.stdout.decode(), result.stdout.decode()
    kinds = {row["url"]: row["kind"] for row in export(sqlite_url)}
    news = {url for url, kind in kinds.items() if kind == "news"}
    assert news == {site.url(site.paths[s.key]) for s in STORIES}
    others = {url.split(PREFIX, 1)[1]: kind for url, kind in kinds.items() if kind != "news"}
    assert others == {"om-oss/": "page", "teman/bostad/": "theme"}, others
