"""``ingest_many`` writes the plainly new and plainly unchanged articles of a batch set-wise;
the archive it leaves must be the one that ingesting the same fetches one by one leaves, on
both backends, whatever else the batch holds (revisions, moves, variants, aliases, repeats)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, event, select, update

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.ingest.removals import mark_gone
from archive.ingest.runs import start_run
from archive.read.queries import run_search
from archive.search.filters import Filters
from archive.storage.database import Database
from archive.storage.models import (
    Article,
    ArticleEvent,
    ArticleTag,
    ArticleUrl,
    CrawlRun,
    Revision,
    Tag,
    Translation,
)
from tests.helpers.archive_data import BASE, fetch_of, record_of, url_of
from tests.replica.content import STORIES

STORIES_USED = STORIES[:14]


def rounds() -> list[list[tuple]]:
    """Three crawls of the same site, as (record, fetch) in the order the crawl wrote them."""
    s = STORIES_USED
    first = [(record_of(story), fetch_of(url_of(story), k)) for k, story in enumerate(s[:10])]
    old_address = f"{BASE}nyheter/{s[8].slug}-gammal/"  # s[8] was first reached by a redirect
    first[8] = (record_of(s[8]), fetch_of(old_address, 8, final_url=url_of(s[8]),
                                          redirects=(old_address,)))
    first.insert(3, (record_of(s[1]), fetch_of(url_of(s[1]) + "?utm_source=x", 30)))
    twin = f"{BASE}nyheter/{s[2].slug}-copy/"  # the same title and text at another URL
    first.insert(4, (record_of(s[2], canonical_url=twin), fetch_of(twin, 31)))
    second = [(record_of(story), fetch_of(url_of(story), 100 + k))
              for k, story in enumerate(s[:10])]
    second[0] = (record_of(s[0], text=record_of(s[0]).text + "\n\nA paragraph added."),
                 second[0][1])
    second[1] = (record_of(s[1], tags=("Ny etikett",)), second[1][1])
    second[2] = (record_of(s[2], translations={"en": f"{BASE}en/news/{s[2].slug}/"}),
                 second[2][1])
    moved = f"{BASE}nyheter/{s[3].slug}-ny/"  # the slug changed: the old URL redirects
    second[3] = (record_of(s[3], canonical_url=moved, title=s[3].title + " (uppdaterad)"),
                 fetch_of(url_of(s[3]), 103, final_url=moved, redirects=(url_of(s[3]),)))
    second[4] = (record_of(s[4]), fetch_of(url_of(s[4]) + "?fbclid=abc", 104))
    second[7] = (record_of(s[7], translations={"da": f"{BASE}da/nyheder/{s[7].slug}/"}),
                 second[7][1])  # the same article, with a new translation link
    second.append((record_of(s[5]), fetch_of(url_of(s[5]), 120)))  # twice in one crawl
    second += [(record_of(story), fetch_of(url_of(story), 121 + k))
               for k, story in enumerate(s[10:14])]
    # A new page edited between two fetches of one crawl: new, then revised.
    second.insert(-2, (record_of(s[11], title="Draft"), fetch_of(url_of(s[11]), 110)))
    third = [(record_of(story), fetch_of(url_of(story), 200 + k))
             for k, story in enumerate(s[4:14])]
    third[3] = (second[7][0], third[3][1])  # s[7] keeps its new translation link
    third.append((replace(second[2][0], canonical_url=twin), fetch_of(twin, 240)))  # twin leads
    # s[8]'s old address now redirects to another article: s[8] is retired, until its own
    # URL serves it again right after (in the same batch).
    third[:0] = [(record_of(s[12]), fetch_of(old_address, 198, final_url=url_of(s[12]),
                                             redirects=(old_address,))),
                 (record_of(s[8]), fetch_of(url_of(s[8]), 199)),
                 # A page that flaps between an edited and the archived version in one crawl.
                 (record_of(s[13], title="Edited"), fetch_of(url_of(s[13]), 196)),
                 (record_of(s[13]), fetch_of(url_of(s[13]), 197))]
    restored = s[6]  # removed between the crawls (mark_gone), then served again
    third.append((record_of(restored), fetch_of(url_of(restored), 230)))
    return [first, second, third]


def archive_content(db: Database) -> dict[str, list]:
    """Every table that ingest writes, ids replaced by what identifies the rows."""
    with db.session() as session:
        key = dict(session.execute(select(Article.id, Article.canonical_url)).all())
        revision = {rid: (key[aid], number) for rid, aid, number in session.execute(
            select(Revision.id, Revision.article_id, Revision.number))}
        tag = dict(session.execute(select(Tag.id, Tag.name)).all())

        def rows(model, *skip: str, **mapped) -> list:
            out = []
            for row in session.scalars(select(model)):
                values = {c.key: getattr(row, c.key) for c in model.__table__.columns
                          if c.key not in ("id", *skip)}
                for column, table in mapped.items():
                    if values.get(column) is not None:
                        values[column] = table[values[column]]
                out.append(sorted(values.items(), key=lambda kv: kv[0]))
            return sorted(out, key=repr)

        content = {
            "articles": rows(Article, current_revision_id=revision),
            "urls": rows(ArticleUrl, article_id=key),
            "revisions": rows(Revision, article_id=key),
            "events": rows(ArticleEvent, article_id=key),
            "tags": rows(ArticleTag, article_id=key, tag_id=tag),
            "translations": rows(Translation, article_id=key),
            "runs": rows(CrawlRun, "started_at", "finished_at"),
        }
    content["search"] = sorted((key[hit["id"]], hit["rank"], hit["snippet"]) for word in (
        "integration", "flykting", "arbete", "uppdaterad")
        for hit in run_search(db, word, Filters(), limit=50))
    return content


def crawl(db: Database, batch: int | None) -> list:
    """The three crawls; ``batch``: articles per ``ingest_many`` (None: one ``ingest`` each)."""
    results = []
    for number, items in enumerate(rounds()):
        run_id = start_run(db, [BASE])
        if number == 2:
            mark_gone(db, fetch_of(url_of(STORIES_USED[6]), 199, status=404), run_id)
            # An archive whose tag index lacks an article's tags (as one written before tags
            # were indexed): the next ingest of the unchanged article indexes them.
            with db.session() as session:
                article = session.scalar(select(Article.id).where(
                    Article.title == STORIES_USED[10].title))
                session.execute(delete(ArticleTag).where(ArticleTag.article_id == article))
                # ... and one that knew only an article's key, not its URL (before 0005).
                session.execute(update(Article).where(Article.title == STORIES_USED[11].title)
                                .values(url=Article.canonical_url))
        if batch is None:
            done = [ingest(db, record, fetch, run_id) for record, fetch in items]
        else:
            done = [result for first in range(0, len(items), batch)
                    for result in ingest_many(db, items[first:first + batch], run_id)]
        with db.session() as session:
            key = dict(session.execute(select(Article.id, Article.canonical_url)).all())
        results.append([(r.outcome, key.get(r.article_id), r.revision, r.counted) for r in done])
    return results


@pytest.fixture
def two_archives(request, tmp_path):
    """Two empty archives on the same backend."""
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / name}" for name in ("one.db", "batched.db")]
    else:
        make = request.getfixturevalue("make_pg_url")
        urls = [make(), make()]
    with Database(urls[0]) as one, Database(urls[1]) as batched:
        yield one, batched


@pytest.mark.parametrize("two_archives", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("batch", [4, 20])
def test_a_batched_crawl_leaves_the_archive_one_by_one_leaves(two_archives, batch):
    one, batched = two_archives
    expected = crawl(one, None)
    outcomes = {outcome.value for crawl_results in expected for outcome, *_ in crawl_results}
    # The crawls hold every case the batch must leave to the one-by-one path.
    assert {"new", "unchanged", "revised", "alias", "restored"} <= outcomes, outcomes
    assert crawl(batched, batch) == expected
    assert archive_content(batched) == archive_content(one)


def statements(db: Database, work) -> int:
    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


@pytest.mark.parametrize("two_archives", ["sqlite", "postgresql"], indirect=True)
def test_new_and_unchanged_articles_are_written_set_wise(two_archives):
    db, _ = two_archives
    items = [(record_of(story), fetch_of(url_of(story), k)) for k, story in
             enumerate(STORIES_USED)]
    run_id = start_run(db, [BASE])
    # One by one, each new article takes about ten statements; set-wise, the batch does (the
    # search index two: its entries, and their facets or ranking vectors; the word-pair index
    # one; the kept counts of common terms one or two: which terms are kept, after their lock
    # on PostgreSQL).
    assert statements(db, lambda: ingest_many(db, items, run_id)) <= 18
    again = [(record, replace(fetch, fetched_at=fetch.fetched_at.replace(hour=13)))
             for record, fetch in items]
    assert statements(db, lambda: ingest_many(db, again, run_id)) <= 10
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        assert (run.new, run.unchanged) == (len(items), 0)  # each article counted once a run
        assert {a.last_seen.hour for a in session.scalars(select(Article))} == {13}
