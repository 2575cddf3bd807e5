"""Re-extraction: run the current extractor over stored captures, with no network. Where its
reading differs from the stored revision, a revision of origin ``extractor`` is added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from w3lib.encoding import html_to_unicode

from archive.captures import read_capture
from archive.db import ArchiveError, Database
from archive.diffs import compare
from archive.ingest import Record, add_extractor_revision
from archive.queries import Filters, iter_export, revision_of
from crawler.extraction import ExtractionError, extract


@dataclass
class ReextractReport:
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    no_capture: int = 0
    failed: list[str] = field(default_factory=list)
    sample_diff: str | None = None


def reextract(db: Database, warc_dir: Path, filters: Filters, *, dry_run: bool = False,
              extractor: Callable = extract, progress: Callable[[int], None] | None = None
              ) -> ReextractReport:
    report = ReextractReport()
    for row in iter_export(db, filters):
        report.examined += 1
        if progress:
            progress(report.examined)
        current = revision_of(db, str(row["id"]))
        if current["capture_id"] is None:
            report.no_capture += 1
            continue
        try:
            page = read_capture(db, current["capture_id"], warc_dir)
            _, text = html_to_unicode(page.content_type, page.body)
            article = extractor(text, page.url)
        except (ArchiveError, ExtractionError) as error:
            report.failed.append(f"article {row['id']}: {error}")
            continue
        record = Record.from_mapping(article.to_dict())
        old = Record.from_mapping({**current, "canonical_url": row["url"]}).content
        change = compare(old, record.content, f"revision {current['number']}",
                         "re-extracted")
        if change is None:
            report.unchanged += 1
            continue
        report.changed += 1
        if report.sample_diff is None:
            report.sample_diff = f"article {row['id']} ({row['url']}):\n{change.diff}"
        if not dry_run:
            add_extractor_revision(db, row["id"], record, current["capture_id"])
    return report

