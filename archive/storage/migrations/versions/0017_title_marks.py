"""PostgreSQL: each document vector marks its title's stems (``^sv:flykt``)

A query of several words ranks the matches with a query word in the title; with the title's
stems marked in the document, one scan of the documents' GIN index finds them, led by the
titles' short posting lists (``archive.search.terms.title_marks``). The marks are the stems of
the ranking vectors (``article_heads``). ``article_search`` is written anew in id order, as
0011 wrote it (updated in place, its narrow rows would lie scattered over twice the pages, and
counting a common word's matches would read them all). SQLite: nothing changes (its index has
a title column of its own).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: Articles copied per statement.
_BATCH = 20_000
_MARKS = ("COALESCE(array_to_tsvector(ARRAY(SELECT '^' || substr(l, 2) FROM "
          "unnest(tsvector_to_array(h.head)) l)), ''::tsvector)")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    op.execute("CREATE TABLE article_search_new (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id), document tsvector NOT NULL, language VARCHAR(8), "
               "kind VARCHAR(20), published DATE, first_seen TIMESTAMP WITH TIME ZONE) "
               "WITH (toast_tuple_target = 128)")
    op.execute("ALTER TABLE article_search_new ALTER COLUMN document SET STORAGE EXTERNAL")
    last = bind.scalar(text("SELECT max(article_id) FROM article_search")) or 0
    for low in range(0, last, _BATCH):
        bind.execute(text(
            "INSERT INTO article_search_new(article_id, document, language, kind, published, "
            f"first_seen) SELECT s.article_id, s.document || {_MARKS}, s.language, s.kind, "
            "s.published, s.first_seen FROM article_search s LEFT JOIN article_heads h "
            "ON h.article_id = s.article_id WHERE s.article_id > :low AND "
            "s.article_id <= :high ORDER BY s.article_id"), {"low": low, "high": low + _BATCH})
    op.execute("DROP TABLE article_search")
    op.execute("ALTER TABLE article_search_new RENAME TO article_search")
    op.execute("ALTER TABLE article_search RENAME CONSTRAINT article_search_new_pkey "
               "TO article_search_pkey")
    op.execute("ALTER TABLE article_search RENAME CONSTRAINT "
               "article_search_new_article_id_fkey TO article_search_article_id_fkey")
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")  # a GIN index over every document
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin(document)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    # The marks only add lexemes of their own: removing them leaves the documents as they were.
    op.execute("UPDATE article_search SET document = ts_delete(document, ARRAY(SELECT l FROM "
               "unnest(tsvector_to_array(document)) l WHERE l LIKE '^%'))")
