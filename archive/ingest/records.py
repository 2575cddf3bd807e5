"""What the crawler hands the ingest: an extracted ``Record``, the ``Fetch`` it came from, and
the ``Outcome`` of storing it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from archive.storage.content import Content
from archive.storage.kinds import KINDS, kind_from_url
from archive.storage.models import Article, Revision, Translation
from archive.storage.times import as_utc, utcnow
from archive.storage.urls import normalize_url

ARTICLES = Article.__table__
REVISIONS = Revision.__table__
TRANSLATIONS = Translation.__table__


class Outcome(StrEnum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    ALIAS = "alias"
    REMOVED = "removed"
    RESTORED = "restored"
    UNKNOWN = "unknown"  # a 404 for a URL the archive never held
    SEEN = "seen"  # a removal of an article served elsewhere in this same run: refused


@dataclass(frozen=True)
class Fetch:
    """What the crawler knows of one HTTP exchange."""

    url: str
    status: int = 200
    final_url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=utcnow)
    #: URLs that answered 301/308 on the way to ``final_url``.
    redirects: tuple[str, ...] = ()
    #: The WARC capture of this response (``archive.webarchive.captures``), if one was written.
    capture_id: int | None = None
    #: Who observed it: ``site`` (our crawl), a web archive's name (a backfill) or ``import``.
    origin: str = "site"
    #: Where a web archive's observation came from: its memento URI, or ``file#record``.
    source: str | None = None

    @property
    def landed_url(self) -> str:
        return self.final_url or self.url

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Record:
    """The archive's view of an extracted article
    (``crawler.extraction.ExtractedArticle.to_dict()``).

    ``canonical_url`` is the portal's own URL for the article, as the page declares it
    (trailing slash kept): the archive shows it as the article's ``url`` and keys the article
    by its normal form (``archive.storage.urls.normalize_url``)."""

    canonical_url: str
    title: str
    text: str
    language: str
    published: date | None = None
    modified: date | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    translations: Mapping[str, str] = field(default_factory=dict)
    extractor_version: str = "unknown"
    #: ``archive.storage.kinds.KINDS``; "" (none given): decided from the URL.
    kind: str = ""
    #: The moments (UTC) behind ``published`` and ``modified``, where the page gave a time.
    published_at: datetime | None = None
    modified_at: datetime | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Record:
        def as_date(value: Any) -> date | None:
            if value is None or isinstance(value, date):
                return value
            return date.fromisoformat(str(value))

        return cls(
            canonical_url=data.get("canonical_url") or data["url"],
            title=data.get("title") or "",
            text=data.get("text") or "",
            language=data.get("language") or "und",
            published=as_date(data.get("published")),
            modified=as_date(data.get("modified")),
            tags=tuple(data.get("tags") or ()),
            section=data.get("section"),
            translations=dict(data.get("translations") or {}),
            extractor_version=data.get("extractor_version") or "unknown",
            kind=data.get("kind") or "",
            published_at=as_utc(data.get("published_at")),
            modified_at=as_utc(data.get("modified_at")),
        )

    @cached_property
    def content(self) -> Content:
        return Content(self.title, self.text, tuple(self.tags), self.published, self.modified)

    def fitted(self) -> Record:
        """The record with values its columns hold: PostgreSQL refuses a longer string, and one
        odd page must not stop a crawl (SQLite would take it, so both backends agree). A section
        or version label is shortened; a declared canonical URL too long to be a key gives way
        to the URL the page was served at; a translation link too long to keep is left out."""
        canonical = self.canonical_url if (
            fits(self.canonical_url, ARTICLES.c.url)
            and fits(normalize_url(self.canonical_url), ARTICLES.c.canonical_url)) else ""
        translations = {lang: url for lang, url in self.translations.items()
                        if fits(lang, TRANSLATIONS.c.language) and fits(url, TRANSLATIONS.c.url)}
        section = cut(self.section, ARTICLES.c.section)
        language = cut(self.language, ARTICLES.c.language)
        version = cut(self.extractor_version, REVISIONS.c.extractor_version)
        kind = self.kind if self.kind in KINDS else kind_from_url(self.canonical_url)
        if (canonical, translations, section, language, version, kind) == (
                self.canonical_url, dict(self.translations), self.section, self.language,
                self.extractor_version, self.kind):
            return self
        return dataclasses.replace(self, canonical_url=canonical, translations=translations,
                                   section=section, language=language,
                                   extractor_version=version, kind=kind)


def fits(value: str | None, column) -> bool:
    return value is None or len(value) <= column.type.length


def cut(value: str | None, column) -> str | None:
    return value if fits(value, column) else value[:column.type.length]


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    article_id: int | None
    revision: int | None = None
    #: False when this run had counted the article already (each run counts it once).
    counted: bool = True


