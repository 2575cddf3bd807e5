"""The archive's CLI as analysts use it: export, search, show, history, diff, stats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from archive.ingest.articles import ingest
from archive.storage.models import Article, Revision
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import BY_KEY, STORIES

pytestmark = pytest.mark.usefixtures("filled")


@pytest.fixture
def filled(database):
    ingest_stories(database)
    story = BY_KEY["sv-natverk-unga"]
    edited = "\n\n".join(story.paragraphs).replace("Göteborg", "Malmö")
    ingest(database, record_of(story, text=edited), fetch_of(url_of(story), 100))
    return database


def run(cli, db_url, *args, **kwargs):
    return cli(*args, env={"NORDARCHIVE_DB": db_url}, **kwargs)


def test_export_jsonl_has_every_column_and_filters(cli, db_url):
    result = run(cli, db_url, "export", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(rows) == len(STORIES)
    row = next(r for r in rows if r["title"] == BY_KEY["sv-natverk-unga"].title)
    assert set(row) == {"id", "url", "urls", "title", "language", "published", "modified",
                        "published_at", "modified_at", "tags", "section", "kind", "text",
                        "first_seen", "last_seen", "removed", "revisions", "sources"}
    assert row["kind"] == "news" and row["sources"] == []
    assert row["published"] == "2021-07-05" and row["modified"] == "2021-08-20"
    assert row["tags"] == ["Ensamkommande unga", "Sociala insatser"]
    assert row["revisions"] == 2 and "Malmö" in row["text"] and row["removed"] is None
    assert row["urls"] == [url_of(BY_KEY["sv-natverk-unga"])]

    only_is = run(cli, db_url, "export", "--lang", "is").stdout.decode().splitlines()
    assert len(only_is) == sum(s.lang == "is" for s in STORIES)
    tagged = run(cli, db_url, "export", "--tag", "ukraina").stdout.decode().splitlines()
    assert {json.loads(r)["title"] for r in tagged} == {
        s.title for s in STORIES if "Ukraina" in s.tags}
    dated = run(cli, db_url, "export", "--since", "2021-01-01", "--until", "2021-12-31")
    published = [json.loads(r)["published"] for r in dated.stdout.decode().splitlines()]
    assert published and all(p.startswith("2021") for p in published if p)


def test_export_csv_and_parquet_carry_the_same_columns(cli, db_url, tmp_path):
    import pyarrow.parquet as pq

    jsonl = [json.loads(line) for line in
             run(cli, db_url, "export").stdout.decode().splitlines()]
    rows = list(csv.DictReader(io.StringIO(run(cli, db_url, "export", "--format",
                                               "csv").stdout.decode())))
    assert list(rows[0]) == list(jsonl[0])
    assert [json.loads(r["tags"]) for r in rows] == [r["tags"] for r in jsonl]
    out = tmp_path / "articles.parquet"
    result = run(cli, db_url, "export", "--format", "parquet", "--output", str(out))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out).to_pylist()
    assert [r["id"] for r in table] == [r["id"] for r in jsonl]
    assert table[0]["text"] == jsonl[0]["text"] and table[0]["tags"] == jsonl[0]["tags"]
    assert list(table[0]) == list(jsonl[0])


def test_search_is_ranked_with_a_snippet_and_keeps_nordic_letters_apart(cli, db_url):
    result = run(cli, db_url, "search", "flyktingar", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and hits[0]["title"] == BY_KEY["sv-ukraina"].title
    assert "[" in hits[0]["snippet"]
    # "före"/"fore": å, ä, ö, æ, ø, ð, þ are letters of their own, not a, o, d, t.
    icelandic = json.loads(run(cli, db_url, "search", "flóttafólks", "--format",
                               "json").stdout)
    assert {h["title"] for h in icelandic} == {
        s.title for s in STORIES if "flóttafólks" in " ".join((s.title, *s.paragraphs))}
    assert json.loads(run(cli, db_url, "search", "flottafolks", "--format", "json",
                          "--lang", "is").stdout) == []
    filtered = json.loads(run(cli, db_url, "search", "forum", "--lang", "da", "--format",
                              "json").stdout)
    assert filtered and {h["language"] for h in filtered} == {"da"}


NO_WORDS = "nordarchive: error: no words to search for"
TOO_LONG = "nordarchive: error: search query too long"


@pytest.mark.parametrize(("query", "refusal"), [
    ('"', NO_WORDS), ("AND OR NOT", None), ("title:x", None),
    ("a' OR 1=1; DROP TABLE articles; --", None), ("NEAR(a b", None), ("*", NO_WORDS),
    ("x" * 5000, TOO_LONG), ("(((", NO_WORDS), ("-", NO_WORDS)])
def test_hostile_search_queries_never_crash_or_change_anything(cli, db_url, database, query,
                                                               refusal):
    """Operators and SQL are searched as words; a query with no word, or too long, is
    refused in one line (each query has its one outcome, not either)."""
    result = run(cli, db_url, "search", query, "--format", "json")
    assert b"Traceback" not in result.stderr
    if refusal is None:
        assert result.returncode == 0, result.stderr
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.returncode == 1
        (line,) = result.stderr.decode().strip().splitlines()
        assert line.startswith(refusal), line
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(STORIES)
        assert session.scalar(select(func.count()).select_from(Revision)) == len(STORIES) + 1


def test_show_history_and_diff(cli, db_url):
    url = url_of(BY_KEY["sv-natverk-unga"])
    shown = json.loads(run(cli, db_url, "show", url + "?utm_source=x", "--format",
                           "json").stdout)
    assert shown["title"] == BY_KEY["sv-natverk-unga"].title and shown["revisions"] == 2
    text_view = run(cli, db_url, "show", str(shown["id"])).stdout.decode()
    assert shown["title"] in text_view and "Malmö" in text_view
    revisions = json.loads(run(cli, db_url, "history", url, "--format", "json").stdout)
    assert [(r["number"], r["change_kind"]) for r in revisions] == [(1, "new"), (2, "text")]
    diff = run(cli, db_url, "diff", url).stdout.decode()
    assert "--- revision 1" in diff and "+++ revision 2" in diff
    assert any(line.startswith("-") and "Göteborg" in line for line in diff.splitlines())
    assert "\x1b[" not in diff  # no colour when not on a terminal
    coloured = run(cli, db_url, "diff", url, "--from", "1", "--to", "2", "--color", "always")
    assert "\x1b[" in coloured.stdout.decode()


def test_stats(cli, db_url):
    data = json.loads(run(cli, db_url, "stats", "--format", "json").stdout)
    assert data["articles"] == len(STORIES) and data["revisions"] == len(STORIES) + 1
    def groups(key, field):
        return {g[field]: g["articles"] for g in data[key]}

    assert groups("by_language", "language")["sv"] == sum(s.lang == "sv" for s in STORIES)
    assert groups("by_tag", "tag")["Ukraina"] == sum("Ukraina" in s.tags for s in STORIES)
    months = groups("by_month", "month")
    assert months["2025-11"] == sum(
        1 for s in STORIES if s.published and s.published.strftime("%Y-%m") == "2025-11")
    # Articles without a date are a JSON null, and "(none)" in the table; never "None".
    assert months[None] == sum(1 for s in STORIES if not s.published)
    table = run(cli, db_url, "stats").stdout.decode()
    assert "(none)" in table and "None" not in table


@pytest.mark.parametrize(
    "args",
    [("show", "999999"), ("show", "https://nowhere.example/x"), ("history", "nope"),
     ("diff", "1", "--from", "1", "--to", "9"), ("export", "--since", "yesterday"),
     ("search", "x", "--until", "2021-13-45"), ("export", "--format", "parquet")],
)
def test_bad_input_is_one_line_and_exit_1(cli, db_url, args):
    result = run(cli, db_url, *args)
    assert result.returncode == 1, (args, result.stdout)
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nordarchive: error:"), lines


@pytest.mark.parametrize("value", ["sv' OR '1'='1", "x\"; DROP TABLE articles; --", "%", "_",
                                   "Ukraina' --", "🙂" * 2000])
def test_hostile_export_filters_are_data_not_sql(cli, db_url, database, value):
    result = run(cli, db_url, "export", "--tag", value)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""  # nothing matches such a tag
    # no such language in the archive: one line naming the ones it has, nothing exported
    result = run(cli, db_url, "export", "--lang", value)
    assert result.returncode == 1 and result.stdout == b"", result.stderr
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("nordarchive: error: --lang: no language") and "(one of: " in line
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(STORIES)


def test_timestamps_carry_their_zone_in_exports_and_show(cli, db_url):
    story = BY_KEY["sv-natverk-unga"]
    row = next(json.loads(line) for line in run(cli, db_url, "export").stdout.decode()
               .splitlines() if json.loads(line)["title"] == story.title)
    assert row["last_seen"] == "2026-01-01T13:40:00Z"
    assert row["first_seen"].startswith("2026-01-01T12:") and row["first_seen"].endswith("Z")
    table = list(csv.DictReader(io.StringIO(run(cli, db_url, "export", "--format", "csv")
                                            .stdout.decode())))
    assert {r["last_seen"] for r in table if r["title"] == story.title} == {
        "2026-01-01T13:40:00Z"}
    shown = run(cli, db_url, "show", url_of(story)).stdout.decode()
    assert "last_seen: 2026-01-01T13:40:00Z" in shown, shown
    history = json.loads(run(cli, db_url, "history", url_of(story), "--format", "json").stdout)
    assert history[-1]["fetched_at"] == "2026-01-01T13:40:00Z"
