"""The replica portal as a website: pages by path, conditional requests, redirects, removals,
served by a real HTTP server on a loopback address. Tests change it between crawls."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler

from tests.helpers.loopback import LoopbackServer
from tests.replica import content, templates
from tests.replica.content import Story
from tests.replica.corpus import _VARIANTS
from tests.replica.templates import Chrome, PageLinks, Teaser

PREFIX = "/integration-norden/"
LISTING_PAGE_SIZE = 4  # small, so that the replica paginates
#: Pages the site marks as articles (og:type, JSON-LD NewsArticle, a dated by-line, the posts
#: sitemap) that the crawl must not archive, by path: ``coverage`` accounts for each.
UNARCHIVABLE = {
    # Headline and date, no body: extract() refuses it (no-text).
    f"{PREFIX}nyheter/seminarium-utan-text/": Story(
        "sv-utan-text", "sv", "seminarium-utan-text", "Seminarium om nyanlända kvinnor", (),
        ("Arbete",), datetime(2019, 3, 14).date(), date_text="14 mar 2019"),
    # A news item filed under a theme page's path: archived since every kind of page is
    # (kind ``news``: a dated page below a theme), no longer a failure.
    f"{PREFIX}teman/bostad/ny-rapport-om-boende/": Story(
        "sv-tema-rapport", "sv", "ny-rapport-om-boende", "Ny rapport om boende för nyanlända",
        ("Rapporten beskriver hur kommunerna i Norden ordnar boende för nyanlända under de "
         "första åren och vilka lösningar som har fungerat bäst för familjer och ensamstående.",
         "Den bygger på intervjuer med tjänstepersoner i tjugo kommuner och på statistik från "
         "de nationella myndigheterna under åren 2016 till 2020."),
        ("Bostad",), datetime(2021, 5, 4).date(), date_text="4 maj 2021"),
    # Listed in the sitemap, forbidden by robots.txt: never fetched.
    f"{PREFIX}privat/intern-nyhet/": Story(
        "sv-intern", "sv", "intern-nyhet", "Intern nyhet", ("Intern text. " * 20,), (),
        datetime(2020, 1, 1).date(), date_text="1 jan 2020"),
}

#: The replica's undated pages that are archived like articles (title, kind), by path: its
#: theme page and its about page. Its listings, pagination and home page never are.
ARCHIVED_PAGES = {
    f"{PREFIX}teman/bostad/": ("Bostad", "theme"),
    f"{PREFIX}om-oss/": ("Om oss", "page"),
}


@dataclass
class Page:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    last_modified: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    location: str | None = None
    #: Further response headers (``Retry-After``).
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class Request:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    size: int
    #: When it arrived (``time.monotonic()`` of the server): politeness is measured here.
    at: float = 0.0
    #: When its answer had been written: from then on the crawler can know it.
    answered: float = 0.0


def story_path(story: Story) -> str:
    """Swedish news under nyheter/, English under en/nyheter/, the rest directly under the
    prefix with their language suffix and no trailing slash (newer pages)."""
    if story.lang == "en":
        return f"{PREFIX}en/nyheter/{story.slug}/"
    if story.key.startswith("sv-"):
        return f"{PREFIX}nyheter/{story.slug}/"
    return f"{PREFIX}{story.slug}"


class ReplicaSite:
    """A portal of ``stories``; ``render()`` builds every page from the current state."""

    def __init__(self, stories: list[Story] | None = None, *, padding: bool = False,
                 other_host: str = "http://127.0.0.2:9/",
                 page_size: int = LISTING_PAGE_SIZE, sitemap: bool = True,
                 unarchivable: bool = False) -> None:
        self.page_size = page_size
        #: False: no sitemap at all (robots.txt names none, the well-known paths 404).
        self.sitemap = sitemap
        #: Serve ``UNARCHIVABLE`` pages and list them in the sitemap.
        self.unarchivable = unarchivable
        self.stories = {s.key: s for s in (stories or content.STORIES)}
        self.paths = {key: story_path(s) for key, s in self.stories.items()}
        self.removed: set[str] = set()
        self.redirects: dict[str, str] = {}
        #: Retired articles: their URL answers 301 to another page and nothing links them.
        self.retired: dict[str, str] = {}
        #: Articles whose URL answers 200 with a "page not found" page (a soft 404).
        self.soft_404: set[str] = set()
        self.extra_pages: dict[str, Page] = {}
        self.chrome_variant: dict[str, Chrome] = {}
        self.padding = padding
        self.other_host = other_host
        self.base = "http://127.0.0.1"
        self.lastmod: dict[str, datetime] = {}
        self.feed_only = {"is-ungmenni"}
        self.sitemap_only = {"da-unge"}
        self.pages: dict[str, Page] = {}

    # -- changes between crawls ---------------------------------------------------------------
    def edit(self, key: str, *, bump_lastmod: bool = True, **changes) -> None:
        """Change an article; ``bump_lastmod=False`` keeps its sitemap lastmod (many plugins
        and page builders do not bump it)."""
        self.stories[key] = replace(self.stories[key], **changes)
        if bump_lastmod:
            self.lastmod[key] = datetime.now(UTC)

    def retire(self, key: str, target_path: str) -> None:
        """How WordPress redirect plugins retire a post: 301 to ``target_path``, unlinked."""
        self.retired[key] = target_path

    def make_soft_404(self, key: str) -> None:
        self.soft_404.add(key)

    def restore(self, key: str) -> None:
        self.removed.discard(key)
        self.retired.pop(key, None)
        self.soft_404.discard(key)

    def remove(self, key: str) -> None:
        self.removed.add(key)

    def move(self, key: str, new_slug: str) -> None:
        old = self.paths[key]
        self.stories[key] = replace(self.stories[key], slug=new_slug)
        self.lastmod[key] = datetime.now(UTC)
        self.paths[key] = story_path(self.stories[key])
        self.redirects[old] = self.paths[key]

    def rechrome(self, key: str, chrome: Chrome) -> None:
        """Change only the page around the article (banner, teasers, share bar); the CMS
        announces a new lastmod, so the crawl fetches it again."""
        self.chrome_variant[key] = chrome
        self.lastmod[key] = datetime.now(UTC)

    # -- rendering ----------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + path

    def live(self) -> list[Story]:
        gone = self.removed | set(self.retired) | self.soft_404
        return [s for k, s in self.stories.items() if k not in gone]

    def teaser(self, story: Story) -> Teaser:
        return Teaser(story.title, self.url(self.paths[story.key]), story.date_text or "",
                      story.paragraphs[0][:90])

    def render(self) -> None:
        pages: dict[str, Page] = {}
        live = self.live()
        linked = [s for s in live if s.key not in self.feed_only | self.sitemap_only]
        for i, story in enumerate(live):
            chrome = self.chrome_variant.get(story.key, _VARIANTS[i % len(_VARIANTS)])
            if self.padding:
                chrome = replace(chrome, padding=True)
            teasers = [self.teaser(s) for s in linked if s.key != story.key][:3]
            links = PageLinks(base=PREFIX, teasers=teasers)
            links.teasers = [replace(t, href=t.href) for t in teasers]
            html = templates.portal_page(story, self.url(self.paths[story.key]), chrome, links)
            html = html.replace('href="/integration-norden/',
                                f'href="{self.base}/integration-norden/')
            pages[self.paths[story.key]] = Page(html.encode(), last_modified=self.lastmod.get(
                story.key, datetime(2026, 1, 1, tzinfo=UTC)))
        for key in self.removed:
            pages[self.paths[key]] = Page(b"<html><body><h1>Sidan finns inte</h1></body></html>",
                                          status=404)
        for old, new in self.redirects.items():
            pages[old] = Page(b"", status=301, location=self.url(new))
        for key, target in self.retired.items():
            pages[self.paths[key]] = Page(b"", status=301, location=self.url(target))
        for key in self.soft_404:
            pages[self.paths[key]] = Page(templates.not_found_page(self.url(PREFIX)).encode())
        if self.unarchivable:
            marked = Chrome(og_article=True, json_ld=True)
            for path, story in UNARCHIVABLE.items():
                pages[path] = Page(templates.portal_page(story, self.url(path), marked).encode())
        self._listings(pages, linked)
        self._discovery(pages, live)
        pages.update(self.extra_pages)
        self.pages = pages

    def _listing(self, title: str, items: list[Story], lang: str, path: str,
                 next_path: str | None, intro: str = "", extra: str = "") -> Page:
        teasers = [self.teaser(s) for s in items]
        html = templates.listing_page(title, teasers, lang, self.url(PREFIX),
                                      self.url(next_path) if next_path else None, intro)
        html = html.replace("</main>", extra + "</main>")
        return Page(html.encode())

    def _listings(self, pages: dict[str, Page], linked: list[Story]) -> None:
        sv = [s for s in linked if s.lang != "en"]
        en = [s for s in linked if s.lang == "en"]
        for lang, items, root in (("sv", sv, f"{PREFIX}nyheter/"),
                                  ("en", en, f"{PREFIX}en/nyheter/")):
            chunks = [items[i:i + self.page_size]
                      for i in range(0, len(items), self.page_size)] or [[]]
            for n, chunk in enumerate(chunks, 1):
                path = root if n == 1 else f"{root}page/{n}/"
                nxt = f"{root}page/{n + 1}/" if n < len(chunks) else None
                pages[path] = self._listing("Nyheter" if lang == "sv" else "News", chunk, lang,
                                            path, nxt)
        feed_link = (f'<link rel="alternate" type="application/rss+xml" '
                     f'href="{self.url(PREFIX)}feed/">')
        home_extra = (
            f'<p><a href="{self.url(PREFIX)}nyheter/">Nyheter</a> '
            f'<a href="{self.url(PREFIX)}en/nyheter/?utm_source=newsletter&utm_medium=email">'
            f'News</a> <a href="{self.url(PREFIX)}teman/bostad/">Bostad</a> '
            f'<a href="{self.url(PREFIX)}om-oss/">Om oss</a> '
            f'<a href="{self.url("/popnad/")}">Popnad</a> '
            f'<a href="{self.other_host}">Other site</a> '
            f'<a href="mailto:info@example.org">E-post</a></p>')
        home = self._listing("Nordiskt samarbete om integration och inkludering",
                             linked[:3], "sv", PREFIX, None, extra=home_extra)
        home.body = home.body.replace(b"</head>", feed_link.encode() + b"</head>")
        pages[PREFIX] = home
        # A tracking-parameter link to an article from the theme page: no duplicate.
        first_sv = next((s for s in linked if s.key.startswith("sv-")), None)
        tracking = (f'<p><a href="{self.url(self.paths[first_sv.key])}?utm_campaign=tema&'
                    f'fbclid=x1">Läs</a></p>' if first_sv else "")
        pages[f"{PREFIX}teman/bostad/"] = self._listing(
            "Bostad", [s for s in linked if "Bostad" in s.tags], "sv",
            f"{PREFIX}teman/bostad/", None,
            intro="Här samlar vi nyheter om bostadsfrågor för nyanlända i Norden. " * 4,
            extra=tracking)
        pages[f"{PREFIX}om-oss/"] = self._listing(
            "Om oss", [], "sv", f"{PREFIX}om-oss/", None,
            intro="Nordiskt samarbete om integration och inkludering är ett kunskapsprogram. " * 4)
        # A sister sub-site on the same host: never fetched.
        pages["/popnad/"] = Page(b"<html><body><article><h1>Popnad</h1><p>" +
                                 b"Out of scope text. " * 40 + b"</p></article></body></html>")

    def _discovery(self, pages: dict[str, Page], live: list[Story]) -> None:
        pages["/robots.txt"] = Page(
            (f"User-agent: *\nDisallow: {PREFIX}privat/\n"
             + (f"Sitemap: {self.url('/sitemap_index.xml')}\n" if self.sitemap else ""))
            .encode(), content_type="text/plain")
        items = "".join(
            f"<item><title>{escape(s.title)}</title><link>{escape(self.url(self.paths[s.key]))}"
            f"</link></item>" for s in live if s.key in self.feed_only)
        pages[f"{PREFIX}feed/"] = Page(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Nyheter</title>'
            f"{items}</channel></rss>".encode(), content_type="application/rss+xml")
        if not self.sitemap:
            return
        index = "".join(
            f"<sitemap><loc>{escape(self.url(p))}</loc><lastmod>2026-06-01</lastmod></sitemap>"
            for p in (f"{PREFIX}sitemap-articles.xml", "/popnad/sitemap.xml"))
        pages["/sitemap_index.xml"] = Page(
            f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
            .encode(), content_type="application/xml")
        urls = "".join(
            f"<url><loc>{escape(self.url(self.paths[s.key]))}</loc><lastmod>"
            f"{self.lastmod.get(s.key, datetime(2026, 1, 1, tzinfo=UTC)).date().isoformat()}"
            f"</lastmod></url>"
            for s in live if s.key not in self.feed_only)
        if self.unarchivable:
            urls += "".join(f"<url><loc>{escape(self.url(p))}</loc></url>" for p in UNARCHIVABLE)
        pages[f"{PREFIX}sitemap-articles.xml"] = Page(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
            content_type="application/xml")


class ReplicaServer:
    """Serves a ``ReplicaSite`` over HTTP on 127.0.0.1 and logs every request."""

    def __init__(self, site: ReplicaSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.requests: list[Request] = []
        #: Seconds to wait before answering each request (a slow portal).
        self.delay = 0.0
        #: Answers given once each, in order, before a path's regular page (a 429, a 503).
        self.scripted: dict[str, list[Page]] = {}
        #: Paths whose answer waits until their event is set (to order responses in a test).
        self.held: dict[str, threading.Event] = {}
        #: Called with each request's path before it is answered, in the server's thread:
        #: tests hold requests on an event or a barrier there (races ordered without sleeps).
        self.before: Callable[[str], None] | None = None
        #: Arrival of the latest request (``time.monotonic()``), answered or not.
        self.last_arrival = 0.0
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self.server = LoopbackServer(self._serve, host, port)
        self.host, self.port = self.server.host, self.server.port
        site.base = self.server.base
        site.render()

    @property
    def base(self) -> str:
        return self.site.base

    def start(self) -> ReplicaServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = self.last_arrival = time.monotonic()
        if self.before is not None:
            self.before(handler.path)
        if self.delay:
            time.sleep(self.delay)
        path = handler.path.split("?", 1)[0].split("#", 1)[0]
        if path in self.held:
            self.held[path].wait(timeout=120)
        with self._lock:
            script = self.scripted.get(path)
            page = script.pop(0) if script else self.site.pages.get(path)
        headers = {k: v for k, v in handler.headers.items()}
        if page is None:
            page = Page(b"<html><body><h1>404</h1></body></html>", status=404)
        status, body = page.status, page.body
        extra: dict[str, str] = {}
        if status == 200:
            extra = {"ETag": page.etag, "Last-Modified": format_datetime(page.last_modified,
                                                                         usegmt=True)}
            if headers.get("If-None-Match") == page.etag:
                status, body = 304, b""
        if page.location:
            extra["Location"] = page.location
        extra.update(page.headers)
        record = Request("GET", handler.path, status, headers, len(body), arrived)
        with self._lock:
            self.requests.append(record)
        handler.send_response(status)
        handler.send_header("Content-Type", page.content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body)
        handler.wfile.flush()
        record.answered = time.monotonic()
        with self._answered:
            self._answered.notify_all()

    def wait_for(self, predicate: Callable[[list[Request]], bool], timeout: float = 120) -> bool:
        """Block until ``predicate(requests)`` holds once a response has been written."""
        with self._answered:
            return self._answered.wait_for(lambda: predicate(self.requests), timeout)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
