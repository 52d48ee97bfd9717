"""SQLAlchemy 2 typed models of a project file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from workbench.domain import (
    AnnotationId,
    CodeId,
    CodeKind,
    DocumentId,
    Origin,
    RecordId,
    Status,
)
from workbench.storage.json_column import JSONObject

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ORIGINS = ("extracted", "manual")
CODE_KINDS = ("record_type", "code")


def utcnow() -> datetime:
    """Current time in UTC without tzinfo, as SQLite stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base with the project's naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One imported source; its text is immutable so offsets never drift."""

    __tablename__ = "documents"

    id: Mapped[DocumentId] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(2000))
    outlet: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[str | None] = mapped_column(String(10))  # ISO date YYYY-MM-DD
    language: Mapped[str | None] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str | None] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(1000))
    original_sha256: Mapped[str] = mapped_column(String(64), index=True)
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict[str, Any]] = mapped_column(JSONObject("documents.extra"), default=dict)

    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Code(Base):
    """A codebook entry: a record type (person, place, ...) or a free code."""

    __tablename__ = "codes"
    __table_args__ = (CheckConstraint("kind IN ('record_type', 'code')", name="kind"),)

    id: Mapped[CodeId] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CodeKind] = mapped_column(String(20))
    colour: Mapped[str] = mapped_column(String(9))  # "#rrggbb"
    shortcut: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[CodeId | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A record type's fields, in order: name -> "text" | "number" (the record editor's form)
    fields: Mapped[dict[str, Any]] = mapped_column(
        JSONObject("codes.fields"), default=dict, server_default="{}"
    )


class Record(Base):
    """A typed thing the sources speak of: a person, place, unit, event, figure, ..."""

    __tablename__ = "records"
    __table_args__ = (
        CheckConstraint("status IN ('suggested', 'accepted', 'rejected')", name="status"),
        CheckConstraint("origin IN ('extracted', 'manual')", name="origin"),
        Index("ix_records_date_earliest", "date_earliest"),
        Index("ix_records_label", "label"),
    )

    id: Mapped[RecordId] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[CodeId] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"), index=True)
    label: Mapped[str] = mapped_column(String(1000))
    fields: Mapped[dict[str, Any]] = mapped_column(JSONObject("records.fields"), default=dict)
    status: Mapped[Status] = mapped_column(String(12))
    origin: Mapped[Origin] = mapped_column(String(12))
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    # Fuzzy date: the phrase as written, its EDTF form and inclusive ISO bounds.
    date_text: Mapped[str | None] = mapped_column(String(200))
    date_edtf: Mapped[str | None] = mapped_column(String(100))
    date_earliest: Mapped[str | None] = mapped_column(String(10))
    date_latest: Mapped[str | None] = mapped_column(String(10))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Kept out of exports (and presentation mode) under ``pseudonym``, which, once given,
    # stays with the record even when it is unprotected (``services/records.py``).
    protected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pseudonym: Mapped[str | None] = mapped_column(String(200))
    # Counts the record's writes from 1: every UPDATE through SQLAlchemy adds one, and a step
    # given the version its editor read refuses to write over a newer one (services/steps.py).
    version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1", onupdate=sql_text("version + 1")
    )

    type: Mapped[Code] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="record", cascade="all, delete-orphan", passive_deletes=True
    )


class Annotation(Base):
    """A span of a document's text, in code points, with who marked it and how."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint("status IN ('suggested', 'accepted', 'rejected')", name="status"),
        CheckConstraint("origin IN ('extracted', 'manual')", name="origin"),
        Index("ix_annotations_document_span", "document_id", "start", "end"),
    )

    id: Mapped[AnnotationId] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[DocumentId] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    code_id: Mapped[CodeId] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"), index=True)
    author: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[Origin] = mapped_column(String(12))
    status: Mapped[Status] = mapped_column(String(12))
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(back_populates="annotations")
    code: Mapped[Code] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="annotation", cascade="all, delete-orphan", passive_deletes=True
    )


class Evidence(Base):
    """The link between a record and an annotation that supports it."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("record_id", "annotation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[RecordId] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    annotation_id: Mapped[AnnotationId] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(40), default="mention")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    record: Mapped[Record] = relationship(back_populates="evidence")
    annotation: Mapped[Annotation] = relationship(back_populates="evidence")


class AuditEntry(Base):
    """Who changed what, when: one row per mutating service call."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONObject("audit_log.detail"), default=dict)


class RecordLink(Base):
    """A typed link between two records: an event's participants, places and figures."""

    __tablename__ = "record_links"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[RecordId] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    target_id: Mapped[RecordId] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(40))  # "participant", "place", "unit", "figure"


class Suppression(Base):
    """An extracted span the user deleted, so that re-running extraction does not bring it back."""

    __tablename__ = "extraction_suppressions"
    __table_args__ = (UniqueConstraint("document_id", "start", "end", "code_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[DocumentId] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    code_id: Mapped[CodeId] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Memo(Base):
    """A researcher's memo on the project (no document) or on one document. A record's memo
    is its note, so a memo is written and found the same way whatever it is about."""

    __tablename__ = "memos"
    __table_args__ = (UniqueConstraint("document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[DocumentId | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MergeConflict(Base):
    """One field of a record that a merged copy holds otherwise, kept for the lead to decide
    (``services/merge_conflicts.py``); its text goes with the record when that is deleted."""

    __tablename__ = "merge_conflicts"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'ours', 'theirs')", name="state"),
        UniqueConstraint("record_id", "field", "theirs_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[RecordId] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(20))  # label, type, status, date, note, fields
    theirs: Mapped[str] = mapped_column(Text)  # the copy's value as canonical JSON
    theirs_sha256: Mapped[str] = mapped_column(String(64))  # of ``theirs``: one row a value
    source: Mapped[str] = mapped_column(String(1000))  # the file merged from
    source_actors: Mapped[str] = mapped_column(String(1000))  # who worked on it there
    state: Mapped[str] = mapped_column(String(10), default="open")  # open, ours, theirs
    found_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    found_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))
