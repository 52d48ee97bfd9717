"""Initial schema: documents, codebook, records, annotations, evidence, audit log, FTS5.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

APPLICATION_ID = 0x54574231

# Frozen copy of the FTS statement as it stood at this revision (services keep it in step).
FTS_DDL = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
)
# On PostgreSQL: the text's words, stored, under a GIN index (workbench/storage/fts.py),
# frozen too.
SERVER_FTS_DDL = (
    "ALTER TABLE documents ADD COLUMN words tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, translate(text, '!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~', "
    "'                                '))) STORED",
    "CREATE INDEX ix_documents_words ON documents USING gin (words)",
)


def _on_sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("source", sa.String(2000), nullable=True),
        sa.Column("outlet", sa.String(500), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("published", sa.String(10), nullable=True),
        sa.Column("language", sa.String(20), nullable=True),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("encoding", sa.String(40), nullable=True),
        sa.Column("original_name", sa.String(1000), nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("text_sha256", name="uq_documents_text_sha256"),
    )
    op.create_index("ix_documents_original_sha256", "documents", ["original_sha256"])
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("colour", sa.String(9), nullable=False),
        sa.Column("shortcut", sa.String(20), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('record_type', 'code')", name="ck_codes_kind"),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["codes.id"], name="fk_codes_parent_id_codes", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_codes"),
        sa.UniqueConstraint("name", name="uq_codes_name"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(1000), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("date_text", sa.String(200), nullable=True),
        sa.Column("date_edtf", sa.String(100), nullable=True),
        sa.Column("date_earliest", sa.String(10), nullable=True),
        sa.Column("date_latest", sa.String(10), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('suggested', 'accepted', 'rejected')", name="ck_records_status"
        ),
        sa.CheckConstraint("origin IN ('extracted', 'manual')", name="ck_records_origin"),
        sa.ForeignKeyConstraint(
            ["type_id"], ["codes.id"], name="fk_records_type_id_codes", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
    )
    op.create_index("ix_records_type_id", "records", ["type_id"])
    op.create_index("ix_records_date_earliest", "records", ["date_earliest"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="ck_annotations_span"),
        sa.CheckConstraint(
            "status IN ('suggested', 'accepted', 'rejected')", name="ck_annotations_status"
        ),
        sa.CheckConstraint("origin IN ('extracted', 'manual')", name="ck_annotations_origin"),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name="fk_annotations_code_id_codes", ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_annotations_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_annotations"),
    )
    op.create_index("ix_annotations_code_id", "annotations", ["code_id"])
    op.create_index("ix_annotations_document_span", "annotations", ["document_id", "start", "end"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotations.id"],
            name="fk_evidence_annotation_id_annotations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_evidence_record_id_records", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
        sa.UniqueConstraint("record_id", "annotation_id", name="uq_evidence_record_id"),
    )
    op.create_index("ix_evidence_annotation_id", "evidence", ["annotation_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    if not _on_sqlite():
        for ddl in SERVER_FTS_DDL:
            op.execute(ddl)
        return
    for ddl in FTS_DDL:
        op.execute(ddl)
    op.execute(f"PRAGMA application_id={APPLICATION_ID}")


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS documents_fts"
        if _on_sqlite()
        else "DROP INDEX IF EXISTS ix_documents_words"  # its column goes with the table
    )
    op.drop_table("audit_log")
    op.drop_table("evidence")
    op.drop_table("annotations")
    op.drop_table("records")
    op.drop_table("codes")
    op.drop_table("documents")
