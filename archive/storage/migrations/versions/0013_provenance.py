"""provenance of observations from web archives: who observed each revision and capture and
where it came from

``revisions.origin`` and ``captures.origin`` name the observer (``site`` for our crawls, the
web archive's name for a backfill, ``import`` for a WARC file); ``source`` is the memento URI a
backfilled capture came from, or the file and record of an imported one. ``crawl_runs.kind``
tells a crawl from a backfill or an import.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.alter_column("origin", existing_type=sa.String(length=20),
                           type_=sa.String(length=100), existing_nullable=False)
        batch.add_column(sa.Column("source", sa.String(length=2048), nullable=True))
    with op.batch_alter_table("captures") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=100), nullable=False,
                                   server_default="site"))
        batch.add_column(sa.Column("source", sa.String(length=2048), nullable=True))
        batch.create_index("ix_captures_source", ["source"])
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=False,
                                   server_default="crawl"))
