"""One article: ``show``, ``history`` and ``diff``."""

from __future__ import annotations

import sys

import click

from archive.cli.base import (
    UserError,
    archive_command,
    cli,
    echo_json,
    warc_dir_option,
)
from archive.storage.database import Database


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
    from archive.read.queries import revision_of
    from archive.read.queries import show as show_article

    if raw:
        from archive.webarchive.captures import read_capture
        from archive.webarchive.warc import warc_dir_for

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
            echo_json(revision)
        else:
            click.echo(f"{revision['title']}\n\nrevision {revision['number']} "
                       f"({revision['origin']}, {revision['fetched_at']})\n\n{revision['text']}")
        return
    row = show_article(db, ref)
    if fmt == "json":
        echo_json(row)
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
        from archive.sources.read import source_state

        for source in row["sources"]:
            state = source_state(source)
            if source["gone"]:
                state += f" since {source['gone_since']}"
            click.echo(f"{'source':>11}: {source['url']} ({state})")
    click.echo(f"\n{row['text']}")


@cli.command()
@click.argument("ref")
@click.option("--origin", type=click.Choice(["all", "site", "extractor"]), default="all",
              help="Only the portal's own changes (site) or re-extractions (extractor).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@archive_command
def history(db: Database, ref: str, origin: str, fmt: str) -> None:
    """Every revision of an article, with what it changed (fields, words, figures), its
    significance (minor, edit, rewrite, headline) and its diff."""
    from archive.read.changes import describe_record
    from archive.read.queries import history as article_history

    revisions = article_history(db, ref, origin)
    if fmt == "json":
        echo_json(revisions)
        return
    for r in revisions:
        click.echo(f"revision {r['number']}  {r['fetched_at']}  {r['change_kind']} "
                   f"({r['origin']}, +{r['lines_added']} -{r['lines_removed']})  {r['title']}")
        click.echo(f"  {describe_record(r)}")
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
    from archive.read.queries import diff as revision_diff

    if from_number is None and to_number is None:
        from archive.read.queries import history as article_history

        revisions = article_history(db, ref)
        if len(revisions) == 1:
            click.echo(f"article {ref} has only one revision (nothing to compare it with)")
            return
    text = revision_diff(db, ref, from_number, to_number)
    enabled = color == "always" or (color == "auto" and sys.stdout.isatty())
    click.echo(_colour(text, enabled) if text else "(no differences)", color=enabled)
