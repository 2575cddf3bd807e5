"""The replica portal as web archives hold it: captured in two eras and written as real WARC
files with warcio, for the tests of ``nordarchive backfill`` and ``nordarchive import``.

**Era 1** (from 2019-03-14T10:00:00Z, one second between captures): every story of
``content.STORIES`` in the portal's template (*markup A*, ``templates.portal_page``), the news
listing, its second page and a tag page (the listing captured twice, byte for byte the same),
no robots.txt.

**Era 2** (from 2021-06-02T09:00:00Z): the portal redesigned (*markup B*: other header, menu,
article wrapper, share bar, footer and cookie banner around the same texts), and phase 2 of
``tests.replica.serve``: one article edited (a sentence), one removed (its URL captured as a
404), one moved (its old URL captured as a 301 whose ``Location`` is the new URL, the new URL
captured 200 with the same text); one article captured twice, the second time with only its
chrome changed (cookie banner, share bar and footer text); the rest unchanged.

Both eras also capture two out-of-scope pages, byte for byte the same in both: a page of
another sub-site on the same host (``/popnad/``) and a page on another host.

``write_era_warcs(folder)`` writes ``era1-2019.warc.gz`` and ``era2-2021.warc.gz`` (gzip per
record; ``warcinfo``, then a ``request`` and a ``response`` for each capture) and returns an
``EraCaptures``: the files and a plain description of every capture (``Capture``: URL,
14-digit timestamp, status, story key, what changed, the bytes, where the record sits).

WARC files written by other tools, for ``nordarchive import``:

* ``write_wget_warc(folder)``: as ``wget --warc-file --no-warc-compression`` (1.21) writes
  one: uncompressed, a ``warcinfo`` with ``software: Wget/1.21``, request/response pairs with
  ``WARC-Target-URI: <url>`` in angle brackets (wget >= 1.19 does that; warcio strips them),
  robots.txt, one response still chunked as it came over the wire, and wget's closing
  ``metadata``/``resource`` records (MANIFEST.txt, wget_arguments.txt, wget.log).
* ``write_heritrix_warc(folder)``: as Heritrix 3 writes one: gzip per record, a ``dns:``
  record, robots.txt, request/response/metadata triples, and the next day's visit of
  unchanged pages as ``revisit`` records (identical-payload-digest profile,
  ``WARC-Refers-To-Target-URI``, ``WARC-Refers-To-Date``, ``WARC-Refers-To``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import surt
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.replica import content, templates
from tests.replica.content import Story
from tests.replica.serve import EDITED, MOVED, MOVED_SLUG, REMOVED, change_site
from tests.replica.site import PREFIX, ReplicaSite
from tests.replica.templates import Chrome, PageLinks, Teaser

__all__ = [
    "CHROME_ONLY", "DEFAULT_BASE", "DEFAULT_OTHER_HOST", "EDITED", "ERA1_START", "ERA2_START",
    "HERITRIX_START", "LISTING_PATH", "MOVED", "MOVED_SLUG", "OTHER_HOST_PATH",
    "OUT_OF_SCOPE_PATH", "PAGE2_PATH", "REMOVED", "TAG_PATH", "WGET_START", "Capture",
    "EraCaptures", "ToolWarc", "article_text", "payload_digest", "write_era_warcs",
    "write_heritrix_warc", "write_wget_warc",
]

DEFAULT_BASE = "https://nordicwelfare.org"
DEFAULT_OTHER_HOST = "https://www.norden.org"
ERA1_START = datetime(2019, 3, 14, 10, 0, 0, tzinfo=UTC)
ERA2_START = datetime(2021, 6, 2, 9, 0, 0, tzinfo=UTC)
#: The chrome-only recapture of ``CHROME_ONLY``: the same day, three hours into era 2.
CHROME_ONLY_AT = ERA2_START + timedelta(hours=3)
WGET_START = datetime(2022, 2, 1, 8, 0, 0, tzinfo=UTC)
HERITRIX_START = datetime(2022, 5, 10, 10, 0, 0, tzinfo=UTC)

#: The article captured a second time in era 2 with only its chrome changed.
CHROME_ONLY = "en-ukraine"
LISTING_PATH = f"{PREFIX}nyheter/"
PAGE2_PATH = f"{PREFIX}nyheter/page/2/"
TAG = "Arbete"
TAG_PATH = f"{PREFIX}tag/arbete/"
OUT_OF_SCOPE_PATH = "/popnad/nyheter/nordisk-konferens-om-psykisk-halsa/"
OTHER_HOST_PATH = "/sv/nyheter/nordiska-ministerradet-antar-integrationsprogram"
LISTING_SIZE = 4
IP_ADDRESS = "203.0.113.17"  # TEST-NET-3: never a real host
CCBOT = "CCBot/2.0 (https://commoncrawl.org/faq/)"
WGET_AGENT = "Wget/1.21 (linux-gnu)"
HERITRIX_AGENT = "Mozilla/5.0 (compatible; heritrix/3.4.0 +https://nordicwelfare.org/)"
REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}
SITE_NAME = "Nordens välfärdscenter"


@dataclass(frozen=True)
class Capture:
    """One capture of one URL: what an archive's index lists and what its record holds."""

    url: str
    #: ``YYYYMMDDhhmmss`` (UTC), as every CDX server writes it.
    timestamp: str
    status: int
    #: The story (``content.BY_KEY``) the page shows or showed; None for other pages.
    key: str | None
    #: ``article``, ``listing``, ``pagination``, ``tag``, ``out-of-scope``, ``robots``.
    kind: str
    #: 1 or 2 for the eras; 0 for the files of other tools.
    era: int
    #: What changed since the URL's (or the story's) previous capture: ``first`` (era 1),
    #: ``template`` (markup B, same text), ``edited``, ``removed`` (a 404), ``moved-from``
    #: (a 301), ``moved-to`` (the new URL, same text), ``chrome-only``, ``identical`` (the
    #: same bytes again), ``revisit`` (a revisit record: the same payload, not stored again).
    change: str
    #: ``A`` (the 2019 template), ``B`` (the 2021 redesign) or None (no page of the portal).
    markup: str | None
    #: The article's title and paragraphs as the page shows them (empty unless an article
    #: answered 200).
    title: str | None
    paragraphs: tuple[str, ...]
    #: The response's status line reason, headers (in order) and body (the payload).
    http_headers: tuple[tuple[str, str], ...]
    body: bytes
    location: str | None
    #: Where its record sits: the WARC file, the record's offset and length in it (the
    #: compressed member for gzipped files), its ``WARC-Record-ID``, ``response`` or
    #: ``revisit``.
    warc: Path
    offset: int
    length: int
    record_id: str
    record_type: str = "response"
    #: The base32 SHA-1 of the payload (the CDX ``digest``; ``WARC-Payload-Digest`` without
    #: its ``sha1:``).
    digest: str = ""
    #: For a revisit: the capture it refers to (URL, 14-digit timestamp).
    refers_to: tuple[str, str] | None = None

    @property
    def date(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    @property
    def warc_date(self) -> str:
        return self.date.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def urlkey(self) -> str:
        """The SURT form every CDX server sorts by (``org,nordicwelfare)/integration-…``)."""
        return surt.surt(self.url)

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""

    @property
    def mime(self) -> str:
        return self.content_type.split(";", 1)[0].strip() or "unk"

    def header(self, name: str) -> str | None:
        for key, value in self.http_headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def status_line(self) -> str:
        return f"{self.status} {REASONS.get(self.status, 'OK')}"

    def describe(self) -> str:
        return (f"{self.timestamp} {self.status} {self.url} key={self.key or '-'} "
                f"kind={self.kind} change={self.change} markup={self.markup or '-'}")


@dataclass
class EraCaptures:
    """The two era WARC files and every capture in them, in the order they were made."""

    folder: Path
    base: str
    other_host: str
    #: ``{1: era1-2019.warc.gz, 2: era2-2021.warc.gz}``
    warcs: dict[int, Path]
    captures: list[Capture]
    #: Each story's URL in each era (the moved one's era-2 URL is its new one).
    urls: dict[int, dict[str, str]] = field(default_factory=dict)
    edited: str = EDITED
    removed: str = REMOVED
    moved: str = MOVED
    chrome_only: str = CHROME_ONLY
    #: The edited article's paragraph before and after the edit.
    old_paragraph: str = ""
    new_paragraph: str = ""

    def era(self, number: int) -> list[Capture]:
        return [c for c in self.captures if c.era == number]

    def of(self, key: str) -> list[Capture]:
        """A story's captures across its URLs (the moved one's old and new URL), by time."""
        return sorted((c for c in self.captures if c.key == key), key=lambda c: c.timestamp)

    def at(self, url: str) -> list[Capture]:
        """The captures of one URL, by time."""
        return sorted((c for c in self.captures if c.url == url), key=lambda c: c.timestamp)

    def find(self, url: str, timestamp: str) -> Capture:
        return next(c for c in self.captures if c.url == url and c.timestamp == timestamp)

    @property
    def moved_from(self) -> str:
        return self.urls[1][self.moved]

    @property
    def moved_to(self) -> str:
        return self.urls[2][self.moved]

    def in_scope(self) -> list[Capture]:
        """The captures under the portal's prefix (``base + PREFIX``) on its host."""
        return [c for c in self.captures if c.url.startswith(self.base + PREFIX)]

    def table(self) -> str:
        """One line a capture, for messages and the report."""
        return "\n".join(c.describe() for c in self.captures)


@dataclass
class ToolWarc:
    """A WARC file as another tool writes it: the path, the tool, the HTTP captures in it
    (responses and revisits) and every record's (type, target URI) in file order."""

    path: Path
    tool: str
    captures: list[Capture]
    records: list[tuple[str, str]]


# --- markup ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChromeB:
    """What surrounds the article in markup B: the only thing a chrome-only change changes."""

    banner: str
    share: tuple[str, ...]
    footer: str


CHROME_B = {
    "sv": ChromeB(
        "Vi använder kakor (cookies) för att webbplatsen ska fungera och för att förbättra din "
        "upplevelse. Läs mer i vår integritetspolicy.",
        ("Facebook", "Twitter", "LinkedIn", "E-post"),
        "Nordens välfärdscenter är en institution under Nordiska ministerrådet."),
    "en": ChromeB(
        "We use cookies to make the website work and to improve your experience. Read more in "
        "our privacy policy.",
        ("Facebook", "Twitter", "LinkedIn", "Email"),
        "The Nordic Welfare Centre is an institution under the Nordic Council of Ministers."),
}
#: The chrome-only change: a new consent text, a share bar without Twitter, a new footer.
CHROME_B_CHANGED = {
    "sv": ChromeB(
        "Vi använder nödvändiga och analytiska kakor. Du kan när som helst ändra eller återkalla "
        "ditt samtycke.",
        ("Facebook", "X", "LinkedIn", "Bluesky", "E-post"),
        "© 2021 Nordens välfärdscenter, en institution under Nordiska ministerrådet."),
    "en": ChromeB(
        "We use necessary and analytics cookies. You can change or withdraw your consent at any "
        "time.",
        ("Facebook", "X", "LinkedIn", "Bluesky", "Email"),
        "© 2021 Nordic Welfare Centre, an institution under the Nordic Council of Ministers."),
}
MENU_B = {"sv": (("nyheter/", "Aktuellt"), ("teman/", "Teman"), ("publikationer/", "Publikationer"),
                 ("om-oss/", "Om programmet")),
          "en": (("en/nyheter/", "News"), ("en/teman/", "Themes"),
                 ("en/publikationer/", "Publications"), ("en/om-oss/", "About"))}
WORDS_B = {"sv": {"home": "Hem", "news": "Aktuellt", "label": "Nyhet", "share": "Dela sidan",
                  "related": "Läs också", "skip": "Hoppa till innehållet", "search": "Sök",
                  "accept": "Godkänn alla", "settings": "Inställningar", "tags": "Ämnen",
                  "next": "Nästa sida", "missing": "Sidan kunde inte hittas",
                  "missing_text": "Sidan du söker finns inte längre eller har flyttats."},
           "en": {"home": "Home", "news": "News", "label": "News", "share": "Share this page",
                  "related": "Read also", "skip": "Skip to content", "search": "Search",
                  "accept": "Accept all", "settings": "Settings", "tags": "Topics",
                  "next": "Next page", "missing": "Page not found",
                  "missing_text": "The page you are looking for no longer exists."}}


def _tlang(story: Story) -> str:
    return "en" if story.lang == "en" else "sv"


def _paragraph_html(paragraph: str, heading_class: str = "") -> str:
    """A heading for a short line without a full stop, as both markups render them."""
    if len(paragraph) < 40 and not paragraph.endswith("."):
        css = f' class="{heading_class}"' if heading_class else ""
        return f"<h2{css}>{escape(paragraph)}</h2>"
    return f"<p>{escape(paragraph)}</p>"


def _header_b(base: str, tlang: str) -> str:
    words = WORDS_B[tlang]
    menu = "".join(f'<li class="c-menu__item"><a href="{base}{PREFIX}{path}">{label}</a></li>'
                   for path, label in MENU_B[tlang])
    return (f'<a class="u-skip-link" href="#main">{words["skip"]}</a>\n'
            f'<div class="c-topbar"><div class="c-topbar__inner">'
            f'<a class="c-topbar__logo" href="{base}/"><img src="{base}/wp-content/themes/'
            f'nvc-2021/dist/img/logo.svg" alt="{SITE_NAME}"></a>'
            f'<form class="c-search" role="search" action="{base}/"><label class="u-sr-only" '
            f'for="s">{words["search"]}</label><input id="s" name="s" type="search"></form>'
            f'</div></div>\n'
            f'<header class="c-program-header"><div class="c-program-header__inner">'
            f'<a class="c-program-header__name" href="{base}{PREFIX}">'
            f'{templates.SITE_TITLE[tlang]}</a>'
            f'<nav class="c-menu" aria-label="Program"><ul class="c-menu__list">{menu}</ul></nav>'
            f'</div></header>')


def _footer_b(chrome: ChromeB, tlang: str) -> str:
    words = WORDS_B[tlang]
    return (f'<footer class="c-footer"><div class="c-footer__inner">'
            f'<div class="c-footer__col"><p class="c-footer__text">{escape(chrome.footer)}</p>'
            f'</div><div class="c-footer__col c-footer__social">'
            f'<a href="https://www.facebook.com/nordicwelfare">Facebook</a> '
            f'<a href="https://www.linkedin.com/company/nordicwelfare">LinkedIn</a></div>'
            f'</div></footer>\n'
            f'<div id="cookie-consent" class="c-consent" role="dialog" aria-live="polite">'
            f'<div class="c-consent__text">{escape(chrome.banner)}</div>'
            f'<button class="c-consent__accept">{words["accept"]}</button>'
            f'<button class="c-consent__settings">{words["settings"]}</button></div>\n'
            f'<script src="/wp-content/themes/nvc-2021/dist/main.js?ver=2.1.4" defer></script>')


def _page_b(title: str, url: str | None, tlang: str, base: str, main: str, chrome: ChromeB,
            body_class: str, og_type: str = "website") -> str:
    canonical = (f'<link rel="canonical" href="{escape(url)}">\n'
                 f'<meta property="og:url" content="{escape(url)}">\n') if url else ""
    return f"""<!doctype html>
<html lang="{"en" if tlang == "en" else "sv"}" class="no-js">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {SITE_NAME}</title>
{canonical}<meta property="og:title" content="{escape(title)}">
<meta property="og:type" content="{og_type}">
<link rel="stylesheet" href="/wp-content/themes/nvc-2021/dist/main.css?ver=2.1.4">
</head>
<body class="{body_class} theme-nvc-2021">
{_header_b(base, tlang)}
<main id="main" class="l-main"><div class="l-container">
{main}
</div></main>
{_footer_b(chrome, tlang)}
</body>
</html>
"""


def article_b(story: Story, url: str, base: str, teasers: list[Teaser],
              chrome: ChromeB | None = None) -> str:
    """An article in markup B: the 2021 redesign around the same title, date and text."""
    tlang = _tlang(story)
    chrome = chrome or CHROME_B[tlang]
    words = WORDS_B[tlang]
    news = f"{base}{PREFIX}{'en/' if tlang == 'en' else ''}nyheter/"
    body = "\n".join(_paragraph_html(p, "wp-block-heading") for p in story.paragraphs)
    updated = (f'<p class="c-article__updated"><em>{escape(story.modified_text)}</em></p>'
               if story.modified_text else "")
    date = (f'<span class="c-article__date">{escape(story.date_text)}</span>'
            if story.date_text else "")
    if story.ended:
        date += (f'<span class="c-article__ended">Avslutat {story.ended.day} jun '
                 f'{story.ended.year}</span>')
    tags = "".join(f'<li><a class="c-tag" href="{base}{TAG_PATH}">{escape(t)}</a></li>'
                   for t in story.tags)
    share = "".join(f'<a class="c-share__link" href="#">{escape(name)}</a>'
                    for name in chrome.share)
    related = "".join(
        f'<li class="c-card"><a class="c-card__link" href="{escape(t.href)}">'
        f'<span class="c-card__title">{escape(t.title)}</span></a>'
        f'<span class="c-card__date">{escape(t.date_text)}</span></li>' for t in teasers)
    main = f"""<ol class="c-breadcrumbs"><li><a href="{base}{PREFIX}">{words["home"]}</a></li>
<li><a href="{news}">{words["news"]}</a></li><li aria-current="page">{escape(story.title)}</li></ol>
<div class="c-article">
<div class="c-article__header">
<span class="c-article__label">{words["label"]}</span>
<h1 class="c-article__title">{escape(story.title)}</h1>
<div class="c-article__meta">{date}</div>
</div>
<div class="c-article__body wysiwyg">
{body}
{updated}
</div>
<div class="c-article__tags"><span>{words["tags"]}</span><ul>{tags}</ul></div>
<div class="c-share"><span class="c-share__label">{words["share"]}</span>{share}</div>
</div>
<aside class="c-related"><h2 class="c-related__title">{words["related"]}</h2>
<ul class="c-related__list">{related}</ul></aside>"""
    return _page_b(story.title, url, tlang, base, main, chrome, "single single-post",
                   og_type="article")


def listing_b(title: str, teasers: list[Teaser], lang: str, base: str, url: str,
              next_href: str | None) -> str:
    """A listing (news, pagination, tag) in markup B: cards in a grid, a pager."""
    tlang = "en" if lang == "en" else "sv"
    words = WORDS_B[tlang]
    cards = "".join(
        f'<div class="c-card c-card--news"><span class="c-card__date">{escape(t.date_text)}'
        f'</span><a class="c-card__link" href="{escape(t.href)}"><h2 class="c-card__title">'
        f'{escape(t.title)}</h2></a><p class="c-card__excerpt">{escape(t.excerpt)}…</p></div>'
        for t in teasers)
    pager = (f'<nav class="c-pager"><a class="c-pager__next" rel="next" '
             f'href="{escape(next_href)}">{words["next"]}</a></nav>' if next_href else "")
    main = (f'<h1 class="c-listing__title">{escape(title)}</h1>'
            f'<div class="c-listing__grid">{cards}</div>{pager}')
    return _page_b(title, url, tlang, base, main, CHROME_B[tlang], "archive")


def not_found_b(base: str) -> str:
    """WordPress's 404 template in markup B (served with status 404)."""
    words = WORDS_B["sv"]
    main = (f'<div class="c-error"><h1>{words["missing"]}</h1><p>{words["missing_text"]}</p>'
            f'<p><a href="{base}{PREFIX}nyheter/">{words["news"]}</a></p></div>')
    return _page_b(words["missing"], None, "sv", base, main, CHROME_B["sv"], "error404")


def article_a(story: Story, url: str, base: str, teasers: list[Teaser]) -> str:
    """An article in markup A: the portal's own template (``templates.portal_page``)."""
    html = templates.portal_page(story, url, Chrome(), PageLinks(base=PREFIX, teasers=teasers))
    return html.replace('href="/integration-norden/', f'href="{base}/integration-norden/')


def listing_a(title: str, teasers: list[Teaser], lang: str, base: str,
              next_href: str | None) -> str:
    return templates.listing_page(title, teasers, lang, base + PREFIX, next_href)


def out_of_scope_page() -> str:
    """A page of another sub-site on the portal's host: the same bytes in both eras."""
    return ("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Nordisk "
            "konferens om psykisk hälsa - Popnad</title></head><body><main><article>"
            "<h1>Nordisk konferens om psykisk hälsa</h1><p>Nätverket Popnad samlar forskare "
            "och praktiker från hela Norden till en konferens om psykisk hälsa bland unga. "
            "Konferensen hålls i Reykjavik och sänds även digitalt för dem som inte kan "
            "resa.</p><p>Anmälan öppnar i början av året.</p></article></main></body></html>")


def other_host_page() -> str:
    """A page on another host: the same bytes in both eras."""
    return ("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Nordiska "
            "ministerrådet antar integrationsprogram</title></head><body><article><h1>"
            "Nordiska ministerrådet antar integrationsprogram</h1><p>Ministerrådet har antagit "
            "ett nytt program för samarbete om integration av flyktingar och invandrare i "
            "Norden. Programmet gäller i fyra år.</p></article></body></html>")


def article_text(html: bytes | str) -> tuple[str, ...]:
    """The article's paragraphs and headings as the page shows them, in markup A or B: what a
    good extractor must find in either (a check of the replica, not an extractor)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html if isinstance(html, bytes) else html.encode())
    bodies = tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), '
                        '" entry-content ") or contains(concat(" ", normalize-space(@class), '
                        '" "), " c-article__body ")]')
    if not bodies:
        return ()
    found = []
    for node in bodies[0].xpath("./p|./h2"):
        if node.xpath("./em"):
            continue  # the "updated" line
        found.append(node.text_content().strip())
    return tuple(found)


# --- WARC writing ----------------------------------------------------------------------------


def payload_digest(body: bytes) -> str:
    """The base32 SHA-1 of a payload: the CDX ``digest`` of a capture."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode()


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


@dataclass
class _Page:
    """A response to capture: status, body and what the description says of it."""

    url: str
    status: int
    body: bytes
    key: str | None
    kind: str
    change: str
    markup: str | None
    title: str | None = None
    paragraphs: tuple[str, ...] = ()
    location: str | None = None
    content_type: str = "text/html; charset=UTF-8"
    chunked: bool = False


def _response_headers(page: _Page, moment: datetime, era: int) -> list[tuple[str, str]]:
    headers = [("Date", format_datetime(moment, usegmt=True)), ("Server", "nginx"),
               ("Content-Type", page.content_type)]
    if page.chunked:
        headers.append(("Transfer-Encoding", "chunked"))
    else:
        headers.append(("Content-Length", str(len(page.body))))
    headers.append(("Connection", "close"))
    if page.content_type.startswith("text/html"):
        headers += [("Vary", "Accept-Encoding"),
                    ("X-Powered-By", "PHP/7.2.15" if era == 1 else "PHP/7.4.19")]
        host = urlsplit(page.url)
        if page.status == 200 and page.kind != "out-of-scope":
            headers.append(("Link", f'<{host.scheme}://{host.netloc}/wp-json/>; '
                                    f'rel="https://api.w.org/"'))
    if page.location:
        headers += [("X-Redirect-By", "WordPress"), ("Location", page.location)]
    return headers


def _chunk(body: bytes, size: int = 1000) -> bytes:
    """The body as a chunked transfer sends it (what wget writes into its WARC)."""
    out = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
                   for i in range(0, len(body), size))
    return out + b"0\r\n\r\n"


class _Writer:
    """Writes request/response pairs one record at a time and measures where each sits."""

    def __init__(self, path: Path, *, gzip: bool, software: dict[str, str], agent: str,
                 moment: datetime, bracket_uris: bool = False,
                 content_types: tuple[str, str] | None = None) -> None:
        self.path = path
        self.out = path.open("wb")
        self.writer = WARCWriter(self.out, gzip=gzip, warc_version="1.0")
        self.agent = agent
        self.bracket_uris = bracket_uris
        self.content_types = content_types
        self.records: list[tuple[str, str]] = []
        info = self.writer.create_warcinfo_record(path.name, software)
        info.rec_headers.replace_header("WARC-Date", _iso(moment))
        self.info_id = info.rec_headers.get_header("WARC-Record-ID")
        self.write(info, "warcinfo", "")

    def write(self, record, kind: str, uri: str) -> tuple[int, int]:
        start = self.out.tell()
        self.writer.write_record(record)
        self.records.append((kind, uri))
        return start, self.out.tell() - start

    def _uri(self, url: str) -> str:
        return f"<{url}>" if self.bracket_uris else url

    def request(self, url: str, moment: datetime, extra: dict[str, str] | None = None) -> str:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = StatusAndHeaders(f"GET {target} HTTP/1.1", [
            ("User-Agent", self.agent), ("Accept", "text/html,application/xhtml+xml,"
                                                   "application/xml;q=0.9,*/*;q=0.8"),
            ("Accept-Encoding", "identity"), ("Host", parts.netloc),
            ("Connection", "Keep-Alive")], is_http_request=True)
        record = self.writer.create_warc_record(
            self._uri(url), "request", http_headers=headers,
            warc_content_type=self.content_types[0] if self.content_types else "",
            warc_headers_dict={"WARC-Date": _iso(moment), "WARC-Warcinfo-ID": self.info_id,
                               "WARC-IP-Address": IP_ADDRESS, **(extra or {})})
        self.write(record, "request", url)
        return record.rec_headers.get_header("WARC-Record-ID")

    def response(self, page: _Page, moment: datetime, era: int, concurrent_to: str | None,
                 extra: dict[str, str] | None = None) -> Capture:
        headers = _response_headers(page, moment, era)
        raw = _chunk(page.body) if page.chunked else page.body
        http = StatusAndHeaders(f"{page.status} {REASONS[page.status]}", headers,
                                protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _iso(moment), "WARC-Warcinfo-ID": self.info_id,
                        "WARC-IP-Address": IP_ADDRESS}
        if concurrent_to:
            warc_headers["WARC-Concurrent-To"] = concurrent_to
        warc_headers.update(extra or {})
        record = self.writer.create_warc_record(
            self._uri(page.url), "response", payload=io.BytesIO(raw), length=len(raw),
            http_headers=http, warc_headers_dict=warc_headers,
            warc_content_type=self.content_types[1] if self.content_types else "")
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        offset, length = self.write(record, "response", page.url)
        return Capture(
            url=page.url, timestamp=_ts(moment), status=page.status, key=page.key,
            kind=page.kind, era=era, change=page.change, markup=page.markup, title=page.title,
            paragraphs=page.paragraphs, http_headers=tuple(headers), body=page.body,
            location=page.location, warc=self.path, offset=offset, length=length,
            record_id=record_id, digest=payload_digest(raw))

    def close(self) -> None:
        self.out.close()


# --- the eras ----------------------------------------------------------------------------------


def _teasers(site: ReplicaSite, stories: list[Story], exclude: str | None = None
             ) -> list[Teaser]:
    return [site.teaser(s) for s in stories if s.key != exclude]


def _linked(site: ReplicaSite) -> list[Story]:
    return [s for s in site.live() if s.key not in site.feed_only | site.sitemap_only]


def _listings(site: ReplicaSite, era: int, base: str) -> list[_Page]:
    """The news listing's first two pages and the tag page, in the era's markup."""
    linked = _linked(site)
    swedish = [s for s in linked if s.lang != "en"]
    tagged = [s for s in linked if TAG in s.tags]
    first, second = swedish[:LISTING_SIZE], swedish[LISTING_SIZE:2 * LISTING_SIZE]
    specs = [(LISTING_PATH, "listing", "Nyheter", first, PAGE2_PATH),
             (PAGE2_PATH, "pagination", "Nyheter", second,
              f"{PREFIX}nyheter/page/3/" if len(swedish) > 2 * LISTING_SIZE else None),
             (TAG_PATH, "tag", TAG, tagged, None)]
    pages = []
    for path, kind, title, items, nxt in specs:
        teasers = _teasers(site, items)
        next_url = base + nxt if nxt else None
        if era == 1:
            html = listing_a(title, teasers, "sv", base, next_url)
        else:
            html = listing_b(title, teasers, "sv", base, base + path, next_url)
        pages.append(_Page(base + path, 200, html.encode(), None, kind,
                           "first" if era == 1 else "template", "A" if era == 1 else "B"))
    return pages


def _out_of_scope(base: str, other_host: str, change: str) -> list[_Page]:
    return [_Page(base + OUT_OF_SCOPE_PATH, 200, out_of_scope_page().encode(), None,
                  "out-of-scope", change, None),
            _Page(other_host + OTHER_HOST_PATH, 200, other_host_page().encode(), None,
                  "out-of-scope", change, None)]


def _article(site: ReplicaSite, story: Story, base: str, markup: str, change: str,
             chrome: ChromeB | None = None) -> _Page:
    url = site.url(site.paths[story.key])
    teasers = _teasers(site, _linked(site), exclude=story.key)[:3]
    html = (article_a(story, url, base, teasers) if markup == "A"
            else article_b(story, url, base, teasers, chrome))
    return _Page(url, 200, html.encode(), story.key, "article", change, markup, story.title,
                 story.paragraphs)


def _era1_pages(site: ReplicaSite, base: str, other_host: str) -> list[_Page]:
    pages = [_article(site, story, base, "A", "first") for story in site.stories.values()]
    listings = _listings(site, 1, base)
    pages += listings + _out_of_scope(base, other_host, "first")
    # The listing again, a few seconds later: the same bytes (collapse=digest folds it).
    pages.append(replace(listings[0], change="identical"))
    return pages


def _era2_pages(site: ReplicaSite, base: str, other_host: str, old_paths: dict[str, str]
                ) -> list[_Page]:
    pages = []
    for key, story in site.stories.items():
        old_url = site.url(old_paths[key])
        if key in site.removed:
            pages.append(_Page(old_url, 404, not_found_b(base).encode(), key, "article",
                               "removed", "B"))
            continue
        if site.paths[key] != old_paths[key]:
            pages.append(_Page(old_url, 301, b"", key, "article", "moved-from", None,
                               location=site.url(site.paths[key])))
            pages.append(_article(site, story, base, "B", "moved-to"))
            continue
        edited = story.paragraphs != content.BY_KEY[key].paragraphs
        pages.append(_article(site, story, base, "B", "edited" if edited else "template"))
    return pages + _listings(site, 2, base) + _out_of_scope(base, other_host, "identical")


def write_era_warcs(folder: Path | str, base: str = DEFAULT_BASE,
                    other_host: str = DEFAULT_OTHER_HOST) -> EraCaptures:
    """Write ``era1-2019.warc.gz`` and ``era2-2021.warc.gz`` into ``folder`` (made if missing)
    for the replica on ``base`` (``https://nordicwelfare.org`` or a test server's
    ``http://127.0.0.1:PORT``); ``other_host`` is the out-of-scope host."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base, other_host = base.rstrip("/"), other_host.rstrip("/")
    site = ReplicaSite()
    site.base = base
    old_paths = dict(site.paths)
    urls = {1: {key: site.url(path) for key, path in site.paths.items()}}
    captures: list[Capture] = []
    warcs: dict[int, Path] = {}

    def write(era: int, name: str, start: datetime, pages: list[_Page],
              late: tuple[tuple[datetime, _Page], ...] = ()) -> None:
        path = folder / name
        writer = _Writer(path, gzip=True, agent=CCBOT, moment=start, software={
            "software": "Apache Nutch 1.15 (modified, https://github.com/commoncrawl/nutch/)",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "isPartOf": f"nordicwelfare-era{era}",
            "description": f"The replica portal, era {era} (tests/replica/eras.py)",
            "robots": "checked via crawler-commons",
            "http-header-user-agent": CCBOT})
        timed = [(start + timedelta(seconds=i), page) for i, page in enumerate(pages)]
        for moment, page in [*timed, *late]:
            request_id = writer.request(page.url, moment)
            captures.append(writer.response(page, moment, era, request_id))
        writer.close()
        warcs[era] = path

    write(1, "era1-2019.warc.gz", ERA1_START, _era1_pages(site, base, other_host))
    change_site(site)
    urls[2] = {key: site.url(path) for key, path in site.paths.items()}
    story = site.stories[CHROME_ONLY]
    tlang = _tlang(story)
    recapture = _article(site, story, base, "B", "chrome-only", CHROME_B_CHANGED[tlang])
    write(2, "era2-2021.warc.gz", ERA2_START, _era2_pages(site, base, other_host, old_paths),
          late=((CHROME_ONLY_AT, recapture),))
    old = content.BY_KEY[EDITED].paragraphs
    new = site.stories[EDITED].paragraphs
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    return EraCaptures(folder=folder, base=base, other_host=other_host, warcs=warcs,
                       captures=captures, urls=urls,
                       old_paragraph=old[changed[0]] if changed else "",
                       new_paragraph=new[changed[0]] if changed else "")


# --- other tools' WARC files -----------------------------------------------------------------


def _era2_site(base: str) -> ReplicaSite:
    site = ReplicaSite()
    site.base = base
    change_site(site)
    return site


ROBOTS = f"User-agent: *\nDisallow: {PREFIX}privat/\nSitemap: {{base}}/sitemap_index.xml\n"
#: The pages the other tools captured (the portal as in era 2, markup B).
TOOL_KEYS = ("sv-finland-mitt-hem", EDITED, MOVED)


def write_wget_warc(folder: Path | str, base: str = DEFAULT_BASE) -> ToolWarc:
    """``nordicwelfare-wget.warc``, as ``wget --warc-file=nordicwelfare --no-warc-compression
    -r -l 1 <listing>`` (GNU Wget 1.21) writes it, on 2022-02-01 (the portal as in era 2)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = base.rstrip("/")
    site = _era2_site(base)
    arguments = (f'"wget" "--warc-file=nordicwelfare" "--no-warc-compression" "-r" "-l" "1" '
                 f'"{base}{LISTING_PATH}"')
    path = folder / "nordicwelfare-wget.warc"
    writer = _Writer(path, gzip=False, agent=WGET_AGENT, moment=WGET_START, bracket_uris=True,
                     content_types=("application/http;msgtype=request",
                                    "application/http;msgtype=response"),
                     software={"software": "Wget/1.21 (linux-gnu)",
                               "format": "WARC File Format 1.0",
                               "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_"
                                             "version1_latestdraft.pdf",
                               "robots": "classic", "wget-arguments": arguments})
    pages = [_Page(base + "/robots.txt", 200, ROBOTS.format(base=base).encode(), None, "robots",
                   "first", None, content_type="text/plain; charset=utf-8"),
             replace(_listings(site, 2, base)[0], change="first")]
    for i, key in enumerate(TOOL_KEYS):
        page = _article(site, site.stories[key], base, "B", "first")
        pages.append(replace(page, chunked=i == 0))  # nginx + PHP: chunked, as wget keeps it
    captures = []
    log = []
    for i, page in enumerate(pages):
        moment = WGET_START + timedelta(seconds=i)
        request_id = writer.request(page.url, moment)
        captures.append(writer.response(page, moment, 0, request_id))
        log.append(f"--{moment:%Y-%m-%d %H:%M:%S}--  {page.url}\nHTTP request sent, awaiting "
                   f"response... {page.status} {REASONS[page.status]}\n")
    end = WGET_START + timedelta(seconds=len(pages))
    manifest = writer.writer.create_warc_record(
        "metadata://gnu.org/software/wget/warc/MANIFEST.txt", "metadata",
        payload=io.BytesIO(f"{writer.info_id}\n".encode()), length=len(writer.info_id) + 1,
        warc_content_type="text/plain",
        warc_headers_dict={"WARC-Date": _iso(end), "WARC-Warcinfo-ID": writer.info_id})
    writer.write(manifest, "metadata", "metadata://gnu.org/software/wget/warc/MANIFEST.txt")
    for name, text in (("wget_arguments.txt", arguments + "\n"), ("wget.log", "".join(log))):
        data = text.encode()
        record = writer.writer.create_warc_record(
            f"metadata://gnu.org/software/wget/warc/{name}", "resource",
            payload=io.BytesIO(data), length=len(data), warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": _iso(end), "WARC-Warcinfo-ID": writer.info_id,
                               "WARC-Concurrent-To": manifest.rec_headers.get_header(
                                   "WARC-Record-ID")})
        writer.write(record, "resource", f"metadata://gnu.org/software/wget/warc/{name}")
    writer.close()
    return ToolWarc(path, "wget", captures, writer.records)


def write_heritrix_warc(folder: Path | str, base: str = DEFAULT_BASE) -> ToolWarc:
    """``NORDICWELFARE-20220510100000-00000-heritrix.warc.gz``, as Heritrix 3 writes one: a
    crawl on 2022-05-10 (the portal as in era 2) and the next day's visit, whose unchanged
    pages are ``revisit`` records."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = base.rstrip("/")
    host = urlsplit(base).hostname or "nordicwelfare.org"
    site = _era2_site(base)
    path = folder / "NORDICWELFARE-20220510100000-00000-heritrix.warc.gz"
    writer = _Writer(path, gzip=True, agent=HERITRIX_AGENT, moment=HERITRIX_START, software={
        "software": "Heritrix/3.4.0-20220727 http://crawler.archive.org",
        "ip": "192.0.2.10", "hostname": "crawler.example.org",
        "format": "WARC File Format 1.0",
        "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
        "operator": "Nordic integration archive tests", "isPartOf": "NORDICWELFARE",
        "description": "The replica portal, crawled twice", "robots": "obey",
        "http-header-user-agent": HERITRIX_AGENT})
    dns = f"{HERITRIX_START:%Y%m%d%H%M%S}\n{host}.\t300\tIN\tA\t{IP_ADDRESS}\n".encode()
    record = writer.writer.create_warc_record(
        f"dns:{host}", "response", payload=io.BytesIO(dns), length=len(dns),
        warc_content_type="text/dns",
        warc_headers_dict={"WARC-Date": _iso(HERITRIX_START), "WARC-IP-Address": "192.0.2.53"})
    writer.write(record, "response", f"dns:{host}")
    robots = _Page(base + "/robots.txt", 200, ROBOTS.format(base=base).encode(), None, "robots",
                   "first", None, content_type="text/plain; charset=utf-8")
    listing = replace(_listings(site, 2, base)[0], change="first")
    articles = [_article(site, site.stories[key], base, "B", "first") for key in TOOL_KEYS]
    captures: list[Capture] = []
    day1 = [robots, listing, *articles]
    for i, page in enumerate(day1):
        moment = HERITRIX_START + timedelta(seconds=i + 1)
        request_id = writer.request(page.url, moment)
        capture = writer.response(page, moment, 0, request_id)
        captures.append(capture)
        outlinks = "".join(f"outlink: {link} L a/@href\r\n" for link in
                           ([base + p for p in site.paths.values()][:5]
                            if page.kind == "listing" else []))
        data = (f"via: {base}{LISTING_PATH}\r\nhopsFromSeed: "
                f"{'P' if page.kind == 'robots' else 'L'}\r\nfetchTimeMs: 112\r\n"
                f"{outlinks}").encode()
        meta = writer.writer.create_warc_record(
            page.url, "metadata", payload=io.BytesIO(data), length=len(data),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": capture.warc_date,
                               "WARC-Concurrent-To": capture.record_id})
        writer.write(meta, "metadata", page.url)
    # The next day: the listing and the first article unchanged, written as revisits (their
    # ``body`` in the description is the payload they refer to).
    day2 = HERITRIX_START + timedelta(days=1)
    firsts = {c.url: c for c in captures}
    for i, page in enumerate([listing, articles[0]]):
        moment = day2 + timedelta(seconds=i)
        request_id = writer.request(page.url, moment)
        original = firsts[page.url]
        headers = _response_headers(page, moment, 0)
        http = StatusAndHeaders(f"{page.status} {REASONS[page.status]}", headers,
                                protocol="HTTP/1.1")
        revisit = writer.writer.create_revisit_record(
            page.url, f"sha1:{original.digest}", page.url, original.warc_date,
            http_headers=http, warc_headers_dict={
                "WARC-Date": _iso(moment), "WARC-Concurrent-To": request_id,
                "WARC-Refers-To": original.record_id, "WARC-IP-Address": IP_ADDRESS})
        offset, length = writer.write(revisit, "revisit", page.url)
        captures.append(replace(
            original, timestamp=_ts(moment), change="revisit", http_headers=tuple(headers),
            offset=offset, length=length, record_type="revisit",
            record_id=revisit.rec_headers.get_header("WARC-Record-ID"),
            refers_to=(original.url, original.timestamp)))
    writer.close()
    return ToolWarc(path, "heritrix", captures, writer.records)
