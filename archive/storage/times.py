"""Time in the archive: every instant is timezone-aware UTC, in Python and in the database.

SQLite keeps no zone (it hands back naive datetimes) and PostgreSQL's ``timestamptz`` hands
back aware ones; the column type :class:`UTCDateTime` makes both backends give and take the
same aware UTC value, and :func:`as_utc` does the same for values read by hand-written SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.types import DateTime, TypeDecorator


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """An instant as an aware UTC datetime: a naive one (SQLite's) is taken as UTC, an aware
    one is converted, an ISO string (SQLite's raw SQL results) is parsed first."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso_instant(value: date | datetime | None) -> str | None:
    """The one format of times the archive shows and exports: a day as ``YYYY-MM-DD``, an
    instant in UTC with its zone, ``2026-11-27T22:03:20Z`` (a naive instant is UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


class UTCDateTime(TypeDecorator):
    """``DateTime(timezone=True)`` that binds and returns aware UTC datetimes on every
    backend (the schema is unchanged: the migrations create ``DateTime(timezone=True)``)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return as_utc(value)
