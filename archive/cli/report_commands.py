"""The archive as a whole: ``export``, ``coverage``, ``stats``, ``sources`` and ``changes``."""

from __future__ import annotations

import csv
import sys

import click

from archive.cli.base import (
    UserError,
    archive_command,
    cli,
    echo_csv,
    echo_json,
    filter_options,
    filters_from,
    shown,
    warc_dir_option,
)
from archive.storage.database import Database
from archive.storage.kinds import KINDS


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite", "wacz",
                                                    "cdxj"]), default="jsonl")
@filter_options
@click.option("--revisions", is_flag=True,
              help="One row per revision (with its change and diff) instead of per article.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (default: standard output; required for parquet, sqlite, "
                   "wacz).")
@warc_dir_option
@archive_command
def export(db: Database, fmt: str, lang, tag, since, until, kind, revisions: bool,
           output: str | None, warc_dir: str | None = None) -> None:
    """Export articles (current revision, every known URL) or, with --revisions, every
    revision, as JSON Lines, CSV or Parquet; or the whole archive as an SQLite file; or the
    WARC captures as a WACZ package or their CDXJ index (--since/--until: captured then)."""
    from archive.cli.progress import TerminalProgress, stderr_is_terminal
    from archive.read import exports
    from archive.read.queries import count_articles, iter_export, iter_revision_export

    if fmt in ("wacz", "cdxj"):
        if revisions or lang or tag or kind:
            raise UserError(f"--format {fmt} exports captures: only --since and --until apply")
        _export_captures(db, fmt, since, until, output, warc_dir)
        return
    if fmt == "sqlite":
        from archive.read.snapshot import write_snapshot

        if not output:
            raise UserError("sqlite needs --output FILE")
        if revisions or any((lang, tag, since, until, kind)):
            raise UserError("--format sqlite copies the whole archive: no filters, no "
                            "--revisions")
        counts = write_snapshot(db, output)
        click.echo(f"exported {counts['articles']} articles, {counts['revisions']} revisions "
                   f"to {output}", err=True)
        return
    filters = filters_from(lang, tag, since, until, kind, db=db)
    if fmt == "parquet" and not output:
        raise UserError("parquet needs --output FILE")
    columns = exports.REVISION_COLUMNS if revisions else exports.EXPORT_COLUMNS
    # A live display only when the rows do not go to the same terminal.
    shown = stderr_is_terminal() and bool(output or not sys.stdout.isatty())
    total = count_articles(db, filters) if shown and not revisions else None
    with TerminalProgress("exporting", total=total, unit="rows", enabled=shown) as progress:
        rows = progress.track(iter_revision_export(db, filters) if revisions
                              else iter_export(db, filters))
        if fmt == "parquet":
            count = exports.write_parquet(rows, output, exports.REVISION_SCHEMA if revisions
                                          else exports.ARTICLE_SCHEMA)
        else:
            writer = exports.write_jsonl if fmt == "jsonl" else exports.write_csv
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = writer(rows, out, columns)
            else:
                count = writer(rows, sys.stdout, columns)
    if output:
        click.echo(f"exported {count} {'revisions' if revisions else 'articles'} to {output}",
                   err=True)


def _export_captures(db: Database, fmt: str, since: str | None, until: str | None,
                     output: str | None, warc_dir: str | None) -> None:
    """``export --format wacz|cdxj``: the WARC captures (of a period) as a WACZ package, or
    their CDXJ index."""
    from archive.webarchive.cdxj import Period, export_cdxj
    from archive.webarchive.warc import warc_dir_for

    period, folder = Period.parse(since, until), warc_dir_for(db, warc_dir)
    if fmt == "cdxj":
        if output:
            with open(output, "w", encoding="utf-8") as out:
                count = export_cdxj(db, folder, out, period)
            click.echo(f"exported {count} index lines to {output}", err=True)
        else:
            export_cdxj(db, folder, sys.stdout, period)
        return
    from archive.webarchive.wacz import write_wacz

    if not output:
        raise UserError("wacz needs --output FILE")
    done = write_wacz(db, folder, output, period)
    click.echo(f"exported {done.records} captures ({done.warc_files} WARC files), "
               f"{done.pages} pages to {output}", err=True)


@cli.command()
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["archived", "refused", "gone", "not-article", "never-fetched"]),
              help="Only URLs with this status (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@archive_command
def coverage(db: Database, statuses: tuple[str, ...], fmt: str) -> None:
    """The URLs the portal's sitemaps, feeds and pages name, against what the archive holds:
    archived, refused (with the last reason), gone, not an article, never fetched; and how
    many sources the articles cite are captured, refused, failed, gone."""
    from archive.read.coverage import COLUMNS, source_summary, summary
    from archive.read.coverage import coverage as coverage_rows

    named = coverage_rows(db)
    # The summary counts every URL named; --status only chooses the rows listed.
    rows = [row for row in named if not statuses or row["status"] in statuses]
    sources = source_summary(db)
    if fmt == "json":
        echo_json({"summary": summary(named), "urls": rows, "sources": sources})
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            click.echo(f"{row['status']:<13} {row['reason'] or '-':<16} {row['url']}")
        counts = summary(named)
        if sources["cited"]:  # before the summary, which stays the last line
            click.echo(_source_line(sources))
        click.echo(f"{counts.pop('named')} URLs named: "
                   + ", ".join(f"{status} {n}" for status, n in counts.items()))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@archive_command
def stats(db: Database, fmt: str) -> None:
    """Articles by language, section, kind, tag and month; revisions; removals; the last crawls."""
    from archive.read.queries import stats as archive_stats
    from archive.webarchive.warc import warc_dir_for

    data = archive_stats(db)
    data["archive"] = db.archive_id
    data["warc_dir"] = str(warc_dir_for(db).resolve())
    if fmt == "json":
        echo_json(data)
        return
    click.echo(f"articles {data['articles']}  removed {data['removed']}  "
               f"revisions {data['revisions']}  urls {data['urls']}")
    click.echo(f"archive {data['archive']}, captures in {data['warc_dir']}")
    for key, field in (("by_language", "language"), ("by_section", "section"),
                       ("by_kind", "kind"), ("by_tag", "tag"), ("by_month", "month")):
        items = ", ".join(f"{shown(group[field])} {group['articles']}" for group in data[key])
        click.echo(f"{key.replace('_', ' ')}: {items or '-'}")
    click.echo(_source_line(data["sources"]))
    captures = ", ".join(f"{c['month']} {c['origin']} {c['captures']}"
                         for c in data["captures_by_month"])
    click.echo(f"captures by month: {captures or '-'}")
    for run in data["last_runs"]:
        run = {k: shown(v) for k, v in run.items()}
        when = (f"{run['finished_at']} (started {run['started_at']})"
                if run["finished_at"] != "(none)" else f"since {run['started_at']}")
        kind = "" if run["kind"] == "crawl" else f" ({run['kind']})"
        click.echo(f"run {run['id']}{kind}: {run['status']} {when} new {run['new']} "
                   f"revised {run['revised']} unchanged {run['unchanged']} removed "
                   f"{run['removed']} failed {run['failed']} pages {run['pages']}")


def _source_line(counts: dict[str, int]) -> str:
    """``sources cited 12: captured 9, refused 1, failed 1, gone 1``."""
    return (f"sources cited {counts['cited']}: "
            + ", ".join(f"{key} {counts[key]}" for key in counts if key != "cited"))


@cli.command()
@click.option("--gone", is_flag=True, help="Only the sources that are gone.")
@click.option("--host", metavar="HOST", help="Only the sources on this host (www. ignored).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@archive_command
def sources(db: Database, gone: bool, host: str | None, fmt: str) -> None:
    """The pages and documents the articles cite (one hop out), each with its state
    (captured, pending, refused, failed, gone), its latest check and the citing articles."""
    from archive.sources.read import LIST_KEYS, list_sources, source_state

    rows = list_sources(db, gone=True if gone else None, host=host)
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        echo_csv(rows, LIST_KEYS)
    else:
        for row in rows:
            state = source_state(row)
            when = (f"since {row['gone_since']}" if row["gone"]
                    else (row["last_checked"] or "never checked")[:10])
            cited = ",".join(map(str, row["cited_by"])) or "-"
            click.echo(f"{state:<8} {row['reason'] or '-':<16} {row['kind']:<8} {when:<16} "
                       f"cited by {cited:<8} {row['url']}")
        click.echo(f"{len(rows)} source{'s' if len(rows) != 1 else ''}", err=True)


@cli.command()
@click.option("--since", metavar="YYYY-MM-DD", help="Changes seen (fetched) on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Changes seen on or before.")
@click.option("--what", "what", multiple=True,
              type=click.Choice(["title", "numbers", "date", "tags", "text"]),
              help="Only revisions that changed this (repeat for any of several): the title, "
                   "a figure in the text, the published or modified date, the tags, the text.")
@click.option("--min-words", type=click.IntRange(min=0), default=0, show_default=True,
              help="Only revisions adding and removing at least N words together.")
@click.option("--significance", "significance", multiple=True,
              type=click.Choice(["minor", "edit", "rewrite", "headline"]),
              help="Only revisions of this significance (repeat for several).")
@click.option("--lang", help="Only articles in this language (no matches nb, nn).")
@click.option("--kind", type=click.Choice(KINDS), help="Only pages of this kind.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N, newest.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text")
@archive_command
def changes(db: Database, since, until, what, min_words, significance, lang, kind, limit,
            fmt: str) -> None:
    """Revisions that changed an article, newest first, each with what it changed (fields,
    words added and removed, share of the text, figures) and its significance: minor, edit,
    rewrite or headline. An article's first version is not a change."""
    from archive.read.changes import CHANGE_COLUMNS, ChangeFilter, describe_record, list_changes
    from archive.storage.database import ArchiveError

    try:
        chosen = ChangeFilter.parse(what, significance, min_words, since, until)
    except ArchiveError as error:
        raise UserError(f"--{error}") from None
    rows = list_changes(db, chosen, filters_from(lang, None, None, None, kind, db=db), limit)
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        echo_csv(rows, CHANGE_COLUMNS, ",".join)
    else:
        for row in rows:
            click.echo(f"{row['fetched_at']}  {row['article_id']} revision {row['number']}  "
                       f"[{row['language']}] {describe_record(row)}  {row['title']}")
        click.echo(f"{len(rows)} change{'s' if len(rows) != 1 else ''}", err=True)
