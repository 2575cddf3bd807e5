"""The changes that matter: revisions chosen by what they changed (``archive.storage.changes``)
for ``nordarchive changes``, the web window's ``/changes`` page and its Atom feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, text

from archive.search.filters import Filters, parse_day
from archive.storage.changes import SIGNIFICANCES, WHATS
from archive.storage.database import ArchiveError, Database
from archive.storage.models import Revision
from archive.storage.times import UTCDateTime, iso_instant

#: Columns of ``changes --format csv|json``, in this order.
CHANGE_COLUMNS = ("article_id", "number", "fetched_at", "title", "language", "kind", "url",
                  "origin", "significance", "changed_fields", "words_added", "words_removed",
                  "changed_share", "numbers_changed", "minor")
#: The revision columns of a change record (``revisions``), for the other readers.
RECORD_COLUMNS = ("changed_fields", "words_added", "words_removed", "changed_share",
                  "numbers_changed", "minor", "significance")
#: ``--what`` as the fields it means (``numbers`` is its own column).
_WHAT_FIELDS = {"title": ("title",), "text": ("text",), "tags": ("tags",),
                "date": ("published", "modified")}


@dataclass(frozen=True)
class ChangeFilter:
    """Which revisions count: any of ``what`` changed, of one of ``significances``, at least
    ``min_words`` words added and removed, made (fetched) from ``since`` to ``until``."""

    what: tuple[str, ...] = ()
    significances: tuple[str, ...] = ()
    min_words: int = 0
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, what: str | tuple[str, ...] | None = None,
              significance: str | tuple[str, ...] | None = None,
              min_words: str | int | None = None, since: str | None = None,
              until: str | None = None) -> ChangeFilter:
        """From options or a query string (comma lists allowed), checked: a wrong value is
        one error naming the choices."""
        whats, levels = _listed(what), _listed(significance)
        for name, values, choices in (("what", whats, WHATS),
                                      ("significance", levels, SIGNIFICANCES)):
            wrong = [v for v in values if v not in choices]
            if wrong:
                raise ArchiveError(f"{name}: one of {', '.join(choices)}, not {wrong[0]!r}")
        words = str(min_words).strip() if min_words not in (None, "") else "0"
        if not words.isdigit() or len(words) > 9:
            raise ArchiveError(f"min-words: a whole number, not {min_words!r}")
        return cls(whats, levels, int(words), parse_day(since, "since"),
                   parse_day(until, "until"))

    @property
    def active(self) -> bool:
        return bool(self.what or self.significances or self.min_words or self.since
                    or self.until)

    def sql(self, alias: str = "r") -> tuple[str, dict[str, Any]]:
        """A condition on ``revisions <alias>`` (only revisions that changed something: an
        article's first version has no significance) and its parameters."""
        where = [f"{alias}.significance IS NOT NULL"]
        params: dict[str, Any] = {}
        asked = []
        for what in self.what:
            if what == "numbers":
                asked.append(f"{alias}.numbers_changed = :c_true")
                params["c_true"] = True
            for field in _WHAT_FIELDS.get(what, ()):
                asked.append(f"(',' || {alias}.changed_fields || ',') LIKE :c_{field}")
                params[f"c_{field}"] = f"%,{field},%"
        if asked:
            where.append("(" + " OR ".join(asked) + ")")
        if self.significances:
            where.append(f"{alias}.significance IN (" + ", ".join(
                f":c_sig{i}" for i in range(len(self.significances))) + ")")
            params.update({f"c_sig{i}": s for i, s in enumerate(self.significances)})
        if self.min_words:
            where.append(f"{alias}.words_added + {alias}.words_removed >= :c_words")
            params["c_words"] = self.min_words
        if self.since:
            where.append(f"{alias}.fetched_at >= :c_since")
            params["c_since"] = datetime.combine(self.since, time(), UTC)
        if self.until:
            where.append(f"{alias}.fetched_at < :c_until")
            params["c_until"] = datetime.combine(self.until + timedelta(days=1), time(), UTC)
        return " AND ".join(where), params

    def query_string(self) -> dict[str, str]:
        """The filter as the web window's query parameters."""
        values = {"what": ",".join(self.what), "significance": ",".join(self.significances),
                  "min_words": str(self.min_words) if self.min_words else "",
                  "changed_since": self.since.isoformat() if self.since else "",
                  "changed_until": self.until.isoformat() if self.until else ""}
        return {k: v for k, v in values.items() if v}


def _listed(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    items = value if isinstance(value, tuple | list) else (value or "",)
    return tuple(dict.fromkeys(v.strip().lower() for item in items
                               for v in str(item).split(",") if v.strip()))


def typed(statement, params: dict[str, Any]):
    """The statement with its time bounds bound as the archive's instants."""
    times = [bindparam(name, type_=UTCDateTime()) for name in ("c_since", "c_until")
             if name in params]
    return statement.bindparams(*times) if times else statement


def record_of(row: Any) -> dict[str, Any]:
    """A revision's change record as plain values (JSON, CSV, templates)."""
    return {"changed_fields": [f for f in (row.changed_fields or "").split(",") if f],
            "words_added": row.words_added, "words_removed": row.words_removed,
            "changed_share": row.changed_share,
            "numbers_changed": bool(row.numbers_changed), "minor": bool(row.minor),
            "significance": row.significance}


def describe_record(record: dict[str, Any]) -> str:
    """One line for people: ``headline: title, text; +12 -3 words (8 %); figures changed``."""
    if not record.get("significance"):
        return "first version"
    parts = [f"{record['significance']}: {', '.join(record['changed_fields']) or '-'}",
             f"+{record['words_added']} -{record['words_removed']} words "
             f"({round(100 * (record['changed_share'] or 0))} %)"]
    if record["numbers_changed"]:
        parts.append("figures changed")
    if record["minor"] and record["significance"] != "minor":
        parts.append("spelling only")
    return "; ".join(parts)


def list_changes(db: Database, changes: ChangeFilter, filters: Filters | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
    """Revisions that changed something and meet both filters (``filters``: the article's
    language, tag and kind; its publication dates are not asked), newest first."""
    condition, params = changes.sql()
    filters = filters or Filters()
    article_condition, article_params = Filters(language=filters.language, tag=filters.tag,
                                                kind=filters.kind).sql()
    if article_condition:
        condition += " AND " + article_condition
    statement = typed(text(
        "SELECT r.article_id, r.number, r.fetched_at, r.title, r.language, a.kind, a.url, "
        "r.origin, r.changed_fields, r.words_added, r.words_removed, r.changed_share, "
        "r.numbers_changed, r.minor, r.significance "
        "FROM revisions r JOIN articles a ON a.id = r.article_id "
        f"WHERE {condition} ORDER BY r.fetched_at DESC, r.id DESC"
        + (" LIMIT :c_limit" if limit else "")).columns(
            fetched_at=Revision.__table__.c.fetched_at.type), params)
    if limit:
        params["c_limit"] = limit
    with db.session() as session:
        rows = session.execute(statement, {**params, **article_params}).all()
    return [{"article_id": r.article_id, "number": r.number,
             "fetched_at": iso_instant(r.fetched_at), "title": r.title,
             "language": r.language, "kind": r.kind, "url": r.url, "origin": r.origin,
             **record_of(r)} for r in rows]
