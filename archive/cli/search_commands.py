"""Questions across the archive: ``search`` and ``trend``."""

from __future__ import annotations

import csv
import json
import sys

import click

from archive.cli.base import (
    UserError,
    archive_command,
    cli,
    echo_json,
    filter_options,
    filters_from,
)
from archive.read.trend import SPLITS
from archive.storage.database import Database


@cli.command()
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=20)
@click.option("--order", type=click.Choice(["rank", "date"]), default="rank",
              help="Best matches first (default) or newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--in", "where", type=click.Choice(["articles", "sources"]), default="articles",
              help="Search the articles (default) or the text of the sources they cite "
                   "(the filters then apply to the citing articles).")
@archive_command
def search(db: Database, query: str, lang, tag, since, until, kind, limit: int, order: str,
           fmt: str, where: str) -> None:
    """Full-text search of the current text of every article, ranked, with a snippet."""
    from archive.read.queries import run_search

    filters = filters_from(lang, tag, since, until, kind, db=db)
    if where == "sources":
        _search_sources(db, query, filters, limit, order, fmt)
        return
    rows = run_search(db, query, filters, limit, order)
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["id", "rank", "title", "language",
                                                        "kind", "published", "url",
                                                        "snippet"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            click.echo(f"{row['id']:>6}  {row['published'] or '----------'}  {row['language']:<3}"
                       f" {row['title']}\n        {row['snippet']}")
        click.echo(f"{len(rows)} result{'s' if len(rows) != 1 else ''}", err=True)


def _search_sources(db: Database, query: str, filters, limit: int, order: str,
                    fmt: str) -> None:
    from archive.sources.search import HIT_COLUMNS, search_sources

    if order != "rank":
        raise UserError("--in sources: sources are ranked by relevance only (no --order date)")
    rows = search_sources(db, query, filters, limit)
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(HIT_COLUMNS))
        writer.writeheader()
        writer.writerows({**row, "cited_by": json.dumps(row["cited_by"], ensure_ascii=False)}
                         for row in rows)
    else:
        for row in rows:
            cited = "; ".join(f"{a['id']} {a['title']}" for a in row["cited_by"])
            click.echo(f"{row['source_id']:>6}  {row['kind']:<8} {row['title'] or row['url']}"
                       f"{'  (gone)' if row['gone'] else ''}\n        {row['url']}\n"
                       f"        {row['snippet']}\n        cited by: {cited}")
        click.echo(f"{len(rows)} result{'s' if len(rows) != 1 else ''}", err=True)


@cli.command()
@click.argument("queries", nargs=-1, required=True, metavar="QUERY [QUERY…]")
@filter_options
@click.option("--by", type=click.Choice(["month", "week", "year"]), default="month",
              help="Length of a period (weeks are ISO weeks).")
@click.option("--split", type=click.Choice(list(SPLITS)), default=None,
              help="One count per language or per tag in each period.")
@click.option("--normalise", "--normalize", "normalise", is_flag=True,
              help="Add all articles of each period (same filters) and the matches' share.")
@click.option("--terms", is_flag=True,
              help="Instead: the tags and most distinctive words of each query's matches.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@archive_command
def trend(db: Database, queries: tuple[str, ...], by: str, split: str | None,
          normalise: bool, terms: bool, fmt: str, **filter_options) -> None:
    """How many articles match each QUERY per month (week, year), as `search` finds them:
    attention over time, several queries compared."""
    from archive.read import trend as trends

    filters = filters_from(**filter_options, db=db)  # whatever filters search has
    if terms:
        from archive.read.distinctive_terms import top_terms

        _echo_terms([top_terms(db, q, filters) for q in dict.fromkeys(queries)], fmt)
        return
    try:
        result = trends.trend(db, list(queries), filters, by=by, split=split,
                              normalise=normalise)
    except trends.TrendError as error:
        raise UserError(str(error)) from None
    columns = trends.columns(result)
    if fmt == "json":
        echo_json(result)
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result["rows"])
    else:
        click.echo("\t".join(columns))
        for row in result["rows"]:
            click.echo("\t".join(f"{row[c] * 100:.2f}%" if c == "share" else str(row[c])
                                  for c in columns))
    for query, total in result["totals"].items():
        click.echo(f"{total} article{'s' if total != 1 else ''} match {query!r}", err=True)


def _echo_terms(results: list[dict], fmt: str) -> None:
    if fmt == "json":
        echo_json(results)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["query", "kind", "language", "value", "articles", "score"])
        for result in results:
            for tag in result["tags"]:
                writer.writerow([result["query"], "tag", "", tag["tag"], tag["articles"], ""])
            for language, words in result["terms"].items():
                for word in words:
                    writer.writerow([result["query"], "term", language, word["term"],
                                     word["articles"], word["score"]])
    else:
        for result in results:
            click.echo(f"{result['query']}: {result['matches']} articles")
            click.echo("  tags: " + (", ".join(f"{t['tag']} {t['articles']}"
                                               for t in result["tags"]) or "-"))
            for language, words in result["terms"].items():
                click.echo(f"  {language}: " + ", ".join(w["term"] for w in words))
