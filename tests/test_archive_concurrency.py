"""Two processes ingesting the same articles at the same moment into PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from archive.db import Database
from archive.models import Article, ArticleUrl, Revision, Tag
from tests.conftest import ROOT
from tests.replica.content import STORIES

WORKER = textwrap.dedent("""
    import sys, time
    from archive.db import Database
    from archive.ingest import ingest
    from tests.archive_data import fetch_of, record_of, url_of
    from tests.replica.content import STORIES
    db = Database(sys.argv[1])
    start = float(sys.argv[2])
    while time.time() < start:
        time.sleep(0.001)
    for minutes, story in enumerate(STORIES):
        ingest(db, record_of(story), fetch_of(url_of(story) + "?utm_source=" + sys.argv[3],
                                              minutes))
    print("done")
""")


@pytest.mark.parametrize("workers", [2, 3])
def test_concurrent_ingest_makes_no_duplicates(pg_url, workers):
    import time

    start = str(time.time() + 2.0)  # every process starts writing at the same moment
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, start, str(i)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(workers)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert out.strip() == b"done"
    with Database(pg_url) as db, db.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(STORIES)
        assert session.scalar(select(func.count()).select_from(Revision)) == len(STORIES)
        # Each story: its canonical URL and one tracking variant per worker, each once.
        assert session.scalar(select(func.count()).select_from(ArticleUrl)) == \
            len(STORIES) * (workers + 1)
        urls = list(session.scalars(select(ArticleUrl.url)))
        assert len(urls) == len(set(urls))
        names = list(session.scalars(select(Tag.name)))
        assert len(names) == len(set(names))
