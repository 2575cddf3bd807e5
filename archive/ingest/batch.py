"""``ingest_many``'s two common cases written set-wise: articles plainly new and articles
plainly unchanged take a handful of statements for the whole batch, where one by one each
takes about ten (on PostgreSQL every statement is a round trip to the server).

A record is written set-wise only when nothing else in the batch can change its verdict or be
changed by it: none of its URLs (in normal form) and not its title and text is shared with
another record of the batch, and the archived articles its URLs lead to are reached by no
other record. Then writing it before or after the others gives the same archive, so the
set-wise records are written first and every other record goes through ``ingest._ingest`` in
the batch's order, with every rule of a single ingest. The decisions are those of
``_ingest`` for the same state:

- **new**: no archived URL has the normal form of any of its URLs, no archived article
  has its title and text in its language (which ``_ingest`` would take for a changed slug),
  and no page of its slug family (``archive.ingest.translations``) or of its hreflang links is
  archived or in the batch;
- **unchanged**: its URLs all exist as written and belong to the one article its landing or
  canonical URL leads to, which is not removed, keeps the same canonical URL, and whose current
  revision, tags and translation links equal what was fetched.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, text, update

from archive.ingest import translations as slug_translations
from archive.ingest.articles import (
    _TAG_IDS,
    _UPDATE_ARTICLE,
    _UPDATE_URL,
    ARTICLE_TAGS,
    ARTICLES,
    REVISIONS,
    RUNS,
    TAGS,
    TRANSLATIONS,
    URLS,
    _addresses,
    _article_row,
    _ingest,
    _tag_names,
    _translations,
    _url_rows,
)
from archive.ingest.records import Fetch, IngestResult, Outcome, Record
from archive.ingest.revisions import revision_row
from archive.search import index as search
from archive.storage.content import Content
from archive.storage.database import Database, retrying
from archive.storage.urls import normalize_url

_URL_ROWS = select(URLS.c.normalized_url, URLS.c.url, URLS.c.article_id, URLS.c.id).where(
    URLS.c.normalized_url.in_(bindparam("urls", expanding=True)))
_SAME_BODIES = select(ARTICLES.c.body_hash, ARTICLES.c.language).where(
    ARTICLES.c.body_hash.in_(bindparam("hashes", expanding=True)))
_CURRENT = (select(ARTICLES.c.id, ARTICLES.c.canonical_url, ARTICLES.c.url,
                   ARTICLES.c.removed_at, ARTICLES.c.checked_run_id, ARTICLES.c.kind,
                   REVISIONS.c.content_hash)
            .join(REVISIONS, REVISIONS.c.id == ARTICLES.c.current_revision_id)
            .where(ARTICLES.c.id.in_(bindparam("ids", expanding=True)))
            .order_by(ARTICLES.c.id)
            .with_for_update(of=ARTICLES))  # PostgreSQL: the row lock ``_ingest`` takes
_TAGS_OF = (select(ARTICLE_TAGS.c.article_id, TAGS.c.name)
            .join(TAGS, TAGS.c.id == ARTICLE_TAGS.c.tag_id)
            .where(ARTICLE_TAGS.c.article_id.in_(bindparam("ids", expanding=True)))
            .order_by(ARTICLE_TAGS.c.article_id, ARTICLE_TAGS.c.position))
_TRANSLATIONS_OF = select(TRANSLATIONS.c.article_id, TRANSLATIONS.c.language,
                          TRANSLATIONS.c.url).where(
    TRANSLATIONS.c.article_id.in_(bindparam("ids", expanding=True)))
_NEXT_IDS = {table.name: text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                               f"FROM generate_series(1, :n)") for table in (ARTICLES, REVISIONS,
                                                                             TAGS)}
_LAST_IDS = {table.name: text(f"SELECT coalesce(max(id), 0) FROM {table.name}")
             for table in (ARTICLES, REVISIONS, TAGS)}
_SET_CURRENT = (update(ARTICLES).where(ARTICLES.c.id == bindparam("key_id"))
                .values(current_revision_id=bindparam("revision_id")))
_COUNT = {outcome: update(RUNS).where(RUNS.c.id == bindparam("key_id"))
          .values({column: RUNS.c[column] + bindparam("n")})
          for outcome, column in ((Outcome.NEW, "new"), (Outcome.UNCHANGED, "unchanged"))}


@dataclass
class _Item:
    """One record of the batch with what every case needs of it, computed once."""

    position: int
    record: Record
    fetch: Fetch

    def __post_init__(self) -> None:
        self.own_url, self.canonical, self.seen, self.targets = _addresses(self.record,
                                                                           self.fetch)
        self.normals = {normalize_url(url) for url in self.seen} | self.targets
        # The other pages of its slug family (``<slug>-da/`` ...) and its hreflang links:
        # linked as translations, and it may take their kind.
        self.family = (set(slug_translations.family(self.canonical)[1].values())
                       | set(_translations(self.record).values())) - self.normals

    @cached_property
    def content(self) -> Content:
        return self.record.content.normalized()

    @cached_property
    def body_key(self) -> tuple[str, str] | None:
        """What ``_find_moved`` matches on (None: an empty text is never matched)."""
        if not self.content.text:
            return None
        return self.content.body_fingerprint(), self.record.language


def ingest_batch(conn: Connection, records: Sequence[tuple[Record, Fetch]],
                 run_id: int | None) -> list[IngestResult]:
    """The results of ``_ingest`` for each record in turn, in one transaction."""
    items = [_Item(position, record, fetch) for position, (record, fetch) in
             enumerate(records)]
    results: list[IngestResult | None] = [None] * len(items)
    found = defaultdict(list)
    wanted = sorted({normal for item in items for normal in item.normals | item.family})
    for normal, url, article_id, url_id in conn.execute(_URL_ROWS, {"urls": wanted}):
        found[normal].append((url, article_id, url_id))
    rows = dict(found)  # normalized url -> [(url as written, article id, url id)]
    isolated = _isolated(items, rows)
    named = {normal for item in items for normal in item.normals}
    new = _plainly_new(conn, [item for item in isolated
                              if not any(normal in rows for normal in item.normals)
                              and not any(k in rows or k in named for k in item.family)])
    for item, result in zip(new, _write_new(conn, new, run_id), strict=True):
        results[item.position] = result
    known = [item for item in isolated if any(normal in rows for normal in item.normals)]
    for item, result in _write_unchanged(conn, known, rows, run_id):
        results[item.position] = result
    for item in items:  # every other case, in the batch's order, one by one
        if results[item.position] is None:
            results[item.position] = _ingest(conn, item.record, item.fetch, run_id)
    return results  # type: ignore[return-value]


def _isolated(items: list[_Item], rows: dict[str, list]) -> list[_Item]:
    """The records no other record of the batch shares a URL, a text or an article with."""
    normals = Counter(normal for item in items for normal in item.normals)
    bodies = Counter(item.body_key for item in items if item.body_key)
    reached = [{article_id for normal in item.normals
                for _, article_id, _ in rows.get(normal, ())} for item in items]
    articles = Counter(article_id for ids in reached for article_id in ids)
    return [item for item, ids in zip(items, reached, strict=True)
            if all(normals[normal] == 1 for normal in item.normals)
            and (item.body_key is None or bodies[item.body_key] == 1)
            and all(articles[article_id] == 1 for article_id in ids)]


def _plainly_new(conn: Connection, candidates: list[_Item]) -> list[_Item]:
    """Those whose title and text no archived article has in their language."""
    hashes = sorted({item.body_key[0] for item in candidates if item.body_key})
    taken = set(conn.execute(_SAME_BODIES, {"hashes": hashes}).all()) if hashes else set()
    return [item for item in candidates if item.body_key is None
            or tuple(item.body_key) not in taken]


def _write_new(conn: Connection, items: list[_Item], run_id: int | None
               ) -> list[IngestResult]:
    if not items:
        return []
    article_ids = _insert_rows(conn, ARTICLES, [
        _article_row(item.record, item.content, item.own_url, item.canonical,
                     item.fetch.fetched_at, run_id) for item in items])
    url_rows = []
    for item, article_id in zip(items, article_ids, strict=True):
        inserts, _, _ = _url_rows(article_id, item.canonical, item.seen, item.canonical,
                                  item.fetch, known=set(), existing=set())
        url_rows += inserts
    conn.execute(insert(URLS), url_rows)
    revision_ids = _insert_rows(conn, REVISIONS, [
        revision_row(article_id, 1, item.record, item.content, item.fetch, run_id,
                      change_kind="new") for item, article_id in zip(items, article_ids,
                                                                       strict=True)])
    conn.execute(_SET_CURRENT, [{"key_id": article_id, "revision_id": revision_id}
                                for article_id, revision_id in zip(article_ids, revision_ids,
                                                                   strict=True)])
    _link_tags(conn, [(article_id, _tag_names(item.record))
                      for item, article_id in zip(items, article_ids, strict=True)])
    translations = [{"article_id": article_id, "language": language, "url": url}
                    for item, article_id in zip(items, article_ids, strict=True)
                    for language, url in _translations(item.record).items()]
    if translations:
        conn.execute(insert(TRANSLATIONS), translations)
    search.index_articles(conn, [(article_id, item.record.language, item.content.title,
                                  item.content.text)
                                 for item, article_id in zip(items, article_ids, strict=True)])
    _count(conn, run_id, Outcome.NEW, len(items))
    return [IngestResult(Outcome.NEW, article_id, 1) for article_id in article_ids]


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows with ids taken beforehand, in one ``executemany``; returns the ids, in order.
    (An ``INSERT … RETURNING`` of many rows in a known order is sent row by row on SQLite, and
    is a new statement for psycopg to parse in every batch.) PostgreSQL draws the ids from the
    table's sequence; SQLite takes the next rowids, as it would itself: a writer that got there
    first makes the batch fail on the primary key, and ``retrying`` runs it again."""
    if conn.dialect.name == "postgresql":
        ids = list(conn.scalars(_NEXT_IDS[table.name], {"n": len(rows)}))
    else:
        last = conn.scalar(_LAST_IDS[table.name])
        ids = list(range(last + 1, last + 1 + len(rows)))
    conn.execute(insert(table), [{**row, "id": key} for row, key in zip(rows, ids, strict=True)])
    return ids


def _link_tags(conn: Connection, links: list[tuple[int, list[str]]]) -> None:
    names = list(dict.fromkeys(name for _, article_names in links for name in article_names))
    if not names:
        return
    ids = dict(conn.execute(_TAG_IDS, {"names": names}).all())
    missing = [name for name in names if name not in ids]
    if missing:
        created = _insert_rows(conn, TAGS, [{"name": name} for name in missing])
        ids.update(zip(missing, created, strict=True))
    conn.execute(insert(ARTICLE_TAGS), [
        {"article_id": article_id, "tag_id": ids[name], "position": position}
        for article_id, article_names in links for position, name in enumerate(article_names)])


def _write_unchanged(conn: Connection, candidates: list[_Item], rows: dict[str, list],
                     run_id: int | None) -> list[tuple[_Item, IngestResult]]:
    """Write the records that change nothing but when and how their URLs answered."""
    leads: dict[int, int] = {}  # position -> the article its landing or canonical URL leads to
    for item in candidates:
        reached = {article_id for normal in item.normals
                   for _, article_id, _ in rows.get(normal, ())}
        written = {url for normal in item.normals for url, _, _ in rows.get(normal, ())}
        by_target = [(url_id, article_id) for normal in item.targets
                     for _, article_id, url_id in rows.get(normal, ())]
        if by_target and len(reached) == 1 and set(item.seen) <= written:
            leads[item.position] = min(by_target)[1]
    if not leads:
        return []
    ids = sorted(set(leads.values()))
    current = {row.id: row for row in conn.execute(_CURRENT, {"ids": ids})}
    tags: dict[int, list[str]] = defaultdict(list)
    for article_id, name in conn.execute(_TAGS_OF, {"ids": ids}):
        tags[article_id].append(name)
    translations: dict[int, dict[str, str]] = defaultdict(dict)
    for article_id, language, url in conn.execute(_TRANSLATIONS_OF, {"ids": ids}):
        translations[article_id][language] = url
    done: list[tuple[_Item, IngestResult]] = []
    url_updates: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    article_updates: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    counted = 0
    kind_changed = []
    for item in candidates:
        article = current.get(leads.get(item.position, -1))
        if (article is None or article.removed_at is not None
                or article.canonical_url != item.canonical
                or article.content_hash != item.content.fingerprint()
                or tags[article.id] != _tag_names(item.record)
                or translations[article.id] != _translations(item.record)
                or (article.kind != item.record.kind
                    and item.record.kind == slug_translations.PLAIN_KIND)):
            continue  # ``_ingest`` decides (a translation keeps its family's kind there)
        _, updates, _ = _url_rows(article.id, article.canonical_url, item.seen, item.canonical,
                                  item.fetch, known=set(), existing=set(item.seen))
        for values in updates:
            url_updates[tuple(sorted(values))].append(values)
        values: dict[str, Any] = {"key_id": article.id, "last_seen": item.fetch.fetched_at,
                                  "kind": item.record.kind}
        if run_id is not None:
            values["checked_run_id"] = run_id
        if article.url == article.canonical_url != item.own_url:
            values["url"] = item.own_url  # only the bare key was known (archives before 0005)
        article_updates[tuple(sorted(values))].append(values)
        if article.kind != item.record.kind:
            kind_changed.append(article.id)
        first = run_id is None or article.checked_run_id != run_id
        counted += first and run_id is not None
        done.append((item, IngestResult(Outcome.UNCHANGED, article.id, None, counted=first)))
    for group in url_updates.values():
        conn.execute(_UPDATE_URL, group)
    for group in article_updates.values():
        conn.execute(_UPDATE_ARTICLE, group)
    search.refresh_facets(conn, kind_changed)  # the index's facets follow
    _count(conn, run_id, Outcome.UNCHANGED, counted)
    return done


def _count(conn: Connection, run_id: int | None, outcome: Outcome, n: int) -> None:
    if run_id is not None and n:
        conn.execute(_COUNT[outcome], {"key_id": run_id, "n": n})


def ingest_many(db: Database, items: Sequence[tuple[Record | Mapping[str, Any], Fetch]],
                run_id: int | None = None) -> list[IngestResult]:
    """``ingest`` of several articles in one transaction: the same decisions, one commit, and
    the plainly new and plainly unchanged articles written set-wise (``archive.ingest.batch``).
    A crash keeps all of them or none (the run's counters move with them); the next crawl
    fetches those again."""
    records = [((r if isinstance(r, Record) else Record.from_mapping(r)).fitted(), f)
               for r, f in items]
    return retrying(db, lambda connection: ingest_batch(connection, records, run_id))


