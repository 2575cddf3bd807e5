"""sources: the pages and documents articles cite, one hop out, their captures and their
search index (SQLite FTS5 ``source_fts``, PostgreSQL ``source_search``: the same terms as the
articles' index)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("normalized_url", sa.String(length=2048), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_cited", tz, nullable=False),
        sa.Column("first_captured", tz, nullable=True),
        sa.Column("last_checked", tz, nullable=True),
        sa.Column("next_check", tz, nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("gone_at", tz, nullable=True),
        sa.Column("gone_reason", sa.String(length=40), nullable=True),
        sa.Column("dns_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("etag", sa.String(length=512), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("current_capture_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("chars", sa.Integer(), server_default="0", nullable=False),
        # SQLite cannot add a foreign key later; PostgreSQL gets it once both tables exist.
        *([sa.ForeignKeyConstraint(["current_capture_id"], ["source_captures.id"],
                                   name="fk_sources_current_capture")] if _sqlite() else []),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("normalized_url"),
    )
    op.create_index("ix_sources_host", "sources", ["host"])
    op.create_index("ix_sources_next_check", "sources", ["next_check"])
    op.create_index("ix_sources_gone_at", "sources", ["gone_at"])
    op.create_table(
        "source_captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("fetched_at", tz, nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"]),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_source_captures_source_id", "source_captures", ["source_id"])
    op.create_index("ix_source_captures_crawl_run_id", "source_captures", ["crawl_run_id"])
    op.create_index("ix_source_captures_capture_id", "source_captures", ["capture_id"])
    if not _sqlite():
        op.create_foreign_key("fk_sources_current_capture", "sources", "source_captures",
                              ["current_capture_id"], ["id"])
    op.create_table(
        "article_sources",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_cited", tz, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"]),
        sa.PrimaryKeyConstraint("article_id", "source_id"),
    )
    op.create_index("ix_article_sources_source_id", "article_sources", ["source_id"])
    # The sources' text is searched like the articles' (archive.search.terms): one entry per
    # source, its current capture.
    if _sqlite():
        op.execute("CREATE VIRTUAL TABLE source_fts USING fts5(title, text, stem_title, "
                   "stem_text, tokenize = 'unicode61 remove_diacritics 0')")
    else:
        op.execute("CREATE TABLE source_search (source_id INTEGER PRIMARY KEY "
                   "REFERENCES sources(id), document tsvector NOT NULL, head tsvector NOT NULL)"
                   " WITH (toast_tuple_target = 128)")
        op.execute("ALTER TABLE source_search ALTER COLUMN document SET STORAGE EXTERNAL, "
                   "ALTER COLUMN head SET STORAGE MAIN")
        op.execute("CREATE INDEX ix_source_search_document ON source_search "
                   "USING gin(document)")


def downgrade() -> None:
    if _sqlite():
        op.execute("DROP TABLE source_fts")
    else:
        op.execute("DROP TABLE source_search")
        op.drop_constraint("fk_sources_current_capture", "sources", type_="foreignkey")
    op.drop_table("article_sources")
    op.drop_table("source_captures")
    op.drop_table("sources")
