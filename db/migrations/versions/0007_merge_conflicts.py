"""Merge conflicts: a record edited differently in a merged copy, kept for the lead to decide.

Revision ID: 0007_merge_conflicts
Revises: 0006_protected_records
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_merge_conflicts"
down_revision = "0006_protected_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merge_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("theirs_sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("source_actors", sa.String(1000), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("found_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.CheckConstraint("state IN ('open', 'ours', 'theirs')", name="ck_merge_conflicts_state"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name="fk_merge_conflicts_record_id_records",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_merge_conflicts"),
        sa.UniqueConstraint(
            "record_id", "field", "theirs_sha256", name="uq_merge_conflicts_record_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("merge_conflicts")
