"""Teasers: the repeated blocks of a listing (a linked title with a date or a short excerpt).
A page made of several of them is a listing, whatever its URL or its dates suggest; a date
inside one is the teaser's, never the page's by-line. Pure functions of a parsed page.

The page is read as lines in reading order (one per block element), each of one kind:
the page's headline, a linked heading (a teaser's title), another heading, a date line, a
line of links, an excerpt-sized text or other text. Navigation, consent, share and follow
blocks and related-content sections are left out: they are no part of what the page lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html

from archive.storage.urls import followable
from crawler.extraction import chrome, patterns

_MONTH = (r"(jan|feb|mar|mär|apr|maj|mai|may|jun|jul|aug|ágú|sep|okt|oct|nov|nóv|dec|des|dez"
          r"|tam|hel|maa|huh|tou|kes|hei|elo|syy|lok|jou|maí|jún|júl)[^\W\d_]*\.?")
#: A date as pages print it (ISO, 14.3.2019, 3/14/2019, 14 mar 2019, March 14, 2019).
DATE_TEXT = re.compile(
    r"\b((19|20)\d{2}-\d{2}-\d{2}"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?(19|20)\d{2}"
    r"|\d{1,2}/\d{1,2}/(19|20)\d{2}"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+(19|20)\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+(19|20)\d{{2}})\b", re.IGNORECASE)
#: A date line is short: a date, perhaps with a category or an author ("Social work · 23 Jan").
DATE_LINE_CHARS = 120
#: An excerpt is at most this long (WordPress's 55 words, a page builder's 25 words).
SNIPPET_CHARS = 600
#: Text shorter than this is a label (a category, "Read more"), not an excerpt.
MIN_SNIPPET_CHARS = 40
#: A category label above a teaser's title is at most this long (a theme's name).
LABEL_CHARS = 80
#: How many lines on either side of a teaser's title its date or excerpt may sit at.
TEASER_REACH = 3
#: "Several" teasers: two are a listing whatever else the page holds (up to as much text of
#: its own); one is a listing only on a page with no text of its own.
MIN_TEASERS = 2

_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "main", "figure", "figcaption", "blockquote",
    "table", "tr", "td", "th", "body", "address", "pre", "hr", "br"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "svg", "noscript", "select", "option"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Sections around an article (related posts, comments), never a listing's own teasers.
_RELATED = re.compile(r"related|recommend|yarpp|post-navigation|nav-links|more-news"
                      r"|^comments?$|^comments?-|^respond$|^reply-title$|comment-respond",
                      re.IGNORECASE)
#: A link that is a teaser's title although it is no heading (page-builder cards).
_TITLE_CLASS = re.compile(r"title|headline|heading|rubrik|otsikko|overskrift", re.IGNORECASE)
_DATE_PROPS = frozenset({"datePublished", "dateCreated"})
#: Paths of tag, category and author pages (not themes: a portal's theme pages are content).
_TERM_PATH = re.compile(r"/(tags?|taggar|tagg|category|categories|kategori|kategorier|author"
                        r"|authors|forfattare|kirjoittaja)/", re.IGNORECASE)
_SKIPPED_CHROME = frozenset({"navigation", "consent", "share", "follow"})


@dataclass
class Line:
    """One line of the page in reading order, and what it is."""

    text: str
    #: ``headline`` (an h1), ``title`` (a linked heading), ``heading``, ``date``, ``links``
    #: (a line that is only links), ``text``.
    kind: str = "text"
    element: lxml_html.HtmlElement | None = None
    links: list[lxml_html.HtmlElement] = field(default_factory=list)
    dated: bool = False

    @property
    def is_snippet(self) -> bool:
        return self.kind == "text" and MIN_SNIPPET_CHARS <= len(self.text) <= SNIPPET_CHARS


def real_link(link: lxml_html.HtmlElement) -> bool:
    """A link to another page (not an anchor, a mail address or a script)."""
    return followable(link.get("href"))


def page_lines(tree: lxml_html.HtmlElement, *, with_chrome: bool = False) -> list[Line]:
    """The page's lines in reading order, chrome and related-content sections left out (kept
    ``with_chrome``: themes print by-lines in ``<aside>`` and ``<header>`` elements)."""
    body = tree.find("body")
    lines: list[Line] = []
    _Walker(lines, skip=not with_chrome).walk(body if body is not None else tree)
    for position, line in enumerate(lines):
        line.kind = _kind(line)
        if (not with_chrome and line.kind in ("heading", "title")
                and patterns.RELATED_HEADING.match(line.text)):
            return lines[:position]  # what follows "Related content" is an article's teasers
    return lines


def content_lines(tree: lxml_html.HtmlElement) -> list[Line]:
    """The lines after the page's one headline (all lines when it has none or several)."""
    lines = page_lines(tree)
    position = headline_position(lines)
    return lines if position is None else lines[position + 1:]


def headline_position(lines: list[Line]) -> int | None:
    """Where the page's one ``<h1>`` ends among its lines (None for none or several)."""
    positions = [i for i, line in enumerate(lines) if line.kind == "headline"]
    if not positions or any(lines[i].element is not lines[positions[0]].element
                            for i in positions):
        return None
    return positions[-1]


def teaser_titles(lines: list[Line]) -> list[int]:
    """Positions of the linked headings that have a teaser's date or excerpt beside them:
    a date within ``TEASER_REACH`` lines before or after (up to the neighbouring title), or an
    excerpt right after."""
    titles = [i for i, line in enumerate(lines) if line.kind == "title"]
    found = []
    for n, i in enumerate(titles):
        start = titles[n - 1] + 1 if n else 0
        end = titles[n + 1] if n + 1 < len(titles) else len(lines)
        before = lines[max(start, i - TEASER_REACH):i]
        after = lines[i + 1:min(end, i + 1 + TEASER_REACH)]
        if (any(line.kind == "date" for line in (*before, *after))
                or any(line.is_snippet for line in after)):
            found.append(i)
    return found


def teaser_count(tree: lxml_html.HtmlElement) -> int:
    """How many teasers (a linked title with its date or excerpt) the page's content holds,
    related-content sections aside."""
    return len(teaser_titles(content_lines(tree)))


def looks_like_listing(tree: lxml_html.HtmlElement) -> bool:
    """Several teasers, and the page's own text (beyond its teasers and its consent banner)
    no longer than theirs and no body before them; or one teaser and no text of the page's
    own: a listing, a tag page, a page of a listing. A theme or about page whose body is
    followed by teaser cards is not, nor an article followed by more posts or by a
    related-content section."""
    lines = content_lines(tree)
    titles = teaser_titles(lines)
    return bool(titles) and _listing(lines, titles)


def _listing(lines: list[Line], titles: list[int]) -> bool:
    parts = _teaser_parts(lines, titles)
    own = _own_lines(lines, parts)
    if len(titles) < MIN_TEASERS:
        return not own
    own_chars = sum(len(lines[i].text) for i in own)
    before_first = sum(len(lines[i].text) for i in own if i < titles[0])
    teaser_chars = sum(len(lines[i].text) for i in parts)
    return own_chars <= teaser_chars and before_first <= SNIPPET_CHARS


def _own_lines(lines: list[Line], parts: set[int]) -> list[int]:
    """The page's own text lines: neither a teaser's nor its consent banner's."""
    return [i for i, line in enumerate(lines) if i not in parts and line.kind == "text"
            and not patterns.is_consent_text(line.text)]


def body_beside_teasers(tree: lxml_html.HtmlElement) -> bool:
    """The page's own text outweighs everything that stands around its linked headings (each
    heading with the labels, date, links and excerpt beside it), dated or not: a body followed
    by cards (a shop's products, more posts, menus under headings), not a listing. A page of
    bare linked headings has no body beside them."""
    lines = content_lines(tree)
    titles = [i for i, line in enumerate(lines) if line.kind == "title"]
    parts = _teaser_parts(lines, titles)
    own_chars = sum(len(line.text) for i, line in enumerate(lines)
                    if i not in parts and line.kind == "text"
                    and not patterns.is_consent_text(line.text))
    return own_chars > sum(len(lines[i].text) for i in parts)


def _teaser_parts(lines: list[Line], titles: list[int]) -> set[int]:
    """The lines that make up the teasers: each title, the labels and date before it, and
    after it its date, labels, links and first excerpt (not the paragraphs of a body)."""
    return set().union(*(_parts_of(lines, titles, n) for n in range(len(titles))))


def _parts_of(lines: list[Line], titles: list[int], n: int) -> set[int]:
    """The lines of the ``n``-th teaser (see ``_teaser_parts``)."""
    i = titles[n]
    parts = {i}
    start = titles[n - 1] + 1 if n else 0
    for j in range(i - 1, max(start, i - TEASER_REACH) - 1, -1):
        if lines[j].kind == "text" and len(lines[j].text) > LABEL_CHARS:
            break
        parts.add(j)
    end = titles[n + 1] if n + 1 < len(titles) else len(lines)
    excerpt = False
    for j in range(i + 1, min(end, i + 1 + TEASER_REACH)):
        line = lines[j]
        if line.kind == "text" and len(line.text) >= MIN_SNIPPET_CHARS:
            if excerpt or not line.is_snippet:
                break
            excerpt = True
        elif line.kind not in ("date", "links", "text"):
            break
        parts.add(j)
    return parts


def teaser_cards(tree: lxml_html.HtmlElement, *, archived: bool = False
                 ) -> list[lxml_html.HtmlElement]:
    """The elements that hold one teaser and nothing else (its title, labels, date, excerpt), on
    a page that is not a listing: a theme's research cards, a publication's "related" grid, an
    about page's news box. They are other pages' words and dates, never this page's text or
    by-line. Each teaser gives the largest elements around its lines that hold no line of
    anything else. On a listing (``looks_like_listing``; for a page ``archived`` whatever it
    shows, a page with no text of its own beside its teasers) there are none: its teasers are
    what it is."""
    lines = page_lines(tree)
    position = headline_position(lines)
    offset = 0 if position is None else position + 1
    content = lines[offset:]
    titles = teaser_titles(content)
    if not titles:
        return []
    if not (_own_lines(content, _teaser_parts(content, titles)) if archived
            else not _listing(content, titles)):
        return []
    line_of = {id(line.element): [] for line in lines}
    for index, line in enumerate(lines):
        line_of[id(line.element)].append(index)
    cards: list[lxml_html.HtmlElement] = []
    for n, title in enumerate(titles):
        parts = {offset + j for j in _parts_of(content, titles, n)}
        # Its date, links and excerpt after the title are the teaser's wherever they stand; a
        # short line before it only inside the title's card (else it may be the page's own
        # closing line), a date line before it always.
        for index in sorted(i for i in parts if i >= offset + title
                            or lines[i].kind == "date"):
            card = _widest_holding(lines[index].element, parts, line_of)
            if card is not None and not any(c is card or card in c.iterancestors()
                                            for c in cards):
                cards = [c for c in cards if card not in c.iterancestors()] + [card]
    return cards + _grid_mates(cards)


def _grid_mates(cards: list[lxml_html.HtmlElement]) -> list[lxml_html.HtmlElement]:
    """The other cells of a grid that holds a card: siblings of the same element and class
    (a card with no date or excerpt of its own, a tag's card), never one holding the headline."""
    found: list[lxml_html.HtmlElement] = []
    for card in cards:
        parent = card.getparent()
        if parent is None or card.tag in _HEADINGS or card.tag in ("p", "li"):
            continue
        for sibling in parent:
            if (sibling.tag == card.tag and sibling.get("class") == card.get("class")
                    and sibling not in cards and sibling not in found
                    and sibling.find(".//h1") is None):
                found.append(sibling)
    return found


def _widest_holding(element, parts: set[int], line_of: dict[int, list[int]]):
    """The largest of ``element`` and its ancestors whose lines are all in ``parts`` (None when
    ``element`` itself holds another line, or is the page's body or headline's holder)."""
    found = None
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html", "main") or node.find(".//h1") is not None:
            break
        held = [i for e in node.iter() for i in line_of.get(id(e), ())]
        if not set(held) <= parts:
            break
        found = node
    return found


def title_link(link: lxml_html.HtmlElement) -> bool:
    """A link that can be a teaser's title: to another page, and not to a tag, a category or
    an author (by-lines and category lines link those)."""
    if not real_link(link):
        return False
    rel = (link.get("rel") or "").lower().split()
    href = link.get("href") or ""
    try:
        path = urlsplit(href).path
    except ValueError:  # a malformed address ("//[ccpa-preferences]")
        path = href
    return not ({"tag", "category", "author"} & set(rel)
                or _TERM_PATH.search(path)
                or patterns.BYLINE_MARKUP.search(f"{href} {link.get('class') or ''}"))


def _kind(line: Line) -> str:
    element = line.element
    tag = element.tag if element is not None else ""
    linked = [a for a in line.links if title_link(a)]
    if tag == "h1":
        return "headline"
    if tag == "meta":
        return "date"  # <meta itemprop="datePublished">
    link_text = sum(len(" ".join(a.text_content().split())) for a in line.links)
    only_links = bool(line.links) and link_text >= len(line.text) - 3
    if len(line.text) <= DATE_LINE_CHARS and (line.dated or DATE_TEXT.search(line.text)):
        return "date"
    if tag in _HEADINGS:
        in_link = any(a.tag == "a" and title_link(a) for a in element.iterancestors())
        return "title" if linked or in_link else "heading"
    if only_links and len(linked) == 1 and _title_marked(linked[0], element):
        return "title"
    return "links" if only_links else "text"


def _title_marked(link: lxml_html.HtmlElement, block) -> bool:
    """A card's title link in a page builder's markup: the link or its block says "title"."""
    for node in (link, *link.iterancestors()):
        if any(_TITLE_CLASS.search(token) and not token.startswith("site")
               for token in (node.get("class") or "").lower().split()):
            return True
        if node is block:
            return False
    return False


class _Walker:
    """Cuts the page into lines: each block element starts and ends one."""

    def __init__(self, lines: list[Line], *, skip: bool = True) -> None:
        self.lines = lines
        self.skip = skip
        self.text: list[str] = []
        self.links: list[lxml_html.HtmlElement] = []
        #: The line holds a ``<time datetime>`` or an ``itemprop="datePublished"`` element.
        self.dated = False

    def flush(self, block) -> None:
        text = " ".join(" ".join(self.text).split())
        if text:
            self.lines.append(Line(text, element=block, links=self.links, dated=self.dated))
        self.text, self.links, self.dated = [], [], False

    def walk(self, element, block=None) -> None:
        if (not isinstance(element.tag, str) or element.tag in _SKIPPED_TAGS
                or (self.skip and _left_out(element))):
            return
        if element.tag == "meta":
            if element.get("itemprop") in _DATE_PROPS:
                self.flush(block)
                self.lines.append(Line(element.get("content") or "", element=element))
            return
        is_block = element.tag in _BLOCK_TAGS or block is None
        first = len(self.lines)
        if is_block:
            self.flush(block)
            block = element
        elif element.tag == "a":
            self.links.append(element)
        if element.get("itemprop") in _DATE_PROPS or (
                element.tag == "time" and (element.get("datetime") or "").strip()):
            self.dated = True
        if element.text:
            self.text.append(element.text)
        for child in element:
            self.walk(child, block)
            if child.tail:
                self.text.append(child.tail)
        if is_block:
            self.flush(block)
        if element.tag == "h1" and not any(line.element is element
                                           for line in self.lines[first:]):
            self.lines.append(Line("", element=element))  # a logo or an empty headline


def _left_out(element: lxml_html.HtmlElement) -> bool:
    """Chrome and related sections, unless they hold a headline (themes put the ``<h1>`` in a
    breadcrumb list or in a header that looks like the site's)."""
    tokens = [t for t in f"{element.get('id') or ''} {element.get('class') or ''}".split()
              if not patterns.DATA_CLASS.match(t.lower())]
    if (chrome.chrome_kind(element) not in _SKIPPED_CHROME
            and not any(_RELATED.search(t) for t in tokens)):
        return False
    return element.find(".//h1") is None
