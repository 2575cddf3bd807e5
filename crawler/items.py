"""What the spider hands the pipeline: one kind of item per thing that happened to a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.ingest.records import Fetch
from archive.sources.store import SourceFetch

__all__ = ["ArticlePage", "FailedPage", "GonePage", "ListedUrls", "NotModifiedPage",
           "RetiredPage", "SourceChecked", "SourceRefused"]


@dataclass
class ArticlePage:
    """An article page was fetched and extracted."""

    record: dict[str, Any]
    fetch: Fetch


@dataclass
class GonePage:
    """A 404/410 answer (the article, if archived, is marked removed)."""

    fetch: Fetch


@dataclass
class RetiredPage:
    """An archived article's URL served no article: a redirect to a listing or the home page,
    a soft 404, a redirect out of scope. ``status`` is what the article's URL answered."""

    fetch: Fetch
    page_kind: str
    status: int


@dataclass
class NotModifiedPage:
    """A 304 answer to a conditional request."""

    fetch: Fetch


@dataclass
class FailedPage:
    """A page that could not be archived, and why."""

    url: str
    reason: str
    message: str


@dataclass
class ListedUrls:
    """URLs a sitemap, feed or page names (``source``), for the archive's coverage report."""

    urls: list[str]
    source: str
    found_on: str


@dataclass
class SourceChecked:
    """A source (a page or document an article cites) answered, or failed to."""

    fetch: SourceFetch


@dataclass
class SourceRefused:
    """A source the crawl would not fetch (robots.txt, size, address), and why."""

    url: str
    reason: str
    message: str
