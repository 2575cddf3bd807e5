"""The sources an article cites: links in the article's own text that lead off the portal,
and documents (PDF, DOCX, ODT ...) anywhere in the article (a publication's "Download as PDF"
box is the publication itself).

A page link counts when its block (a paragraph, a list item, a table cell, a quote) is part of
the extracted text, or when it is a line of its own ("Läs mer på Kommuntorgets hemsida", "Read
the ANNUAL REPORT") beside paragraphs that are: such lines are left out of the text, but they
are what the article cites. Chrome (menus, share bars, footers, tag lines, teaser lists) is gone
from the tree before links are read."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import html as lxml_html

from archive.sources.store import source_kind
from archive.storage.urls import same_site
from crawler.extraction import patterns
from crawler.extraction.page_kind import in_portal

#: The blocks of running text a cited link stands in (never headings: a linked heading is a
#: teaser's title).
_TEXT_BLOCKS = frozenset({"p", "li", "td", "dd", "blockquote", "figcaption"})
#: A block beside a line of its own must be this long to vouch for it (a sentence, not a label).
_PARAGRAPH_CHARS = 40


@dataclass(frozen=True)
class Candidate:
    url: str
    #: The text of the link's block; None for a document (cited wherever it stands).
    block: str | None = None
    #: The link is its block's whole text (a "read more" line).
    alone: bool = False
    #: For a line of its own: the text of the other blocks beside it (same parent), one of
    #: which must be part of the extracted text.
    beside: tuple[str, ...] = ()


def cited_candidates(root: lxml_html.HtmlElement, url: str) -> list[Candidate]:
    """Every link of the content root that could be a source: http(s), off the portal or a
    document. Read before trafilatura sees the tree."""
    found = []
    texts: dict[lxml_html.HtmlElement, str] = {}  # a block's text, read once for its links

    def text_of(element: lxml_html.HtmlElement) -> str:
        if element not in texts:
            texts[element] = " ".join(element.text_content().split())
        return texts[element]

    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        target = urldefrag(urljoin(url, href)).url
        if urlsplit(target).scheme not in ("http", "https"):
            continue  # mailto:, tel:, javascript: ...
        if patterns.SHARE_URL.search(target):
            continue  # a share button left inside a paragraph
        if source_kind(target) != "page":
            found.append(Candidate(target))
            continue
        if in_portal(target) and same_site(target, url):
            continue  # the portal's own pages are crawled, not cited
        block = next((e for e in anchor.iterancestors() if e.tag in _TEXT_BLOCKS), None)
        if block is None:
            continue
        text = text_of(block)
        alone = text == " ".join(anchor.text_content().split())
        found.append(Candidate(target, text, alone, _beside(block, text_of) if alone else ()))
    return found


def _beside(block: lxml_html.HtmlElement, text_of) -> tuple[str, ...]:
    """The texts of the block's sibling blocks long enough to vouch for a line of its own
    (each read once a page: a list of links would otherwise read its items once per link)."""
    parent = block.getparent()
    if parent is None:
        return ()
    return tuple(text for e in parent if e is not block and e.tag in _TEXT_BLOCKS
                 and len(text := text_of(e)) >= _PARAGRAPH_CHARS)


def cited_in(candidates: list[Candidate], text: str) -> tuple[str, ...]:
    """The sources among the candidates, once each, in page order."""
    flat = " ".join(text.split())
    return tuple(dict.fromkeys(
        c.url for c in candidates
        if c.block is None or (c.block and c.block in flat)
        or (c.alone and any(other in flat for other in c.beside))))
