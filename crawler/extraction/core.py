"""``extract(html, url)``: parse once, read metadata, strip chrome, let trafilatura find the body,
then clean what it let through and detect language, dates and tags."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from archive.urls import normalize_url
from crawler.extraction import chrome, dates, page_kind
from crawler.extraction.language import detect_language
from crawler.extraction.metadata import PageMetadata, read_metadata
from crawler.extraction.record import Article, ExtractionError

#: Bump when a change to the rules can change extracted text.
RULES_VERSION = "1"
EXTRACTOR_VERSION = f"nordarchive-{RULES_VERSION}+trafilatura-{trafilatura.__version__}"

_HTML_MARKERS = re.compile(rb"<\s*(html|head|body|p|div|article|main|h1|title)\b", re.IGNORECASE)
_TAG_TOKENS = re.compile(r"(^|[-_])(cat|cats|categor\w*|tags?|terms?|taxonom\w*|keywords?|amnen)"
                         r"($|[-_])")
_TAG_LINE = re.compile(r"^[^.!?:;\[\]()]{2,40}(,\s*[^.!?:;\[\]()]{2,40})*$")
_DATE_SCAN_TAGS = frozenset({"p", "span", "div", "time", "em", "small", "li", "strong", "b", "i",
                             "dd", "dt"})
#: A body shorter than this is no article.
MIN_BODY_CHARS = 80
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def extract(html: str | bytes, url: str, *, today: date | None = None) -> Article:
    """One clean article record from one page. Raises ``ExtractionError`` (with a reason)
    for empty, binary or non-HTML input and for pages whose text is mostly chrome."""
    return extract_tree(parse_html(html), url, today=today)


def extract_tree(tree: lxml_html.HtmlElement, url: str, *, today: date | None = None
                 ) -> Article:
    """``extract()`` on a tree from ``parse_html()``, for a caller that parsed the page
    already (the crawler reads its links first). The tree is consumed: chrome is removed
    from it in place."""
    today = today or datetime.now(UTC).date()
    meta = read_metadata(tree, url)
    chrome.remove_chrome(tree)
    root = _content_root(tree)
    heading = _first_heading(root, tree)
    title = _choose_title(heading, meta)
    visible_dates, tag_line = _scan_visible_metadata(root, heading)
    tags = _choose_tags(root, meta, tag_line)
    published, published_source = dates.first_plausible(
        [
            ("json-ld", dates.parse_iso(meta.dates.get("json-ld:published"))),
            ("meta", dates.parse_iso(meta.dates.get("meta:published"))),
            *[("time", d) for role, d in visible_dates if role == "time-published"],
            *[("text", d) for role, d in visible_dates if role == "published"],
            ("url", dates.date_from_url(url)),
        ],
        today,
    )
    modified, modified_source = dates.first_plausible(
        [
            ("json-ld", dates.parse_iso(meta.dates.get("json-ld:modified"))),
            ("meta", dates.parse_iso(meta.dates.get("meta:modified"))),
            *[("time", d) for role, d in visible_dates if role == "time-modified"],
            *[("text", d) for role, d in visible_dates if role == "modified"],
        ],
        today,
    )
    linked_headings = sum(1 for h in root.iter("h2", "h3") if h.find(".//a") is not None)

    raw_text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, deduplicate=False
    ) or ""
    lines = [" ".join(line.split()) for line in raw_text.splitlines()]
    known = {s.lower() for s in (title, meta.html_title, meta.site_name, tag_line,
                                 ", ".join(tags)) if s}
    verdict = chrome.clean_paragraphs(
        [line for line in lines if line and dates.parse_date_line(line) is None], known
    )
    text = "\n\n".join(verdict.paragraphs)
    is_article = page_kind.decide_is_article(
        url,
        article_markup=meta.is_article_type or meta.og_type == "article",
        has_date=published is not None,
        text_length=len(text),
        paragraphs=len(verdict.paragraphs),
        linked_headings=linked_headings,
    )
    if is_article:
        _guard(text, verdict, url)
    guess = detect_language(title, text, meta.html_lang)
    return Article(
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
        is_article=is_article,
        extractor_version=EXTRACTOR_VERSION,
    )


def parse_html(html: str | bytes) -> lxml_html.HtmlElement:
    """Parse once; refuse what is not an HTML page."""
    if isinstance(html, str):
        raw = html.encode("utf-8", "surrogatepass")
    else:
        raw = html
    if not raw.strip():
        raise ExtractionError("empty", "empty document")
    head = raw[:4096]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 50:
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
    try:
        tree = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError("unparsable", f"cannot parse HTML: {error}") from error
    return tree


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


def _scan_visible_metadata(root, heading) -> tuple[list[tuple[str, date]], str | None]:
    """Date lines (in page order, after the headline) and the category line between the
    headline and the first date line."""
    found: list[tuple[str, date]] = []
    tag_line: str | None = None
    after_heading = heading is None or heading not in set(root.iter())
    for element in root.iter():
        if element is heading:
            after_heading = True
            continue
        if not after_heading or element.tag not in _DATE_SCAN_TAGS or len(element) > 3:
            continue
        if element.tag == "time" and element.get("datetime"):
            value = dates.parse_iso(element.get("datetime"))
            if value:
                classes = (element.get("class") or "").lower()
                role = "time-modified" if "updated" in classes or "modified" in classes else (
                    "time-published")
                found.append((role, value))
                continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > 80:
            continue
        parsed = dates.parse_date_line(text)
        if parsed:
            if parsed[0] != "ignored":
                found.append(parsed)
        elif not found and tag_line is None and len(element) == 0 and _TAG_LINE.match(text):
            tag_line = text
    if not found:
        tag_line = None  # a category line is only trusted between headline and date
    return found, tag_line


def _choose_tags(root, meta: PageMetadata, tag_line: str | None) -> list[str]:
    tags: list[str] = []
    for link in root.iter("a"):
        rel = (link.get("rel") or "").lower().split()
        if "tag" in rel or "category" in rel:
            tags.append(link.text_content())
    if not tags:
        for element in root.iter():
            tokens = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
            if any(_TAG_TOKENS.search(token) for token in tokens):
                links = [a.text_content() for a in element.iter("a")]
                tags.extend(links or element.text_content().split(","))
                break
    if not tags and tag_line:
        tags = tag_line.split(",")
    if not tags:
        tags = list(meta.tags)
    seen: dict[str, None] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in {t.lower() for t in seen}:
            seen[tag] = None
    return list(seen)


def _guard(text: str, verdict: chrome.TextVerdict, url: str) -> None:
    """Refuse an "article" that is mostly consent or navigation text."""
    chrome_chars = {kind: n for kind, n in verdict.dropped.items() if kind != "metadata"}
    worst = max(chrome_chars, key=chrome_chars.get, default=None)
    if len(text) < MIN_BODY_CHARS:
        reason = f"mostly-{worst}" if worst and chrome_chars[worst] > len(text) else "no-text"
        raise ExtractionError(reason, f"{url}: no article text ({len(text)} characters left"
                              f" after removing page chrome)")
    if worst and sum(chrome_chars.values()) > len(text):
        raise ExtractionError(f"mostly-{worst}", f"{url}: the text is mostly {worst} chrome")
