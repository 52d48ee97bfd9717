"""Record links (event participants) and suppressions of deleted suggestions.

Revision ID: 0002_links_suppressions
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_links_suppressions"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["records.id"],
            name="fk_record_links_source_id_records",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["records.id"],
            name="fk_record_links_target_id_records",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_record_links"),
        sa.UniqueConstraint("source_id", "target_id", "role", name="uq_record_links_source_id"),
    )
    op.create_index("ix_record_links_target_id", "record_links", ["target_id"])
    op.create_table(
        "extraction_suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name="fk_extraction_suppressions_code_id_codes",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_extraction_suppressions_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_extraction_suppressions"),
        sa.UniqueConstraint(
            "document_id",
            "start",
            "end",
            "code_id",
            name="uq_extraction_suppressions_document_id",
        ),
    )


def downgrade() -> None:
    op.drop_table("extraction_suppressions")
    op.drop_index("ix_record_links_target_id", table_name="record_links")
    op.drop_table("record_links")
