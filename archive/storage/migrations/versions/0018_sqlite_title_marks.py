"""SQLite: the search index marks each title's stems in a column of their own (``0svflykt``)

A query of several words ranks the matches with a query word in the title. A column filter
(``{stem_title}: svflykt``) reads each word's whole list, text and title alike; a marked stem
is a term of its own whose list holds the titles alone, and leads the intersection of the
words' long lists (``archive.search.terms.fts5_marks``, ``fts5_marked``). FTS5 cannot add a
column: ``article_fts`` is written anew with ``marks``, copied in rowid order a batch at a time
(about two minutes a million articles). PostgreSQL: nothing changes (migration 0017 marked its
documents).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: Index entries copied per statement.
_BATCH = 50_000
#: ``fts5_marks`` in SQL: the stems of ``stem_title`` are joined by single spaces.
_MARKS = "CASE WHEN stem_title = '' THEN '' ELSE '0' || replace(stem_title, ' ', ' 0') END"
_COLUMNS = "title, text, stem_title, stem_text"


def _rebuild(columns: str, values: str) -> None:
    bind = op.get_bind()
    op.execute(f"CREATE VIRTUAL TABLE article_fts_new USING fts5({columns}, "
               "tokenize = 'unicode61 remove_diacritics 0')")
    last = bind.scalar(text("SELECT max(rowid) FROM article_fts")) or 0
    for low in range(0, last, _BATCH):
        bind.execute(text(
            f"INSERT INTO article_fts_new(rowid, {columns}) SELECT rowid, {values} "
            "FROM article_fts WHERE rowid > :low AND rowid <= :high ORDER BY rowid"),
            {"low": low, "high": low + _BATCH})
    op.execute("DROP TABLE article_fts")
    op.execute("ALTER TABLE article_fts_new RENAME TO article_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(f"{_COLUMNS}, marks", f"{_COLUMNS}, {_MARKS}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(_COLUMNS, _COLUMNS)
