"""Processes ingesting the same articles at the same moment into PostgreSQL: for every story,
all workers meet at a barrier and then write it at once."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleUrl, Revision, Tag
from tests.replica.content import STORIES


def _worker(db_url: str, tag: str, barrier, spans) -> None:
    """Ingest every story, each one released together with the other workers; record when
    each write began and ended (monotonic clock, shared by the processes of one machine)."""
    from archive.ingest.articles import ingest
    from tests.helpers.archive_data import fetch_of, record_of, url_of

    db = Database(db_url)
    try:
        for minutes, story in enumerate(STORIES):
            barrier.wait()
            began = time.monotonic()
            ingest(db, record_of(story), fetch_of(url_of(story) + "?utm_source=" + tag, minutes))
            spans.append((tag, minutes, began, time.monotonic()))
    finally:
        db.close()


@pytest.mark.parametrize("workers", [2, 3])
def test_concurrent_ingest_makes_no_duplicates(pg_url, workers):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers, timeout=120)
    with context.Manager() as manager:
        spans = manager.list()
        procs = [context.Process(target=_worker, args=(pg_url, str(i), barrier, spans))
                 for i in range(workers)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(180)
            assert proc.exitcode == 0
        spans = list(spans)
    assert len(spans) == workers * len(STORIES)
    # The writers overlapped: for some story, every worker's write began before any ended.
    overlapped = 0
    for index in range(len(STORIES)):
        story_spans = [s for s in spans if s[1] == index]
        if max(s[2] for s in story_spans) < min(s[3] for s in story_spans):
            overlapped += 1
    assert overlapped >= 1, spans
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
