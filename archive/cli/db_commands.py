"""``nordarchive db …`` (schema and kept counts) and ``nordarchive verify``."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from archive.cli.base import (
    EXIT_ERROR,
    UserError,
    archive_command,
    cli,
    db_option,
    warc_dir_option,
)
from archive.storage.database import (
    ArchiveError,
    Database,
    current_revision,
    database_url,
    error_line,
    head_revision,
    make_engine,
    upgrade,
)

# --- db ----------------------------------------------------------------------------------------

@cli.group()
def db() -> None:
    """Schema migrations (applied automatically on first use)."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Bring the archive's schema up to this version."""
    from archive.storage.database import database_url, make_engine
    engine = make_engine(database_url(db_url))
    try:
        before, after = upgrade(engine)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    except SQLAlchemyError as error:
        raise UserError(f"cannot open the archive: {error_line(error)}") from None
    finally:
        engine.dispose()
    click.echo(f"schema {before or 'empty'} -> {after}")


@db.command("current")
@db_option
def db_current(db_url: str | None) -> None:
    """Print the archive's schema revision and this version's newest (and, on PostgreSQL, a
    note when the server's shared buffers cannot hold what every search reads)."""
    from archive.search.server_memory import search_memory_advice
    from archive.storage.database import no_archive_message, refuse_missing_file

    url = database_url(db_url)
    try:
        refuse_missing_file(url)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    engine = make_engine(url)
    try:
        current = current_revision(engine)
        with engine.connect() as conn:
            note = search_memory_advice(conn) if current else None
    except SQLAlchemyError as error:
        raise UserError(f"cannot open the archive: {error_line(error)}") from None
    finally:
        engine.dispose()
    if current is None:
        raise UserError(no_archive_message(engine.url.render_as_string(hide_password=True)))
    click.echo(f"current {current or 'empty'} (head {head_revision()})")
    if note:
        click.echo(f"note: {note}")


@db.command("count-terms")
@click.option("--at-least", type=click.IntRange(min=1), default=None,
              help="Keep the counts of terms matching at least this many articles "
                   "(default 20,000).")
@click.option("--again", is_flag=True, help="Forget every kept count first and count anew.")
@archive_command
def db_count_terms(db: Database, at_least: int | None, again: bool) -> None:
    """Keep monthly counts of the archive's common search terms, so that trend and the search
    page count a common word at once (a crawl keeps new ones by itself)."""
    from archive.cli.progress import TerminalProgress
    from archive.search import term_counts

    dropped = term_counts.drop_all(db) if again else 0
    with TerminalProgress("counting terms", unit="terms") as progress:
        kept = term_counts.keep_common(db, at_least=at_least,
                                       progress=progress.of)
    total = term_counts.kept_total(db)
    again_note = f" ({dropped} forgotten first)" if again else ""
    click.echo(f"kept the counts of {len(kept)} more common terms{again_note}; "
               f"{total} kept in all")


@cli.command()
@warc_dir_option
@archive_command
def verify(db: Database, warc_dir: str | None) -> None:
    """Check every revision's capture and every WARC file; report what is missing or wrong."""
    from archive.webarchive.captures import verify as verify_captures
    from archive.webarchive.warc import warc_dir_for

    folder = warc_dir_for(db, warc_dir)
    report = verify_captures(db, folder)
    for line in report.problems:
        click.echo(f"problem: {line}")
    for line in report.orphans:
        click.echo(f"orphan: {line}")
    others = (f", {report.other_archives_files} files of other archives left alone"
              if report.other_archives_files else "")
    click.echo(f"verified {report.captures_checked} captures ({report.revisions_checked} "
               f"revisions), {report.files_checked} WARC files ({report.records_read} records) "
               f"of archive {db.archive_id} in {folder}: {len(report.problems)} problems, "
               f"{len(report.orphans)} orphans{others}")
    from archive.search import term_counts

    wrong = term_counts.check(db)
    for key in wrong:
        click.echo(f"problem: the kept counts of {key!r} differ from the search index (run "
                   "nordarchive db count-terms --again)")
    if not report.ok or wrong:
        sys.exit(EXIT_ERROR)
