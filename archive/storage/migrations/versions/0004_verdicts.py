"""verdicts: what a removal served, one count per article and run, skipped articles

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article_events") as batch:
        batch.add_column(sa.Column("final_url", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("page_kind", sa.String(length=40), nullable=True))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("checked_run_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("skipped", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("skipped")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("checked_run_id")
    with op.batch_alter_table("article_events") as batch:
        batch.drop_column("page_kind")
        batch.drop_column("final_url")
