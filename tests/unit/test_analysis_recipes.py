"""The analysts' recipes of ``docs/analysis.md`` run as written, on an archive of the replica's
articles (one of them edited) and its Parquet export, and give what the SQL gives."""

from __future__ import annotations

import re
from datetime import timedelta

from archive.ingest.articles import ingest
from archive.storage.database import Database
from tests.helpers import ROOT
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import BY_KEY


def test_the_recipes_run_and_count_what_the_archive_holds(cli, tmp_path, monkeypatch):
    db_path = tmp_path / "nordarchive.db"
    with Database(f"sqlite:///{db_path}") as db:
        ingest_stories(db)
        story = BY_KEY["sv-sprakkafe"]
        edited = record_of(story, text="\n\n".join(story.paragraphs) + "\n\nEtt tillägg.")
        ingest(db, edited, fetch_of(url_of(story), 60 * 24 * 40))
    exported = cli("export", "--format", "parquet", "--output",
                   str(tmp_path / "articles.parquet"), "--db", f"sqlite:///{db_path}")
    assert exported.returncode == 0, exported.stderr
    text = (ROOT / "docs" / "analysis.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 3
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    for block in blocks:
        exec(compile(block, "docs/analysis.md", "exec"), names)  # noqa: S102 - the doc's code
    assert int(names["weekly"].sum()) == len(names["articles"]) == 25
    assert set(names["weekly"].index.get_level_values("language")) >= {"sv", "en", "fi"}
    assert int(names["per_month"].sum()) == 1 and len(names["edits"]) == 1
    assert names["edits"]["url"].iloc[0] == url_of(story)
    assert len(names["exported"]) == 25 and int(names["by_kind"].sum()) == 25
    assert names["tagged"].index[0] and int(names["tagged"].iloc[0]) >= 2
    assert (names["revisions"]["fetched_at"].max() - names["revisions"]["fetched_at"].min()
            >= timedelta(days=39))
