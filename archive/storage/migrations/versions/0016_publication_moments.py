"""the moments behind a revision's publication and update days

``published`` and ``modified`` are calendar days in the publisher's time zone; where the page
gave a time with its zone, ``published_at`` and ``modified_at`` keep the moment (UTC). Revisions
archived before stay without one until ``nordarchive reextract`` reads their captures again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("modified_at")
        batch.drop_column("published_at")
