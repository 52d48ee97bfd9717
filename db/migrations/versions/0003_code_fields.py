"""Record types name their fields in the codebook (the record editor reads them from there).

Revision ID: 0003_code_fields
Revises: 0002_links_suppressions
Create Date: 2026-12-07
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003_code_fields"
down_revision = "0002_links_suppressions"
branch_labels = None
depends_on = None

# The fields the default record types had in the record editor before they became data.
DEFAULT_FIELDS = {
    "person": {"title": "text", "kind": "text"},
    "place": {"kind": "text"},
    "organization": {"kind": "text"},
    "figure": {
        "value": "number", "min": "number", "max": "number",
        "unit": "text", "qualifier": "text", "total": "number",
    },
}  # fmt: skip

codes = sa.table(
    "codes",
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("fields", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("codes") as batch:
        batch.add_column(sa.Column("fields", sa.JSON(), nullable=False, server_default="{}"))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, fields in DEFAULT_FIELDS.items():
        value = sa.literal(json.dumps(fields))  # PostgreSQL wants it cast to its JSON type
        op.execute(
            codes.update()
            .where(codes.c.name == name, codes.c.kind == "record_type")
            .values(fields=value if sqlite else sa.cast(value, sa.JSON))
        )


def downgrade() -> None:
    with op.batch_alter_table("codes") as batch:
        batch.drop_column("fields")
