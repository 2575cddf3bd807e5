"""The ``nordarchive`` command line: a thin click layer over the archive's library functions,
one module per group of commands. The crawler adds its own commands (``crawl``, ``extract``,
``reextract``) in ``crawler/commands.py``, so that this package never imports Scrapy."""

from archive.cli import (  # noqa: F401 - each registers its commands on ``cli``
    article_commands,
    db_commands,
    report_commands,
    search_commands,
    serve_command,
)
from archive.cli.base import UserError, cli, db_option, echo_error, warc_dir_option

__all__ = ["UserError", "cli", "db_option", "echo_error", "warc_dir_option"]
