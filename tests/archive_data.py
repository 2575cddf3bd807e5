"""Records and fetches for archive tests, made from the replica's stories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from archive.ingest.records import Fetch, Record
from tests.replica.content import Story

BASE = "https://nordicwelfare.org/integration-norden/"
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def url_of(story: Story) -> str:
    return f"{BASE}nyheter/{story.slug}/"


def record_of(story: Story, **changes) -> Record:
    record = Record(canonical_url=url_of(story), title=story.title,
                    text="\n\n".join(story.paragraphs), language=story.lang,
                    published=story.published, modified=story.modified, tags=story.tags,
                    section="nyheter", extractor_version="test-1")
    return replace(record, **changes)


def fetch_of(url: str, minutes: int = 0, **changes) -> Fetch:
    return replace(Fetch(url=url, fetched_at=T0 + timedelta(minutes=minutes)), **changes)
