"""Crawler commands added to the archive's CLI: ``extract`` (and ``crawl``)."""

from __future__ import annotations

import json
import sys

import click

from archive.cli import UserError, cli, db_option, echo_error, warc_dir_option


@cli.command("extract")
@click.argument("file", type=click.File("rb"))
@click.option("--url", default=None, help="The page's URL (default: file:// of FILE).")
def extract_command(file, url: str | None) -> None:
    """Extract the article from one saved HTML page and print it as JSON (FILE may be -)."""
    from crawler.extraction import ExtractionError, extract

    data = file.read()
    if url is None:
        url = "file:///dev/stdin" if file.name == "<stdin>" else f"file://{file.name}"
    try:
        article = extract(data, url)
    except ExtractionError as error:
        raise UserError(f"{file.name}: {error} ({error.reason})") from None
    json.dump(article.to_dict(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


@cli.command("crawl")
@click.option("--start-url", "start_urls", multiple=True, metavar="URL",
              help="Where to start (repeatable; replaces the portal's default start URLs). "
                   "The crawl stays on its host and under its path prefix.")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Stop after this many responses.")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Write the crawl log (INFO) to this file.")
@db_option
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0 (repeatable).")
@click.option("--quiet/--progress", default=None,
              help="Only warnings and the summary (default when not on a terminal, as under "
                   "cron) or a live progress display (default on a terminal).")
@click.option("-v", "--verbose", is_flag=True,
              help="Show the crawl's log (INFO) on standard error instead of the display.")
@click.option("--no-sources", is_flag=True,
              help="Fetch no source the articles cite (also NORDARCHIVE_SOURCES=0).")
def crawl_command(start_urls, max_pages, log_file, db_url, overrides, quiet, verbose,
                  no_sources) -> None:
    """Crawl the portal into the archive; one summary line, exit codes for cron."""
    from archive.storage.database import ArchiveError
    from crawler.crawl import crawl

    settings = {}
    for override in overrides:
        name, sep, value = override.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {override!r}",
                                     param_hint="--set")
        settings[name.strip()] = value
    if no_sources:
        settings["NORDARCHIVE_SOURCES"] = "0"
    try:
        result = crawl(db_url, list(start_urls) or None, max_pages=max_pages,
                       log_file=log_file, overrides=settings, quiet=quiet,
                       verbose=verbose)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    if result.status == "unreachable":
        for line in result.unreachable_lines() or ["no start URL answered"]:
            echo_error(line)
    if result.run_id:
        click.echo(result.summary)
    if result.status == "failed" and result.message:
        echo_error(f"crawl {result.run_id} failed: {result.message}")
    sys.exit(result.exit_code)


@cli.command("reextract")
@click.option("--lang", help="Only articles in this language.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only articles published on or after.")
@click.option("--dry-run", is_flag=True, help="Count and show a sample diff; write nothing.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Extraction processes (default: one per core).")
@warc_dir_option
@db_option
def reextract_command(lang, since, dry_run, workers, warc_dir, db_url) -> None:
    """Run the current extractor over stored captures (no network); changed readings become
    revisions of origin "extractor". Every revision's record of what changed is recomputed."""
    from archive.cli.progress import TerminalProgress, stderr_is_terminal
    from archive.read.queries import count_articles
    from archive.search.filters import Filters, parse_day
    from archive.storage.database import ArchiveError, Database
    from archive.webarchive.warc import warc_dir_for
    from crawler.reextract import reextract

    try:
        with Database(db_url, create=False) as db:
            filters = Filters(language=lang, since=parse_day(since, "--since"))
            total = count_articles(db, filters) if stderr_is_terminal() else None
            with TerminalProgress("re-extracting", total=total, unit="articles") as progress:
                report = reextract(db, warc_dir_for(db, warc_dir), filters,
                                   dry_run=dry_run, progress=progress,
                                   workers=workers)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    for line in report.failed:
        click.echo(f"not re-extracted: {line}", err=True)
    verb = "would change" if dry_run else "changed"
    click.echo(f"re-extracted {report.examined} articles: {verb} {report.changed}, unchanged "
               f"{report.unchanged}, without capture {report.no_capture}, failed "
               f"{len(report.failed)}"
               + (f"; change records refreshed {report.records}" if report.records else ""))
    if dry_run and report.sample_diff:
        click.echo(report.sample_diff)


def main() -> None:
    cli()


# History before the first crawl: ``import`` and ``backfill`` live with the backfill.
from crawler.backfill import commands as _backfill_commands  # noqa: E402,F401

if __name__ == "__main__":
    main()
