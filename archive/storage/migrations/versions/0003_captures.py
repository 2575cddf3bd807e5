"""captures: WARC records of raw responses, linked from revisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("normalized_url", sa.String(length=2048), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("warc_file", sa.String(length=255), nullable=False),
        sa.Column("offset", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("payload_digest", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("refers_to_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_runs.id"]),
        sa.ForeignKeyConstraint(["refers_to_id"], ["captures.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_captures_crawl_run_id", "captures", ["crawl_run_id"])
    op.create_index("ix_captures_normalized_url", "captures", ["normalized_url"])
    op.create_index("ix_captures_payload_digest", "captures", ["payload_digest"])
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("capture_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_revisions_capture", "captures", ["capture_id"], ["id"])
        batch.create_index("ix_revisions_capture_id", ["capture_id"])


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_index("ix_revisions_capture_id")
        batch.drop_constraint("fk_revisions_capture", type_="foreignkey")
        batch.drop_column("capture_id")
    op.drop_table("captures")
