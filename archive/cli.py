"""The ``nordarchive`` command line: a thin click layer over the archive's library functions.

The crawler adds its own commands (``extract``, ``crawl``) in ``crawler/cli.py``, so that this
package never imports Scrapy.
"""

from __future__ import annotations

import csv
import functools
import json
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from archive.db import (
    ArchiveError,
    Database,
    current_revision,
    database_url,
    error_line,
    head_revision,
    make_engine,
    upgrade,
)
from archive.kinds import KINDS
from archive.search import QueryError
from archive.trend import SPLITS

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


# --- plumbing -------------------------------------------------------------------------------

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
                return func(db, *args, **kwargs)
        except (ArchiveError, QueryError) as error:
            raise UserError(str(error)) from None
        except SQLAlchemyError as error:
            raise UserError(f"database error: {error_line(error)}") from None

    return wrapper


def _filters(lang, tag, since, until, kind=None):
    from archive.queries import Filters, parse_day

    return Filters(language=lang, tag=tag, since=parse_day(since, "--since"),
                   until=parse_day(until, "--until"), kind=kind)


def _filter_options(func):
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


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# --- db ----------------------------------------------------------------------------------------

@cli.group()
def db() -> None:
    """Schema migrations (applied automatically on first use)."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Bring the archive's schema up to this version."""
    from archive.db import database_url, make_engine
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
    """Print the archive's schema revision and this version's newest."""
    from archive.db import no_archive_message, refuse_missing_file

    url = database_url(db_url)
    try:
        refuse_missing_file(url)
    except ArchiveError as error:
        raise UserError(str(error)) from None
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        raise UserError(f"cannot open the archive: {error_line(error)}") from None
    finally:
        engine.dispose()
    if current is None:
        raise UserError(no_archive_message(engine.url.render_as_string(hide_password=True)))
    click.echo(f"current {current or 'empty'} (head {head_revision()})")


@db.command("count-terms")
@click.option("--at-least", type=click.IntRange(min=1), default=None,
              help="Keep the counts of terms matching at least this many articles "
                   "(default 20,000).")
@click.option("--again", is_flag=True, help="Forget every kept count first and count anew.")
@archive_command
def db_count_terms(db: Database, at_least: int | None, again: bool) -> None:
    """Keep monthly counts of the archive's common search terms, so that trend and the search
    page count a common word at once (a crawl keeps new ones by itself)."""
    from archive import term_counts
    from archive.progress import TerminalProgress

    dropped = term_counts.drop_all(db) if again else 0
    with TerminalProgress("counting terms", unit="terms") as progress:
        kept = term_counts.keep_common(db, at_least=at_least,
                                       progress=progress.of)
    total = term_counts.kept_total(db)
    again_note = f" ({dropped} forgotten first)" if again else ""
    click.echo(f"kept the counts of {len(kept)} more common terms{again_note}; "
               f"{total} kept in all")


# --- reading -----------------------------------------------------------------------------------

warc_dir_option = click.option(
    "--warc-dir", type=click.Path(file_okay=False), default=None,
    help="Folder of the WARC captures (default: beside an SQLite archive, <name>-warc/; "
         "for PostgreSQL the archive's folder in the user's data directory).")


@cli.command()
@click.argument("ref")
@click.option("--revision", "number", type=click.IntRange(min=1), default=None,
              help="Show this revision (default: the current one).")
@click.option("--raw", is_flag=True, help="Print the captured HTML the revision came from.")
@warc_dir_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@archive_command
def show(db: Database, ref: str, number: int | None, raw: bool, warc_dir: str | None,
         fmt: str) -> None:
    """Show one article (REF: its id or any URL it was seen at)."""
    from archive.queries import revision_of
    from archive.queries import show as show_article

    if raw:
        from archive.captures import read_capture
        from archive.warc import warc_dir_for

        revision = revision_of(db, ref, number)
        if revision["capture_id"] is None:
            raise UserError(f"revision {revision['number']} of article {revision['article']} "
                            "has no capture (it was archived without WARC)")
        page = read_capture(db, revision["capture_id"], warc_dir_for(db, warc_dir))
        sys.stdout.buffer.write(page.body)
        sys.stdout.buffer.flush()
        return
    if number:
        revision = revision_of(db, ref, number)
        if fmt == "json":
            _echo_json(revision)
        else:
            click.echo(f"{revision['title']}\n\nrevision {revision['number']} "
                       f"({revision['origin']}, {revision['fetched_at']})\n\n{revision['text']}")
        return
    row = show_article(db, ref)
    if fmt == "json":
        _echo_json(row)
        return
    click.echo(f"{row['title']}\n")
    for key in ("id", "url", "language", "section", "kind", "published", "modified", "first_seen",
                "last_seen", "removed", "revisions"):
        click.echo(f"{key:>11}: {row[key] if row[key] is not None else '-'}")
    click.echo(f"{'tags':>11}: {', '.join(row['tags']) or '-'}")
    for url in row["urls"]:
        click.echo(f"{'url seen':>11}: {url}")
    for lang, url in row["translations"].items():
        click.echo(f"{'in ' + lang:>11}: {url}")
    for event in row["events"]:
        served = "".join(f" -> {event[k]}" for k in ("final_url", "page_kind") if event.get(k))
        click.echo(f"{event['kind']:>11}: {event['at']} ({event['http_status']} "
                   f"{event['url']}{served})")
    if row["sources"]:
        from archive.sources import source_state

        for source in row["sources"]:
            state = source_state(source)
            if source["gone"]:
                state += f" since {source['gone_since']}"
            click.echo(f"{'source':>11}: {source['url']} ({state})")
    click.echo(f"\n{row['text']}")


@cli.command()
@warc_dir_option
@archive_command
def verify(db: Database, warc_dir: str | None) -> None:
    """Check every revision's capture and every WARC file; report what is missing or wrong."""
    from archive.captures import verify as verify_captures
    from archive.warc import warc_dir_for

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
    from archive import term_counts

    wrong = term_counts.check(db)
    for key in wrong:
        click.echo(f"problem: the kept counts of {key!r} differ from the search index (run "
                   "nordarchive db count-terms --again)")
    if not report.ok or wrong:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("ref")
@click.option("--origin", type=click.Choice(["all", "site", "extractor"]), default="all",
              help="Only the portal's own changes (site) or re-extractions (extractor).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@archive_command
def history(db: Database, ref: str, origin: str, fmt: str) -> None:
    """Every revision of an article, with its change kind and diff."""
    from archive.queries import history as article_history

    revisions = article_history(db, ref, origin)
    if fmt == "json":
        _echo_json(revisions)
        return
    for r in revisions:
        click.echo(f"revision {r['number']}  {r['fetched_at']}  {r['change_kind']} "
                   f"({r['origin']}, +{r['lines_added']} -{r['lines_removed']})  {r['title']}")
        if r["diff"]:
            click.echo(_colour(r["diff"], sys.stdout.isatty()))


def _colour(diff_text: str, enabled: bool) -> str:
    if not enabled:
        return diff_text
    lines = []
    for line in diff_text.splitlines():
        if line.startswith(("+++", "---")):
            lines.append(click.style(line, bold=True))
        elif line.startswith("+"):
            lines.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            lines.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            lines.append(click.style(line, fg="cyan"))
        else:
            lines.append(line)
    return "\n".join(lines)


@cli.command()
@click.argument("ref")
@click.option("--from", "from_number", type=click.IntRange(min=1), help="Older revision.")
@click.option("--to", "to_number", type=click.IntRange(min=1), help="Newer revision.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto")
@archive_command
def diff(db: Database, ref: str, from_number, to_number, color: str) -> None:
    """Unified diff between two revisions of an article (default: the last two)."""
    from archive.queries import diff as revision_diff

    if from_number is None and to_number is None:
        from archive.queries import history as article_history

        revisions = article_history(db, ref)
        if len(revisions) == 1:
            click.echo(f"article {ref} has only one revision (nothing to compare it with)")
            return
    text = revision_diff(db, ref, from_number, to_number)
    enabled = color == "always" or (color == "auto" and sys.stdout.isatty())
    click.echo(_colour(text, enabled) if text else "(no differences)", color=enabled)


@cli.command()
@click.argument("query")
@_filter_options
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
    from archive.queries import run_search

    if where == "sources":
        _search_sources(db, query, _filters(lang, tag, since, until, kind), limit, order, fmt)
        return
    rows = run_search(db, query, _filters(lang, tag, since, until, kind), limit, order)
    if fmt == "json":
        _echo_json(rows)
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
    from archive.source_search import HIT_COLUMNS, search_sources

    if order != "rank":
        raise UserError("--in sources: sources are ranked by relevance only (no --order date)")
    rows = search_sources(db, query, filters, limit)
    if fmt == "json":
        _echo_json(rows)
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
@_filter_options
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
    from archive import trend as trends

    filters = _filters(**filter_options)  # whatever filters search has
    if terms:
        from archive.trend_terms import top_terms

        _echo_terms([top_terms(db, q, filters) for q in dict.fromkeys(queries)], fmt)
        return
    try:
        result = trends.trend(db, list(queries), filters, by=by, split=split,
                              normalise=normalise)
    except trends.TrendError as error:
        raise UserError(str(error)) from None
    columns = trends.columns(result)
    if fmt == "json":
        _echo_json(result)
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
        _echo_json(results)
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


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite", "wacz",
                                                    "cdxj"]), default="jsonl")
@_filter_options
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
    from archive import exports
    from archive.progress import TerminalProgress, stderr_is_terminal
    from archive.queries import count_articles, iter_export, iter_revision_export

    if fmt in ("wacz", "cdxj"):
        if revisions or lang or tag or kind:
            raise UserError(f"--format {fmt} exports captures: only --since and --until apply")
        _export_captures(db, fmt, since, until, output, warc_dir)
        return
    if fmt == "sqlite":
        from archive.snapshot import write_snapshot

        if not output:
            raise UserError("sqlite needs --output FILE")
        if revisions or any((lang, tag, since, until, kind)):
            raise UserError("--format sqlite copies the whole archive: no filters, no "
                            "--revisions")
        counts = write_snapshot(db, output)
        click.echo(f"exported {counts['articles']} articles, {counts['revisions']} revisions "
                   f"to {output}", err=True)
        return
    filters = _filters(lang, tag, since, until, kind)
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
    from archive.cdxj import Period, export_cdxj
    from archive.warc import warc_dir_for

    period, folder = Period.parse(since, until), warc_dir_for(db, warc_dir)
    if fmt == "cdxj":
        if output:
            with open(output, "w", encoding="utf-8") as out:
                count = export_cdxj(db, folder, out, period)
            click.echo(f"exported {count} index lines to {output}", err=True)
        else:
            export_cdxj(db, folder, sys.stdout, period)
        return
    from archive.wacz import write_wacz

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
    from archive.coverage import COLUMNS, source_summary, summary
    from archive.coverage import coverage as coverage_rows

    named = coverage_rows(db)
    # The summary counts every URL named; --status only chooses the rows listed.
    rows = [row for row in named if not statuses or row["status"] in statuses]
    sources = source_summary(db)
    if fmt == "json":
        _echo_json({"summary": summary(named), "urls": rows, "sources": sources})
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
    from archive.queries import stats as archive_stats
    from archive.warc import warc_dir_for

    data = archive_stats(db)
    data["archive"] = db.archive_id
    data["warc_dir"] = str(warc_dir_for(db).resolve())
    if fmt == "json":
        _echo_json(data)
        return
    click.echo(f"articles {data['articles']}  removed {data['removed']}  "
               f"revisions {data['revisions']}  urls {data['urls']}")
    click.echo(f"archive {data['archive']}, captures in {data['warc_dir']}")
    for key, field in (("by_language", "language"), ("by_section", "section"),
                       ("by_kind", "kind"), ("by_tag", "tag"), ("by_month", "month")):
        items = ", ".join(f"{_shown(group[field])} {group['articles']}" for group in data[key])
        click.echo(f"{key.replace('_', ' ')}: {items or '-'}")
    click.echo(_source_line(data["sources"]))
    for run in data["last_runs"]:
        run = {k: _shown(v) for k, v in run.items()}
        when = (f"{run['finished_at']} (started {run['started_at']})"
                if run["finished_at"] != "(none)" else f"since {run['started_at']}")
        click.echo(f"run {run['id']}: {run['status']} {when} new {run['new']} "
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
    from archive.sources import LIST_KEYS, list_sources, source_state

    rows = list_sources(db, gone=True if gone else None, host=host)
    if fmt == "json":
        _echo_json(rows)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(LIST_KEYS)
        for row in rows:
            writer.writerow([json.dumps(row[k]) if isinstance(row[k], list)
                             else ("" if row[k] is None else row[k]) for k in LIST_KEYS])
    else:
        for row in rows:
            state = source_state(row)
            when = (f"since {row['gone_since']}" if row["gone"]
                    else (row["last_checked"] or "never checked")[:10])
            cited = ",".join(map(str, row["cited_by"])) or "-"
            click.echo(f"{state:<8} {row['reason'] or '-':<16} {row['kind']:<8} {when:<16} "
                       f"cited by {cited:<8} {row['url']}")
        click.echo(f"{len(rows)} source{'s' if len(rows) != 1 else ''}", err=True)


def _shown(value) -> str:
    """A value for a person: never Python's "None"."""
    return "(none)" if value is None else str(value)


# --- the browser --------------------------------------------------------------------------

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
