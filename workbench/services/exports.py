"""Exports: records, annotations and documents as CSV for reports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from workbench.errors import InvalidInputError
from workbench.export.columns import (
    DOCUMENT_COLUMNS,
    EXPORT_FORMATS,
    EXPORT_KINDS,
    RECORD_COLUMNS,
    TIMELINE_COLUMNS,
)
from workbench.export.safe_csv import Cell, write_csv
from workbench.storage.models import Annotation, Code, Document, Evidence, Memo, Record

if TYPE_CHECKING:
    from workbench.project import Project

BATCH = 1000


class NotAvailableYetError(InvalidInputError):
    """An export kind or format that a later version will provide."""


class ExportService:
    """Write the project's data to files other tools read."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def export(self, kind: str, fmt: str, output: Path, *, safe: bool = True) -> int:
        """Write one export; returns the number of data rows written."""
        if kind not in EXPORT_KINDS:
            raise InvalidInputError(f"unknown export '{kind}' (known: {', '.join(EXPORT_KINDS)})")
        if fmt not in EXPORT_FORMATS:
            raise InvalidInputError(f"unknown format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")
        if fmt != "csv":
            raise NotAvailableYetError(f"export of {kind} as {fmt} is not available yet")
        output = self.check_output(output)
        header, rows = self._table(kind)
        try:
            return write_csv(output, header, rows, safe=safe)
        except OSError as exc:
            raise InvalidInputError(f"cannot write {output}: {exc.strerror}") from exc

    def check_output(self, output: Path) -> Path:
        """The resolved path an export may write to; refuses the project file itself and
        folders that do not exist."""
        output = Path(output).expanduser().resolve()
        if output == self._project.path:
            raise InvalidInputError("refusing to overwrite the project file with an export")
        if not output.parent.is_dir():
            raise InvalidInputError(f"folder {output.parent} does not exist")
        return output

    def _table(self, kind: str) -> tuple[Sequence[str], Iterator[Sequence[Cell]]]:
        if kind == "documents":
            return DOCUMENT_COLUMNS, self._document_rows()
        if kind == "records":
            return RECORD_COLUMNS, self._span_rows(self._records_query())
        if kind == "timeline":
            return TIMELINE_COLUMNS, self._timeline_rows()
        return RECORD_COLUMNS, self._span_rows(self._annotations_query())

    def _timeline_rows(self) -> Iterator[Sequence[Cell]]:
        """One row per dated record (not rejected), by earliest date, then one per record
        whose year is unknown (empty bounds): its first passage and the people and places
        linked to it, each joined by "; "."""
        for item in self._project.timeline.items():
            first = item.passages[0] if item.passages else None
            passage: tuple[Cell, ...] = (
                (first.document_id, first.document_title, first.start, first.end, first.quote)
                if first
                else (None,) * 5
            )
            date = item.date
            yield (
                item.record_id, item.record_type, item.label, date.text, date.edtf,
                date.earliest.isoformat() if date.earliest else None,
                date.latest.isoformat() if date.latest else None,
                *passage,
                "; ".join(item.persons), "; ".join(item.places),
                item.status, item.event_type, "yes" if item.inferred else "",
            )  # fmt: skip

    def _document_rows(self) -> Iterator[Sequence[Cell]]:
        query = (
            select(
                Document.id,
                Document.title,
                Document.published,
                Document.source,
                Document.language,
                Document.chars,
                Document.original_sha256,
                Document.imported_at,
                Document.outlet,
                Document.author,
                Document.format,
                Document.original_name,
                Document.text_sha256,
                Document.encoding,
                Memo.text,
            )
            .outerjoin(Memo, Memo.document_id == Document.id)
            .order_by(Document.id)
        )
        with self._project.session() as session:
            for row in session.execute(query.execution_options(yield_per=BATCH)):
                yield tuple(row)

    @staticmethod
    def _span_select(review: type[Record | Annotation], code: Any) -> Select[*tuple[Any, ...]]:
        """Columns of a span row; ``review`` says whose status, origin, confidence, note."""
        return select(
            Record.id, Code.name, Record.label, review.status, review.origin,
            review.confidence, Document.id, Document.title, Annotation.start, Annotation.end,
            Annotation.quote, Record.date_text, Record.date_edtf, Record.date_earliest,
            Record.date_latest, Annotation.author, Record.created_by, Annotation.created_at,
            Record.created_at, review.note, Annotation.id, code.name,
        )  # fmt: skip

    def _records_query(self) -> Select[*tuple[Any, ...]]:
        """One row per record evidence span; records without evidence get one empty-span row."""
        code = aliased(Code)
        return (
            self._span_select(Record, code)
            .join(Code, Record.type_id == Code.id)
            .outerjoin(Evidence, Evidence.record_id == Record.id)
            .outerjoin(Annotation, Evidence.annotation_id == Annotation.id)
            .outerjoin(code, Annotation.code_id == code.id)
            .outerjoin(Document, Annotation.document_id == Document.id)
            .order_by(Record.id, Document.id, Annotation.start, Annotation.id)
        )

    def _annotations_query(self) -> Select[*tuple[Any, ...]]:
        """One row per annotation (and per record it supports), in document order."""
        code = aliased(Code)
        return (
            self._span_select(Annotation, code)
            .select_from(Annotation)
            .join(Document, Annotation.document_id == Document.id)
            .join(code, Annotation.code_id == code.id)
            .outerjoin(Evidence, Evidence.annotation_id == Annotation.id)
            .outerjoin(Record, Evidence.record_id == Record.id)
            .outerjoin(Code, Record.type_id == Code.id)
            .order_by(Document.id, Annotation.start, Annotation.end, Annotation.id, Record.id)
        )

    def _span_rows(self, query: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Cell]]:
        """Rows in RECORD_COLUMNS order; code-only annotations take their code as the type."""
        with self._project.session() as session:
            for row in session.execute(query.execution_options(yield_per=BATCH)):
                r: tuple[Cell, ...] = tuple(row)
                # r[15]/r[16]: annotation/record author; r[17]/r[18]: their creation times.
                yield (
                    r[0], r[1] or r[21], *r[2:15], r[15] or r[16], r[17] or r[18],
                    r[19], r[20], r[21],
                )  # fmt: skip
