"""The ``portal`` spider: discover every article of the portal, in every language, and hand
each page to extraction and the archive."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.utils.gz import gunzip

from archive.ingest.records import Fetch
from archive.sources.store import SourceFetch, source_kind
from archive.storage.urls import clean_url, normalize_url
from crawler import discovery, pagination, served
from crawler.extensions import CrawlSession, open_session
from crawler.extraction import ExtractionError, extract_tree, own_url, parse_html
from crawler.extraction import signals as markup
from crawler.extraction.page_kind import is_listing_url
from crawler.items import (
    ArticlePage,
    FailedPage,
    GonePage,
    ListedUrls,
    NotModifiedPage,
    RetiredPage,
    SourceChecked,
    SourceRefused,
)
from crawler.scope import Scope
from crawler.source_requests import (
    SOURCE_MAX_BYTES,
    failure_outcome,
    fetch_of_response,
    source_request,
)

logger = logging.getLogger(__name__)

_PERMANENT = (301, 308)


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, start_urls: str | list[str] | None = None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(start_urls, str):
            start_urls = [u for u in start_urls.split(",") if u]
        self._given_start_urls = start_urls
        self.reached: set[str] = set()
        self.requested: set[str] = set()
        self.seen_links: set[str] = set()
        self.seen_hrefs: set[str] = set()
        self.query_variants: dict[str, set[str]] = defaultdict(set)
        self.start_ok = 0
        #: Start URLs that could not be fetched, with the cause (the CLI's error line when
        #: none answered; a warning when others did).
        self.start_failures: dict[str, str] = {}
        self.discovered: set[str] = set()
        #: Normal forms of the URLs that sitemaps of posts list ("article" by the site's word).
        self.post_urls: set[str] = set()
        self.session: CrawlSession | None = None
        #: discovery → recheck (archived articles not reached) → deferred (new pages) → done
        self.phase = "discovery"
        #: Pages the archive does not know, held back in a re-crawl until the archived articles
        #: were re-checked: an old URL's redirect then reaches a moved article first.
        self.deferred: list[tuple[str, int]] = []
        #: Normal forms of the sources the archive knows, and of those asked for in this crawl.
        self.known_sources: set[str] = set()
        self.sources_asked: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        urls = spider._given_start_urls or crawler.settings.getlist("NORDARCHIVE_START_URLS")
        spider.start_urls = urls
        spider.scope = Scope.from_start_urls(urls)
        spider.max_variants = crawler.settings.getint("NORDARCHIVE_MAX_QUERY_VARIANTS", 3)
        spider.recheck_known = crawler.settings.getbool("NORDARCHIVE_RECHECK_KNOWN", True)
        spider.guard = pagination.PaginationGuard(
            crawler.settings.getint("NORDARCHIVE_MAX_LISTING_PAGES", 1000))
        spider.fetch_sources = crawler.settings.getbool("NORDARCHIVE_SOURCES", True)
        spider.source_max_bytes = crawler.settings.getint("NORDARCHIVE_SOURCE_MAX_BYTES",
                                                          SOURCE_MAX_BYTES)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @property
    def validators(self):
        return self.session.validators if self.session else {}

    # -- start ----------------------------------------------------------------------------
    async def start(self):
        self.session = open_session(self.settings, list(self.start_urls))
        if self.fetch_sources:
            self.known_sources = self.session.known_sources
            for due in self.session.due_sources:
                for request in self._source(due.url, due):
                    yield request
        for url in self.start_urls:
            self.requested.add(normalize_url(url))
            # A start URL that fails says so in one line (``failed``), not in retry logs.
            yield scrapy.Request(url, callback=self.parse_page, errback=self.failed,
                                 priority=100, meta={"start": True, "conditional": False,
                                                     "page": True,
                                                     "give_up_log_level": logging.INFO},
                                 dont_filter=True)

    def _discover(self, url: str):
        """robots.txt and the well-known sitemaps of a start URL's host, once it answered:
        nothing else is requested from a portal that no start URL reached."""
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if root in self.discovered:
            return
        self.discovered.add(root)
        # Ahead of the start page's links: the site's sitemaps come first, as they would
        # have had they been asked for with the start URL.
        yield scrapy.Request(root + "/robots.txt", callback=self.parse_robots,
                             errback=self.ignore, meta=self._host_meta(), priority=90)
        for path in discovery.WELL_KNOWN_SITEMAPS:
            yield scrapy.Request(root + path, callback=self.parse_sitemap,
                                 errback=self.ignore, meta=self._host_meta(), priority=90)

    @staticmethod
    def _host_meta() -> dict:
        return {"conditional": False, "handle_httpstatus_list": [404, 410]}

    # -- discovery ------------------------------------------------------------------------
    def parse_robots(self, response):
        if response.status != 200:
            return
        for url in discovery.sitemaps_in_robots(response.text, response.url):
            if self.scope.allows(url) or self.scope.allows_host_file(url):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.ignore,
                                     meta=self._host_meta())

    def parse_sitemap(self, response):
        if response.status != 200:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception as error:  # noqa: BLE001 - a bad or oversized archive: skip it
                logger.warning("sitemap %s not read: %s", response.url, error)
                self.crawler.stats.inc_value("nordarchive/sitemap_refused")
                return
        kind, entries = discovery.parse_sitemap(body)
        if kind == "urlset":
            listed = [loc for loc, _ in entries if self.scope.allows(loc)]
            # the progress display's estimate of the total
            self.crawler.stats.inc_value("nordarchive/sitemap_urls", len(listed))
            if markup.sitemap_lists_posts(response.url):
                self.post_urls.update(normalize_url(loc) for loc in listed)
            if listed:
                yield ListedUrls(listed, "sitemap", response.url)
        for loc, lastmod in entries:
            if kind == "sitemapindex":
                if self.scope.allows(loc) or self.scope.allows_host_file(loc):
                    yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.ignore,
                                         meta=self._host_meta())
            elif self.scope.allows(loc):
                request = self._follow(loc, lastmod=lastmod)
                if request is not None:
                    yield request

    def _follow(self, url: str, *, lastmod: datetime | None = None, depth: int = 0,
                meta: dict | None = None):
        """A request for an in-scope page, or None (already reached, unchanged since its
        sitemap lastmod and not due for re-verification, one query variant too many, or held
        back until the archived articles are re-checked)."""
        if url in self.seen_links:  # menus repeat the same links on every page
            return None
        self.seen_links.add(url)
        if not self.scope.allows(url):
            self.crawler.stats.inc_value("nordarchive/out_of_scope_links")
            return None
        normal = normalize_url(url)
        if normal in self.requested:
            return None
        parts = urlsplit(normal)
        if parts.query:
            variants = self.query_variants[parts.path]
            if parts.query not in variants and len(variants) >= self.max_variants:
                self.crawler.stats.inc_value("nordarchive/query_variants_skipped")
                return None
            variants.add(parts.query)
        if (lastmod is not None and normal not in self.session.due
                and self._unchanged_since(normal, lastmod)):
            self.reached.add(normal)
            self.requested.add(normal)
            self.session.skipped.append(normal)
            self.session.count("skipped_by_lastmod")
            self.crawler.stats.inc_value("nordarchive/skipped_by_lastmod")
            return None
        known = normal in self.session.last_seen
        if (self.phase != "deferred" and self.recheck_known and self.session.last_seen
                and not known and not is_listing_url(url) and not (meta or {}).get("pagination")):
            self.deferred.append((url, depth))
            return None
        self.requested.add(normal)
        return self._page_request(url, known=known, meta=meta)

    def _page_request(self, url: str, *, known: bool, meta: dict | None = None):
        # An archived article's URL is requested even where a redirect ends at a page already
        # fetched (a listing): its verdict depends on it.
        return scrapy.Request(clean_url(url), callback=self.parse_page, errback=self.failed,
                              dont_filter=known,
                              meta={"handle_httpstatus_list": [304, 404, 410], "page": True,
                                    **(meta or {})})

    def _unchanged_since(self, normal: str, lastmod: datetime) -> bool:
        seen = self.session.last_seen.get(normal)
        return seen is not None and seen >= lastmod

    # -- pages ----------------------------------------------------------------------------
    def parse_page(self, response):
        # one time for the exchange: its capture's (an observation placed in history by it)
        fetched_at = response.meta.get("captured_at") or datetime.now(UTC)
        redirect_urls = response.meta.get("redirect_urls", [])
        reasons = response.meta.get("redirect_reasons", [])
        redirects = tuple(url for url, status in zip(redirect_urls, reasons, strict=False)
                          if status in _PERMANENT)
        request_url = redirect_urls[0] if redirect_urls else response.url
        first_status = reasons[0] if reasons and isinstance(reasons[0], int) \
            else response.status
        for url in (response.url, *redirect_urls):
            self.reached.add(normalize_url(url))
            self.requested.add(normalize_url(url))
        fetch = Fetch(url=request_url, status=response.status, final_url=response.url,
                      headers={k.decode(): v[0].decode("latin-1")
                               for k, v in response.headers.items() if v},
                      fetched_at=fetched_at, redirects=redirects,
                      capture_id=response.meta.get("capture_id"))
        if response.status == 304:
            yield NotModifiedPage(fetch)
            return
        if response.status in (404, 410):
            yield GonePage(fetch)
            return
        if response.meta.get("start"):
            self.start_ok += 1
            yield from self._discover(request_url)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if "xml" in content_type and ("rss" in content_type or "atom" in content_type or
                                      response.body.lstrip()[:200].find(b"<rss") >= 0):
            links = discovery.feed_links(response.body, response.url)
            listed = [url for url in links if self.scope.allows(url)]
            if listed:
                yield ListedUrls(listed, "feed", response.url)
            for url in links:
                request = self._follow(url)
                if request is not None:
                    yield request
            return
        if (not isinstance(response, scrapy.http.TextResponse)
                or source_kind(response.url, content_type) != "page"):
            # A PDF (or any document) at a page's address: archived with its text as a source
            # is, never dropped (an archived article's address now serving one is its removal).
            if self.session is not None and normalize_url(request_url) in self.session.last_seen:
                yield from self._no_article(response, fetch, first_status, None, "not-html")
            else:
                self.sources_asked.add(normalize_url(request_url))
                yield SourceChecked(fetch_of_response(response, self.session.run_id
                                                      if self.session else None, request_url))
            return
        try:
            tree = parse_html(response.text)  # once, for the links and the extraction
        except ExtractionError as error:
            yield from self._no_article(response, fetch, first_status, None, error)
            return
        yield from self._links(response, tree)
        if served.is_not_found_page(tree):  # a soft 404 is never an article, however short
            yield from self._no_article(response, fetch, first_status, tree, None)
            return
        declared = own_url.declared_urls(tree, response.url)
        try:
            article = extract_tree(tree, response.url)  # consumes the tree
        except ExtractionError as error:
            yield from self._no_article(response, fetch, first_status, tree, error)
            return
        except Exception as error:  # noqa: BLE001 - one bad page never stops the crawl
            yield FailedPage(response.url, "extractor-error", f"{type(error).__name__}: {error}")
            return
        if article.is_article:
            record = article.to_dict()
            # The portal's own URL as the page declares it; the archive keys it normalised.
            record["canonical_url"] = own_url.portal_url(declared, response.url,
                                                         article.canonical_url)
            yield ArticlePage(record, fetch)
            if self.fetch_sources:  # after the article: the pipeline records its citations
                for url in article.sources:
                    if normalize_url(url) not in self.known_sources:
                        yield from self._source(url)
        else:
            yield from self._no_article(response, fetch, first_status, tree, None)

    def _links(self, response, tree):
        """Requests for the page's links; its listing's next pages at the same depth, unless
        the pagination guard stops the chain."""
        depth = response.meta.get("depth", 0)
        steps, items = pagination.scan(tree, response.url)
        if steps:
            fresh = self.guard.new_items([u for u in items if self.scope.allows(u)])
            streak = self.guard.streak(response.meta.get("barren", 0), fresh)
            for url in steps:
                self.seen_hrefs.add(url)
                if not self.guard.follow(response.url, streak, url):
                    self.seen_links.add(url)  # not followed as a plain link either
                    continue
                request = self._follow(url, depth=depth, meta={"pagination": True,
                                                               "barren": streak})
                if request is not None:
                    yield request
        skip = set(steps)
        listed = []
        for url, kind in discovery.page_links(tree, response.url, self.seen_hrefs):
            if url in skip:
                continue
            if kind == "document":
                # The portal's own documents are archived with their text, as cited sources
                # are (once a crawl, on the sources' re-check schedule); others' only if cited.
                if self.fetch_sources and self.scope.allows(url):
                    yield from self._source(url)
                continue
            if kind == "page" and self.scope.allows(url) and markup.may_be_article(url):
                listed.append(url)
            request = self._follow(url, depth=depth + 1)
            if request is not None:
                yield request
        if listed:
            yield ListedUrls(listed, "page", response.url)

    def _no_article(self, response, fetch: Fetch, status: int, tree, error):
        """No article came back. For an archived article's URL that redirected elsewhere, or
        now serves a page that is no article or a "not found" page, that is its removal; a
        "not found" page at a new address is a missing page (as a 404 is), never a failure;
        otherwise an article-like page that failed extraction is a failure."""
        known = self.session is not None and normalize_url(fetch.url) in self.session.last_seen
        kind = served.page_kind(tree, response.url)
        reason = error if isinstance(error, str) else getattr(error, "reason", None)
        if known and (response.meta.get("redirect_urls") or kind == "not-found"
                      or error is None):
            yield RetiredPage(fetch, kind if tree is not None else reason, status)
            return
        if kind == "not-found":  # a missing page no article was ever at, as a 404 is
            yield GonePage(fetch)
            return
        if error is None or not isinstance(error, str):
            marks, listing = self._article_signals(response)
            if listing:
                return  # several teasers and no article markup: a listing, never a failure
            if error is None and marks:  # no silent loss: the site says article, extract() not
                yield FailedPage(response.url, "not-article",
                                 "extract() found no article" + _marked(marks))
            elif error is not None and (marks or self._looks_like_article(response.url)):
                yield FailedPage(response.url, error.reason, str(error) + _marked(marks))

    @staticmethod
    def _looks_like_article(url: str) -> bool:
        return not is_listing_url(url)

    def _article_signals(self, response) -> tuple[list[str], bool]:
        """What says "article" about a page the extractor did not archive (read from a fresh
        parse: extraction consumed the first tree), and whether the page is a listing despite
        them (several teasers, no article markup). Listings and theme pages have no marks."""
        marks = []
        if normalize_url(response.url) in self.post_urls:
            marks.append("sitemap-post")
        try:
            tree = parse_html(response.text)
        except ExtractionError:
            return marks, False
        marks += markup.article_signals(tree, response.url)
        return marks, markup.listing_despite_marks(tree, marks)

    # -- sources one hop out ----------------------------------------------------------------
    def _source(self, url: str, due=None):
        """One request per source and crawl; a private address is refused without one."""
        normal = normalize_url(url)
        if normal in self.sources_asked:
            return
        self.sources_asked.add(normal)
        self.crawler.stats.inc_value("nordarchive/sources_requested")
        if self.scope.internal_target(url):
            yield SourceRefused(url, "private-address", "an internal address: never fetched")
            return
        self._one_at_a_time(url)
        yield source_request(url, callback=self.parse_source, errback=self.source_failed,
                             max_bytes=self.source_max_bytes, due=due)

    def _one_at_a_time(self, url: str) -> None:
        """A source's host gets one request at a time (its own robots.txt Crawl-delay and
        the download delay apply as on the portal); a host the portal is on keeps its slot."""
        host = urlsplit(url).hostname
        if not host or any(urlsplit(u).hostname == host for u in self.start_urls):
            return
        try:
            slots = self.crawler.engine.downloader.per_slot_settings
        except (AttributeError, RuntimeError):  # no engine yet
            return
        slots.setdefault(host, {"concurrency": 1})

    def parse_source(self, response):
        """A source's answer is read, never crawled: its links are not followed."""
        yield SourceChecked(fetch_of_response(response, self.session.run_id))

    def source_failed(self, failure):
        kind, reason, message = failure_outcome(failure)
        url = failure.request.meta.get("cited_url", failure.request.url)
        if kind == "refusal":
            return SourceRefused(url, reason, message)
        return SourceChecked(SourceFetch(url=url, fetched_at=datetime.now(UTC), status=None,
                                         error=reason, message=message,
                                         run_id=self.session.run_id))

    def failed(self, failure):
        request = failure.request
        if request.meta.get("start"):
            # In the log only: if no start URL answers, the command says so in one line.
            self.start_failures[request.url] = failure.getErrorMessage()
            logger.info("start URL failed: %s (%s)", request.url, failure.getErrorMessage())
            return None
        if "out of scope" in failure.getErrorMessage():
            origin = request.meta.get("redirect_urls", [None])[0]
            if (origin and self.session is not None
                    and normalize_url(origin) in self.session.last_seen):
                # An archived article now redirects off the portal: removed, never followed.
                status = request.meta.get("redirect_reasons", [301])[0]
                return RetiredPage(Fetch(url=origin, status=status, final_url=request.url),
                                   "out-of-scope", status)
            return None
        message = failure.getErrorMessage()
        robots = failure.check(IgnoreRequest) and "robots.txt" in message
        reason = "robots-txt" if robots else getattr(
            failure.value, "failure_reason", "fetch-error")  # rate-limited
        return FailedPage(request.url, reason, message[:500])

    def ignore(self, failure):
        return None

    # -- re-checks ------------------------------------------------------------------------
    def spider_idle(self, spider):
        """When discovery is done, re-check archived articles no link or sitemap led to
        (a removed article vanishes from listings, so only a direct request notices it), then
        fetch the new pages held back meanwhile."""
        if self.session is None or self.start_ok == 0:  # unreachable: not asked again
            return
        if self.phase == "discovery":
            self.phase = "recheck"
            if self.recheck_known and self._recheck():
                raise DontCloseSpider
        if self.phase == "recheck":
            self.phase = "deferred"
            if self._release():
                raise DontCloseSpider

    def _recheck(self) -> int:
        missing = [u for u in self.session.known_articles if normalize_url(u) not in self.reached
                   and self.scope.allows(u)]
        if missing:
            logger.info("re-checking %d archived articles not reached by links", len(missing))
        for url in missing:
            self.requested.add(normalize_url(url))
            self.crawler.engine.crawl(self._page_request(url, known=True,
                                                         meta={"recheck": True}))
        return len(missing)

    def _release(self) -> int:
        released = 0
        for url, depth in self.deferred:
            normal = normalize_url(url)
            if normal in self.requested:
                continue  # reached meanwhile, through an old URL's redirect
            self.requested.add(normal)
            self.crawler.engine.crawl(self._page_request(url, known=False,
                                                         meta={"depth": depth}))
            released += 1
        self.deferred.clear()
        return released

    def closed(self, reason: str) -> None:
        """Say what limits cut off: the depth limit, the listing page cap, the trap guard."""
        if self.start_ok:  # the portal answered, but not at every start URL
            for url, cause in self.start_failures.items():
                logger.warning("start URL failed: %s (%s)", url, cause)
        stats = self.crawler.stats
        cut = stats.get_value("depth/request_ignored_count", 0)
        if cut:
            logger.warning("the depth limit (DEPTH_LIMIT=%s) left %d links unfollowed",
                           self.settings.getint("DEPTH_LIMIT"), cut)
        if self.guard.capped:
            logger.warning("the listing page cap (NORDARCHIVE_MAX_LISTING_PAGES=%d) stopped "
                           "%d pagination links, e.g. %s", self.guard.max_pages,
                           self.guard.capped, self.guard.examples["capped"])
        if self.guard.barren_stops:
            logger.warning("the pagination trap guard stopped %d chains whose pages listed "
                           "nothing new, e.g. after %s", self.guard.barren_stops,
                           self.guard.examples["barren"])
        if reason == "closespider_pagecount":
            logger.warning("the page limit (--max-pages) ended the crawl before it was done")
        stats.set_value("nordarchive/listing_pages_capped", self.guard.capped)
        stats.set_value("nordarchive/pagination_trap_stops", self.guard.barren_stops)


def _marked(marks: list[str]) -> str:
    return f" (marked as an article: {', '.join(marks)})" if marks else ""
