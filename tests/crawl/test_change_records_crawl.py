"""What changed, end to end: the replica crawled, six articles edited as editors edit (a new
headline, a figure, a spelling fix, a tag, a rewrite, a word), crawled again; ``changes``
answers each question with exactly the revisions it asks for, ``history`` and ``export
--revisions`` carry the record, the web window's ``/changes`` page and Atom feed filter by
it, and ``reextract`` stores records that are missing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from xml.etree import ElementTree as ET

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import cli_json, run_crawl
from tests.helpers.web import get, serving
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite

ATOM = "{http://www.w3.org/2005/Atom}"
HEADLINE = "Nordic municipalities share what they learned receiving refugees from Ukraine"
REWRITE = (
    "Kommunene i Norden har samlet erfaringer fra det første året med mottak. Mange peker på "
    "at boligmangel og lange ventetider gjør det vanskelig å komme raskt i gang med "
    "språkopplæring og arbeid.",
    "Rapporten anbefaler tettere samarbeid mellom stat og kommune, og at frivillige får en "
    "fast rolle i arbeidet med å ta imot nye innbyggere i lokalsamfunnet.")
#: Article key: (its title after the edit, the significance its revision must have).
EXPECTED = {
    "en-ukraine": (HEADLINE, "headline"),
    "fi-kotini": (content.BY_KEY["fi-kotini"].title, "edit"),
    "sv-ukraina": (content.BY_KEY["sv-ukraina"].title, "minor"),
    "da-sprogcafe": (content.BY_KEY["da-sprogcafe"].title, "edit"),
    "no-ukraina": (content.BY_KEY["no-ukraina"].title, "rewrite"),
    "sv-sprakkafe": (content.BY_KEY["sv-sprakkafe"].title, "edit"),
}


def edited(key: str, old: str, new: str) -> tuple[str, ...]:
    paragraphs = content.BY_KEY[key].paragraphs
    assert sum(old in p for p in paragraphs) == 1, (key, old)
    return tuple(p.replace(old, new) for p in paragraphs)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("changes")
    db = f"sqlite:///{folder / 'archive.db'}"
    with ReplicaServer(ReplicaSite()) as portal:
        start = portal.base + PREFIX
        assert run_crawl(db, start).returncode == 0
        site = portal.site
        site.edit("en-ukraine", title=HEADLINE)
        site.edit("fi-kotini", paragraphs=edited("fi-kotini", "vuosille 2018–2020",
                                                 "vuosille 2018–2021"))
        site.edit("sv-ukraina", paragraphs=edited("sv-ukraina", "frivilligorganisationer",
                                                  "frivilliga organisationer"))
        site.edit("da-sprogcafe", tags=("Arbete",))
        site.edit("no-ukraina", paragraphs=REWRITE)
        site.edit("sv-sprakkafe", paragraphs=edited("sv-sprakkafe", "tre år", "fyra år"))
        site.render()
        result = run_crawl(db, start)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        urls = {key: site.url(site.paths[key]) for key in EXPECTED}
    ids = {key: cli_json(db, "show", url)["id"] for key, url in urls.items()}
    return {"db": db, "folder": folder, "ids": ids, "urls": urls}


def changed(archive, *args: str) -> dict[str, dict]:
    """``changes`` with these options: {article key: its change}."""
    by_id = {v: k for k, v in archive["ids"].items()}
    rows = cli_json(archive["db"], "changes", *args)
    keys = [by_id.get(row["article_id"], row["article_id"]) for row in rows]
    assert len(keys) == len(set(keys)), keys
    return dict(zip(keys, rows, strict=True))


def test_each_edit_is_one_revision_of_its_significance(archive):
    everything = changed(archive)
    assert {key: (row["title"], row["significance"]) for key, row in everything.items()} \
        == EXPECTED
    assert everything["da-sprogcafe"]["changed_fields"] == ["tags"]
    assert everything["da-sprogcafe"]["words_added"] == 0
    assert everything["fi-kotini"]["numbers_changed"]
    assert everything["sv-ukraina"]["minor"]
    assert everything["no-ukraina"]["changed_share"] >= 0.5


@pytest.mark.parametrize("args, keys", [
    (("--what", "title"), {"en-ukraine"}),
    (("--what", "numbers"), {"fi-kotini"}),
    (("--what", "tags"), {"da-sprogcafe"}),
    (("--what", "date"), set()),
    (("--what", "title", "--what", "tags"), {"en-ukraine", "da-sprogcafe"}),
    (("--significance", "minor"), {"sv-ukraina"}),
    (("--significance", "rewrite", "--significance", "headline"), {"no-ukraina", "en-ukraine"}),
    (("--min-words", "10"), {"no-ukraina"}),
    (("--what", "text", "--significance", "edit"), {"fi-kotini", "sv-sprakkafe"}),
    (("--lang", "fi"), {"fi-kotini"}),
    (("--since", "2000-01-01", "--until", "2000-12-31"), set()),
])
def test_changes_lists_exactly_what_is_asked(archive, args, keys):
    assert set(changed(archive, *args)) == keys


def test_changes_as_csv_and_text(archive):
    result = run_cli("changes", "--db", archive["db"], "--what", "title", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [(r["title"], r["significance"], r["changed_fields"]) for r in rows] == [
        (HEADLINE, "headline", "title")]
    text = run_cli("changes", "--db", archive["db"], "--significance", "rewrite")
    lines = text.stdout.decode().splitlines()
    assert len(lines) == 1 and "rewrite: text" in lines[0], lines
    assert text.stderr.decode().strip() == "1 change"


def test_history_and_export_carry_the_record(archive):
    history = cli_json(archive["db"], "history", archive["urls"]["en-ukraine"])
    assert [r["significance"] for r in history] == [None, "headline"]
    assert history[1]["changed_fields"] == ["title"]
    shown = run_cli("history", archive["urls"]["fi-kotini"], "--db", archive["db"])
    assert "edit: text; +1 -1 words" in shown.stdout.decode()
    assert "figures changed" in shown.stdout.decode()
    result = run_cli("export", "--revisions", "--db", archive["db"])
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    revised = {r["article_id"]: r["significance"] for r in rows if r["number"] == 2}
    assert revised == {archive["ids"][key]: level for key, (_, level) in EXPECTED.items()}
    assert all(r["significance"] is None for r in rows if r["number"] == 1)


def test_the_feed_and_the_changes_page_filter_by_what_changed(archive):
    path = archive["folder"] / "archive.db"
    with serving(str(path), archive["folder"] / "serve.log") as (base, _):
        feed = ET.fromstring(get(base + "/changes.atom?significance=headline")[2])
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == [f"Revised: {HEADLINE}"]
        terms = {c.get("term") for c in entries[0].findall(f"{ATOM}category")
                 if c.get("label") == "significance"}
        assert terms == {"headline"}
        assert "headline: title" in entries[0].find(f"{ATOM}summary").text
        numbers = ET.fromstring(get(base + "/changes.atom?what=numbers")[2])
        assert [e.find(f"{ATOM}title").text for e in numbers.findall(f"{ATOM}entry")] == [
            f"Revised: {EXPECTED['fi-kotini'][0]}"]
        everything = ET.fromstring(get(base + "/changes.atom")[2])
        assert len(everything.findall(f"{ATOM}entry")) > len(EXPECTED)  # new articles too
        status, _, page = get(base + "/changes?significance=rewrite")
        assert status == 200
        html = page.decode()
        assert EXPECTED["no-ukraina"][0] in html and HEADLINE not in html
        assert "na-significance-rewrite" in html
        assert get(base + "/changes.atom?significance=huge")[0] == 400
        status, _, article = get(base + f"/article/{archive['ids']['sv-ukraina']}")
        assert status == 200 and "na-significance-minor" in article.decode()


def test_reextract_stores_missing_records(archive):
    path = archive["folder"] / "archive.db"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE revisions SET significance = NULL, changed_fields = '', "
                           "words_added = 0, minor = 0")
    assert changed(archive) == {}
    result = run_cli("reextract", "--db", archive["db"], "--workers", "1")
    assert result.returncode == 0, result.stderr.decode()
    assert "change records refreshed" in result.stdout.decode()
    assert {key: row["significance"] for key, row in changed(archive).items()} == {
        key: level for key, (_, level) in EXPECTED.items()}
