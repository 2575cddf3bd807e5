"""portal URLs: articles.url (the portal's own URL); listed_urls (what sitemaps, feeds and
pages name, for ``coverage``); article_urls rows that only held the normalised key go

Until 0004 the ingest stored the declared canonical URL only in its normalised form
(``.../nyheter/some-slug`` for ``.../nyheter/some-slug/``): as ``articles.canonical_url``
(kept: it stays the identity key) and as an ``article_urls`` row of kind ``canonical`` that
claims the article was seen there. The declared form itself was never stored, so
``articles.url`` gets the best evidence of it the archive holds: among the article's URLs with
the canonical's identity, one it was fetched at (its revisions', then its captures' URLs), else
one written as seen (not in normalised form), else the key itself.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listed_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("normalized_url", sa.String(length=2048), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("found_on", sa.String(length=2048), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["last_run_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("normalized_url"),
    )
    op.create_index("ix_listed_urls_last_run_id", "listed_urls", ["last_run_id"])
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("url", sa.String(length=2048), nullable=True))
    _fill_article_urls(op.get_bind())
    with op.batch_alter_table("articles") as batch:
        batch.alter_column("url", existing_type=sa.String(length=2048), nullable=False)


def _fill_article_urls(conn) -> None:
    fetched: dict[int, list[str]] = defaultdict(list)  # newest revision first
    for article_id, url in conn.execute(sa.text(
            "SELECT article_id, url FROM revisions ORDER BY article_id, number DESC")):
        fetched[article_id].append(url)
    captured = {url for (url,) in conn.execute(sa.text("SELECT DISTINCT url FROM captures"))}
    evented = {url for (url,) in conn.execute(sa.text(
        "SELECT DISTINCT url FROM article_events WHERE url IS NOT NULL"))}
    urls: dict[int, list[tuple[int, str, str]]] = defaultdict(list)  # newest last_seen first
    for row_id, article_id, url, normal in conn.execute(sa.text(
            "SELECT id, article_id, url, normalized_url FROM article_urls "
            "ORDER BY article_id, last_seen DESC, id DESC")):
        urls[article_id].append((row_id, url, normal))
    updates, doomed = [], []
    for article_id, key in conn.execute(sa.text("SELECT id, canonical_url FROM articles")):
        same = [(row_id, url) for row_id, url, normal in urls[article_id] if normal == key]
        seen_forms = [url for _, url in same if url != key]
        by_fetch = [u for u in fetched[article_id] if u in {url for _, url in same}]
        by_capture = [url for _, url in same if url in captured]
        best = (by_fetch or by_capture or seen_forms or [key])[0]
        updates.append({"id": article_id, "url": best})
        # The normalised key written as a "seen" URL beside the form really seen, and never
        # fetched, captured or named by an event: a URL the portal never served.
        really = set(fetched[article_id]) | captured | evented
        doomed += [row_id for row_id, url in same
                   if url == key and seen_forms and url not in really]
    if updates:
        conn.execute(sa.text("UPDATE articles SET url = :url WHERE id = :id"), updates)
    for start in range(0, len(doomed), 500):
        conn.execute(sa.text("DELETE FROM article_urls WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)),
                     {"ids": doomed[start:start + 500]})


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("url")
    op.drop_index("ix_listed_urls_last_run_id", table_name="listed_urls")
    op.drop_table("listed_urls")
