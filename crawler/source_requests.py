"""Sources one hop out, as the crawler fetches them: the request for a cited URL, what its
response or its failure says (``archive.sources.store.SourceFetch``, or a refusal), and nothing
more. A source's own links are never followed: its response goes to ``read_source`` only."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectError,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from archive.sources.store import DueSource, SourceFetch, recheck_days_from_env
from crawler.source_text import read_source

logger = logging.getLogger(__name__)

#: Default of ``NORDARCHIVE_SOURCE_MAX_BYTES``: a larger document is refused (``too-large``).
SOURCE_MAX_BYTES = 50 * 1024 * 1024
#: Below the portal's pages: sources wait for the pages that cite them.
SOURCE_PRIORITY = -10
#: Every status but the redirects (followed, each hop through the scope's address check) comes
#: back to the callback: a 404 is news about a source, not an error.
_ANSWERS = [status for status in range(200, 600) if status not in (301, 302, 303, 307, 308)]


def source_request(url: str, *, callback, errback, max_bytes: int,
                   due: DueSource | None = None) -> scrapy.Request:
    """A request for one source: every status comes back to the callback (a 404 is news about
    the source, not an error), conditional when the archive holds a capture, bounded in size."""
    headers = {}
    if due is not None and due.captured:
        if due.etag:
            headers["If-None-Match"] = due.etag
        if due.last_modified:
            headers["If-Modified-Since"] = due.last_modified
    return scrapy.Request(
        url, callback=callback, errback=errback, headers=headers, priority=SOURCE_PRIORITY,
        dont_filter=True,
        meta={"source": True, "page": True, "conditional": False, "cited_url": url,
              "handle_httpstatus_list": _ANSWERS, "download_maxsize": max_bytes,
              "download_warnsize": 0, "dont_obey_robotstxt": False})


def source_recheck_days(settings) -> float:
    """``NORDARCHIVE_SOURCE_RECHECK_DAYS``: a ``--set`` of it, else the environment's, else 30."""
    value = settings.get("NORDARCHIVE_SOURCE_RECHECK_DAYS")
    return float(value) if value not in (None, "") else recheck_days_from_env()


def redirect_kind(cited: str, final: str) -> str | None:
    """``home`` when a redirect ended at a site's root while the cited URL was deeper; an
    ``unrelated`` page when it ended on another host's root; None otherwise (a moved page is
    still the source)."""
    before, after = urlsplit(cited), urlsplit(final)
    at_root = after.path in ("", "/") and not after.query
    if not at_root or (before.path in ("", "/") and not before.query):
        return None
    return "home" if before.hostname == after.hostname else "unrelated"


def fetch_of_response(response, run_id: int | None, url: str | None = None) -> SourceFetch:
    """What one answer says of the source cited as ``url`` (default
    ``response.meta["cited_url"]``)."""
    cited = url or response.meta["cited_url"]
    final = response.url
    header = lambda name: (response.headers.get(name) or b"").decode("latin-1") or None  # noqa: E731
    content_type = header("Content-Type")
    common = {"url": cited, "fetched_at": datetime.now(UTC), "status": response.status,
              "final_url": final, "content_type": content_type,
              "capture_id": response.meta.get("capture_id"), "run_id": run_id,
              "redirect": redirect_kind(cited, final) if final != cited else None}
    if response.status != 200:
        return SourceFetch(**common)
    read = read_source(response.body, final, content_type)
    return SourceFetch(**common, title=read.title, text=read.text, language=read.language,
                       etag=header("ETag"), last_modified=header("Last-Modified"),
                       message=read.error)


def failure_outcome(failure) -> tuple[str, str, str]:
    """(``refusal`` or ``error``, reason, message) of a source request that got no answer."""
    message = failure.getErrorMessage()[:500]
    if failure.check(IgnoreRequest):
        if "robots.txt" in message:
            return "refusal", "robots", message
        if "internal address" in message:
            return "refusal", "private-address", message
        if "redirect" in message:
            return "refusal", "too-many-redirects", message
        return "refusal", "scheme", message
    if failure.check(CancelledError) or "max size" in message or "maxsize" in message:
        return "refusal", "too-large", message
    if failure.check(DNSLookupError):
        return "error", "dns", message
    if failure.check(TimeoutError, TCPTimedOutError):
        return "error", "timeout", message
    if failure.check(ConnectionRefusedError, ConnectError):
        return "error", "connection", message
    if "SSL" in message or "TLS" in message or "certificate" in message:
        return "error", "tls", message
    return "error", "error", message
