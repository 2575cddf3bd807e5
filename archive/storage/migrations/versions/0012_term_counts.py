"""monthly counts of common search terms (``archive.search.term_counts``); on PostgreSQL the ranking
vectors hold the title only

``kept_terms`` lists the kept keys, ``term_months`` their counts per month, language and kind
(empty until ``nordarchive db count-terms`` or a crawl keeps some); revisions are indexed by
language and time (the change feed of one language). PostgreSQL ranks the
articles whose title holds a query word, as SQLite does: the vectors of ``article_heads``
keep their title terms (weight A) only, written anew in id order so that ranking a common
word's candidates reads few pages.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BATCH = 50_000


def upgrade() -> None:
    op.create_table(
        "kept_terms",
        sa.Column("term", sa.String(300), primary_key=True),  # term_tracking.MAX_KEY
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False))
    op.create_table(
        "term_months",
        sa.Column("term", sa.String(300), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("term", "month", "language", "kind"))
    # the change feed of one language reads its newest revisions in order
    op.create_index("ix_revisions_language_fetched_at", "revisions",
                    ["language", "fetched_at", "id"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE article_heads_new (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id), head tsvector NOT NULL)")
    last = bind.scalar(text("SELECT max(article_id) FROM article_heads")) or 0
    for low in range(0, last, _BATCH):
        bind.execute(text(
            "INSERT INTO article_heads_new(article_id, head) SELECT article_id, "
            "ts_filter(head, '{a}') FROM article_heads WHERE article_id > :low AND "
            "article_id <= :high ORDER BY article_id"), {"low": low, "high": low + _BATCH})
    op.execute("DROP TABLE article_heads")
    op.execute("ALTER TABLE article_heads_new RENAME TO article_heads")
    op.execute("ALTER TABLE article_heads RENAME CONSTRAINT article_heads_new_pkey "
               "TO article_heads_pkey")
    op.execute("ALTER TABLE article_heads RENAME CONSTRAINT "
               "article_heads_new_article_id_fkey TO article_heads_article_id_fkey")
    op.execute("CREATE INDEX ix_article_heads_head ON article_heads USING gin(head)")


def downgrade() -> None:
    op.drop_index("ix_revisions_language_fetched_at", table_name="revisions")
    op.drop_table("term_months")
    op.drop_table("kept_terms")
