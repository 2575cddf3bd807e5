"""A readable diff of two revisions: rows of a side-by-side table, with the changed words of
a changed paragraph marked. Plain data; the template escapes and lays it out."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Unchanged lines kept around a change; longer unchanged runs are folded.
CONTEXT = 1
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class Row:
    """``kind``: equal, replace, delete, insert, or fold (``folded`` unchanged lines)."""

    kind: str
    old: tuple[Segment, ...] = ()
    new: tuple[Segment, ...] = ()
    old_line: int | None = None
    new_line: int | None = None
    folded: int = 0


def _words(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), tag != "equal"))
    return tuple(left), tuple(right)


def side_by_side(old: list[str], new: list[str], context: int = CONTEXT) -> list[Row]:
    """Rows pairing old and new lines; a replaced line shows which words changed."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            n = i2 - i1
            keep_head = context if rows else 0
            keep_tail = context if (i2, j2) != (len(old), len(new)) else 0
            if n > keep_head + keep_tail + 1:
                for k in range(keep_head):
                    rows.append(Row("equal", (Segment(old[i1 + k], False),),
                                    (Segment(new[j1 + k], False),), i1 + k + 1, j1 + k + 1))
                rows.append(Row("fold", folded=n - keep_head - keep_tail))
                start = n - keep_tail
            else:
                start = 0
            for k in range(start, n):
                rows.append(Row("equal", (Segment(old[i1 + k], False),),
                                (Segment(new[j1 + k], False),), i1 + k + 1, j1 + k + 1))
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            o = old[i1 + k] if i1 + k < i2 else None
            n_ = new[j1 + k] if j1 + k < j2 else None
            if o is not None and n_ is not None:
                left, right = _words(o, n_)
                rows.append(Row("replace", left, right, i1 + k + 1, j1 + k + 1))
            elif o is not None:
                rows.append(Row("delete", (Segment(o, True),), (), i1 + k + 1, None))
            else:
                rows.append(Row("insert", (), (Segment(n_, True),), None, j1 + k + 1))
    return rows


def inline_lines(unified: str | None) -> list[tuple[str, str]]:
    """The stored unified diff as (css class, line) pairs."""
    out = []
    for line in (unified or "").splitlines():
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        out.append((kind, line))
    return out
