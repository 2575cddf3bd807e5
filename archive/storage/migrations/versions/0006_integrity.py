"""integrity: archive identity, 64-bit counters and offsets, wider tags, documented statuses

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Every archive gets a UUID (``archive_identity``) that its WARC files carry. Run counters,
``bytes_fetched`` and capture offsets become 64-bit (a crawl over 2 GB overflowed a 32-bit
integer on PostgreSQL); ``tags.name`` is widened. SQLite stores every integer in 64 bits and
ignores lengths, so only PostgreSQL columns are altered. Runs whose status held a raw close
reason (``closespider_pagecount``, ``archive_error: …``) get a documented status, the reason
moving to ``message``.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COUNTERS = ("new", "revised", "unchanged", "removed", "restored", "aliases", "failed",
             "skipped", "pages_fetched", "bytes_fetched")
_STATUSES = ("running", "finished", "interrupted", "failed", "unreachable")


def upgrade() -> None:
    identity = op.create_table(
        "archive_identity",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uuid"),
    )
    op.bulk_insert(identity, [{"uuid": str(uuid.uuid4()), "created_at": datetime.now(UTC)}])
    if op.get_bind().dialect.name == "postgresql":
        for column in _COUNTERS:
            op.alter_column("crawl_runs", column, type_=sa.BigInteger(),
                            existing_type=sa.Integer())
        for column in ("offset", "length"):
            op.alter_column("captures", column, type_=sa.BigInteger(),
                            existing_type=sa.Integer())
        op.alter_column("tags", "name", type_=sa.String(length=500),
                        existing_type=sa.String(length=200))
    runs = sa.table("crawl_runs", sa.column("status", sa.String), sa.column("message", sa.Text))
    undocumented = runs.c.status.not_in(_STATUSES)
    reason = sa.func.coalesce(runs.c.message, runs.c.status)
    op.execute(runs.update().where(undocumented, runs.c.status == "closespider_pagecount")
               .values(status="finished", message=reason))
    op.execute(runs.update().where(undocumented).values(status="failed", message=reason))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("tags", "name", type_=sa.String(length=200),
                        existing_type=sa.String(length=500))
        for column in ("offset", "length"):
            op.alter_column("captures", column, type_=sa.Integer(),
                            existing_type=sa.BigInteger())
        for column in _COUNTERS:
            op.alter_column("crawl_runs", column, type_=sa.Integer(),
                            existing_type=sa.BigInteger())
    op.drop_table("archive_identity")
