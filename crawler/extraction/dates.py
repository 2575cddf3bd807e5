"""Publication and update dates: structured sources first, then the visible date line.

Teaser dates are never candidates: chrome (related content) and, on the portal's theme,
publication and about pages, other pages' teaser cards are removed before the visible date line is
looked for, and only the first date line after the headline counts. htmldate was measured
to return the newest teaser date on portal-like pages, so on the portal it is never asked; off the
portal it answers where our sources say nothing, and picks among them where they disagree (JSON-LD
against meta, several visible dates): measured on the tuning half of the real pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo

from htmldate import find_date

from crawler.extraction import patterns

_MONTH_WORD = "|".join(sorted(map(re.escape, patterns.MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = rf"(?P<d1>\d{{1,2}})\.?\s+(?P<m1>{_MONTH_WORD})\.?,?\s+(?P<y1>\d{{4}})"
_MONTH_DAY_YEAR = rf"(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
_NUMERIC = r"(?P<d3>\d{1,2})\.\s?(?P<m3>\d{1,2})\.\s?(?P<y3>\d{4})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
_TIME = r"(?:,?\s*(?:kl\.?|klo|at)?\s*\d{1,2}[:.]\d{2})?"
_WORDS = "|".join(
    map(re.escape, patterns.UPDATED_WORDS + patterns.PUBLISHED_WORDS + patterns.IGNORED_DATE_WORDS)
)
#: A line that is a date and nothing else, with an optional "Uppdaterad"-like word before it.
DATE_LINE = re.compile(
    rf"^(?:(?P<word>{_WORDS})\s*:?\s*(?:den\s+|on\s+)?)?"
    rf"(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_NUMERIC}|{_ISO}){_TIME}$",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"
                       r"|/((?:19|20)\d{2})-?(\d{2})-?(\d{2})/")
_EARLIEST = date(1990, 1, 1)


def plausible(value: date | None, today: date) -> date | None:
    """The date if it can be a publication date seen today; never the future, never before 1990."""
    if value is None or value < _EARLIEST or value > today + timedelta(days=1):
        return None
    return value


def parse_iso(value: str | None) -> date | None:
    """A date from an ISO 8601 timestamp as found in JSON-LD, meta and ``<time datetime>``."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        if match:
            return _safe_date(*match.groups())
        return None


_INSTANT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?"
                      r"\s*(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


def parse_instant(value: str | None) -> datetime | None:
    """The moment an ISO 8601 timestamp names, when it gives a time and a zone (``Z`` or an
    offset; what pages write, ``23:15:0Z`` too); None for a bare date or a local time."""
    if not value:
        return None
    match = _INSTANT.match(value.strip())
    if not match or not match[7]:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = timedelta(0)
    if zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute),
                        int(second or 0), tzinfo=timezone(offset))
    except ValueError:
        return None


def publisher_day(value: str | None, zone: tzinfo | None,
                  printed: Iterable[date] = ()) -> date | None:
    """The calendar day of a timestamp where it was published: a UTC timestamp's day in the
    publisher's ``zone`` (see ``zones``), or the day the page prints when that is one the
    moment can be somewhere (the UTC day or the one on either side); a timestamp with another
    offset is the day it states; a bare date is itself."""
    written = parse_iso(value)
    instant = parse_instant(value)
    if instant is None or instant.utcoffset() != timedelta(0):
        return written
    possible = {(instant + timedelta(hours=h)).date() for h in (-12, 0, 14)}
    local = instant.astimezone(zone).date() if zone is not None else None
    shown = [day for day in printed if day in possible]
    if shown and local not in shown:
        return shown[0]
    return local or instant.date()


def parse_date_line(text: str) -> tuple[str, date] | None:
    """``(role, date)`` for a visible date line; role is published, modified or ignored."""
    match = DATE_LINE.match(" ".join(text.split()))
    if not match:
        return None
    groups = match.groupdict()
    for i in "1234":
        if groups.get(f"y{i}"):
            month = groups[f"m{i}"]
            month_number = int(month) if month.isdigit() else patterns.MONTHS[month.lower()]
            value = _safe_date(groups[f"y{i}"], month_number, groups[f"d{i}"])
            break
    else:  # pragma: no cover - the pattern has one of the four
        return None
    if value is None:
        return None
    word = (groups.get("word") or "").lower()
    if word in patterns.UPDATED_WORDS:
        role = "modified"
    elif word in patterns.IGNORED_DATE_WORDS:
        role = "ignored"
    else:
        role = "published"
    return role, value


def date_from_url(url: str) -> date | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    groups = [g for g in match.groups() if g is not None]
    return _safe_date(*groups)


def htmldate_published(tree, url: str) -> date | None:
    """htmldate's original publication date of the page, unless it is a bare year."""
    found = None
    try:
        # Its markup and text rules first; the looser extensive search only when they say nothing.
        for extensive in (False, True):
            found = find_date(tree, url=url, original_date=True, extensive_search=extensive,
                              outputformat="%Y-%m-%d")
            if found:
                break
    except (ValueError, TypeError):  # htmldate refuses what it cannot parse
        return None
    value = parse_iso(found)
    if value is None or (value.month, value.day) == (1, 1):
        return None  # 1 January is htmldate's guess from a bare year (a copyright line)
    return value


def first_plausible(candidates: Iterable[tuple[str, date | None]], today: date
                    ) -> tuple[date | None, str | None]:
    """The first candidate that is plausible, with its source name."""
    for source, value in candidates:
        value = plausible(value, today)
        if value is not None:
            return value, source
    return None, None


def confirmed(candidates: Iterable[tuple[str, date | None]], found: date,
              default: tuple[date | None, str | None]) -> tuple[date | None, str | None]:
    """``found`` (an independent reading, htmldate's) with the source of the first of our
    ``candidates`` that agrees with it; ``default`` when none does: a date of ours that no one
    confirms is still better than a date none of our sources shows."""
    for source, value in candidates:
        if value == found:
            return value, source
    return default


def _safe_date(year: str | int, month: str | int, day: str | int) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
