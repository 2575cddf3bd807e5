"""``nordarchive serve``: the web window."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from archive.cli.base import (
    UserError,
    cli,
    db_option,
    warc_dir_option,
)
from archive.search.index import QueryError
from archive.storage.database import ArchiveError, error_line


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default: only this machine).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the start page in a browser.")
@warc_dir_option
def serve(db_url: str | None, host: str, port: int, open_browser: bool,
          warc_dir: str | None) -> None:
    """Browse the archive: search, article histories with diffs, a change feed, charts, and
    Datasette's tables and SQL, read-only (PostgreSQL: a snapshot taken now)."""
    from archive.web.app import serve as run_server

    try:
        run_server(db_url, host, port, open_browser, warc_dir)
    except (ArchiveError, QueryError) as error:
        raise UserError(str(error)) from None
    except SQLAlchemyError as error:
        raise UserError(f"database error: {error_line(error)}") from None
