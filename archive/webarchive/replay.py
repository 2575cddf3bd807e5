"""A captured page made fit to be shown as an archived copy (what a replay server such as pywb
does): a banner saying whose copy it is and when it was captured, no script left to run, and
every link either leading to the archive's own copy of the linked page or plainly marked as
leaving the archive for the live web.

The capture itself is never changed: this reads it from its WARC record and returns new bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree, html
from lxml.builder import E
from lxml_html_clean import Cleaner
from sqlalchemy import bindparam, select
from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator

from archive.storage.database import ArchiveError, Database
from archive.storage.models import Capture
from archive.storage.urls import normalize_url
from archive.webarchive.captures import locate_capture

CAPTURES = Capture.__table__
#: Headers of every replayed page: its scripts never run, nothing is fetched from elsewhere,
#: no form is sent. (``sandbox`` also stops plugins and pop-ups.)
REPLAY_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                               "img-src data:; form-action 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
#: Class of links that leave the archive, and the mark the banner's style gives them.
LEAVES = "nordarchive-leaves"
ARCHIVED = "nordarchive-archived"
BANNER_ID = "nordarchive-banner"
_STYLE = (
    f"#{BANNER_ID}{{all:initial;display:block;box-sizing:border-box;width:100%;margin:0;"
    "padding:.6em 1em;background:#fff7d6;color:#222;border-bottom:2px solid #b38b00;"
    "font:15px/1.4 system-ui,sans-serif;position:relative;z-index:2147483647}"
    f"#{BANNER_ID} a{{color:#0645ad;text-decoration:underline;margin-right:.8em}}"
    f"a.{LEAVES}::after{{content:' \\2197  live web';font-size:.8em;color:#a40000;"
    "font-weight:bold}"
    f"a.{LEAVES}{{outline:1px dashed #a40000}}")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CLEANER = Cleaner(scripts=True, javascript=True, comments=False, style=False,
                   inline_style=False, links=False, meta=False, page_structure=False,
                   processing_instructions=False, embedded=False, frames=False, forms=False,
                   annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=False,
                   add_nofollow=False)


@dataclass(frozen=True)
class Exchange:
    """A captured HTTP response as archived: status, headers, payload (transfer and content
    encodings undone)."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or "text/html"

    @property
    def is_html(self) -> bool:
        return self.content_type.split(";")[0].strip().lower() in (
            "text/html", "application/xhtml+xml")


def read_exchange(db: Database, capture_id: int, warc_dir: Path) -> Exchange:
    """The response a capture holds; a revisit is read from the response it refers to (with
    the revisit's own status where that is a redirect or an error)."""
    where = locate_capture(db, capture_id, warc_dir)
    try:
        with open(where.path, "rb") as handle:
            handle.seek(where.offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None or record.rec_headers.get_header("WARC-Record-ID") != \
                    where.record_id:
                raise ValueError(f"offset {where.offset} does not hold record {where.record_id}")
            headers = record.http_headers
            body = record.content_stream().read() if record.rec_type == "response" else b""
            return Exchange(where.url, int(headers.get_statuscode()) if headers else 200,
                            list(headers.headers) if headers else [], body)
    except (OSError, ValueError, StopIteration) as error:
        raise ArchiveError(f"capture {capture_id} ({where.warc_file} at {where.offset}) cannot "
                           f"be read: {error}") from None


def archived_urls(db: Database, urls: Iterable[str]) -> set[str]:
    """The normal forms, among ``urls``, of URLs the archive holds a capture of that is not an
    error (a page, or a redirect the archive can follow)."""
    normals = sorted({normalize_url(u) for u in urls})
    found: set[str] = set()
    query = (select(CAPTURES.c.normalized_url).distinct()
             .where(CAPTURES.c.normalized_url.in_(bindparam("urls", expanding=True)),
                    CAPTURES.c.http_status < 400))
    with db.engine.connect() as conn:
        for start in range(0, len(normals), 500):
            found |= set(conn.scalars(query, {"urls": normals[start:start + 500]}))
    return found


@dataclass(frozen=True)
class Banner:
    """What the banner says: the original URL, when it was captured, and the archive's own
    addresses for it (its article, all its captures, this copy to cite)."""

    url: str
    captured: datetime
    cite: str | None = None
    timemap: str | None = None
    article: str | None = None
    note: str | None = None

    def element(self):
        when = self.captured.strftime("%Y-%m-%d %H:%M:%S UTC")
        original = E.a(self.url, href=self.url, rel="nofollow noopener noreferrer",
                       title=f"Leaves the archive: the live page at {self.url}",
                       **{"class": LEAVES})
        parts = [E.strong("nordarchive: "), "archived copy of ", original,
                 f", captured {when}. ", E.br(),
                 "Scripts are not run; links marked \u2197 live web leave the archive. "]
        for label, href in (("cite this copy", self.cite), ("all captures", self.timemap),
                            ("the article in the archive", self.article)):
            if href:
                parts.append(E.a(label, href=href))
        if self.note:
            parts.append(E.em(self.note))
        return E.div(*parts, id=BANNER_ID, role="note")


def _parse(body: bytes, content_type: str | None):
    _, text = html_to_unicode(content_type, body)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        text = "<html><body></body></html>"
    return html.document_fromstring(text)


def page_links(body: bytes, content_type: str | None, url: str) -> list[str]:
    """The absolute http(s) URLs the page's links (``a``/``area``) lead to."""
    doc = _parse(body, content_type)
    base = _base(doc, url)
    return [link for element in doc.iter("a", "area")
            if (link := _absolute(base, element.get("href"))) is not None]


def _base(doc, url: str) -> str:
    declared = doc.find(".//base[@href]")
    return urljoin(url, declared.get("href").strip()) if declared is not None else url


def _absolute(base: str, href: str | None) -> str | None:
    if not href or href.strip().startswith("#"):
        return None
    try:
        absolute = urljoin(base, href.strip())
    except ValueError:
        return None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def rewrite(body: bytes, content_type: str | None, url: str, banner: Banner,
            link_for: Callable[[str], str | None]) -> bytes:
    """The captured page as an archived copy: ``banner`` first in the body, scripts, event
    handlers, ``javascript:`` links and refreshes removed, each link to an http(s) page sent
    to ``link_for(url)`` (the archive's address of that page, or None: then it is marked as
    leaving the archive). UTF-8 HTML."""
    doc = _parse(body, content_type)
    _CLEANER(doc)
    base = _base(doc, url)
    for element in list(doc.iter("base")):
        element.drop_tree()
    for element in list(doc.iter("meta")):
        if (element.get("http-equiv") or "").strip().lower() in ("refresh", "content-type"):
            element.drop_tree()
        elif element.get("charset") is not None:
            element.drop_tree()
    for element in doc.iter("a", "area"):
        href = element.get("href")
        target = _absolute(base, href)
        if target is None:
            continue
        inside = link_for(target)
        classes = (element.get("class") or "").split()
        element.attrib.pop("target", None)
        if inside is not None:
            element.set("href", inside)
            element.set("class", " ".join(classes + [ARCHIVED]))
        else:
            element.set("href", target)
            element.set("class", " ".join(classes + [LEAVES]))
            element.set("rel", "nofollow noopener noreferrer")
            element.set("title", f"Leaves the archive: the live page at {target}")
    for element in doc.iter("form"):
        action = _absolute(base, element.get("action") or url)
        if action:
            element.set("action", action)
    head = doc.find("head")
    if head is None:
        head = etree.Element("head")
        doc.insert(0, head)
    head.insert(0, E.meta(charset="utf-8"))
    head.append(E.style(_STYLE))
    body_element = doc.find("body")
    if body_element is None:
        body_element = etree.SubElement(doc, "body")
    body_element.insert(0, banner.element())
    doctype = doc.getroottree().docinfo.doctype or "<!DOCTYPE html>"
    return html.tostring(doc, encoding="unicode", method="html",
                         doctype=doctype).encode("utf-8")
