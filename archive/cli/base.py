"""What every ``nordarchive`` command shares: the command group, the ``--db`` and filter options,
opening the archive, and the one way an error reaches the user (``nordarchive: error: …`` on
standard error, one line, exit 1; a usage error the same, exit 2)."""

from __future__ import annotations

import csv
import functools
import json
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from archive.search.index import QueryError
from archive.storage.database import ArchiveError, Database, error_line
from archive.storage.kinds import KINDS

#: Exit codes, documented in the operations manual.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def echo_error(message: str) -> None:
    """The one form of an error line."""
    click.echo(f"nordarchive: error: {message}", err=True)


class UserError(click.ClickException):
    """A one-line error for the user; exit code 1."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:  # one line, no traceback, on stderr
        echo_error(self.format_message())


class ArchiveGroup(click.Group):
    """click's group whose every error, a usage error too, is one ``nordarchive: error:`` line
    (click prints a usage block and ``Error:``); exit codes stay click's (usage 2, others 1)."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else "nordarchive"
            echo_error(f"{error.format_message()} (see {where} --help)")
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            echo_error("aborted")
            sys.exit(EXIT_ERROR)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nordarchive")
def cli() -> None:
    """Keep a faithful, queryable archive of the Nordic integration-news portal."""


db_option = click.option(
    "--db", "db_url", envvar="NORDARCHIVE_DB", default=None, metavar="URL",
    help="Archive database URL or SQLite file (env NORDARCHIVE_DB; default nordarchive.db).")


def archive_command(func):
    """Open the archive for the command; turn every archive problem into one line, exit 1."""

    @db_option
    @functools.wraps(func)
    def wrapper(*args, db_url: str | None = None, **kwargs):
        try:
            with Database(db_url, create=False) as db:  # only crawl and db upgrade create
                _warn_if_never_filled(db)
                return func(db, *args, **kwargs)
        except (ArchiveError, QueryError) as error:
            raise UserError(str(error)) from None
        except SQLAlchemyError as error:
            raise UserError(f"database error: {error_line(error)}") from None

    return wrapper


def _warn_if_never_filled(db: Database) -> None:
    """An archive no crawl, backfill or import has filled answers every question with
    nothing: say so on standard error (the answer itself goes on)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM articles LIMIT 1")):  # (a count reads them all)
            return
        last = conn.execute(text("SELECT kind, status, started_at FROM crawl_runs "
                                 "ORDER BY id DESC LIMIT 1")).first()
        if conn.scalar(text("SELECT 1 FROM crawl_runs WHERE status = 'finished' LIMIT 1")):
            return
    said = (f"; the last {last.kind} ended {last.status}" if last is not None
            else "; nothing has been crawled into it")
    click.echo(f"nordarchive: warning: this archive is empty{said}", err=True)


def filters_from(lang, tag, since, until, kind=None, *, db: Database | None = None):
    """The command's filters, checked (a day that is no date, a language the archive never
    stored: one error line)."""
    from archive.search.filters import Filters, check_language, parse_day

    if db is not None and lang:
        with db.engine.connect() as conn:
            check_language(conn, lang)
    return Filters(language=lang, tag=tag, since=parse_day(since, "--since"),
                   until=parse_day(until, "--until"), kind=kind)


def filter_options(func):
    for option in reversed([
        click.option("--lang", help="Only articles in this language: sv, en, fi, da, is, nb "
                     "(Bokmål), nn (Nynorsk); no matches nb, nn and unsure Norwegian."),
        click.option("--tag", help="Only articles with this tag (case-insensitive)."),
        click.option("--since", metavar="YYYY-MM-DD", help="Published on or after."),
        click.option("--until", metavar="YYYY-MM-DD", help="Published on or before."),
        click.option("--kind", type=click.Choice(KINDS),
                     help="Only pages of this kind (news, publication, fact, example, event, "
                          "theme, page)."),
    ]):
        func = option(func)
    return func


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_csv(rows, columns, list_cell=json.dumps) -> None:
    """Rows as CSV on standard output: an empty cell for null, a list as ``list_cell`` writes
    it (a JSON array by default, so it survives commas)."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([list_cell(row[k]) if isinstance(row[k], list)
                         else ("" if row[k] is None else row[k]) for k in columns])


warc_dir_option = click.option(
    "--warc-dir", type=click.Path(file_okay=False), default=None,
    help="Folder of the WARC captures (default: beside an SQLite archive, <name>-warc/; "
         "for PostgreSQL the archive's folder in the user's data directory).")


def shown(value) -> str:
    """A value for a person: never Python's "None"."""
    return "(none)" if value is None else str(value)
