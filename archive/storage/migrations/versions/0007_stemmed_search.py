"""search index of exact words and Snowball stems, the same terms on SQLite and PostgreSQL

Rebuilds the index of every article's current revision: on SQLite a new FTS5 table with the
stems beside the text, on PostgreSQL tsvectors built from the same terms plus a small ranking
vector (title and lead).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from alembic import op
from sqlalchemy import text

from archive.search.index import index_row

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_BATCH = 1000


def _rebuild(insert: str) -> None:
    """Index every current revision, a batch at a time (the index format lives in
    archive.search.terms; a change of it comes with a migration of its own that rebuilds)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(text(
            "SELECT a.id, a.language, r.title, r.text FROM articles a JOIN revisions r "
            "ON r.id = a.current_revision_id WHERE a.id > :last ORDER BY a.id LIMIT :n"),
            {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        bind.execute(text(insert), [index_row(i, lang, title, body, bind.dialect.name)
                                    for i, lang, title, body in rows])
        last = rows[-1][0]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE article_fts")
        # unicode61 with remove_diacritics 0 keeps å ä ö æ ø ð þ distinct from a o d t.
        op.execute("CREATE VIRTUAL TABLE article_fts USING fts5(title, text, stem_title, "
                   "stem_text, tokenize = 'unicode61 remove_diacritics 0')")
        _rebuild("INSERT INTO article_fts(rowid, title, text, stem_title, stem_text) "
                 "VALUES (:id, :title, :text, :stem_title, :stem_text)")
    else:
        op.execute("DROP TABLE article_search")
        # The large document lives out of line (TOAST): a search visits tens of thousands of
        # rows for their small ranking vector (head) and never reads the documents.
        op.execute("CREATE TABLE article_search (article_id INTEGER PRIMARY KEY "
                   "REFERENCES articles(id), document tsvector NOT NULL, head tsvector NOT NULL)"
                   " WITH (toast_tuple_target = 128)")
        op.execute("ALTER TABLE article_search ALTER COLUMN document SET STORAGE EXTERNAL, "
                   "ALTER COLUMN head SET STORAGE MAIN")
        _rebuild("INSERT INTO article_search(article_id, document, head) VALUES "
                 "(:id, CAST(:document AS tsvector), CAST(:head AS tsvector))")
        op.execute("CREATE INDEX ix_article_search_document ON article_search "
                   "USING gin(document)")
        op.execute("CREATE INDEX ix_article_search_head ON article_search USING gin(head)")


def downgrade() -> None:
    raise NotImplementedError("0004 rebuilds the search index; restore a backup to go back")
