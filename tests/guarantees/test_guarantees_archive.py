"""Archive verdicts the README promises that no crawl test isolates, on SQLite and PostgreSQL:
a removed article that answers 304 (its page unchanged since it was archived) is restored,
once, with its event; nothing of it was deleted meanwhile; and a removed article stays among
the URLs every re-crawl re-checks (it may come back)."""

from __future__ import annotations

from sqlalchemy import select

from archive.ingest.articles import ingest
from archive.ingest.pages import known_article_urls
from archive.ingest.records import Outcome
from archive.ingest.removals import mark_gone, mark_not_modified
from archive.ingest.runs import start_run
from archive.storage.models import Article, ArticleEvent, CrawlRun, Revision
from tests.helpers.archive_data import BASE, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY

STORY = BY_KEY["sv-ukraina"]
URL = url_of(STORY)


def test_a_removed_article_answering_304_is_restored(database):
    created = ingest(database, record_of(STORY), fetch_of(URL, headers={"ETag": '"v1"'}))
    mark_gone(database, fetch_of(URL, 10, status=410), start_run(database, [BASE]))
    assert known_article_urls(database) == [URL]  # removed, still re-checked
    run = start_run(database, [BASE])
    back = mark_not_modified(database, fetch_of(URL, 20, status=304), run)
    assert (back.outcome, back.article_id) == (Outcome.RESTORED, created.article_id)
    again = mark_not_modified(database, fetch_of(URL, 30, status=304), run)
    assert again.outcome is Outcome.UNCHANGED and not again.counted
    with database.session() as session:
        assert session.get(Article, created.article_id).removed_at is None
        assert list(session.scalars(select(ArticleEvent.kind).order_by(ArticleEvent.id))) \
            == ["removed", "restored"]
        assert len(session.scalars(select(Revision)).all()) == 1
        counted = session.get(CrawlRun, run)
        assert (counted.restored, counted.unchanged) == (1, 0)
