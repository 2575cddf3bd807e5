"""Page chrome: remove it from the tree by markup, and from the text by what it says.

trafilatura does the main-text work; these rules remove what it lets through (see PORTAL.md and
MEASUREMENTS.md in the planners' folder for the leaks measured).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import html as lxml_html

from crawler.extraction import patterns

_CONTENT_TAGS = ("article", "main")
#: Chrome kinds that an element's own text can refute (consent and navigation it cannot).
_JUDGED_BY_TEXT = frozenset({"teaser", "share", "follow"})


def chrome_kind(element: lxml_html.HtmlElement) -> str | None:
    """Which kind of chrome ``element`` is by its markup, or None.

    Taxonomy and state classes (``tag-gdpr``, ``category-cookies``, ``hentry``) are data that a
    CMS prints on the article itself: they never count (``patterns.DATA_CLASS``).
    """
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in patterns.CHROME_TAGS:
        return "navigation"
    role = (element.get("role") or "").lower()
    if role in patterns.CHROME_ROLES:
        return "consent" if "dialog" in role else "navigation"
    marks = element.get("class"), element.get("id")
    if marks != (None, None):
        # The first rule (in CHROME_TOKEN_RULES' order) that any token matches.
        first = min(map(_token_rule, f"{marks[1] or ''} {marks[0] or ''}".lower().split()),
                    default=_NO_RULE)
        if first != _NO_RULE:
            return _TOKEN_KINDS[first]
    if tag in patterns.PAGE_LEVEL_TAGS and not _inside_content(element):
        return "navigation"
    return None


_TOKEN_KINDS = tuple(patterns.CHROME_TOKEN_RULES)
_NO_RULE = len(_TOKEN_KINDS)


@lru_cache(maxsize=16384)
def _token_rule(token: str) -> int:
    """The position of the first chrome rule an ``id``/``class`` token matches (``_NO_RULE``
    for none and for data classes). Pages repeat their tokens: each is judged once."""
    if patterns.DATA_CLASS.match(token):
        return _NO_RULE
    return next((i for i, rule in enumerate(patterns.CHROME_TOKEN_RULES.values())
                 if rule.fullmatch(token)), _NO_RULE)


def _inside_content(element: lxml_html.HtmlElement) -> bool:
    return any(ancestor.tag in _CONTENT_TAGS for ancestor in element.iterancestors())


def main_text_holder(body: lxml_html.HtmlElement, min_chars: int = patterns.MAIN_TEXT_MIN_CHARS
                     ) -> lxml_html.HtmlElement | None:
    """The element whose own paragraphs hold the most text: where the article's body is."""
    weight: dict[lxml_html.HtmlElement, int] = {}
    for paragraph in body.iter("p"):
        parent = paragraph.getparent()
        if parent is None:
            continue
        size = len(paragraph.text_content().strip())
        linked = sum(len(a.text_content().strip()) for a in paragraph.iter("a"))
        if size and linked * 2 < size:  # a line of links (share bar, menu) is no body text
            weight[parent] = weight.get(parent, 0) + size
    if not weight:
        return None
    holder = max(weight, key=weight.get)
    return holder if weight[holder] >= min_chars else None


def remove_chrome(tree: lxml_html.HtmlElement,
                  keep: list[lxml_html.HtmlElement] | None = None) -> Counter[str]:
    """Drop every chrome element from ``tree`` (in place); count what went, by kind.

    Never the elements in ``keep`` (the headline), the element holding the main text, or any of
    their ancestors: a chrome rule that matches them is wrong about them, so their children are
    judged instead. An ``<aside>`` inside the article that reads as text (a fact box) is kept.
    """
    body = tree.find("body")
    if body is None:
        body = tree
    protected: set[lxml_html.HtmlElement] = set()
    for element in [*(keep or []), main_text_holder(body)]:
        if element is not None:
            protected.add(element)
            protected.update(element.iterancestors())
    doomed: list[tuple[lxml_html.HtmlElement, str]] = []
    # Walk top-down and skip the subtree of an element already doomed.
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        kind = None if element in protected else chrome_kind(element)
        if kind in _JUDGED_BY_TEXT and element.tag == "article" and _is_prose(element):
            kind = None  # an <article> named "teaser_123" that holds a whole text is no teaser
        if kind == "teaser" and _is_lead(element):
            # "teaser-text" under a headline is the article's lead; trafilatura drops whatever
            # is called a teaser, so the name goes.
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
            kind = None
        if kind and element.tag == "aside" and _is_fact_box(element):
            element.tag = "div"  # trafilatura drops every <aside>
            kind = None
        if kind:
            doomed.append((element, kind))
            continue
        stack.extend(reversed(element))
    removed: Counter[str] = Counter()
    for element, kind in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        removed[kind] += 1
        element.drop_tree()
    return removed


def _is_prose(element: lxml_html.HtmlElement) -> bool:
    """Paragraphs of prose longer than a teaser's excerpt."""
    text = sum(len(p.text_content().strip()) for p in element.iter("p"))
    return text >= patterns.ARTICLE_PROSE_MIN_CHARS


def _is_lead(element: lxml_html.HtmlElement) -> bool:
    """A "teaser" that links nowhere: a teaser of another article links to it, while a news
    CMS's "teaser-text" under the headline is the article's own lead paragraph."""
    if any((a.get("href") or "#")[:1] != "#" for a in element.iter("a")):
        return False
    return len(" ".join(element.text_content().split())) >= patterns.LEAD_MIN_CHARS


def _is_fact_box(element: lxml_html.HtmlElement) -> bool:
    """An ``<aside>`` inside the article with prose of its own, not a list of links."""
    if not _inside_content(element):
        return False
    text = " ".join(element.text_content().split())
    if len(text) < patterns.FACT_BOX_MIN_CHARS:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return linked / len(text) < patterns.FACT_BOX_MAX_LINK_SHARE


@dataclass
class TextVerdict:
    """The body paragraphs kept, and how many characters of each kind of chrome were dropped."""

    paragraphs: list[str]
    dropped: Counter[str] = field(default_factory=Counter)


def clean_paragraphs(lines: list[str], known_lines: set[str]) -> TextVerdict:
    """Drop chrome paragraphs that got through the markup rules.

    ``known_lines`` are lower-cased lines that are metadata, not body: the title, the tag line,
    the site name. Everything after a related-content heading is teasers and is cut. A consent
    button word ("OK", "Detaljer") goes only beside other consent text, and an excerpt ending in
    "[…]" only among other such excerpts: alone they are the body's own.
    """
    kinds: list[str | None] = []
    end = len(lines)
    for position, line in enumerate(lines):
        if patterns.RELATED_HEADING.match(line):
            end = position
            break
        kinds.append(_line_kind(line, known_lines))
    teasers = sum(1 for kind in kinds if kind == "teaser")
    for position, kind in enumerate(kinds):
        if kind == "consent-word" and "consent" not in kinds[max(0, position - 3):position + 4]:
            kinds[position] = None
        elif kind == "teaser" and teasers < 2 and not patterns.READ_MORE.match(lines[position]):
            kinds[position] = None
    verdict = TextVerdict(paragraphs=[])
    for line, kind in zip(lines, kinds, strict=False):
        if kind:
            verdict.dropped["consent" if kind == "consent-word" else kind] += len(line)
        else:
            verdict.paragraphs.append(line)
    verdict.dropped["teaser"] += sum(len(rest) for rest in lines[end:])
    if not verdict.dropped["teaser"]:
        del verdict.dropped["teaser"]
    return verdict


def _line_kind(line: str, known_lines: set[str]) -> str | None:
    lowered = line.lower().strip(" :")
    if (lowered in known_lines or lowered in patterns.SITE_TITLES
            or lowered in patterns.DATE_WORDS):
        return "metadata"
    if len(line) < 700 and patterns.is_consent_text(line):
        return "consent"
    if lowered in patterns.CONSENT_LINES:
        return "consent-word"
    if patterns.SHARE_LINE.match(line):
        return "share"
    if patterns.FOLLOW_LINE.match(line):
        return "follow"
    if patterns.TEASER_LINE.search(line):
        return "teaser"
    if patterns.BREADCRUMB_LINE.match(line):
        return "navigation"
    return None
