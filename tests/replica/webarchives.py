"""Web archives on loopback, fed by the replica's era captures (``tests.replica.eras``): the
Internet Archive's Wayback CDX server and ``id_`` replay, a real pywb collection, and Common
Crawl's index server with its WARC data host. ``nordarchive backfill`` is tested against
these, never against the real services.

* ``IaWaybackReplica(captures)``: ``GET /cdx/search/cdx`` as the ``wayback-cdx-server``
  README documents it (``url``, ``matchType`` and the ``*`` forms, ``output=json`` (an array
  of arrays, the first the field names) or space-separated text, ``fl``, ``from``/``to``,
  ``filter=[!]field:regex``, ``collapse=field[:N]``, ``limit`` (negative: the last N),
  ``showResumeKey``/``resumeKey``, ``page``/``showNumPages``/``pageSize``, gzip unless
  ``gzip=false``), and ``GET /web/<timestamp>id_/<url>``: the capture's own bytes, status and
  ``Content-Type``, its headers again as ``X-Archive-Orig-*``, ``Memento-Datetime``; an
  inexact timestamp redirects (302) to the closest capture's, as web.archive.org does.
* ``PywbCollections(venv, root, {"portal": [warcs]})``: ``wb-manager init``/``add`` and
  ``wayback`` of pywb 2.10 in a venv of its own, on a free loopback port.
* ``CommonCrawlReplica(eras)``: ``GET /collinfo.json`` (two crawls), ``GET /<id>-index``
  (pywb-style: ``output=json`` is NDJSON, ``fl`` names untranslated, pywb's filter forms, a
  ZipNum index: paged, ``showNumPages``, only page 0 without ``page=``, 404 with
  ``{"error": "No Captures found for: …"}`` when nothing matches) and
  ``GET /crawl-data/…warc.gz`` with ``Range`` (206, ``Content-Range``), the index's
  ``filename``/``offset``/``length`` pointing at the response records of the era WARCs.

Fault knobs (constructor keywords and attributes, changeable between requests):
``rate_limit_first=N`` (the first N requests answer ``rate_limit_status``, 429 by default,
with ``Retry-After: 1``), ``always_429``, ``html_instead`` (an HTML page to every index query,
as a misconfigured proxy answers), ``garbage`` (random bytes to every index query),
``delay`` (seconds before each answer); the IA replica also ``endless_resume`` (a resume key
that never ends: every following page repeats it and brings no rows) and ``wrong_memento``
(``id_`` answers another URL's page); the Common Crawl replica also ``ignore_range`` (200 and
the whole file, as a proxy that drops ``Range`` does). Every request is kept in ``.requests``
(``ArchiveRequest``: path, query, headers with the User-Agent, arrival time, status).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import random
import re
import subprocess
import threading
import time
import venv
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlsplit

import surt

from tests.helpers.loopback import LoopbackServer
from tests.helpers.net import answers, free_port, wait_until
from tests.replica import content
from tests.replica.eras import Capture, EraCaptures

__all__ = [
    "COMMON_CRAWLS", "IA_FIELDS", "PYWB", "ArchiveRequest", "CommonCrawlReplica",
    "IaWaybackReplica", "PywbCollections", "PywbInstall", "search_range",
    "start_pywb_install",
]

#: The fields the IA's CDX server makes public, in its order (its README).
IA_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
#: pywb pinned as ``tests/test_web_archiving.py`` pins it.
PYWB = "pywb>=2.10,<2.11"
#: The Common Crawl crawls the replica serves: (id, era, name).
COMMON_CRAWLS = (("CC-MAIN-2021-25", 2, "June 2021 Index"),
                 ("CC-MAIN-2019-13", 1, "March 2019 Index"))
#: CC's language codes (ISO 639-3) for the stories' languages.
_LANGUAGES = {"sv": "swe", "en": "eng", "fi": "fin", "no": "nor", "da": "dan", "is": "isl"}
_TIMESTAMP = re.compile(r"^\d{1,14}$")


def search_range(url: str, match_type: str) -> tuple[str, str]:
    """The SURT key range ``[start, end)`` of a query, as pywb computes it
    (``pywb/utils/canonicalize.py: calc_search_range``): a prefix query for ``…/path/`` starts
    at ``…)/path/``, so the page ``…/path/`` itself (key ``…)/path``) is not in it."""
    key = surt.surt(url)
    if match_type == "exact":
        return key, key + "!"
    if match_type == "prefix":
        start = key
        if url.endswith("/") and not key.endswith("/"):
            start = key + "/"
        elif url.endswith("?") and not key.endswith("?"):
            start = key + "?"
        return start, start[:-1] + chr(ord(start[-1]) + 1)
    if match_type in ("host", "domain"):
        host = key.split(")/", 1)[0]
        if match_type == "host":
            return host + ")/", host + "*"
        return (host + "," if "," not in host else host + ")/"), host + "-"
    raise ValueError(f"Invalid match_type: {match_type}")


def _pad(timestamp: str, up: bool) -> str:
    """A 1–14 digit timestamp as the first (or last) second it names."""
    if up:
        return timestamp + "99991231235959"[len(timestamp):]
    return timestamp + "00000101000000"[len(timestamp):]


def _seconds(timestamp: str) -> float:
    padded = timestamp + "19700101000000"[len(timestamp):]
    try:
        moment = datetime.strptime(padded, "%Y%m%d%H%M%S")
    except ValueError:
        moment = datetime.strptime(padded[:4] + "0101000000", "%Y%m%d%H%M%S")
    return moment.replace(tzinfo=UTC).timestamp()


def _http_date(capture: Capture) -> str:
    return format_datetime(capture.date, usegmt=True)


@dataclass
class ArchiveRequest:
    """One request a replica answered."""

    method: str
    #: The request target as sent (path and query).
    path: str
    #: The path alone, and the query parsed (``parse_qs``, blanks kept).
    route: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    #: ``time.monotonic()`` at arrival (politeness is measured on it) and wall-clock time.
    at: float
    wall: float
    status: int = 0

    @property
    def user_agent(self) -> str | None:
        for name, value in self.headers.items():
            if name.lower() == "user-agent":
                return value
        return None


@dataclass
class _Answer:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class _ArchiveServer:
    """A threaded loopback server that keeps every request and plays the common faults."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, rate_limit_first: int = 0,
                 rate_limit_status: int = 429, always_429: bool = False,
                 html_instead: bool = False, garbage: bool = False, delay: float = 0.0,
                 seed: int = 0) -> None:
        self.rate_limit_first = rate_limit_first
        self.rate_limit_status = rate_limit_status
        self.always_429 = always_429
        self.html_instead = html_instead
        self.garbage = garbage
        self.delay = delay
        self.requests: list[ArchiveRequest] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._serve, host, port)
        self.host, self.port, self.base = self.server.host, self.server.port, self.server.base

    def start(self):
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    # -- answering ------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        record = ArchiveRequest("GET", handler.path, parts.path,
                                parse_qs(parts.query, keep_blank_values=True),
                                dict(handler.headers.items()), time.monotonic(), time.time())
        with self._lock:
            self.requests.append(record)
            number = len(self.requests)
        if self.delay:
            time.sleep(self.delay)
        if self.always_429 or number <= self.rate_limit_first:
            status = 429 if self.always_429 else self.rate_limit_status
            answer = _Answer(status, b"<html><body><h1>Too Many Requests</h1></body></html>",
                             "text/html; charset=utf-8", [("Retry-After", "1")])
        else:
            try:
                answer = self.answer(handler, record)
            except _BadRequest as error:
                answer = self.bad_request(str(error))
        record.status = answer.status
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)
        handler.wfile.flush()

    def answer(self, handler: BaseHTTPRequestHandler, request: ArchiveRequest) -> _Answer:
        raise NotImplementedError

    def bad_request(self, message: str) -> _Answer:
        return _Answer(400, message.encode())

    def index_fault(self, content_type: str) -> _Answer | None:
        """What an index query gets instead of its answer when a fault is switched on."""
        if self.html_instead:
            return _Answer(200, b"<!DOCTYPE html><html><head><title>Access Denied</title>"
                                b"</head><body><h1>Access Denied</h1><p>You don't have "
                                b"permission to access this resource through the proxy."
                                b"</p></body></html>", "text/html; charset=utf-8")
        if self.garbage:
            with self._lock:
                noise = bytes(self._random.getrandbits(8) for _ in range(777))
            return _Answer(200, noise, content_type)
        return None


class _BadRequest(Exception):
    pass


def _one(query: Mapping[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[0] if values else default


def _match(query: Mapping[str, list[str]]) -> tuple[str, str, str]:
    """(url, matchType, …) with the ``*`` forms of ``url`` read as both servers read them."""
    url = _one(query, "url")
    if not url:
        raise _BadRequest("Request must include url")
    match_type = _one(query, "matchType")
    if not match_type:
        if url.startswith("*."):
            url, match_type = url[2:], "domain"
        elif url.endswith("*"):
            url, match_type = url[:-1], "prefix"
        else:
            match_type = "exact"
    if match_type not in ("exact", "prefix", "host", "domain"):
        raise _BadRequest(f"Invalid match_type: {match_type}")
    return url, match_type, surt.surt(url)


def _bounds(query: Mapping[str, list[str]]) -> tuple[str | None, str | None]:
    found = []
    for name, up in (("from", False), ("to", True)):
        value = _one(query, name)
        if value is not None and not _TIMESTAMP.match(value):
            raise _BadRequest(f"Invalid {name}= timestamp: {value}")
        found.append(_pad(value, up) if value else None)
    return found[0], found[1]


# --- the Internet Archive -----------------------------------------------------------------------


@dataclass
class _IaRow:
    fields: dict[str, str]
    capture: Capture

    @property
    def position(self) -> tuple[str, str]:
        return self.fields["urlkey"], self.fields["timestamp"]


class IaWaybackReplica(_ArchiveServer):
    """The Wayback Machine's CDX server and ``id_`` replay over ``captures`` (an
    ``EraCaptures`` or any captures)."""

    def __init__(self, captures: EraCaptures | Iterable[Capture], *,
                 endless_resume: bool = False, wrong_memento: bool = False,
                 redirect_to_closest: bool = True, page_size: int = 25,
                 max_limit: int = 150000, **faults) -> None:
        super().__init__(**faults)
        self.endless_resume = endless_resume
        self.wrong_memento = wrong_memento
        #: An inexact timestamp answers 302 to the closest capture's (web.archive.org does);
        #: False serves the closest capture at once.
        self.redirect_to_closest = redirect_to_closest
        #: Rows a ``page=`` holds (the real server pages by ZipNum blocks).
        self.page_size = page_size
        #: The server's absolute cap on one answer's rows (150000 on web.archive.org).
        self.max_limit = max_limit
        captures = captures.captures if isinstance(captures, EraCaptures) else list(captures)
        self.captures = sorted(captures, key=lambda c: (c.urlkey, c.timestamp))
        self.rows = [_IaRow(self._fields(c), c) for c in self.captures]
        self.by_urlkey: dict[str, list[Capture]] = {}
        for capture in self.captures:
            self.by_urlkey.setdefault(capture.urlkey, []).append(capture)

    @staticmethod
    def _fields(capture: Capture) -> dict[str, str]:
        revisit = capture.record_type == "revisit"
        return {"urlkey": capture.urlkey, "timestamp": capture.timestamp,
                "original": capture.url,
                "mimetype": "warc/revisit" if revisit else capture.mime,
                "statuscode": "-" if revisit else str(capture.status),
                "digest": capture.digest, "length": str(capture.length)}

    def cdx_url(self) -> str:
        return f"{self.base}/cdx/search/cdx"

    def memento_url(self, timestamp: str, url: str, modifier: str = "id_") -> str:
        return f"{self.base}/web/{timestamp}{modifier}/{url}"

    def answer(self, handler: BaseHTTPRequestHandler, request: ArchiveRequest) -> _Answer:
        if request.route in ("/cdx/search/cdx", "/cdx/search/cdx/"):
            return self._cdx(request)
        if request.route.startswith("/web/"):
            return self._replay(request.path)
        return _Answer(404, b"Not Found")

    # -- the CDX server -------------------------------------------------------------------------
    def _cdx(self, request: ArchiveRequest) -> _Answer:
        query = request.query
        output_json = _one(query, "output") == "json"
        content_type = "application/json" if output_json else "text/plain; charset=utf-8"
        fault = self.index_fault(content_type)
        if fault:
            return fault
        url, match_type, _ = _match(query)
        try:
            start, end = search_range(url, match_type)
        except ValueError as error:
            raise _BadRequest(str(error)) from None
        low, high = _bounds(query)
        fields = (_one(query, "fl") or ",".join(IA_FIELDS)).split(",")
        for name in fields:
            if name not in IA_FIELDS:
                raise _BadRequest(f"Invalid field in fl=: {name}")
        filters = [self._filter(spec) for spec in query.get("filter", [])]
        collapses = [self._collapse(spec) for spec in query.get("collapse", [])]
        rows = [r for r in self.rows if start <= r.fields["urlkey"] < end]
        if _one(query, "showNumPages") == "true":
            size = self._page_size(query)
            return _Answer(200, f"{math.ceil(len(rows) / size)}\n".encode(), content_type)
        page = _one(query, "page")
        if page is not None:
            size = self._page_size(query)
            number = int(page) if page.lstrip("-").isdigit() else 0
            if number >= 0:
                rows = rows[number * size:(number + 1) * size]
        show_key = _one(query, "showResumeKey") == "true"
        resume = _one(query, "resumeKey")
        if resume is not None:
            position = self._position(resume)
            if self.endless_resume:  # the same key again, and nothing new
                key = quote_plus(f"{position[0]} {position[1]}!")
                return self._cdx_answer([], fields, output_json, key, request)
            rows = [r for r in rows if r.position > position]
        # Filter and collapse, remembering for each row kept the last row read before the next
        # one kept: that is where a resume key continues.
        kept: list[list] = []
        last: list[str | None] = [None] * len(collapses)
        for row in rows:
            stamp = row.fields["timestamp"]
            ok = (low is None or stamp >= low) and (high is None or stamp <= high)
            ok = ok and all(f(row) for f in filters)
            if ok and collapses:
                values = [field_(row) for field_ in collapses]
                ok = all(v != p for v, p in zip(values, last, strict=True))
                if ok:
                    last = values
            if ok:
                kept.append([row, row.position])
            elif kept:
                kept[-1][1] = row.position
        limit_text = _one(query, "limit")
        limit = int(limit_text) if limit_text and limit_text.lstrip("-").isdigit() else None
        cap = self.max_limit if limit is None else min(limit, self.max_limit)
        key = None
        if limit is not None and limit < 0:
            shown = kept[limit:]
        else:
            shown = kept[:cap]
            if show_key and len(kept) > cap:
                urlkey, stamp = shown[-1][1] if shown else kept[0][1]
                key = quote_plus(f"{urlkey} {stamp}!")
        if self.endless_resume and show_key and shown:
            urlkey, stamp = shown[-1][1]
            key = quote_plus(f"{urlkey} {stamp}!")
        return self._cdx_answer([r for r, _ in shown], fields, output_json, key, request)

    def _cdx_answer(self, rows: list[_IaRow], fields: list[str], output_json: bool,
                    key: str | None, request: ArchiveRequest) -> _Answer:
        if output_json:
            lines = [json.dumps(fields)] if rows or key else []
            lines += [json.dumps([r.fields[f] for f in fields]) for r in rows]
            if key:
                lines += ["[]", json.dumps([key])]
            body = ("[" + ",\n".join(lines) + "]\n").encode()
            content_type = "application/json"
        else:
            text = "".join(" ".join(r.fields[f] for f in fields) + "\n" for r in rows)
            if key:
                text += f"\n{key}\n"
            body, content_type = text.encode(), "text/plain; charset=utf-8"
        headers = []
        accepts = request.headers.get("Accept-Encoding") or request.headers.get(
            "accept-encoding") or ""
        if "gzip" in accepts and _one(request.query, "gzip") != "false":
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        return _Answer(200, body, content_type, headers)

    def _page_size(self, query: Mapping[str, list[str]]) -> int:
        size = _one(query, "pageSize")
        return max(1, min(int(size), self.page_size)) if size and size.isdigit() \
            else self.page_size

    @staticmethod
    def _position(resume: str) -> tuple[str, str]:
        # Sent back as printed (URL-encoded, so decoded once here) or encoded once more.
        text = unquote_plus(resume) if "%" in resume else resume
        text = text.rstrip("!")
        urlkey, _, stamp = text.rpartition(" ")
        if not urlkey or not _TIMESTAMP.match(stamp):
            raise _BadRequest(f"Invalid resumeKey: {resume}")
        return urlkey, stamp

    @staticmethod
    def _field(name: str):
        if name.isdigit() and int(name) < len(IA_FIELDS):
            name = IA_FIELDS[int(name)]
        if name not in IA_FIELDS:
            raise _BadRequest(f"Invalid field: {name}")
        return name

    def _filter(self, spec: str):
        invert = spec.startswith("!")
        name, sep, pattern = spec.lstrip("!").partition(":")
        if not sep:
            raise _BadRequest(f"Invalid filter: {spec}")
        name = self._field(name)
        try:
            regex = re.compile(pattern)
        except re.error:
            raise _BadRequest(f"Invalid filter regex: {pattern}") from None
        return lambda row: (regex.fullmatch(row.fields[name]) is not None) != invert

    def _collapse(self, spec: str):
        name, _, size = spec.partition(":")
        name = self._field(name)
        length = int(size) if size.isdigit() else None
        return lambda row: row.fields[name][:length] if length else row.fields[name]

    # -- replay ----------------------------------------------------------------------------------
    def _replay(self, raw_path: str) -> _Answer:
        match = re.match(r"^/web/(\d{1,14})([a-z]{2}_)?/(.+)$", raw_path)
        if not match:
            return _Answer(404, b"Not Found")
        stamp, modifier, target = match.group(1), match.group(2) or "", match.group(3)
        target = re.sub(r"^(https?:)/+", r"\1//", target)
        if "://" not in target:
            target = "http://" + target
        found = self.by_urlkey.get(surt.surt(target))
        if not found:
            return _Answer(404, b"<html><body><p>Hrm. The Wayback Machine has not archived "
                                b"that URL.</p></body></html>", "text/html; charset=utf-8",
                           [("X-Archive-Wayback-Runtime-Error",
                             f"ResourceNotInArchiveException: {target} was not found")])
        wanted = _seconds(stamp)
        chosen = min(found, key=lambda c: (abs(c.date.timestamp() - wanted), c.timestamp))
        if self.redirect_to_closest and stamp != chosen.timestamp:
            return _Answer(302, b"", "text/plain; charset=utf-8", [
                ("Location", self.memento_url(chosen.timestamp, chosen.url, modifier))])
        shown = self._wrong(chosen) if self.wrong_memento else chosen
        headers = [("Memento-Datetime", _http_date(chosen)),
                   ("Link", f'<{chosen.url}>; rel="original", '
                            f'<{self.base}/web/timemap/link/{chosen.url}>; rel="timemap"; '
                            f'type="application/link-format"'),
                   ("X-Archive-Src", shown.warc.name)]
        headers += [(f"X-Archive-Orig-{name}", value) for name, value in shown.http_headers]
        if shown.location:
            headers.append(("Location", self.memento_url(chosen.timestamp, shown.location,
                                                         modifier)))
        body = shown.body
        if modifier != "id_" and shown.mime == "text/html":
            body = self._toolbar(body, chosen)
        return _Answer(shown.status, body, shown.content_type or "text/html", headers)

    def _wrong(self, capture: Capture) -> Capture:
        """Another URL's page, the nearest in time: what a confused archive serves."""
        others = [c for c in self.captures if c.urlkey != capture.urlkey and c.status == 200
                  and c.mime == "text/html"]
        return min(others, key=lambda c: (abs((c.date - capture.date).total_seconds()),
                                          c.urlkey))

    def _toolbar(self, body: bytes, capture: Capture) -> bytes:
        """Replay without ``id_``: the Wayback toolbar inserted and the links rewritten."""
        toolbar = (b'<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp-base"><p>The Wayback '
                   b'Machine - ' + self.memento_url(capture.timestamp, capture.url, "").encode()
                   + b"</p></div><!-- END WAYBACK TOOLBAR INSERT -->")
        body = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + toolbar, body, count=1)
        prefix = f"{self.base}/web/{capture.timestamp}/".encode()
        return re.sub(rb'href="(https?://)', lambda m: b'href="' + prefix + m.group(1), body)


# --- Common Crawl --------------------------------------------------------------------------------


class CommonCrawlReplica(_ArchiveServer):
    """Common Crawl's index server (``collinfo.json``, a CDX API per crawl, pywb's ZipNum
    paging) and its data host (the era WARC files, with ``Range``), on one loopback server:
    the index's ``filename`` is relative, fetched as ``data_base + "/" + filename``."""

    def __init__(self, eras: EraCaptures, *, block_lines: int = 3, page_size: int = 2,
                 ignore_range: bool = False, **faults) -> None:
        super().__init__(**faults)
        #: Index lines per ZipNum block, and blocks per page (CC: 3000 and 5).
        self.block_lines = block_lines
        self.page_size = page_size
        self.ignore_range = ignore_range
        self.eras = eras
        self.files: dict[str, Path] = {}
        self.indexes: dict[str, list[dict[str, str]]] = {}
        self.crawls: list[dict[str, str]] = []
        for crawl, era, name in COMMON_CRAWLS:
            captures = eras.era(era)
            first, last = min(c.date for c in captures), max(c.date for c in captures)
            segment = f"{int(first.timestamp() * 1000)}.{era + 10}"
            stem = (f"CC-MAIN-{first:%Y%m%d%H%M%S}-{last:%Y%m%d%H%M%S}-0000{era}"
                    f".warc.gz")
            rows = []
            for capture in captures:
                folder = "warc" if capture.status == 200 else "crawldiagnostics"
                filename = f"crawl-data/{crawl}/segments/{segment}/{folder}/{stem}"
                self.files[filename] = capture.warc
                rows.append(self._row(capture, filename))
            rows.sort(key=lambda r: (r["urlkey"], r["timestamp"]))
            self.indexes[crawl] = rows
            self.crawls.append({
                "id": crawl, "name": name, "timegate": f"{self.base}/{crawl}/",
                "cdx-api": f"{self.base}/{crawl}-index",
                "from": f"{first:%Y-%m-%dT%H:%M:%S}", "to": f"{last:%Y-%m-%dT%H:%M:%S}"})

    @staticmethod
    def _row(capture: Capture, filename: str) -> dict[str, str]:
        row = {"urlkey": capture.urlkey, "timestamp": capture.timestamp, "url": capture.url,
               "mime": capture.mime, "mime-detected": capture.mime,
               "status": str(capture.status), "digest": capture.digest,
               "length": str(capture.length), "offset": str(capture.offset),
               "filename": filename}
        if capture.location:
            row["redirect"] = capture.location
        if capture.status == 200 and capture.mime == "text/html":
            row["charset"] = "UTF-8"
            lang = _LANGUAGES.get(content.BY_KEY[capture.key].lang) if capture.key else None
            row["languages"] = lang or "swe"
        return row

    @property
    def collinfo_url(self) -> str:
        return f"{self.base}/collinfo.json"

    @property
    def data_base(self) -> str:
        """Where the index's relative ``filename`` is fetched (data.commoncrawl.org)."""
        return self.base

    def cdx_api(self, crawl: str) -> str:
        return f"{self.base}/{crawl}-index"

    def answer(self, handler: BaseHTTPRequestHandler, request: ArchiveRequest) -> _Answer:
        route = request.route
        if route == "/collinfo.json":
            fault = self.index_fault("application/json")
            return fault or _Answer(200, json.dumps(self.crawls, indent=1).encode(),
                                    "application/json")
        if route.endswith("-index") and route[1:-len("-index")] in self.indexes:
            return self._index(route[1:-len("-index")], request)
        if route.startswith("/crawl-data/"):
            return self._data(route[1:], request)
        return _Answer(404, b"Not Found")

    def bad_request(self, message: str) -> _Answer:
        return _Answer(400, json.dumps({"error": message}).encode(), "application/json")

    def _index(self, crawl: str, request: ArchiveRequest) -> _Answer:
        query = request.query
        output_json = _one(query, "output") == "json"
        content_type = "text/x-ndjson" if output_json else "text/x-cdxj"
        fault = self.index_fault(content_type)
        if fault:
            return fault
        url, match_type, _ = _match(query)
        try:
            start, end = search_range(url, match_type)
        except ValueError as error:
            raise _BadRequest(str(error)) from None
        low, high = _bounds(query)
        size = _one(query, "pageSize")
        page_size = int(size) if size and size.isdigit() and int(size) > 0 else self.page_size
        index = self.indexes[crawl]
        inside = [i for i, row in enumerate(index) if start <= row["urlkey"] < end]
        if inside:
            first_block = inside[0] // self.block_lines
            blocks = inside[-1] // self.block_lines - first_block + 1
        else:
            first_block, blocks = 0, 0
        pages = math.ceil(blocks / page_size)
        if _one(query, "showNumPages") == "true":
            return _Answer(200, json.dumps({"pages": pages, "pageSize": page_size,
                                            "blocks": blocks}).encode(), "application/json")
        page_text = _one(query, "page", "0")
        page = int(page_text) if page_text.lstrip("-").isdigit() else 0
        if pages and (page >= pages or page < 0):
            raise _BadRequest(f"Page {page} invalid: First Page is 0, Last Page is {pages - 1}")
        begin = (first_block + page * page_size) * self.block_lines
        rows = [row for row in index[begin:begin + page_size * self.block_lines]
                if start <= row["urlkey"] < end]
        rows = [row for row in rows if (low is None or row["timestamp"] >= low)
                and (high is None or row["timestamp"] <= high)]
        for spec in query.get("filter", []):
            keep = _pywb_filter(spec)
            rows = [row for row in rows if keep(row)]
        limit = _one(query, "limit")
        if limit and limit.isdigit():
            rows = rows[:int(limit)]
        if not rows:
            return _Answer(404, json.dumps({"error": f"No Captures found for: {url}"}).encode(),
                           "application/json")
        fields = (_one(query, "fl") or "").split(",") if _one(query, "fl") else None
        lines = []
        for row in rows:
            shown = {k: row[k] for k in fields if k in row} if fields else row
            if output_json:
                lines.append(json.dumps(shown))
            else:
                rest = {k: v for k, v in shown.items() if k not in ("urlkey", "timestamp")}
                lines.append(f"{row['urlkey']} {row['timestamp']} {json.dumps(rest)}")
        return _Answer(200, ("\n".join(lines) + "\n").encode(), content_type)

    def _data(self, name: str, request: ArchiveRequest) -> _Answer:
        path = self.files.get(name)
        if path is None:
            return _Answer(404, b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                                b"NoSuchKey</Code></Error>", "application/xml")
        data = path.read_bytes()
        total = len(data)
        spec = next((v for k, v in request.headers.items() if k.lower() == "range"), None)
        base_headers = [("Accept-Ranges", "bytes"), ("ETag", f'"{zlib.crc32(data):08x}"')]
        if spec is None or self.ignore_range:
            return _Answer(200, data, "application/octet-stream", base_headers)
        match = re.match(r"^bytes=(\d*)-(\d*)$", spec.split(",", 1)[0].strip())
        if not match or match.group(1) == match.group(2) == "":
            return _Answer(416, b"", "application/xml",
                           [*base_headers, ("Content-Range", f"bytes */{total}")])
        first, last = match.group(1), match.group(2)
        if first == "":
            begin, end = max(0, total - int(last)), total - 1
        else:
            begin = int(first)
            end = min(int(last), total - 1) if last else total - 1
        if begin >= total or end < begin:
            return _Answer(416, b"", "application/xml",
                           [*base_headers, ("Content-Range", f"bytes */{total}")])
        return _Answer(206, data[begin:end + 1], "application/octet-stream",
                       [*base_headers, ("Content-Range", f"bytes {begin}-{end}/{total}")])


_PYWB_ALIASES = {"original": "url", "statuscode": "status", "mimetype": "mime"}


def _pywb_filter(spec: str):
    """pywb's ``filter`` (``cdxops.CDXFilter``): ``[!][=|~]field:expression``, contains by
    default, ``=`` exact, ``~`` a regex matched at the start; a few IA names understood."""
    invert = spec.startswith("!")
    spec = spec[1:] if invert else spec
    mode = spec[0] if spec[:1] in ("=", "~") else ""
    spec = spec[1:] if mode else spec
    name, sep, expression = spec.partition(":")
    if not sep:
        name, expression = "", spec
    name = _PYWB_ALIASES.get(name, name)
    regex = re.compile(expression) if mode == "~" else None

    def keep(row: dict[str, str]) -> bool:
        value = row.get(name, "") if name else " ".join(row.values())
        if mode == "=":
            found = value == expression
        elif regex is not None:
            found = regex.match(value) is not None
        else:
            found = expression in value
        return found != invert

    return keep


# --- pywb ----------------------------------------------------------------------------------------


@dataclass
class PywbInstall:
    """pywb in a virtualenv of its own (it pins Werkzeug, pyOpenSSL and brotlipy, which cannot
    share nordarchive's environment), being installed by ``process`` or ready (None)."""

    venv: Path
    process: subprocess.Popen | None = None
    log: Path | None = None

    def wait(self, timeout: float = 900) -> tuple[bool, str]:
        """Wait for pip: (installed, the end of pip's output)."""
        if self.process is None:
            return (self.venv / "bin" / "wayback").exists(), ""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = -1
        said = self.log.read_text(errors="replace")[-2000:] if self.log else ""
        return code == 0, said

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_pywb_install(folder: Path) -> PywbInstall:
    """Start installing ``PYWB`` into ``folder/venv`` in the background; with
    ``NORDARCHIVE_PYWB_VENV`` set, use that ready venv instead."""
    ready = os.environ.get("NORDARCHIVE_PYWB_VENV")
    if ready:
        return PywbInstall(Path(ready))
    target = Path(folder) / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    log = Path(folder) / "pip.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(target / "bin" / "python"), "-m", "pip", "install",
                                    "--quiet", PYWB], stdout=out, stderr=subprocess.STDOUT)
    return PywbInstall(target, process, log)


def _shared_folder(basetemp: Path) -> Path:
    """The run's folder shared by its xdist workers (each has its own ``popen-gwN``)."""
    root = basetemp.parent if basetemp.name.startswith("popen-gw") else basetemp
    folder = root / "pywb-shared"
    folder.mkdir(exist_ok=True)
    return folder


def start_shared_pywb(basetemp: Path) -> None:
    """Start pip installing pywb for the whole run, in the background (it takes a minute of a
    core, better spent while other tests run): the first worker to call this starts it, the
    others find it started. The shell that runs pip leaves ``installed`` or ``failed``."""
    import fcntl

    if os.environ.get("NORDARCHIVE_PYWB_VENV"):
        return
    folder = _shared_folder(basetemp)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "started").exists():
            return
        (folder / "started").touch()
        venv.EnvBuilder(with_pip=True).create(folder / "venv")
        python = folder / "venv" / "bin" / "python"
        script = (f'"{python}" -m pip install --quiet "{PYWB}" > "{folder}/pip.log" 2>&1 '
                  f'&& touch "{folder}/installed" || touch "{folder}/failed"')
        subprocess.Popen(["sh", "-c", script], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shared_pywb(tmp_path_factory) -> Path:
    """pywb installed once for the whole test run (``start_shared_pywb``; started here if no
    one started it), shared by its xdist workers. Returns its venv; fails (under CI) or skips
    the test when pip cannot install it."""
    import pytest

    ready = os.environ.get("NORDARCHIVE_PYWB_VENV")
    if ready:
        return Path(ready)
    basetemp = tmp_path_factory.getbasetemp()
    start_shared_pywb(basetemp)
    folder = _shared_folder(basetemp)
    wait_until(lambda: (folder / "installed").exists() or (folder / "failed").exists(),
               timeout=900, interval=0.5, message=f"pip did not install {PYWB} in 900 s")
    if (folder / "failed").exists():
        said = (folder / "pip.log").read_text(errors="replace")[-2000:]
        if os.environ.get("CI"):
            pytest.fail(f"pip could not install {PYWB}: {said}")
        pytest.skip(f"pip could not install {PYWB}: {said}")
    return folder / "venv"


class PywbCollections:
    """A pywb directory under ``root`` with ``collections`` (name: WARC files), built with
    ``wb-manager init`` and ``wb-manager add``, served by ``wayback -p PORT -b 127.0.0.1``.
    Its CDX server is ``/<coll>/cdx`` (NDJSON with ``output=json``), replay
    ``/<coll>/<timestamp>id_/<url>``."""

    def __init__(self, venv: Path | str, root: Path | str,
                 collections: Mapping[str, Sequence[Path]]) -> None:
        self.venv = Path(venv)
        self.root = Path(root)
        self.collections = {name: [Path(p) for p in paths]
                            for name, paths in collections.items()}
        self.port = 0
        self.base = ""
        self.process: subprocess.Popen | None = None
        self.built = False

    @classmethod
    def of_eras(cls, venv: Path | str, root: Path | str, eras: EraCaptures,
                name: str = "portal") -> PywbCollections:
        """One collection, ``portal``, of both era WARC files."""
        return cls(venv, root, {name: [eras.warcs[1], eras.warcs[2]]})

    def _tool(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def build(self) -> PywbCollections:
        self.root.mkdir(parents=True, exist_ok=True)
        for name, warcs in self.collections.items():
            for args in (["init", name], ["add", name, *map(str, warcs)]):
                done = subprocess.run([self._tool("wb-manager"), *args], cwd=self.root,
                                      capture_output=True, timeout=300)
                if done.returncode != 0:
                    raise RuntimeError(f"wb-manager {' '.join(args[:2])} failed: "
                                       f"{done.stderr.decode(errors='replace')[-2000:]}")
        self.built = True
        return self

    def start(self, timeout: float = 120) -> PywbCollections:
        if not self.built:
            self.build()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (self.root / "wayback.log").open("wb")
        self.process = subprocess.Popen([self._tool("wayback"), "-p", str(self.port), "-b",
                                         "127.0.0.1"], cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        first = next(iter(self.collections))

        def up() -> bool:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError("wayback exited: " + self.log_text())
            return answers(f"{self.base}/{first}/")

        try:
            wait_until(up, timeout, interval=0.3, message="wayback did not answer")
        except AssertionError:
            self.stop()
            raise RuntimeError("wayback did not answer: " + self.log_text()) from None
        return self

    def log_text(self) -> str:
        path = self.root / "wayback.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def cdx_url(self, collection: str = "portal") -> str:
        return f"{self.base}/{collection}/cdx"

    def memento_url(self, timestamp: str, url: str, collection: str = "portal") -> str:
        return f"{self.base}/{collection}/{timestamp}id_/{url}"

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        log = getattr(self, "log", None)
        if log is not None and not log.closed:
            log.close()

    def __enter__(self) -> PywbCollections:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
