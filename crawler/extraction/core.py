"""``extract(html, url)``: parse once (again only where trafilatura must read the page as it came),
read metadata, strip chrome, let trafilatura find the body, then clean what it let through and
detect language, dates and tags."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from archive.storage.urls import normalize_url
from crawler.extraction import chrome, dates, links, page_kind, patterns, teasers, zones
from crawler.extraction.language import detect_language
from crawler.extraction.metadata import PageMetadata, read_metadata
from crawler.extraction.record import ExtractedArticle, ExtractionError

#: Bump when a change to the rules can change extracted text.
RULES_VERSION = "5"
EXTRACTOR_VERSION = f"nordarchive-{RULES_VERSION}+trafilatura-{trafilatura.__version__}"

_HTML_MARKERS = re.compile(rb"<\s*(html|head|body|p|div|article|main|h1|title)\b", re.IGNORECASE)
_TAG_TOKENS = re.compile(r"(^|[-_])(cat|cats|categor\w*|tags?|terms?|taxonom\w*|keywords?|amnen)"
                         r"($|[-_])")
_TAG_LINE = re.compile(r"^[^.!?:;\[\]()]{2,40}(,\s*[^.!?:;\[\]()]{2,40})*$")
_LINK_LINE_REST = re.compile(r"^\s*([^\W\d][\w ]{0,24}:)?[\s,;|·•/–-]*$")
_BLOCK_TAGS = frozenset({"p", "li", "div", "ul", "ol", "dd", "footer", "header", "section",
                         "td", "article", "main", "body", "nav", "span"})
#: A tag is a short label.
MAX_TAG_CHARS = 80
_DATE_SCAN_TAGS = frozenset({"p", "span", "div", "time", "em", "small", "li", "strong", "b", "i",
                             "dd", "dt"})
#: Below this many characters trafilatura's text is its flat baseline.
SHORT_BODY_CHARS = 500
_TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd",
                          "figcaption"})
#: A body shorter than this is no article.
MIN_BODY_CHARS = 20
#: Off the portal, a short text of ours gives way to trafilatura's reading of the whole page
#: when that is this many times longer.
FALLBACK_FACTOR = 2
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
#: Bytes that are no text: a page's first 4 KB with many of them is binary.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def extract(html: str | bytes, url: str, *, today: date | None = None) -> ExtractedArticle:
    """One clean article record from one page. Raises ``ExtractionError`` (with a reason)
    for empty, binary or non-HTML input and for pages whose text is mostly chrome."""
    # The page as it came is parsed again in the rare case it is asked for, not copied always.
    return _extract(parse_html(html), url, today, lambda: parse_html(html))


def extract_tree(tree: lxml_html.HtmlElement, url: str, *, today: date | None = None
                 ) -> ExtractedArticle:
    """``extract()`` on a tree from ``parse_html()``, for a caller that parsed the page
    already (the crawler reads its links first). The tree is consumed: chrome is removed
    from it in place."""
    whole_page = None if page_kind.in_portal(url) else copy.deepcopy(tree)
    return _extract(tree, url, today, lambda: whole_page)


def _extract(tree: lxml_html.HtmlElement, url: str, today: date | None,
             as_it_came: Callable[[], lxml_html.HtmlElement | None]) -> ExtractedArticle:
    today = today or datetime.now(UTC).date()
    meta = read_metadata(tree, url)
    event_markup = meta.is_event_type or _event_microdata(tree)  # before chrome goes
    # Off the portal the page as it came counts too: htmldate is asked about it before chrome
    # goes (its dates often sit in headers that are chrome to us), and trafilatura may read it
    # (``as_it_came()``) where our chrome rules left little text. On the portal our rules are
    # the ones that were written for it.
    in_portal = page_kind.in_portal(url)
    # htmldate only where no URL date and no one structured date answers (read as the
    # publisher's days, in the zone the page's metadata tells).
    early_zone = zones.publisher_zone([dates.parse_instant(v) for v in meta.dates.values()],
                                      meta.html_locale, url, in_portal=in_portal)
    structured = {dates.publisher_day(meta.dates.get(key), early_zone)
                  for key in ("json-ld:published", "meta:published")} - {None}
    found = None
    if not in_portal and len(structured) != 1 and not dates.date_from_url(url):
        found = dates.plausible(dates.htmldate_published(tree, url), today)
    chrome.remove_chrome(tree, keep=[_headline_element(tree, meta)])
    root = _content_root(tree)
    linked_headings = sum(1 for h in root.iter("h2", "h3")
                          if any(not (a.get("href") or "#").startswith("#") for a in h.iter("a")))
    # Other pages' teasers on a portal page that is not a listing nor a news item (a theme's
    # research cards, a publication's related grid, an about page's card grid: pages archived
    # whatever they show, when they have text of their own) are no part of its text, and their dates
    # are not its date: they go before either is read. Off the portal a linked heading with a
    # short paragraph is as often the article's own (a blog's linked headline, a wiki's
    # sections): there trafilatura judges. Whether the body outweighs its cards is asked of
    # the page as it came.
    cards = (teasers.teaser_cards(tree, archived=not page_kind.never_archived(url))
             if in_portal and page_kind.kind_of(url, dated=False) != "news" else [])
    beside = teasers.body_beside_teasers(tree) if cards and linked_headings >= 4 else None
    for card in cards:
        card.drop_tree()
    if cards:
        root = _content_root(tree)  # the first <article> may have been a card
    cited = links.cited_candidates(root, url)  # before trafilatura reads the tree
    heading = _first_heading(root, tree)
    title = _choose_title(heading, meta)
    visible, tag_line, printed = _scan_visible_metadata(root, heading)
    tags = _choose_tags(root, meta, tag_line, heading)
    # A timestamp's day is the publisher's (``zones``: the offset the page's timestamps state,
    # the portal's zone, its language's or its domain's); a printed date a day off wins.
    stamps = {key: meta.dates.get(key) for key in (
        "json-ld:published", "meta:published", "json-ld:modified", "meta:modified")}
    zone = zones.publisher_zone(
        [dates.parse_instant(raw) for raw in (*stamps.values(), *(raw for role, raw in visible
                                                                if role.startswith("time-")))],
        meta.html_locale, url, in_portal=in_portal)

    def day(raw: str | None) -> date | None:
        return dates.publisher_day(raw, zone, printed)

    visible_dates = [(role, day(raw) if role.startswith("time-") else raw)
                     for role, raw in visible]
    published_candidates = [
        # A full date in the URL is the day the page was published, in its own time zone.
        ("url", dates.date_from_url(url)),
        ("json-ld", day(stamps["json-ld:published"])),
        ("meta", day(stamps["meta:published"])),
        *[("time", d) for role, d in visible_dates if role == "time-published"],
        *[("text", d) for role, d in visible_dates if role == "published"],
    ]
    published, published_source = dates.first_plausible(published_candidates, today)
    modified, modified_source = dates.first_plausible(
        [
            ("json-ld", day(stamps["json-ld:modified"])),
            ("meta", day(stamps["meta:modified"])),
            *[("time", d) for role, d in visible_dates if role == "time-modified"],
            *[("text", d) for role, d in visible_dates if role == "modified"],
        ],
        today,
    )
    # Real pages put dates in many places our rules do not know; htmldate knows them. Where
    # our own candidates disagree (JSON-LD against meta, several visible dates), the one
    # htmldate also finds is the page's.
    if published is None and found is not None:
        published, published_source = found, "htmldate"
    elif found is not None and found != published:
        published, published_source = dates.confirmed(published_candidates, found,
                                                      (published, published_source))
    raw_text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, deduplicate=False
    ) or ""
    lines = [" ".join(line.split()) for line in raw_text.splitlines()]
    known = {s.lower() for s in (title, meta.html_title, meta.site_name, tag_line,
                                 ", ".join(tags), *tags) if s}
    verdict = chrome.clean_paragraphs(
        [line for line in lines if line and dates.parse_date_line(line) is None], known
    )
    if len(raw_text) < SHORT_BODY_CHARS:
        # Under ~250 characters trafilatura falls back to its flat baseline: one paragraph
        # that starts with the headline, the tag line and the date. Read the body's own
        # paragraphs instead, when trafilatura's text holds them (or it found nothing).
        own = chrome.clean_paragraphs(_own_paragraphs(root, heading), known)
        flat = " ".join(raw_text.split())
        if own.paragraphs and all(p in flat for p in own.paragraphs) or not flat:
            verdict = own
    if not in_portal and sum(map(len, verdict.paragraphs)) < SHORT_BODY_CHARS:
        verdict = _unless_trafilatura_finds_more(verdict, as_it_came(), url, known)
    text = "\n\n".join(verdict.paragraphs)
    # Linked headings with little text are a listing's, unless the page's own body outweighs
    # them (read only then: it walks the page once more).
    crowded = (linked_headings >= 4
               and len(text) < page_kind.LISTING_CHARS_PER_TEASER * linked_headings)
    is_article = page_kind.decide_is_article(
        url,
        article_markup=meta.is_article_type or meta.og_type == "article",
        has_date=published is not None,
        text_length=len(text),
        paragraphs=len(verdict.paragraphs),
        linked_headings=linked_headings,
        has_headline=heading is not None,
        body_beside_teasers=crowded and (beside if beside is not None
                                            else teasers.body_beside_teasers(tree)),
    )
    if is_article:
        _guard(text, verdict, url, has_headline=heading is not None)
    guess = detect_language(title, text, meta.html_lang)
    return ExtractedArticle(
        url=url,
        canonical_url=meta.canonical_url or normalize_url(url),
        title=title,
        text=text,
        language=guess.language,
        language_confidence=guess.confidence,
        published=published,
        modified=modified,
        published_source=published_source,
        modified_source=modified_source,
        tags=tuple(tags),
        section=page_kind.section_of(url),
        translations=meta.translations,
        sources=links.cited_in(cited, text),
        is_article=is_article,
        kind=page_kind.kind_of(url, dated=published is not None,
                               event_markup=event_markup),
        extractor_version=EXTRACTOR_VERSION,
        published_at=_moment(published, published_source, stamps, visible, "published"),
        modified_at=_moment(modified, modified_source, stamps, visible, "modified"),
    )


def _moment(day: date | None, source: str | None, stamps: dict[str, str | None],
            visible: list[tuple[str, Any]], role: str) -> datetime | None:
    """The moment (UTC) behind a day taken from a timestamp with a zone, else None."""
    if source in ("json-ld", "meta"):
        raws = [stamps[f"{source}:{role}"]]
    elif source == "time":
        raws = [raw for kind, raw in visible if kind == f"time-{role}"]
    else:
        return None
    for raw in raws:
        instant = dates.parse_instant(raw)
        if instant is not None and abs((instant.date() - day).days) <= 1:
            return instant.astimezone(UTC)
    return None


def _event_microdata(tree: lxml_html.HtmlElement) -> bool:
    """A schema.org ``Event`` (or one of its subtypes) in microdata."""
    return any((e.get("itemtype") or "").rstrip("/").endswith("Event")
               for e in tree.xpath("//*[@itemtype]"))


def _unless_trafilatura_finds_more(verdict: chrome.TextVerdict, whole_page, url: str,
                                   known: set[str]) -> chrome.TextVerdict:
    """Where our chrome rules left a short text (or none) and trafilatura alone, on the page as
    it came, finds several times more (and more than its flat baseline), our rules removed the
    article: trafilatura's text is kept, cleaned of the chrome lines it lets through. Measured on
    the tuning half of the real pages (a forum whose posts sit in a page-wide form)."""
    whole_text = trafilatura.extract(whole_page, url=url, include_comments=False,
                                     include_tables=True, deduplicate=False) or ""
    if len(whole_text) < SHORT_BODY_CHARS:
        return verdict  # trafilatura's flat baseline: the headline, the chrome and all
    lines = [" ".join(line.split()) for line in whole_text.splitlines()]
    theirs = chrome.clean_paragraphs(
        [line for line in lines if line and dates.parse_date_line(line) is None], known
    )
    ours_chars = sum(map(len, verdict.paragraphs))
    if sum(map(len, theirs.paragraphs)) >= FALLBACK_FACTOR * max(ours_chars, MIN_BODY_CHARS):
        return theirs
    return verdict


def parse_html(html: str | bytes) -> lxml_html.HtmlElement:
    """Parse once; refuse what is not an HTML page."""
    if isinstance(html, str):
        raw = html.encode("utf-8", "surrogatepass")
    else:
        raw = html
    if not raw.strip():
        raise ExtractionError("empty", "empty document")
    head = raw[:4096]
    if b"\x00" in head or len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 50:
        raise ExtractionError("binary", "binary content, not HTML")
    if not _HTML_MARKERS.search(raw[:65536]):
        raise ExtractionError("not-html", "no HTML markup found")
    if isinstance(html, str):
        text = html
    else:
        from w3lib.encoding import html_to_unicode

        _, text = html_to_unicode(None, html)
    # Control characters (a stray NUL, form feed) are not XML: lxml refuses them in the
    # elements trafilatura builds. They carry no text, so they go.
    text = _CONTROL_CHARS.sub("", text)
    # lxml refuses a str that still carries an XML declaration (XHTML pages); it says nothing
    # once the text is decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        tree = lxml_html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError("unparsable", f"cannot parse HTML: {error}") from error
    return tree


def _parser() -> lxml_html.HTMLParser:
    """lxml.html's parser, but naming every element's class in C: lxml.html's own lookup is a
    Python call each time an element is touched from Python (4,000 times a page here, several
    milliseconds). Only its form-field classes (``FormElement``, ``InputElement`` ...), which
    nothing here uses, become plain ``HtmlElement``s. One a thread: lxml parsers are not
    shared between threads."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = lxml_html.HTMLParser()
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
    return parser


_PARSERS = threading.local()


def _headline_element(tree: lxml_html.HtmlElement, meta: PageMetadata
                      ) -> lxml_html.HtmlElement | None:
    """The ``<h1>`` that is the article's headline (the one the page's metadata names, else the
    only one inside ``<article>``/``<main>``, else the page's only one), before chrome removal."""
    headings = list(tree.iter("h1"))
    names = [" ".join(n.split()).lower() for n in (meta.headline, meta.og_title, meta.html_title)
             if n]
    for heading in headings:
        text = " ".join(heading.text_content().split()).lower()
        if len(text) > 3 and any(text in name for name in names):
            return heading
    inside = [h for h in headings if any(a.tag in ("article", "main") for a in h.iterancestors())]
    if len(inside) == 1:
        return inside[0]
    return headings[0] if len(headings) == 1 else None


def _content_root(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    for tag in ("article", "main"):
        found = tree.find(f".//{tag}")
        if found is not None:
            return found
    body = tree.find("body")
    return body if body is not None else tree


def _first_heading(root, tree):
    heading = root.find(".//h1")
    return heading if heading is not None else tree.find(".//h1")


def _choose_title(heading, meta: PageMetadata) -> str:
    if heading is not None:
        text = " ".join(heading.text_content().split())
        if text:
            return text
    for candidate in (meta.headline, meta.og_title):
        if candidate:
            return " ".join(candidate.split())
    if meta.html_title:
        # "Title - Site name": keep the longest part that is not the site's name.
        parts = _TITLE_SEPARATORS.split(meta.html_title)
        site = (meta.site_name or "").lower()
        kept = [p for p in parts
                if p.lower() != site and p.lower() not in chrome.patterns.SITE_TITLES]
        return kept[0] if kept else parts[0]
    return ""


def _scan_visible_metadata(root, heading
                           ) -> tuple[list[tuple[str, Any]], str | None, list[date]]:
    """Date lines (in page order, after the headline: ``(role, date)``, or for a ``<time>``
    element ``(time-role, its datetime as written)``), the category line between the headline
    and the first date line (plain text or a line of links, never a by-line), and the days
    those lines print (a ``<time>`` element's text included)."""
    found: list[tuple[str, Any]] = []
    printed: list[date] = []
    tag_line: str | None = None
    after_heading = heading is None or heading not in set(root.iter())
    for element in root.iter():
        if element is heading:
            after_heading = True
            continue
        if not after_heading or element.tag not in _DATE_SCAN_TAGS or len(element) > 3:
            continue
        if element.tag == "time" and element.get("datetime"):
            raw = element.get("datetime")
            if dates.parse_iso(raw):
                classes = (element.get("class") or "").lower()
                role = "time-modified" if "updated" in classes or "modified" in classes else (
                    "time-published")
                found.append((role, raw))
                shown = dates.parse_date_line(" ".join(element.text_content().split()))
                if shown and shown[0] == "published" and role == "time-published":
                    printed.append(shown[1])
                continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > 80:
            continue
        parsed = dates.parse_date_line(text)
        if parsed:
            if parsed[0] != "ignored":
                found.append(parsed)
                if parsed[0] == "published":
                    printed.append(parsed[1])
        elif (not found and tag_line is None and _TAG_LINE.match(text)
              and (len(element) == 0 or _is_link_line(element)) and not _is_byline(element, text)):
            tag_line = text
    if not found:
        tag_line = None  # a category line is only trusted between headline and date
    return found, tag_line, printed


def _is_link_line(element) -> bool:
    """An element whose text is only its links (and separators, after an optional label):
    a tag list, never a sentence with a link in it."""
    links = list(element.iter("a"))
    if not links:
        return False
    rest = element.text_content()
    for link in links:
        rest = rest.replace(link.text_content(), " ", 1)
    return bool(_LINK_LINE_REST.match(rest))


def _is_byline(element, text: str) -> bool:
    if patterns.BYLINE_START.match(text):
        return True
    for node in (element, *element.iterancestors()):
        marks = f"{node.get('class') or ''} {node.get('itemprop') or ''} {node.get('rel') or ''}"
        if patterns.BYLINE_MARKUP.search(marks):
            return True
        if node.tag in ("article", "main", "body"):
            break
    return any(patterns.BYLINE_MARKUP.search(f"{a.get('rel') or ''} {a.get('href') or ''}")
               for a in element.iter("a"))


def _choose_tags(root, meta: PageMetadata, tag_line: str | None, heading) -> list[str]:
    """rel=tag/category links; else taxonomy links in lines of links; else a tag list named by
    its class; else the category line under the headline; else article:tag / JSON-LD keywords.
    Never body links, by-lines or fragments of sentences."""
    tags = [link.text_content() for link in root.iter("a")
            if {"tag", "category"} & set((link.get("rel") or "").lower().split())]
    if not tags:
        tags = [link.text_content() for link in root.iter("a")
                if patterns.TAXONOMY_PATH.search(urlsplit(link.get("href") or "").path)
                and _in_link_line(link)]
    above_heading = set(heading.iterancestors()) | {heading} if heading is not None else set()
    if not tags:
        for element in root.iter():
            tokens = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
            if (any(_TAG_TOKENS.search(t) for t in tokens if not patterns.DATA_CLASS.match(t))
                    and len(element.text_content()) <= 300 and _is_link_line(element)
                    and element not in above_heading):
                tags = [a.text_content() for a in element.iter("a")]
                break
    if not tags and tag_line:
        tags = tag_line.split(",")
    if not tags:
        tags = list(meta.tags)
    seen: dict[str, None] = {}
    for tag in tags:
        tag = " ".join(tag.split()).lstrip("#").strip()
        if tag and len(tag) <= MAX_TAG_CHARS and tag.lower() not in {t.lower() for t in seen}:
            seen[tag] = None
    return list(seen)


def _in_link_line(link) -> bool:
    """The link stands in a line of links (its nearest block holds nothing else)."""
    for block in link.iterancestors():
        if block.tag in _BLOCK_TAGS:
            return _is_link_line(block)
    return False


def _own_paragraphs(root, heading) -> list[str]:
    """The text blocks after the headline, one per paragraph, within the smallest element that
    holds both the headline and the body's paragraphs: a short article's body."""
    holder = chrome.main_text_holder(root, min_chars=1)
    if holder is None:
        return []
    scope = holder
    if heading is not None:
        above = set(holder.iterancestors()) | {holder}
        scope = next((a for a in heading.iterancestors() if a in above), holder)
    # Elements holding another text block are not paragraphs themselves (one pass, not n²).
    holders: set = set()
    for block in scope.iter(*_TEXT_BLOCKS):
        for ancestor in block.iterancestors():
            if ancestor in holders:
                break
            holders.add(ancestor)
    lines: list[str] = []
    after_heading = heading is None or heading not in set(scope.iter())
    for element in scope.iter():
        if element is heading:
            after_heading = True
            continue
        if (not after_heading or element.tag not in _TEXT_BLOCKS or element in holders
                or any(a.tag == "footer" for a in element.iterancestors())):
            continue
        text = " ".join(element.text_content().split())
        if text and dates.parse_date_line(text) is None:
            lines.append(text)
    return lines


def _guard(text: str, verdict: chrome.TextVerdict, url: str, *, has_headline: bool) -> None:
    """Refuse an "article" that is mostly consent or navigation text. A body under its own
    headline is kept however short, whatever the size of the consent banner beside it."""
    chrome_chars = {kind: n for kind, n in verdict.dropped.items() if kind != "metadata"}
    worst = max(chrome_chars, key=chrome_chars.get, default=None)
    if len(text) < MIN_BODY_CHARS:
        reason = f"mostly-{worst}" if worst and chrome_chars[worst] > len(text) else "no-text"
        raise ExtractionError(reason, f"{url}: no article text ({len(text)} characters left"
                              f" after removing page chrome)")
    if worst and not has_headline and sum(chrome_chars.values()) > len(text):
        raise ExtractionError(f"mostly-{worst}", f"{url}: the text is mostly {worst} chrome")
