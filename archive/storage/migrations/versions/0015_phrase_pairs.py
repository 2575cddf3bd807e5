"""an index of each article's word pairs: a query of phrases is answered from it

A phrase of n words is its n-1 word pairs in a row (``archive.search.terms.pairs``), so it is
found without reading where its common words occur. SQLite: the contentless FTS5 table
``article_pairs`` (rowid the article id; title and text pairs). PostgreSQL: ``article_pairs``,
one vector of pairs per article with a GIN index. Both are filled from the index entries of
today, a batch of articles at a time.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

from archive.search.index import pair_row

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_BATCH = 2000
_ENTRIES = {
    "sqlite": "SELECT rowid, title, text FROM article_fts WHERE rowid > :last ORDER BY rowid "
              "LIMIT :n",
    "postgresql": "SELECT a.id, r.title, r.text FROM article_search s JOIN articles a ON "
                  "a.id = s.article_id JOIN revisions r ON r.id = a.current_revision_id "
                  "WHERE s.article_id > :last AND a.id > :last ORDER BY s.article_id LIMIT :n",
}
_INSERT = {
    "sqlite": "INSERT INTO article_pairs(rowid, title, text) VALUES (:id, :title, :text)",
    "postgresql": "INSERT INTO article_pairs(article_id, pairs) VALUES "
                  "(:id, CAST(:pairs AS tsvector))",
}


def _fill(dialect: str) -> None:
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(text(_ENTRIES[dialect]), {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        bind.execute(text(_INSERT[dialect]),
                     [pair_row(i, title or "", body or "", dialect) for i, title, body in rows])
        last = rows[-1][0]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_pairs USING fts5(title, text, content='', "
                   "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")")
        _fill(dialect)
        return
    op.execute("CREATE TABLE article_pairs (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id), pairs tsvector NOT NULL)")
    _fill(dialect)
    # built once, after the rows: a GIN build with the default 64 MB writes its millions of
    # keys out many times over
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.execute("CREATE INDEX ix_article_pairs_pairs ON article_pairs USING gin(pairs)")


def downgrade() -> None:
    op.execute("DROP TABLE article_pairs")
