"""``nordarchive import FILE…``: WARC, WARC.gz and WACZ files of any tool into the history.

The files are checked whole before anything is written (a corrupt file changes nothing), then
their records are taken in the order of capture time, each as one observation
(``crawler.backfill.observe``), under the crawl lock and a run of kind ``import``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from archive.cli.progress import TerminalProgress
from archive.storage.database import ArchiveError, Database
from archive.storage.urls import normalize_url
from archive.webarchive.warc import warc_dir_for
from crawler import settings as defaults
from crawler.backfill.observe import Observation, Observer, Tally
from crawler.backfill.runs import RunResult, run_locked
from crawler.backfill.warc_files import Listing, WarcFileError, list_files, observations
from crawler.scope import Scope


def check_files(paths: Sequence[str]) -> Listing:
    """Every file read once, before the archive is touched; ``ArchiveError`` names the first
    one that is no readable WARC or WACZ."""
    try:
        return list_files([Path(p) for p in paths])
    except WarcFileError as error:
        raise ArchiveError(str(error)) from None


def import_files(db_url: str | None, paths: Sequence[str],
                 start_urls: Sequence[str] | None = None, *,
                 warc_dir: str | None = None, progress: bool | None = None) -> RunResult:
    listing = check_files(paths)
    starts = list(start_urls or defaults.NORDARCHIVE_START_URLS)
    scope = Scope.from_start_urls(starts)

    def work(db: Database, run_id: int, tally: Tally) -> str | None:
        folder = warc_dir_for(db, warc_dir)
        with Observer(db, folder, run_id, scope, tally) as observer, TerminalProgress(
                "importing", total=len(listing.entries), unit="records",
                enabled=progress) as shown:
            follow = _follower(listing)
            for found in observations(listing):
                if isinstance(found, Observation):
                    observer.take(found, follow)
                else:
                    tally.counts["refused"] += 1
                shown.advance()
        return None

    return run_locked(db_url, "import", [str(Path(p).resolve()) for p in paths], work)


def _follower(listing: Listing):
    """A redirect's target as these files hold it: the capture of that URL closest in time
    (the files' responses indexed by URL once, when the first redirect asks)."""
    by_url: dict[str, list] = {}

    def follow(url: str, at) -> Observation | None:
        if not by_url:
            for entry in listing.entries:
                if entry.kind == "response":
                    by_url.setdefault(normalize_url(entry.url), []).append(entry)
        candidates = by_url.get(normalize_url(url))
        if not candidates:
            return None
        nearest = min(candidates, key=lambda e: abs((e.date - at).total_seconds()))
        single = Listing(listing.paths, [nearest], listing.by_id, listing.by_uri_date,
                         listing.by_digest)
        found = next(observations(single), None)
        return found if isinstance(found, Observation) else None

    return follow
