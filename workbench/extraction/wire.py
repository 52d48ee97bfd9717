"""Pieces of documents and their suggestions as JSON, between the project's owner and an
extraction process.

The extraction process never opens the project file (only its owner writes it): the owner
sends each piece of a document (``PieceInput``) and receives its suggestions in this form.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from workbench.extraction.dates import FuzzyDate
from workbench.extraction.pieces import KnownName
from workbench.extraction.pipeline import DocumentExtraction, PieceInput, Suggestion


def piece_to_json(piece: PieceInput) -> dict[str, Any]:
    """A piece of a document to extract from, as sent to the extraction process."""
    return {
        "id": piece.document,
        "start": piece.start,
        "text": piece.text,
        "published": piece.published.isoformat() if piece.published else None,
        "language": piece.language,
        "before": piece.before,
        "first": piece.first,
        "last": piece.last,
        "known": [asdict(name) for name in piece.known],
    }


def piece_from_json(data: dict[str, Any]) -> PieceInput:
    """The inverse of ``piece_to_json``."""
    published = date.fromisoformat(data["published"]) if data.get("published") else None
    return PieceInput(
        int(data["id"]), int(data["start"]), str(data["text"]), published, data.get("language"),
        before=str(data.get("before", "")), first=bool(data.get("first", True)),
        last=bool(data.get("last", True)),
        known=[KnownName(**name) for name in data.get("known", [])],
    )  # fmt: skip


def extraction_to_json(extraction: DocumentExtraction) -> dict[str, Any]:
    """One document's suggestions and notes, as sent back to the owner."""
    return {
        "notes": list(extraction.notes),
        "suggestions": [_suggestion_to_json(s) for s in extraction.suggestions],
    }


def extraction_from_json(data: dict[str, Any]) -> DocumentExtraction:
    """The inverse of ``extraction_to_json``."""
    return DocumentExtraction(
        suggestions=[_suggestion_from_json(s) for s in data["suggestions"]],
        notes=[str(n) for n in data["notes"]],
    )


def _suggestion_to_json(s: Suggestion) -> dict[str, Any]:
    return {
        "key": s.key,
        "type": s.type,
        "label": s.label,
        "confidence": s.confidence,
        "spans": [list(span) for span in s.spans],
        "fields": s.fields,
        "date": _date_to_json(s.date) if s.date else None,
        "links": [list(link) for link in s.links],
    }


def _suggestion_from_json(data: dict[str, Any]) -> Suggestion:
    return Suggestion(
        key=str(data["key"]),
        type=str(data["type"]),
        label=str(data["label"]),
        confidence=float(data["confidence"]),
        spans=[(int(a), int(b)) for a, b in data["spans"]],
        fields=dict(data["fields"]),
        date=_date_from_json(data["date"]) if data.get("date") else None,
        links=[(str(role), str(key)) for role, key in data["links"]],
    )


def _date_to_json(d: FuzzyDate) -> dict[str, Any]:
    return {
        "text": d.text,
        "edtf": d.edtf,
        "earliest": d.earliest.isoformat() if d.earliest else None,
        "latest": d.latest.isoformat() if d.latest else None,
        "precision": d.precision,
        "inferred": d.inferred,
        "confidence": d.confidence,
    }


def _date_from_json(data: dict[str, Any]) -> FuzzyDate:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return FuzzyDate(
        text=str(data["text"]),
        edtf=str(data["edtf"]),
        earliest=day(data["earliest"]),
        latest=day(data["latest"]),
        precision=str(data["precision"]),
        inferred=bool(data["inferred"]),
        confidence=float(data["confidence"]),
    )
