"""An index on record labels: extraction asks, for every stored piece, which type the
project gives each name it found.

Revision ID: 0005_record_labels
Revises: 0004_memos
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0005_record_labels"
down_revision = "0004_memos"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_label", "records", ["label"])


def downgrade() -> None:
    op.drop_index("ix_records_label", table_name="records")
