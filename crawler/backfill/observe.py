"""One page from the past, taken in as the crawl takes a page.

A web archive's capture or a record of a WARC file is an *observation*: a URL, a status, the
bytes served, and when. It is copied into the archive's own WARC files with its original time
and where it came from (``WARC-Source-URI``; ``captures.origin`` and ``source``), read by the
same extraction as a crawled page, and stored by the same ingest, which places it in the
article's history by its time. A listing, a tag page or pagination is a listing; a page off
the crawl's scope is never archived; a second copy of the same record adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path

from archive.ingest.articles import ingest
from archive.ingest.pages import record_failure
from archive.ingest.records import Fetch, Outcome
from archive.ingest.removals import mark_gone, reconcile_removals
from archive.storage.database import Database
from archive.webarchive.captures import add_capture, has_source
from archive.webarchive.warc import MAX_WARC_BYTES, RotatingWarcWriter, file_prefix
from crawler import served
from crawler.extraction import ExtractionError, extract_tree, own_url, parse_html
from crawler.extraction import signals as markup
from crawler.extraction.page_kind import is_listing_url
from crawler.scope import Scope

_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)
_GONE = (404, 410)
#: Headers of the original response that say nothing of it any more (the body is whole).
_DROPPED_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


@dataclass(frozen=True)
class Observation:
    """What an archive holds of one capture (the body de-chunked and decompressed)."""

    url: str
    status: int
    captured_at: datetime
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: Who captured it: the web archive's name, or ``import``.
    origin: str
    #: Where it came from: the memento URI, or ``file#record``.
    source: str

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def location(self) -> str | None:
        from urllib.parse import urljoin

        target = self.header("Location")
        return urljoin(self.url, target.strip()) if target else None


#: Finds the capture a redirect led to, near its time (None: the archive holds none).
FollowRedirect = Callable[[str, datetime], "Observation | None"]


@dataclass
class Tally:
    """What the observations became, for the summary line and the run's counters."""

    counts: Counter = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None

    def saw(self, at: datetime) -> None:
        self.counts["captures"] += 1
        self.first = at if self.first is None or at < self.first else self.first
        self.last = at if self.last is None or at > self.last else self.last

    def summary(self, what: str, run_id: int) -> str:
        c = self.counts
        span = (f" ({self.first:%Y-%m-%d} to {self.last:%Y-%m-%d})"
                if self.first is not None else "")
        return (f"{what} {run_id} finished: captures {c['captures']}{span}, new {c['new']}, "
                f"revised {c['revised']}, removed {c['removed']}, restored {c['restored']}, "
                f"aliases {c['alias']}, unchanged {c['unchanged']}, listings {c['listing']}, "
                f"already archived {c['duplicate']}, refused {c['refused']}, "
                f"failed {c['failed']}")


class Observer:
    """Takes observations into one archive, under one run."""

    def __init__(self, db: Database, warc_dir: Path, run_id: int, scope: Scope,
                 tally: Tally | None = None, max_warc_bytes: int = MAX_WARC_BYTES) -> None:
        self.db = db
        self.run_id = run_id
        self.scope = scope
        self.tally = tally or Tally()
        self.writer = RotatingWarcWriter(warc_dir, file_prefix(db.archive_id, run_id),
                                         max_warc_bytes, db.archive_id)

    def close(self) -> None:
        self.writer.close()

    def __enter__(self) -> Observer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def known(self, source: str) -> bool:
        """Whether this record is in the archive already (a resumed or repeated run)."""
        return has_source(self.db, source)

    def passed_over(self, url: str, source: str) -> str | None:
        """``refused`` (off the crawl's scope: never archived, never copied) or ``duplicate``
        (archived already), counted; None for a capture to take. A backfill asks before it
        fetches, so that a memento is never fetched twice."""
        reason = ("refused" if not self.scope.allows(url)
                  else "duplicate" if self.known(source) else None)
        return self._count(reason) if reason else None

    def take(self, seen: Observation, follow: FollowRedirect | None = None, *,
             asked: bool = False) -> str:
        """Copy, read and store one observation; returns what it became (a tally key).
        ``asked``: the caller has had ``passed_over`` say None to it already."""
        if not asked and (reason := self.passed_over(seen.url, seen.source)):
            return reason
        self.tally.saw(seen.captured_at)
        capture_id = self._copy(seen)
        fetch = Fetch(url=seen.url, status=seen.status, final_url=seen.url,
                      headers=dict(seen.headers), fetched_at=seen.captured_at,
                      capture_id=capture_id, origin=seen.origin, source=seen.source)
        if seen.status in _GONE:
            return self._count(self._gone(fetch))
        if seen.status in _REDIRECTS:
            return self._count(self._redirect(seen, follow))
        if seen.status != 200:
            return self._count("refused")
        return self._count(self._page(seen, fetch))

    # -- the kinds of observation ---------------------------------------------------------

    def _gone(self, fetch: Fetch) -> str:
        outcome = mark_gone(self.db, fetch, self.run_id).outcome
        return {Outcome.REMOVED: "removed", Outcome.UNCHANGED: "unchanged"}.get(outcome,
                                                                               "refused")

    def _redirect(self, seen: Observation, follow: FollowRedirect | None) -> str:
        """A redirect leads to the page it names, as the crawl follows one: a permanent one to
        another article's page makes the old URL one of its addresses (a move)."""
        target = seen.location
        if not target or follow is None or not self.scope.allows(target):
            return "refused"
        landed = follow(target, seen.captured_at)
        if landed is None or landed.status != 200:
            return "refused"
        redirects = (seen.url,) if seen.status in _PERMANENT else ()
        # the page was seen at its new address when the archive captured it there
        fetch = Fetch(url=seen.url, status=landed.status, final_url=landed.url,
                      headers=dict(landed.headers), fetched_at=landed.captured_at,
                      redirects=redirects, origin=seen.origin, source=landed.source)
        return self._page(landed, fetch)

    def _page(self, seen: Observation, fetch: Fetch) -> str:
        kind = (seen.header("Content-Type") or "text/html").lower()
        if "html" not in kind:
            return "refused"
        try:
            tree = parse_html(seen.body)
        except ExtractionError:
            return "refused"
        if served.is_not_found_page(tree):  # a soft 404 is a removal, as in the crawl
            return self._gone(Fetch(url=fetch.url, status=404, fetched_at=fetch.fetched_at,
                                    capture_id=fetch.capture_id, origin=fetch.origin,
                                    source=fetch.source))
        declared = own_url.declared_urls(tree, seen.url)
        try:
            article = extract_tree(tree, seen.url)  # consumes the tree
        except ExtractionError as error:
            return self._not_article(seen, error)
        except Exception as error:  # noqa: BLE001 - one bad page never stops the backfill
            record_failure(self.db, seen.url, "extractor-error",
                           f"{type(error).__name__}: {error}", self.run_id)
            return "failed"
        if not article.is_article:
            return self._not_article(seen, None)
        record = article.to_dict()
        record["canonical_url"] = own_url.portal_url(declared, seen.url, article.canonical_url)
        result = ingest(self.db, record, fetch, self.run_id)
        if result.outcome is Outcome.NEW:  # a later era's 404s may have come first
            reconcile_removals(self.db, result.article_id, self.run_id)
        outcome = result.outcome
        return {Outcome.NEW: "new", Outcome.REVISED: "revised", Outcome.ALIAS: "alias",
                Outcome.RESTORED: "restored"}.get(outcome, "unchanged")

    def _not_article(self, seen: Observation, error: ExtractionError | None) -> str:
        """As in the crawl: a listing is never a failure; a page the site marks as an article
        that extraction refused is one, with its reason. Its marks are read from a fresh parse
        (extraction consumed the first), only for the pages that need them."""
        try:
            tree = parse_html(seen.body)
        except ExtractionError:
            return "refused"
        marks = markup.article_signals(tree, seen.url)
        listing = markup.listing_despite_marks(tree, marks)
        if listing or (not marks and (error is None or is_listing_url(seen.url))):
            return "listing"
        reason = error.reason if error is not None else "not-article"
        message = (str(error) if error is not None else "extract() found no article") + (
            f" (marked: {', '.join(marks)})" if marks else "")
        record_failure(self.db, seen.url, reason, f"{message}; {seen.source}", self.run_id)
        return "failed"

    def _copy(self, seen: Observation) -> int:
        try:
            phrase = HTTPStatus(seen.status).phrase
        except ValueError:
            phrase = ""
        headers = [(k, v) for k, v in seen.headers if k.lower() not in _DROPPED_HEADERS]
        written = self.writer.write(seen.url, seen.status, phrase, headers, seen.body, [],
                                    seen.captured_at, source=seen.source)
        return add_capture(self.db, written, seen.url, seen.status, seen.captured_at,
                           self.run_id, origin=seen.origin, source=seen.source)

    def _count(self, what: str) -> str:
        self.tally.counts[what] += 1
        return what
