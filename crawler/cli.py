"""Crawler commands added to the archive's CLI: ``extract`` (and ``crawl``)."""

from __future__ import annotations

import json
import sys

import click

from archive.cli import UserError, cli


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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
