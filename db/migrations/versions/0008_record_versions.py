"""Record versions: each write to a record counts up its version, so an edit made on a
record another annotator changed since it was read is refused (``services/steps.py``).

Revision ID: 0008_record_versions
Revises: 0007_merge_conflicts
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_record_versions"
down_revision = "0007_merge_conflicts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE in place, as in 0006: a batch copy would drop every link to a record
    op.add_column("records", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("records", "version")
