"""indexes on when revisions were fetched and events happened: the change feed reads the newest
few of a million revisions through them instead of sorting them all

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_revisions_fetched_at", "revisions", ["fetched_at", "id"])
    op.create_index("ix_article_events_at", "article_events", ["at", "id"])


def downgrade() -> None:
    op.drop_index("ix_article_events_at", table_name="article_events")
    op.drop_index("ix_revisions_fetched_at", table_name="revisions")
