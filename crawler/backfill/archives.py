"""Web archives as sources of the portal's past: the captures under a URL prefix, paged, with
a resume token after each, and each capture's original bytes. Three kinds: the Internet
Archive's Wayback CDX server (and any server speaking it), a pywb collection, and Common
Crawl (one pywb index per crawl; records read from WARC files by HTTP Range requests).

A small client on urllib3, not a library: ``cdx_toolkit`` (0.9.39) sleeps on its own module
clock, ignores ``Retry-After``, cannot set the User-Agent of index queries, pages the Wayback
server by ``page=`` rather than resume keys and refuses a Common Crawl index of fewer than 60
crawls (no test replica); ``wayback`` (EDGI, 0.5.1) speaks only to web.archive.org (a module
constant) and parses only its text output. Neither fits all three kinds through public API.

Politeness lives here: one request per ``cdx_interval`` to a host's index (the Internet
Archive allows about 60 a minute and blocks an address for an hour, doubling, when 429s are
ignored) and per ``fetch_interval`` to its mementos; ``Retry-After`` (capped) on 429 and 503;
exponential backoff otherwise; :class:`RateLimited` after ``max_429`` 429s in a row. Sleep
and clock are injectable, so tests wait for nothing.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode, urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as TransportError
from urllib3.exceptions import NewConnectionError

from crawler.backfill import cdx
from crawler.backfill.cdx import (
    COMMONCRAWL,
    ArchiveSourceError,
    Capture,
    CaptureUnavailable,
    Crawl,
    Memento,
    RateLimited,
)
from crawler.settings import USER_AGENT

#: The crawl's own User-Agent: an archive sees the same project as the portal does.
DEFAULT_USER_AGENT = USER_AGENT
WAYBACK_URL = "https://web.archive.org"
COMMONCRAWL_INDEX = "https://index.commoncrawl.org/"
COMMONCRAWL_DATA = "https://data.commoncrawl.org/"
#: A memento larger than this is refused (``max_bytes``).
MAX_MEMENTO_BYTES = 20 * 1024 * 1024
#: No CDX answer is read past this (a page of 5,000 rows is about 1 MB).
MAX_CDX_BYTES = 256 * 1024 * 1024
#: What the probe of an unknown server asks for: any answer of the right form will do.
PROBE_URL = "example.com/"
#: Pages in a row with no rows but a new resume key before the listing is called stuck.
MAX_EMPTY_PAGES = 20
_RETRYABLE = frozenset({500, 502, 503, 504})
#: Mementos uncompressed, so their bytes can be held against the index's digest.
_IDENTITY = {"Accept-Encoding": "identity"}


@dataclass
class _Answer:
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes


class PoliteHttp:
    """GETs with a User-Agent, a minimum interval per host and kind, and patience."""

    def __init__(self, *, user_agent: str, intervals: dict[str, float], max_retries: int,
                 max_429: int, retry_after_cap: float, backoff: float, timeout: float,
                 sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.headers = {"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"}
        self.intervals, self.max_retries, self.max_429 = intervals, max_retries, max_429
        self.retry_after_cap, self.backoff = retry_after_cap, backoff
        self.sleep, self.clock = sleep, clock
        self.pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=timeout, read=timeout),
                                        retries=False)
        self._due: dict[tuple[str, str], float] = {}
        self._429s = 0
        self._lock = threading.Lock()  # mementos may be fetched from several threads

    def _pace(self, url: str, kind: str) -> None:
        """Wait for this host's next free slot of this kind, and take it (threads queue up)."""
        key = (urlsplit(url).netloc, kind)
        with self._lock:
            now = self.clock()
            start = max(now, self._due.get(key, now))
            self._due[key] = start + self.intervals[kind]
        if start > now:
            self.sleep(start - now)

    def _wait(self, attempt: int, retry_after: float | None = None) -> None:
        """``Retry-After`` when given, else exponential backoff; capped either way."""
        wait = self.backoff * 2 ** (attempt - 1) if retry_after is None else retry_after
        self.sleep(min(max(wait, 0.0), self.retry_after_cap))

    def open(self, url: str, *, kind: str, headers: dict[str, str] | None = None
             ) -> urllib3.BaseHTTPResponse:
        """The response, its body unread (the caller releases it)."""
        failures = 0
        while True:
            self._pace(url, kind)
            try:
                response = self.pool.request("GET", url, preload_content=False, redirect=False,
                                             headers={**self.headers, **(headers or {})})
            except NewConnectionError as error:
                raise ArchiveSourceError(f"{url}: cannot connect ({cdx.reason(error)})") from None
            except TransportError as error:
                failures += 1
                if failures > self.max_retries:
                    raise ArchiveSourceError(f"{url}: {cdx.reason(error)} ({failures} tries)"
                                             ) from None
                self._wait(failures)
                continue
            now = datetime.now(UTC)
            retry_after = cdx.parse_retry_after(response.headers.get("Retry-After"), now)
            if response.status == 429:
                self._429s += 1
                response.close()
                if self._429s >= self.max_429:
                    asked = f" (it asks for {retry_after:.0f} s)" if retry_after else ""
                    raise RateLimited(
                        f"{urlsplit(url).netloc} answered 429 Too Many Requests {self._429s} "
                        f"times in a row: stopped before it blocks this address; resume later"
                        f"{asked}")
                self._wait(self._429s, retry_after)
                continue
            self._429s = 0
            if response.status in _RETRYABLE and failures < self.max_retries:
                failures += 1
                response.close()
                self._wait(failures, retry_after)
                continue
            return response

    def get(self, url: str, *, kind: str, limit: int, headers: dict[str, str] | None = None,
            decode: bool = True) -> _Answer:
        """The whole answer; :class:`cdx.TooLarge` past ``limit`` bytes."""
        response = self.open(url, kind=kind, headers=headers)
        body = None
        try:
            body = _read_capped(response, limit, url, decode)
            return _Answer(response.status, response.headers, body)
        finally:
            _finish(response, complete=body is not None)

    def close(self) -> None:
        self.pool.clear()


def _finish(response: urllib3.BaseHTTPResponse, *, complete: bool) -> None:
    """Back to the pool when read to the end, else closed (unread bytes would taint it)."""
    if not complete:
        response.close()
    response.release_conn()


def _read_capped(response: urllib3.BaseHTTPResponse, limit: int, url: str,
                 decode: bool = True) -> bytes:
    declared = response.headers.get("Content-Length", "")
    try:
        if declared.isdigit() and int(declared) > limit:
            raise cdx.TooLarge(int(declared))
        return cdx.read_capped(response.stream(65536, decode_content=decode), limit)
    except cdx.TooLarge:
        response.close()
        raise
    except TransportError as error:
        raise ArchiveSourceError(f"{url}: the answer broke off ({cdx.reason(error)})") from None


def _refused(url: str, answer: _Answer) -> ArchiveSourceError:
    what = cdx.describe(answer.body, answer.headers.get("Content-Type"))
    return ArchiveSourceError(f"{url} answered HTTP {answer.status}: {what}")


class Archive:
    """An archive's index and its captures. ``captures`` yields each capture with a token
    that, passed back as ``resume``, continues after it; ``fetch`` gets its original bytes."""

    kind = ""

    def __init__(self, http: PoliteHttp, name: str, *, max_bytes: int, page_size: int) -> None:
        self.http, self.name, self.replay = http, name, ""
        self.max_bytes, self.page_size = max_bytes, page_size

    def captures(self, prefix: str, *, since: date | None = None, until: date | None = None,
                 resume: str | None = None) -> Iterator[tuple[Capture, str | None]]:
        raise NotImplementedError

    def fetch(self, capture: Capture) -> Memento:
        raise NotImplementedError

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _token(self, **state: object) -> str:
        return json.dumps({"a": self.kind, **state}, separators=(",", ":"), sort_keys=True)

    def _state(self, resume: str | None, **fields: type | tuple[type, ...]) -> dict | None:
        if resume is None:
            return None
        try:
            state = json.loads(resume)
        except ValueError:
            state = None
        if (not isinstance(state, dict) or state.get("a") != self.kind
                or not all(isinstance(state.get(k), t) for k, t in fields.items())):
            raise ArchiveSourceError(f"resume token {resume[:80]!r} is not one of {self.name}'s")
        return state

    def _capture(self, row: dict[str, str], source: str) -> Capture:
        return cdx.capture_from_row(row, archive=self.name, replay=self.replay, source=source)

    def _cdx(self, url: str) -> _Answer:
        try:
            return self.http.get(url, kind="cdx", limit=MAX_CDX_BYTES)
        except cdx.TooLarge as error:
            raise ArchiveSourceError(f"{url} answered over {cdx.size_text(error.size)}") from None


class _ReplayArchive(Archive):
    """An archive that replays captures at ``<replay><timestamp>id_/<url>``."""

    def __init__(self, http: PoliteHttp, name: str, *, cdx_url: str, replay: str,
                 max_bytes: int, page_size: int) -> None:
        super().__init__(http, name, max_bytes=max_bytes, page_size=page_size)
        self.cdx_url, self.replay = cdx_url, replay

    def fetch(self, capture: Capture) -> Memento:
        """The capture's original response. A captured redirect is returned as it is (its
        ``location`` the original target); the archive's own redirect to another capture of
        the same URL is followed (up to 3), any other answer of the archive is an error."""
        url = f"{self.replay}{capture.timestamp}id_/{capture.url}"
        captured_redirect = capture.status is not None and 300 <= capture.status < 400
        for _hop in range(4):
            response = self.http.open(url, kind="memento", headers=_IDENTITY)
            body = None
            try:
                memento = "Memento-Datetime" in response.headers
                raw_location = response.headers.get("Location")
                target = urljoin(url, raw_location) if raw_location else None
                if (300 <= response.status < 400 and target and not memento
                        and not captured_redirect and target != url
                        and cdx.original_of_replay(target, self.replay) == capture.url):
                    url = target
                    continue
                if response.status >= 400 and not memento and response.status != capture.status:
                    raise CaptureUnavailable(f"{url}: the archive answered HTTP {response.status}"
                                             ", not the capture")
                body = _read_capped(response, self.max_bytes, url)
            except cdx.TooLarge as error:
                raise CaptureUnavailable(f"{url}: refused, the memento is "
                                         f"{cdx.size_text(error.size)}, over the limit of "
                                         f"{cdx.size_text(self.max_bytes)}") from None
            finally:
                _finish(response, complete=body is not None)
            answered, ia = list(response.headers.iteritems()), self.kind == "ia"
            headers = cdx.original_headers(answered, prefixed_only=ia)
            location = next((v for k, v in headers if k.lower() == "location"), None)
            if location is None and target:
                location = cdx.original_of_replay(target, self.replay)
                headers.append(("Location", location))
            return Memento(capture, response.status, headers, body,
                           location=urljoin(capture.url, location) if location else None,
                           fetched_from=url, digest_matches=cdx.digest_matches(
                               capture, body, answered, prefixed_only=ia))
        raise CaptureUnavailable(f"{url}: the archive redirects in a loop")


class WaybackCdxArchive(_ReplayArchive):
    """The Internet Archive's CDX server (and servers that speak it): pages of ``limit`` rows
    chained by resume keys, duplicates collapsed by digest on the server."""

    kind = "ia"

    def captures(self, prefix: str, *, since: date | None = None, until: date | None = None,
                 resume: str | None = None) -> Iterator[tuple[Capture, str | None]]:
        query = {**cdx.prefix_query(prefix, since, until), "collapse": "digest",
                 "showResumeKey": "true", "limit": str(self.page_size)}
        state = self._state(resume, k=(str, type(None)), n=int) or {}
        key, skip = state.get("k"), state.get("n", 0)
        seen: set[str] = set()
        empty, previous = 0, None
        while True:
            url = f"{self.cdx_url}?{urlencode({**query, **({'resumeKey': key} if key else {})})}"
            answer = self._cdx(url)
            if answer.status != 200:
                raise _refused(url, answer)
            if answer.body.lstrip()[:1] in (b"[", b"{", b"<"):
                rows, next_key = cdx.parse_ia_json(answer.body, url)
            else:
                rows, next_key = cdx.parse_ia_text(answer.body, url)
            if key is not None:
                seen.add(key)
            for number, row in enumerate(rows[skip:], start=skip + 1):
                capture = self._capture(row, url)
                same = (capture.timestamp, capture.url, capture.digest)
                if same == previous:
                    continue
                previous = same
                if number == len(rows) and next_key is not None:
                    yield capture, self._token(k=next_key, n=0)
                else:
                    yield capture, self._token(k=key, n=number)
            if next_key is None:
                return
            if next_key in seen:
                raise ArchiveSourceError(f"{self.cdx_url} handed back the resume key {next_key!r} "
                                         "again: the listing does not advance")
            empty = empty + 1 if not rows[skip:] else 0
            if empty > MAX_EMPTY_PAGES:
                raise ArchiveSourceError(f"{self.cdx_url} answered {empty} pages in a row with no "
                                         "captures: the listing does not advance")
            key, skip = next_key, 0


class PywbArchive(_ReplayArchive):
    """A pywb collection: one NDJSON answer (no resume key, no collapse), read as it arrives;
    adjacent captures of one URL with the same digest are collapsed here."""

    kind = "pywb"

    def captures(self, prefix: str, *, since: date | None = None, until: date | None = None,
                 resume: str | None = None) -> Iterator[tuple[Capture, str | None]]:
        query = cdx.prefix_query(prefix, since, until)
        url = f"{self.cdx_url}?{urlencode(query)}"
        state = self._state(resume, u=str, t=str, n=int, d=str)
        after = (state["u"], state["t"], state["n"]) if state else None
        previous = (state["u"], state.get("d")) if state else None
        response = self.http.open(url, kind="cdx")
        complete = False
        try:
            if response.status != 200:
                answer = _Answer(response.status, response.headers,
                                 _read_capped(response, 65536, url))
                complete = True
                if response.status == 404 and cdx.is_no_captures(answer.body):
                    return
                raise _refused(url, answer)
            position, same = None, 0
            for line in cdx.split_lines(response.stream(65536), url):
                row = cdx.parse_ndjson_line(line, url)
                if row is None:
                    continue
                capture = self._capture(row, url)
                here = (capture.urlkey or capture.url, capture.timestamp)
                same = same + 1 if here == position else 1
                position = here
                if after and (here < after[:2] or (here == after[:2] and same <= after[2])):
                    continue
                if capture.digest and (here[0], capture.digest) == previous:
                    continue
                previous = (here[0], capture.digest)
                yield capture, self._token(u=here[0], t=here[1], n=same, d=capture.digest)
            complete = True
        except cdx.TooLarge:
            raise ArchiveSourceError(f"{url} answered an error over 64 KiB") from None
        except TransportError as error:
            raise ArchiveSourceError(f"{url}: the answer broke off ({cdx.reason(error)})"
                                     ) from None
        finally:
            _finish(response, complete=complete)


class CommonCrawlArchive(Archive):
    """Common Crawl: the crawls of ``collinfo.json`` in time order, each index paged by
    ``showNumPages``/``page``; records read from the WARC files by Range requests."""

    kind = COMMONCRAWL

    def __init__(self, http: PoliteHttp, *, index_url: str, data_url: str, max_bytes: int,
                 page_size: int) -> None:
        super().__init__(http, COMMONCRAWL, max_bytes=max_bytes, page_size=page_size)
        self.index_url = index_url.rstrip("/") + "/"
        self.data_url = self.replay = data_url.rstrip("/") + "/"
        self._crawls: list[Crawl] | None = None

    def crawls(self) -> list[Crawl]:
        """Every crawl the index server lists, oldest first (asked once)."""
        if self._crawls is None:
            url = urljoin(self.index_url, "collinfo.json")
            answer = self._cdx(url)
            if answer.status != 200:
                raise _refused(url, answer)
            self._crawls = cdx.parse_collinfo(answer.body, url, base=self.index_url)
        return self._crawls

    def _ask(self, crawl: Crawl, query: dict[str, str]) -> _Answer | None:
        url = f"{crawl.cdx_api}?{urlencode(query)}"
        answer = self._cdx(url)
        if answer.status == 404 and cdx.is_no_captures(answer.body):
            return None
        if answer.status == 400 and "page" in query:
            return None  # past the last page (pywb's answer)
        if answer.status != 200:
            raise _refused(url, answer)
        return answer

    def captures(self, prefix: str, *, since: date | None = None, until: date | None = None,
                 resume: str | None = None) -> Iterator[tuple[Capture, str | None]]:
        selected = cdx.crawls_between(self.crawls(), since, until)
        query = cdx.prefix_query(prefix, since, until)
        state = self._state(resume, c=str, p=int, n=int)
        start, first_page, skip = 0, 0, 0
        if state:
            ids = [crawl.id for crawl in selected]
            if state.get("c") not in ids:
                raise ArchiveSourceError(f"resume token names crawl {state.get('c')!r}, which "
                                         f"{self.index_url} does not list for those dates")
            start, first_page, skip = ids.index(state["c"]), state["p"], state["n"]
        for crawl in selected[start:]:
            counted = self._ask(crawl, {**query, "showNumPages": "true"})
            pages = cdx.parse_num_pages(counted.body, crawl.cdx_api) if counted else 0
            previous = None
            for page in range(first_page, pages):
                answer = self._ask(crawl, {**query, "page": str(page)})
                if answer is None:
                    break
                rows = cdx.parse_ndjson(answer.body, crawl.cdx_api)
                for number, row in enumerate(rows[skip:], start=skip + 1):
                    capture = self._capture(row, crawl.cdx_api)
                    same = (capture.urlkey or capture.url, capture.digest)
                    if capture.digest and same == previous:
                        continue
                    previous = same
                    yield capture, self._token(c=crawl.id, p=page, n=number)
                skip = 0
            first_page = 0

    def fetch(self, capture: Capture) -> Memento:
        """The WARC record by a Range request, checked against the index (target URI, payload
        digest); a record the index says is over ``max_bytes`` is not asked for."""
        where = capture.memento_uri
        if capture.filename is None or capture.offset is None or capture.length is None:
            raise CaptureUnavailable(f"{where}: the index gives no WARC file, offset and length")
        if capture.length > self.max_bytes:
            raise CaptureUnavailable(f"{where}: refused, the record is "
                                     f"{cdx.size_text(capture.length)}, over the limit of "
                                     f"{cdx.size_text(self.max_bytes)}")
        url = urljoin(self.data_url, capture.filename)
        end = capture.offset + capture.length - 1
        try:
            answer = self.http.get(url, kind="memento", limit=capture.length, decode=False,
                                   headers={**_IDENTITY, "Range": f"bytes={capture.offset}-{end}"})
        except cdx.TooLarge:
            raise CaptureUnavailable(f"{url} ignored the Range request (more than "
                                     f"{cdx.size_text(capture.length)} came)") from None
        whole = answer.status == 200 and capture.offset == 0
        if answer.status != 206 and not whole:
            raise CaptureUnavailable(f"{url} answered HTTP {answer.status} to a Range request")
        if len(answer.body) != capture.length:
            raise CaptureUnavailable(f"{url} sent {len(answer.body)} bytes of the record's "
                                     f"{capture.length}")
        return cdx.memento_from_warc(capture, answer.body, max_bytes=self.max_bytes, source=url)


def _ask(http: PoliteHttp, base: str, path: str, query: dict[str, str]) -> _Answer | str:
    url = f"{base}{path}?{urlencode(query)}" if query else f"{base}{path}"
    try:
        return http.get(url, kind="cdx", limit=1 << 20)
    except cdx.TooLarge as error:
        return f"{path} answered over {cdx.size_text(error.size)}"
    except ArchiveSourceError as error:
        if isinstance(error, RateLimited):
            raise
        raise ArchiveSourceError(f"{base}: {str(error).removeprefix(url + ': ')}") from None


def _probe(http: PoliteHttp, base: str, probe_url: str) -> str:
    """``ia`` or ``pywb``, from how ``base`` answers a one-row CDX query at each place. pywb
    answers nothing (not a 404) for a collection it lacks, so then its page must exist."""
    said = []
    for kind, path in (("ia", "/cdx/search/cdx"), ("pywb", "/cdx")):
        answer = _ask(http, base, path, {"url": probe_url, "limit": "1", "output": "json"})
        if isinstance(answer, str):
            said.append(answer)
        elif not cdx.speaks(kind, answer.status, answer.body):
            what = cdx.describe(answer.body, answer.headers.get("Content-Type"))
            said.append(f"{path} answered HTTP {answer.status}, {what}")
        elif kind == "ia" or answer.body.strip() or answer.status == 404:
            return kind
        else:
            page = _ask(http, base, "/", {})
            if isinstance(page, str) or page.status != 404:
                return kind
            said.append("/cdx answered nothing and / answered HTTP 404: no such collection")
    raise ArchiveSourceError(f"{base} is not a web archive this tool can read (neither a Wayback "
                             f"CDX server nor a pywb collection): {'; '.join(said)}")


def open_archive(spec: str, *, user_agent: str = DEFAULT_USER_AGENT, cdx_interval: float = 2.5,
                 fetch_interval: float = 0.25, max_retries: int = 3, max_429: int = 3,
                 retry_after_cap: float = 300.0, backoff: float = 5.0, timeout: float = 30.0,
                 max_bytes: int = MAX_MEMENTO_BYTES, page_size: int = 5000,
                 probe_url: str = PROBE_URL, wayback_url: str | None = None,
                 commoncrawl_index: str | None = None, commoncrawl_data: str | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> Archive:
    """The archive ``spec`` names: ``wayback``, ``commoncrawl`` or the base URL of a Wayback
    CDX server or pywb collection (probed to tell which). The two named archives' addresses
    come from the arguments, else ``$NORDARCHIVE_WAYBACK_URL``,
    ``$NORDARCHIVE_COMMONCRAWL_INDEX`` and ``$NORDARCHIVE_COMMONCRAWL_DATA``, else the real
    ones. Raises :class:`ArchiveSourceError` (one line) for anything else."""
    http = PoliteHttp(user_agent=user_agent, intervals={"cdx": cdx_interval,
                                                        "memento": fetch_interval},
                      max_retries=max_retries, max_429=max_429, retry_after_cap=retry_after_cap,
                      backoff=backoff, timeout=timeout, sleep=sleep, clock=clock)
    sizes = {"max_bytes": max_bytes, "page_size": page_size}
    name = spec.strip()
    if name == "wayback":
        base = (wayback_url or os.environ.get("NORDARCHIVE_WAYBACK_URL") or WAYBACK_URL).rstrip("/")
        return WaybackCdxArchive(http, "wayback", cdx_url=f"{base}/cdx/search/cdx",
                                 replay=f"{base}/web/", **sizes)
    if name == COMMONCRAWL:
        index = (commoncrawl_index or os.environ.get("NORDARCHIVE_COMMONCRAWL_INDEX")
                 or COMMONCRAWL_INDEX)
        data = (commoncrawl_data or os.environ.get("NORDARCHIVE_COMMONCRAWL_DATA")
                or COMMONCRAWL_DATA)
        return CommonCrawlArchive(http, index_url=index, data_url=data, **sizes)
    parts = urlsplit(name)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArchiveSourceError(f"unknown archive {spec!r}: give wayback, commoncrawl or the "
                                 "base URL of a Wayback CDX server or pywb collection")
    base = name.rstrip("/")
    if _probe(http, base, probe_url) == "ia":
        return WaybackCdxArchive(http, base, cdx_url=f"{base}/cdx/search/cdx",
                                 replay=f"{base}/web/", **sizes)
    return PywbArchive(http, base, cdx_url=f"{base}/cdx", replay=f"{base}/", **sizes)
