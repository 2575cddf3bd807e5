"""The change feed as Atom (RFC 4287): one entry per new, revised, removed or restored
article, newest first, the diff inside. Built with ElementTree, which escapes every value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape
from xml.etree import ElementTree as ET

from archive.read.changes import describe_record
from archive.web.data import Change

ATOM = "http://www.w3.org/2005/Atom"
LABELS = {"new": "New", "revised": "Revised", "re-extracted": "Re-extracted",
          "removed": "Removed", "restored": "Restored"}


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def summary(change: Change) -> str:
    if change.number and change.change_kind == "new":
        what = "first version archived"
    elif change.number:
        what = (f"revision {change.number}: {change.change_kind}"
                f" (+{change.lines_added} -{change.lines_removed} lines)")
        if change.record and change.record["significance"]:
            what += f"; {describe_record(change.record)}"
    else:
        what = f"the portal {'stopped serving' if change.kind == 'removed' else 'serves again'}"
    return f"{LABELS.get(change.kind, change.kind)} [{change.language}] {what}"


def content_html(change: Change) -> str:
    """The entry's content: the diff as preformatted lines (escaped here once; ElementTree
    escapes the whole again as XML text, as Atom's type="html" requires)."""
    parts = [f"<p>{escape(summary(change))}</p>",
             f'<p><a href="{escape(change.url)}">{escape(change.url)}</a></p>']
    if change.diff:
        parts.append("<pre>" + escape(change.diff) + "</pre>")
    return "".join(parts)


def atom(changes: Sequence[Change], *, feed_id: str, title: str, self_url: str,
         page_url: str, absolute: Callable[[str], str]) -> bytes:
    ET.register_namespace("", ATOM)

    def sub(parent, tag: str, value: str | None = None, **attrs) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if value is not None:
            element.text = value
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    updated = max((c.at for c in changes), default=datetime(1970, 1, 1, tzinfo=UTC))
    sub(feed, "updated", _rfc3339(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = sub(feed, "author")
    sub(author, "name", "nordarchive")
    sub(feed, "generator", "nordarchive")
    for change in changes:
        entry = sub(feed, "entry")
        sub(entry, "id", change.entry_id)
        sub(entry, "title", f"{LABELS.get(change.kind, change.kind)}: {change.title}")
        sub(entry, "updated", _rfc3339(change.at))
        sub(entry, "link", rel="alternate", type="text/html", href=absolute(change.path))
        sub(entry, "link", rel="related", href=change.url)
        sub(entry, "category", term=change.kind)
        sub(entry, "category", term=change.language, label="language")
        if change.significance:
            sub(entry, "category", term=change.significance, label="significance")
        sub(entry, "summary", summary(change))
        sub(entry, "content", content_html(change), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
