"""The filters every question to the archive takes (language, tag, kind, publication dates):
one definition for search, counts, trend, exports and the web window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from archive.storage.database import ArchiveError


@dataclass(frozen=True)
class Filters:
    """Article filters shared by search and export. ``since``/``until`` bound the publication
    date (inclusive); articles without one are bounded by when they were first seen."""

    language: str | None = None
    tag: str | None = None
    since: date | None = None
    until: date | None = None
    #: A page kind (``archive.storage.kinds.KINDS``): news, publication, fact, example, event,
    #: theme, page.
    kind: str | None = None

    def languages(self) -> tuple[str, ...]:
        """The stored language codes the language filter matches (none: no filter)."""
        return language_codes(self.language) if self.language else ()

    def sql(self, key: str = "a.id", alias: str = "a") -> tuple[str, dict[str, Any]]:
        """A condition on ``articles a`` with bound parameters only ("" when no filter); on
        the search index's facets (``archive.search.index.FACET_COLUMNS``) with ``key``
        ``a.article_id``; ``alias``: the table's name in the query."""
        where, params = [], {}
        if self.language:
            codes = self.languages()
            where.append(f"{alias}.language IN (" + ", ".join(
                f":f_lang{i}" for i in range(len(codes))) + ")")
            params.update({f"f_lang{i}": code for i, code in enumerate(codes)})
        if self.tag:
            where.append("EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id "
                         f"WHERE at.article_id = {key} AND lower(t.name) = lower(:f_tag))")
            params["f_tag"] = self.tag
        if self.kind:
            where.append(f"{alias}.kind = :f_kind")
            params["f_kind"] = self.kind
        # first_seen is compared as an instant with the day's bounds: SQLite has no date type
        # (CAST(... AS DATE) gives the year as a number there).
        if self.since:
            where.append(f"({alias}.published >= :f_since OR ({alias}.published IS NULL "
                         f"AND {alias}.first_seen >= :f_since))")
            params["f_since"] = self.since
        if self.until:
            where.append(f"({alias}.published <= :f_until OR ({alias}.published IS NULL "
                         f"AND {alias}.first_seen < :f_after))")
            params["f_until"] = self.until
            params["f_after"] = self.until + timedelta(days=1)
        return " AND ".join(where), params


#: Norwegian is stored as ``nb`` (Bokmål), ``nn`` (Nynorsk) or ``no`` (Norwegian, the
#: standard unsure): a filter for one finds what a reader of that language reads.
NORWEGIAN = {"no": ("no", "nb", "nn"), "nb": ("nb", "no"), "nn": ("nn", "no")}
#: The language codes the archive stores (``--help`` lists them).
STORED_LANGUAGES = ("sv", "en", "fi", "nb", "nn", "no", "da", "is")


def language_codes(language: str) -> tuple[str, ...]:
    """The stored codes a language filter matches: ``no`` finds ``nb`` and ``nn`` articles,
    ``nb`` and ``nn`` find those stored as ``no``; codes are compared in lower case."""
    code = language.strip().lower()
    return NORWEGIAN.get(code, (code,))


def parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArchiveError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def check_language(conn, language: str | None, name: str = "--lang") -> None:
    """Refuse a language code the archive has never stored (``se`` for Swedish answers
    nothing, and a confident "0 results" misleads): one of ``STORED_LANGUAGES``, or any code
    the archive holds."""
    if not language:
        return
    code = language.strip().lower()
    if code in STORED_LANGUAGES or code in NORWEGIAN:
        return
    from sqlalchemy import text

    held = {row[0] for row in conn.execute(text("SELECT DISTINCT language FROM articles"))}
    if code in held:
        return
    known = ", ".join(sorted(set(STORED_LANGUAGES) | held))
    raise ArchiveError(f"{name}: no language {language!r} in this archive (one of: {known})")
