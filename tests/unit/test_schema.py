"""The migrations build the schema the models describe, on both backends: a column added to a
model without a migration (or the reverse) fails here, not on a user's archive."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from archive.storage.models import Base

#: Objects only the migrations make, on purpose: the full-text index tables, kept counts.
_MIGRATION_ONLY_TABLES = {"article_fts", "article_fts_data", "article_fts_idx",
                          "article_fts_docsize", "article_fts_config", "article_fts_content",
                          "source_fts", "source_fts_data", "source_fts_idx", "source_fts_docsize",
                          "source_fts_config", "source_fts_content", "article_search",
                          "source_search", "article_heads", "article_facets", "kept_terms",
                          "article_pairs", "article_pairs_data", "article_pairs_idx",
                          "article_pairs_docsize", "article_pairs_config",
                          "term_months", "alembic_version"}


def _table_of(diff) -> str | None:
    kind, *rest = diff if isinstance(diff, tuple) else diff[0]
    obj = rest[0] if rest else None
    if kind in ("add_table", "remove_table"):
        return obj.name
    if kind in ("add_index", "remove_index"):
        return obj.table.name
    if kind in ("add_column", "remove_column"):
        return rest[1]
    if kind.startswith("modify_"):
        return rest[1]
    if kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        return obj.table.name
    return None


def test_the_migrated_schema_is_the_models(database):
    with database.engine.connect() as connection:
        # SQLite's column types are advisory (it reflects BIGINT as INTEGER, keeps the length
        # a column was made with): types are compared on PostgreSQL.
        context = MigrationContext.configure(
            connection, opts={"compare_type": database.dialect == "postgresql"})
        diffs = compare_metadata(context, Base.metadata)
    drift = [d for d in diffs if _table_of(d) not in _MIGRATION_ONLY_TABLES]
    assert drift == []
