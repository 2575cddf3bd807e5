"""``nordarchive backfill``: the portal's history from a web archive.

Every capture the archive's index lists under the crawl's scope (its start URLs' host and
first path segment) is fetched once, as the archive holds it (``id_``: the original bytes),
and taken in as an observation (``crawler.backfill.observe``): copied into the archive's own
WARC files with its original time and memento URI, read by the same extraction, placed in the
article's history by its time. A capture whose memento the archive holds already is never
fetched again, so a killed backfill resumes where it stopped and a second one adds nothing.
Politeness (pacing, ``Retry-After``, stopping after repeated 429s) is the client's
(``crawler.backfill.archives``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from itertools import islice
from urllib.parse import urlsplit, urlunsplit

from archive.cli.progress import TerminalProgress
from archive.storage.database import ArchiveError, Database
from archive.storage.urls import normalize_url
from archive.webarchive.warc import warc_dir_for
from crawler import settings as defaults
from crawler.backfill.archives import (
    Archive,
    ArchiveSourceError,
    CaptureUnavailable,
    open_archive,
)
from crawler.backfill.cdx import Capture
from crawler.backfill.observe import Observation, Observer, Tally
from crawler.backfill.runs import RunResult, run_locked
from crawler.scope import Scope


def prefixes(start_urls: Sequence[str]) -> list[str]:
    """The URL prefixes an archive is asked for: each start URL's host and first path segment
    (the crawl's scope), once."""
    found: list[str] = []
    for url in start_urls:
        parts = urlsplit(url)
        segment = parts.path.strip("/").split("/", 1)[0]
        prefix = urlunsplit((parts.scheme, parts.netloc, f"/{segment}/" if segment else "/",
                             "", ""))
        if not any(prefix.startswith(p) for p in found):
            found = [p for p in found if not p.startswith(prefix)] + [prefix]
    return found


def backfill(db_url: str | None, archive_spec: str = "wayback",
             start_urls: Sequence[str] | None = None, *, since: date | None = None,
             until: date | None = None, max_captures: int | None = None,
             warc_dir: str | None = None, progress: bool | None = None, workers: int = 4,
             **client: object) -> RunResult:
    """One backfill, start to summary (``client``: options of ``open_archive``, e.g. the
    pacing). Mementos are fetched by ``workers`` threads ahead of the one being stored (the
    archive's pacing holds for all of them together); they are stored in the index's order.
    Raises ``ArchiveError`` for an archive that cannot be opened."""
    starts = list(start_urls or defaults.NORDARCHIVE_START_URLS)
    scope = Scope.from_start_urls(starts)
    try:
        archive = open_archive(archive_spec, **client)
    except ArchiveSourceError as error:
        raise ArchiveError(str(error)) from None

    def work(db: Database, run_id: int, tally: Tally) -> str | None:
        folder = warc_dir_for(db, warc_dir)
        with archive, Observer(db, folder, run_id, scope, tally) as observer, \
                TerminalProgress(f"backfill from {archive_spec}", unit="captures",
                                 enabled=progress) as shown:
            follow = _follower(archive, observer)
            try:
                wanted = (capture for prefix in prefixes(starts)
                          for capture, _token in archive.captures(prefix, since=since,
                                                                  until=until)
                          if not observer.passed_over(capture.url, capture.memento_uri))
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    waiting: deque = deque()  # (capture, its memento being fetched)
                    for capture in islice(wanted, max_captures):
                        waiting.append((capture, pool.submit(_observation, archive, capture)))
                        if len(waiting) > 2 * workers:
                            _take(observer, *waiting.popleft(), follow)
                            shown.advance()
                    while waiting:
                        _take(observer, *waiting.popleft(), follow)
                        shown.advance()
            except ArchiveSourceError as error:
                return str(error)
        return None

    return run_locked(db_url, "backfill", [archive_spec, *starts], work)


def _observation(archive: Archive, capture: Capture) -> Observation | None:
    """The capture as the archive serves it, or None: unavailable, or not what the index said
    (a payload of another digest that declares itself another page: never stored under this
    URL, where it would merge two articles)."""
    try:
        memento = archive.fetch(capture)
    except CaptureUnavailable:
        return None
    if memento.digest_matches is False and _another_page(memento.body, capture.url):
        return None
    return Observation(url=capture.url, status=memento.status,
                       captured_at=capture.captured_at, headers=tuple(memento.headers),
                       body=memento.body, origin=_origin(archive, capture),
                       source=capture.memento_uri)


def _take(observer: Observer, capture: Capture, fetching: Future, follow) -> None:
    seen = fetching.result()  # an ArchiveSourceError (rate limited ...) is raised here
    if seen is None:
        observer.tally.counts["refused"] += 1
        return
    observer.take(seen, follow, asked=True)


def _origin(archive: Archive, capture: Capture) -> str:
    """The archive's name as revisions and captures keep it: ``wayback``, ``commoncrawl``, or
    the host of another archive's address."""
    name = capture.archive or getattr(archive, "name", "")
    if "://" in name:
        name = urlsplit(name).netloc
    return name[:100] or "archive"


def _follower(archive: Archive, observer: Observer):
    """A captured redirect's target: the archive's capture of that URL nearest in time."""
    def follow(url: str, at: datetime) -> Observation | None:
        key = normalize_url(url)
        try:
            found = [c for c, _token in archive.captures(url)
                     if normalize_url(c.url) == key and c.status == 200]
        except ArchiveSourceError:
            return None
        if not found:
            return None
        nearest = min(found, key=lambda c: abs((c.captured_at - at).total_seconds()))
        return _observation(archive, nearest)

    return follow


def _another_page(body: bytes, url: str) -> bool:
    """Whether an HTML page declares a URL of its own (canonical, og:url) that is not ``url``
    (the IA's digest of a payload often differs from the bytes it replays: a digest alone
    refuses nothing)."""
    from crawler.extraction import ExtractionError, own_url, parse_html

    try:
        declared = own_url.declared_urls(parse_html(body), url)
    except ExtractionError:
        return False
    return bool(declared) and normalize_url(declared[0]) != normalize_url(url)
