"""``nordarchive import`` and ``nordarchive backfill``: history before the first crawl.

Only click and the archive's CLI are imported here: every ``nordarchive`` command loads this
module, and the backfill's own modules (extraction, the web-archive client) load when used."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from archive.cli import UserError, cli, db_option, echo_error, warc_dir_option
from archive.storage.database import ArchiveError

if TYPE_CHECKING:
    from crawler.backfill.runs import RunResult

_start_url_option = click.option(
    "--start-url", "start_urls", multiple=True, metavar="URL",
    help="The crawl's scope: its host and path prefix (repeatable; default the portal).")
_progress_option = click.option(
    "--quiet/--progress", default=None,
    help="Only the summary (default when not on a terminal) or a progress bar.")


def _finish(result: RunResult) -> None:
    if result.run_id:
        click.echo(result.summary)
    if result.status in ("failed", "interrupted") and result.message:
        echo_error(f"run {result.run_id} {result.status}: {result.message}")
    sys.exit(result.exit_code)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_start_url_option
@db_option
@warc_dir_option
@_progress_option
def import_command(files, start_urls, db_url, warc_dir, quiet) -> None:
    """Take WARC, WARC.gz and WACZ files (any tool's) into the archive's history: each page
    placed by its capture time, as a crawl would have stored it then."""
    from crawler.backfill.importing import import_files

    try:
        result = import_files(db_url, files, start_urls, warc_dir=warc_dir,
                              progress=None if quiet is None else not quiet)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    _finish(result)


@cli.command("backfill")
@click.option("--from", "archive_spec", default="wayback", show_default=True,
              metavar="ARCHIVE",
              help="wayback (the Internet Archive), commoncrawl, or the base URL of a Wayback "
                   "CDX server or pywb collection (http://host:port/COLL/).")
@_start_url_option
@click.option("--since", metavar="YYYY-MM-DD", help="Only captures on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only captures on or before this day.")
@click.option("--max-captures", type=click.IntRange(min=1), default=None,
              help="Stop after this many captures (run again to go on).")
@click.option("--cdx-interval", type=click.FloatRange(min=0), default=2.5, show_default=True,
              metavar="SECONDS", help="Least time between two index requests to one archive.")
@click.option("--fetch-interval", type=click.FloatRange(min=0), default=0.25,
              show_default=True, metavar="SECONDS",
              help="Least time between two memento fetches from one archive.")
@db_option
@warc_dir_option
@_progress_option
def backfill_command(archive_spec, start_urls, since, until, max_captures, cdx_interval,
                     fetch_interval, db_url, warc_dir, quiet) -> None:
    """The portal's history from a web archive: every capture in the crawl's scope fetched
    once and placed in each article's history by its capture time. Polite (429/503 and
    Retry-After honoured), resumable (a second run adds nothing)."""
    from archive.search.filters import parse_day
    from crawler.backfill.backfilling import backfill

    try:
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        result = backfill(db_url, archive_spec, start_urls, since=first, until=last,
                          max_captures=max_captures, warc_dir=warc_dir,
                          progress=None if quiet is None else not quiet,
                          cdx_interval=cdx_interval, fetch_interval=fetch_interval)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    _finish(result)
