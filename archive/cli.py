"""The ``nordarchive`` command line: a thin click layer over the archive's library functions.

The crawler adds its own commands (``extract``, ``crawl``) in ``crawler/cli.py``, so that this
package never imports Scrapy.
"""

from __future__ import annotations

import click

#: Exit codes, documented in the README.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class UserError(click.ClickException):
    """A one-line error for the user; exit code 1."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:  # one line, no traceback, on stderr
        click.echo(f"nordarchive: error: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nordarchive")
def cli() -> None:
    """Keep a faithful, queryable archive of the Nordic integration-news portal."""
