"""what each revision changed: the fields, how many words, whether figures changed, whether
only spelling, and a significance (``archive.storage.changes``), filled for every revision

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from archive.storage.changes import fill

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("changed_fields", sa.String(length=100), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("words_added", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("words_removed", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("changed_share", sa.Float(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("numbers_changed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("minor", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("significance", sa.String(length=20), nullable=True))
        batch.create_index("ix_revisions_significance_fetched_at",
                           ["significance", "fetched_at", "id"])
    fill(op.get_bind())
