"""Revisions: what counts as a change, its fingerprint, and the unified diff between versions."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

#: The fields whose change makes a new revision, in the order change kinds name them.
CHANGE_FIELDS = ("title", "text", "tags", "published", "modified")


@dataclass(frozen=True)
class Content:
    """The part of an article that revisions track (nothing of the page around it)."""

    title: str
    text: str
    tags: tuple[str, ...]
    published: date | None
    modified: date | None

    @cached_property
    def _normal(self) -> Content:
        paragraphs = [" ".join(p.split()) for p in self.text.split("\n\n")]
        return Content(
            title=" ".join(self.title.split()),
            text="\n\n".join(p for p in paragraphs if p),
            tags=tuple(" ".join(t.split()) for t in self.tags if t.strip()),
            published=self.published,
            modified=self.modified,
        )

    def normalized(self) -> Content:
        """Whitespace never makes a revision: collapse it in every paragraph."""
        return self._normal

    @cached_property
    def _fingerprint(self) -> str:
        n = self.normalized()
        payload = json.dumps([n.title, n.text, list(n.tags), str(n.published), str(n.modified)],
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def fingerprint(self) -> str:
        return self._fingerprint

    def body_fingerprint(self) -> str:
        """Title and text only: the same story under a new URL (a changed slug)."""
        n = self.normalized()
        return hashlib.sha256(f"{n.title}\n\n{n.text}".encode()).hexdigest()

    def as_document(self) -> list[str]:
        """The lines a diff is made of: metadata first, then one line per paragraph."""
        n = self.normalized()
        return [
            f"Title: {n.title}",
            f"Tags: {', '.join(n.tags)}",
            f"Published: {n.published or '-'}",
            f"Modified: {n.modified or '-'}",
            "",
            *n.text.split("\n\n"),
        ]


@dataclass(frozen=True)
class Change:
    kind: str  # comma list of CHANGE_FIELDS that changed
    lines_added: int
    lines_removed: int
    diff: str


def compare(old: Content, new: Content, old_label: str, new_label: str) -> Change | None:
    """The change from ``old`` to ``new``, or None when nothing tracked changed."""
    a, b = old.normalized(), new.normalized()
    changed = [f for f in CHANGE_FIELDS if getattr(a, f) != getattr(b, f)]
    if not changed:
        return None
    diff = unified_diff(a.as_document(), b.as_document(), old_label, new_label)
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    return Change(",".join(changed), added, removed, "\n".join(diff))


def unified_diff(old_lines: Sequence[str], new_lines: Sequence[str], old_label: str,
                 new_label: str) -> list[str]:
    return list(difflib.unified_diff(list(old_lines), list(new_lines), old_label, new_label,
                                     lineterm="", n=1))
