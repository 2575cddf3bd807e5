"""What a revision changed, and how much it matters: a plain function of the version before
and the version after, stored on the revision (``revisions.changed_fields`` … ``significance``)
so that an analyst can ask for the changes that matter without reading every diff.

The rules (``docs/schema.md#what-a-revision-changed``):

- ``changed_fields``: the tracked fields that differ (title, text, tags, published, modified,
  language), whitespace never counting;
- ``words_added`` / ``words_removed``: words of the text (case and punctuation aside) that the
  word-level diff inserts and deletes; ``changed_share``: the share of the longer version's
  words that the other does not have in place (0 to 1);
- ``numbers_changed``: the set of figures written in digits (a figure, a date, an amount; "2,5"
  and "2.5", "10 000" and "10000" are the same figure) in the title and text differs;
- ``minor``: the title and text differ only in case, punctuation, whitespace or spelling (each
  changed run of words within a small edit distance of what it replaced, never a word added or
  removed, never a figure), and nothing else changed;
- ``significance``: ``headline`` when the title changed, else ``rewrite`` when at least half of
  the words changed, else ``minor`` when ``minor``, else ``edit``. A first version has none
  (nor has a version that repeats the one before it, which placing never stores).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import sqlalchemy as sa

#: The fields a change record names, in this order.
FIELDS = ("title", "text", "tags", "published", "modified", "language")
#: Significances, least to most.
SIGNIFICANCES = ("minor", "edit", "rewrite", "headline")
#: What ``changes --what`` asks about: a field, or ``numbers`` or ``date`` (published or
#: modified).
WHATS = ("title", "text", "tags", "date", "numbers")
#: ``changed_share`` from which a change is a rewrite.
REWRITE_SHARE = 0.5

_WORD = re.compile(r"\w+")
#: A figure: digits, with decimal or thousands separators inside ("2,5", "10 000", "18.10.2019").
_NUMBER = re.compile(r"\d+(?:(?:[.,:/-]|[ \u00a0\u202f](?=\d{3}\b))\d+)*")


class Version(Protocol):
    """What a change record is computed from: a revision row, or a ``Seen``."""

    title: str
    text: str
    tags: Any
    published: date | None
    modified: date | None
    language: str | None


@dataclass(frozen=True)
class Seen:
    """A version not stored yet: an article's content (``archive.storage.content.Content``)
    and the language it was read in."""

    title: str
    text: str
    tags: tuple[str, ...]
    published: date | None
    modified: date | None
    language: str | None

    @classmethod
    def of(cls, content: Any, language: str | None) -> Seen:
        return cls(content.title, content.text, tuple(content.tags), content.published,
                   content.modified, language)


@dataclass(frozen=True)
class ChangeRecord:
    changed_fields: tuple[str, ...]
    words_added: int
    words_removed: int
    changed_share: float
    numbers_changed: bool
    minor: bool
    significance: str | None

    def columns(self) -> dict[str, Any]:
        """The ``revisions`` columns that store it."""
        return {"changed_fields": ",".join(self.changed_fields),
                "words_added": self.words_added, "words_removed": self.words_removed,
                "changed_share": self.changed_share, "numbers_changed": self.numbers_changed,
                "minor": self.minor, "significance": self.significance}


def _space(value: str) -> str:
    return " ".join((value or "").split())


def _paragraphs(text: str) -> list[str]:
    return [p for p in (_space(p) for p in (text or "").split("\n\n")) if p]


def _words(paragraph: str) -> list[str]:
    return _WORD.findall(paragraph.casefold())


def numbers(text: str) -> set[str]:
    """The figures written in digits, separators made alike."""
    return {re.sub(r"[ \u00a0\u202f]", "", n).replace(",", ".") for n in _NUMBER.findall(text)}


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def is_spelling(old: list[str], new: list[str]) -> bool:
    """Whether one run of words replaced another as a spelling fix would: both sides words,
    no digit, and the joined words (a split or joined compound counts) within one edit for
    short words, two for longer ones."""
    if not old or not new:
        return False
    a, b = "".join(old), "".join(new)
    if a == b:  # a split or joined word, or digit groups ("10 000", "10000")
        return True
    if any(c.isdigit() for c in a + b):
        return False
    limit = 1 if max(len(a), len(b)) <= 5 else 2
    return distance(a, b, limit) <= limit


@dataclass
class _Tally:
    matched: int = 0
    added: int = 0
    removed: int = 0
    spelling_only: bool = True

    def words(self, old: list[str], new: list[str]) -> None:
        """Tally a run of old words against the new words that replaced it."""
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                self.matched += i2 - i1
                continue
            self.removed += i2 - i1
            self.added += j2 - j1
            if self.spelling_only and not is_spelling(old[i1:i2], new[j1:j2]):
                self.spelling_only = False


def _text_tally(old_text: str, new_text: str, tally: _Tally) -> tuple[int, int]:
    """Tally the texts paragraph by paragraph (then word by word inside the changed ones);
    returns the word counts of both."""
    old, new = _paragraphs(old_text), _paragraphs(new_text)
    old_words, new_words = [_words(p) for p in old], [_words(p) for p in new]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            tally.matched += sum(len(w) for w in old_words[i1:i2])
        else:
            tally.words([w for ws in old_words[i1:i2] for w in ws],
                        [w for ws in new_words[j1:j2] for w in ws])
    return sum(map(len, old_words)), sum(map(len, new_words))


def _tags(version: Version) -> tuple[str, ...]:
    return tuple(t for t in (_space(t) for t in (version.tags or ())) if t)


def describe(old: Version | None, new: Version) -> ChangeRecord:
    """The change from ``old`` to ``new`` (``old`` None: a first version, all its words added,
    no significance)."""
    if old is None:  # (on the hot path of a crawl's new articles: a count only)
        count = len(_WORD.findall(new.text or ""))
        return ChangeRecord((), count, 0, 1.0 if count else 0.0, False, False, None)
    values = {
        "title": (_space(old.title), _space(new.title)),
        "text": ("\n\n".join(_paragraphs(old.text)), "\n\n".join(_paragraphs(new.text))),
        "tags": (_tags(old), _tags(new)),
        "published": (old.published, new.published),
        "modified": (old.modified, new.modified),
        "language": (old.language or None, new.language or None),
    }
    changed = tuple(f for f in FIELDS if values[f][0] != values[f][1])
    tally = _Tally()
    old_count, new_count = _text_tally(old.text, new.text, tally)
    longer = max(old_count, new_count)
    share = round(1 - tally.matched / longer, 4) if longer else 0.0
    numbers_changed = (numbers(f"{old.title}\n{old.text}")
                       != numbers(f"{new.title}\n{new.text}"))
    title_tally = _Tally()
    title_tally.words(_words(old.title or ""), _words(new.title or ""))
    minor = (bool(changed) and set(changed) <= {"title", "text"} and not numbers_changed
             and tally.spelling_only and title_tally.spelling_only)
    if not changed:
        significance = None  # the same version seen again: no change at all
    elif "title" in changed:
        significance = "headline"
    elif share >= REWRITE_SHARE:
        significance = "rewrite"
    elif minor:
        significance = "minor"
    else:
        significance = "edit"
    return ChangeRecord(changed, tally.added, tally.removed, share, numbers_changed, minor,
                        significance)


def in_time_order(rows: Iterable[Any]) -> Iterable[tuple[Any, ChangeRecord]]:
    """Each revision of one article (given in time order) with its change from the one
    before it."""
    previous = None
    for row in rows:
        yield row, describe(previous, row)
        previous = row


#: The table as the change records need it (not the models': migration 0014 uses it too).
_REVISIONS = sa.table(
    "revisions", sa.column("id", sa.Integer), sa.column("article_id", sa.Integer),
    sa.column("number", sa.Integer), sa.column("fetched_at", sa.DateTime),
    sa.column("title", sa.Text), sa.column("text", sa.Text), sa.column("tags", sa.JSON),
    sa.column("published", sa.Date), sa.column("modified", sa.Date),
    sa.column("language", sa.String), sa.column("changed_fields", sa.String),
    sa.column("words_added", sa.Integer), sa.column("words_removed", sa.Integer),
    sa.column("changed_share", sa.Float), sa.column("numbers_changed", sa.Boolean),
    sa.column("minor", sa.Boolean), sa.column("significance", sa.String))
_STORED = ("changed_fields", "words_added", "words_removed", "changed_share",
           "numbers_changed", "minor", "significance")
_UPDATE = (sa.update(_REVISIONS).where(_REVISIONS.c.id == sa.bindparam("key_id"))
           .values({name: sa.bindparam(name) for name in _STORED}))


def fill(conn: sa.Connection, article_ids: Iterable[int] | None = None, batch: int = 500
         ) -> int:
    """Compute the change record of every revision (of ``article_ids``; None: all) against
    the revision before it in time, and store those that differ from what is stored: how
    migration 0014 fills existing archives and ``reextract`` refreshes them. Returns how many
    rows it wrote. Reads ``batch`` articles at a time."""
    if article_ids is None:
        ids = list(conn.scalars(sa.select(_REVISIONS.c.article_id).distinct()
                                .order_by(_REVISIONS.c.article_id)))
    else:
        ids = sorted(set(article_ids))
    written = 0
    for start in range(0, len(ids), batch):
        rows = conn.execute(
            sa.select(_REVISIONS).where(_REVISIONS.c.article_id.in_(ids[start:start + batch]))
            .order_by(_REVISIONS.c.article_id, _REVISIONS.c.fetched_at,
                      _REVISIONS.c.number)).all()
        updates = []
        previous = None
        for row in rows:
            before = previous if previous is not None and (
                previous.article_id == row.article_id) else None
            columns = describe(before, row).columns()
            if any(getattr(row, name) != value for name, value in columns.items()):
                updates.append({"key_id": row.id, **columns})
            previous = row
        if updates:
            conn.execute(_UPDATE, updates)
            written += len(updates)
    return written
