"""The column contracts of the CSV exports (extend at the end, never rename or reorder)."""

from __future__ import annotations

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "record_type",
    "label",
    "status",
    "origin",
    "confidence",
    "document_id",
    "document_title",
    "start",
    "end",
    "quote",
    "date_text",
    "date_edtf",
    "date_earliest",
    "date_latest",
    "annotator",
    "created_at",
    "note",
    # extensions
    "annotation_id",
    "code",
)

TIMELINE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "record_type",
    "label",
    "date_text",
    "date_edtf",
    "date_earliest",
    "date_latest",
    "document_id",
    "document_title",
    "start",
    "end",
    "quote",
    "persons",
    "places",
    # extensions
    "status",
    "event_type",
    "inferred",
)

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "document_id",
    "title",
    "published",
    "source",
    "language",
    "chars",
    "sha256",
    "imported_at",
    # extensions
    "outlet",
    "author",
    "format",
    "original_name",
    "text_sha256",
    "encoding",
    "memo",
)
