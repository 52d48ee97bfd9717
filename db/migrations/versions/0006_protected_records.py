"""Protected records: a record can be kept out of exports under a stable pseudonym.

Revision ID: 0006_protected_records
Revises: 0005_record_labels
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_protected_records"
down_revision = "0005_record_labels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE in place: a batch copy would drop the table, and with it (foreign keys on)
    # every passage's link to a record and every link between records
    op.add_column(
        # false(): "DEFAULT 0" in SQLite, "DEFAULT false" on PostgreSQL
        "records",
        sa.Column("protected", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("records", sa.Column("pseudonym", sa.String(200), nullable=True))


def downgrade() -> None:
    op.drop_column("records", "pseudonym")
    op.drop_column("records", "protected")
