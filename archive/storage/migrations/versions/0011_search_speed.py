"""the filter columns of each article beside its search index entry (its facets): a common
word's matches are counted per month and language without reading an article row

SQLite: the table ``article_facets`` keyed by the FTS rowid (the article id). PostgreSQL: the
same columns in ``article_search``, whose ranking vectors move to a table of their own
(``article_heads``), so that ``article_search`` holds a narrow row per article (its document
lies out of line) and counting a fifth of a million matches reads few pages; it is written
anew (in id order) for that. Both are filled from ``articles``, a batch of ids at a time.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: Articles filled per statement.
_BATCH = 20_000
_FACETS_OF = ("a.language, a.kind, a.published, "
              "CASE WHEN a.published IS NULL THEN a.first_seen END")


def _batched(statement: str, source: str, key: str) -> None:
    bind = op.get_bind()
    last = bind.scalar(text(f"SELECT max({key}) FROM {source}")) or 0
    for low in range(0, last, _BATCH):
        bind.execute(text(statement), {"low": low, "high": low + _BATCH})


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TABLE article_facets (article_id INTEGER PRIMARY KEY, "
                   "language VARCHAR(8), kind VARCHAR(20), published DATE, "
                   "first_seen DATETIME)")
        _batched("INSERT INTO article_facets(article_id, language, kind, published, "
                 f"first_seen) SELECT a.id, {_FACETS_OF} FROM article_fts f JOIN articles a "
                 "ON a.id = f.rowid WHERE f.rowid > :low AND f.rowid <= :high",
                 "article_fts", "rowid")
        return
    op.execute("CREATE TABLE article_heads (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id), head tsvector NOT NULL)")
    _batched("INSERT INTO article_heads(article_id, head) SELECT article_id, head FROM "
             "article_search WHERE article_id > :low AND article_id <= :high",
             "article_search", "article_id")
    op.execute("CREATE INDEX ix_article_heads_head ON article_heads USING gin(head)")
    # A new table, written in id order: updating the rows in place would leave the narrow new
    # versions scattered over the old wide pages, and a count would read them all.
    op.execute("CREATE TABLE article_search_new (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id), document tsvector NOT NULL, language VARCHAR(8), "
               "kind VARCHAR(20), published DATE, first_seen TIMESTAMP WITH TIME ZONE) "
               "WITH (toast_tuple_target = 128)")
    op.execute("ALTER TABLE article_search_new ALTER COLUMN document SET STORAGE EXTERNAL")
    _batched("INSERT INTO article_search_new(article_id, document, language, kind, published, "
             f"first_seen) SELECT s.article_id, s.document, {_FACETS_OF} FROM article_search s "
             "JOIN articles a ON a.id = s.article_id WHERE s.article_id > :low AND "
             "s.article_id <= :high ORDER BY s.article_id", "article_search", "article_id")
    op.execute("DROP TABLE article_search")
    op.execute("ALTER TABLE article_search_new RENAME TO article_search")
    op.execute("ALTER TABLE article_search RENAME CONSTRAINT article_search_new_pkey "
               "TO article_search_pkey")
    op.execute("ALTER TABLE article_search RENAME CONSTRAINT "
               "article_search_new_article_id_fkey TO article_search_article_id_fkey")
    op.execute("CREATE INDEX ix_article_search_document ON article_search "
               "USING gin(document)")


def downgrade() -> None:
    raise NotImplementedError("0011 moves the ranking vectors; restore a backup to go back")
