"""Page chrome: remove it from the tree by markup, and from the text by what it says.

trafilatura does the main-text work; these rules remove what it lets through (see PORTAL.md and
MEASUREMENTS.md in the planners' folder for the leaks measured).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction import patterns

_CONTENT_TAGS = ("article", "main")


def chrome_kind(element: lxml_html.HtmlElement) -> str | None:
    """Which kind of chrome ``element`` is by its markup, or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in patterns.CHROME_TAGS:
        return "navigation"
    role = (element.get("role") or "").lower()
    if role in patterns.CHROME_ROLES:
        return "consent" if "dialog" in role else "navigation"
    tokens = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
    for kind, rule in patterns.CHROME_TOKEN_RULES.items():
        if any(rule.fullmatch(token) for token in tokens):
            return kind
    if tag in patterns.PAGE_LEVEL_TAGS and not _inside_content(element):
        return "navigation"
    return None


def _inside_content(element: lxml_html.HtmlElement) -> bool:
    return any(ancestor.tag in _CONTENT_TAGS for ancestor in element.iterancestors())


def remove_chrome(tree: lxml_html.HtmlElement) -> Counter[str]:
    """Drop every chrome element from ``tree`` (in place); count what went, by kind."""
    body = tree.find("body")
    if body is None:
        body = tree
    doomed: list[tuple[lxml_html.HtmlElement, str]] = []
    # Walk top-down and skip the subtree of an element already doomed.
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        kind = chrome_kind(element)
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


@dataclass
class TextVerdict:
    """The body paragraphs kept, and how many characters of each kind of chrome were dropped."""

    paragraphs: list[str]
    dropped: Counter[str] = field(default_factory=Counter)


def clean_paragraphs(lines: list[str], known_lines: set[str]) -> TextVerdict:
    """Drop chrome paragraphs that got through the markup rules.

    ``known_lines`` are lower-cased lines that are metadata, not body: the title, the tag line,
    the site name. Everything after a related-content heading is teasers and is cut.
    """
    verdict = TextVerdict(paragraphs=[])
    for position, line in enumerate(lines):
        lowered = line.lower().strip(" :")
        kind = None
        if patterns.RELATED_HEADING.match(line):
            verdict.dropped["teaser"] += sum(len(rest) for rest in lines[position:])
            break
        if lowered in known_lines or lowered in patterns.SITE_TITLES:
            kind = "metadata"
        elif lowered in patterns.CONSENT_LINES or (
            len(line) < 700 and patterns.CONSENT_TEXT.search(line)
        ):
            kind = "consent"
        elif patterns.SHARE_LINE.match(line):
            kind = "share"
        elif patterns.FOLLOW_LINE.match(line):
            kind = "follow"
        elif patterns.TEASER_LINE.search(line):
            kind = "teaser"
        elif patterns.BREADCRUMB_LINE.match(line):
            kind = "navigation"
        if kind:
            verdict.dropped[kind] += len(line)
        else:
            verdict.paragraphs.append(line)
    return verdict
