"""full-text search: FTS5 on SQLite, per-language tsvector on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Keep in step with archive.search.index.PG_CONFIGS (a migration must not import changing code).
_PG_CONFIG = """CASE a.language WHEN 'sv' THEN 'swedish' WHEN 'fi' THEN 'finnish'
    WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian'
    WHEN 'da' THEN 'danish' WHEN 'en' THEN 'english' ELSE 'simple' END::regconfig"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # unicode61 with remove_diacritics 0 keeps å ä ö æ ø ð þ distinct from a o d t.
        op.execute("CREATE VIRTUAL TABLE article_fts USING fts5("
                   "title, text, tokenize = 'unicode61 remove_diacritics 0')")
        op.execute("INSERT INTO article_fts(rowid, title, text) SELECT a.id, r.title, r.text "
                   "FROM articles a JOIN revisions r ON r.id = a.current_revision_id")
    else:
        op.execute("CREATE TABLE article_search (article_id INTEGER PRIMARY KEY "
                   "REFERENCES articles(id), config regconfig NOT NULL, document tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin(document)")
        op.execute(f"INSERT INTO article_search(article_id, config, document) "
                   f"SELECT a.id, {_PG_CONFIG}, "
                   f"setweight(to_tsvector({_PG_CONFIG}, r.title), 'A') || "
                   f"to_tsvector({_PG_CONFIG}, r.text) "
                   f"FROM articles a JOIN revisions r ON r.id = a.current_revision_id")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE article_fts")
    else:
        op.execute("DROP TABLE article_search")
