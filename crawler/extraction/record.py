"""The article record that ``extract()`` returns, and the error it raises."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class ExtractionError(ValueError):
    """The page cannot give an article record; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ExtractedArticle:
    """One extracted page. Dates are calendar days in the publisher's time zone; ``*_source``
    says where each came from; ``*_at`` keeps the moment (UTC) where the page gave a time."""

    url: str
    canonical_url: str
    title: str
    text: str
    language: str
    language_confidence: float
    published: date | None
    modified: date | None
    published_source: str | None
    modified_source: str | None
    tags: tuple[str, ...]
    section: str | None
    translations: dict[str, str] = field(default_factory=dict)
    #: What the article's own text links to off the portal, and documents anywhere: the
    #: sources the crawler captures one hop out (``crawler/extraction/links.py``).
    sources: tuple[str, ...] = ()
    is_article: bool = True
    #: ``news``, ``publication``, ``fact``, ``example``, ``event``, ``theme`` or ``page``
    #: (``archive.storage.kinds``); meaningful for an archived page (``is_article``).
    kind: str = "news"
    extractor_version: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dates as ``YYYY-MM-DD``, tags as a list."""
        data = dataclasses.asdict(self)
        for key in ("published", "modified", "published_at", "modified_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["tags"] = list(self.tags)
        data["sources"] = list(self.sources)
        return data
