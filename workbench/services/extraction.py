"""Extraction: store suggestions idempotently, never touching what the user decided."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, Progress
from workbench.errors import NotFoundError
from workbench.extraction.pipeline import DocumentExtraction, DocumentInput, Extractor, Suggestion
from workbench.services.audit import audit
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Record,
    RecordLink,
    Suppression,
)

if TYPE_CHECKING:
    from workbench.project import Project


@dataclass
class ExtractionReport:
    """What a run added, per record type, and what the user should know."""

    documents: int = 0
    added: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (document id, note)
    cancelled: bool = False
    changes: ChangeSet = field(default_factory=ChangeSet)


class ExtractionService:
    """Run extraction over documents and store what it suggests."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._extractor = Extractor()

    def run(
        self,
        document_ids: list[int] | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> ExtractionReport:
        """Extract from the given documents (all when None); each document commits on its own."""
        ids = self._document_ids(document_ids)
        report = ExtractionReport()
        inputs = self._inputs(ids, cancel)
        for done, (doc_id, extraction) in enumerate(
            zip(ids, self._extractor.extract(inputs), strict=False)
        ):
            if progress is not None:
                progress(done, len(ids), f"document {doc_id}")
            self._store(doc_id, extraction, report)
            report.documents += 1
            report.notes += [(doc_id, note) for note in extraction.notes]
            if cancel is not None and cancel.is_set():
                break
        report.cancelled = report.documents < len(ids)
        if progress is not None:
            progress(report.documents, len(ids), "")
        return report

    def _document_ids(self, document_ids: list[int] | None) -> list[int]:
        with self._project.session() as session:
            known = list(session.scalars(select(Document.id).order_by(Document.id)))
        if document_ids is None:
            return known
        missing = sorted(set(document_ids) - set(known))
        if missing:
            raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
        return list(dict.fromkeys(document_ids))

    def _inputs(self, ids: list[int], cancel: CancelFlag | None) -> Iterator[DocumentInput]:
        """Documents read lazily, one at a time, so memory stays flat on big projects."""
        for doc_id in ids:
            if cancel is not None and cancel.is_set():
                return
            with self._project.session() as session:
                doc = session.get(Document, doc_id)
                if doc is None:
                    raise NotFoundError(f"no document with id {doc_id}")
                published = date.fromisoformat(doc.published) if doc.published else None
                yield DocumentInput(doc.text, published, doc.language)

    def _store(self, doc_id: int, extraction: DocumentExtraction, report: ExtractionReport) -> None:
        """Add new suggestions for one document in one transaction."""
        actor = self._project.actor
        with self._project.transaction() as session:
            codes = {c.name: c for c in session.scalars(select(Code))}
            doc = session.get(Document, doc_id)
            if doc is None:  # deleted while extraction ran
                return
            taken = self._taken_spans(session, doc_id)
            keys: dict[str, int] = {}  # suggestion key -> record id (new or existing suggested)
            counts: Counter[str] = Counter()
            for suggestion in extraction.suggestions:
                code = codes.get(suggestion.type)
                if code is None:
                    continue
                record_id = self._store_suggestion(
                    session, doc, code, suggestion, taken=taken, changes=report.changes
                )
                if record_id is not None:
                    keys[suggestion.key] = record_id
                    if record_id in report.changes.added["record"]:
                        counts[suggestion.type] += 1
            self._store_links(session, extraction.suggestions, keys, report.changes)
            report.added.update(counts)
            audit(session, actor, "extraction.run", "document", doc_id, added=dict(counts))

    @staticmethod
    def _taken_spans(session: Session, doc_id: int) -> dict[tuple[int, int, int], int | None]:
        """Spans already decided or suppressed -> the suggested record they support, if any."""
        rows = session.execute(
            select(Annotation.start, Annotation.end, Annotation.code_id, Record.id, Record.status)
            .outerjoin(Evidence, Evidence.annotation_id == Annotation.id)
            .outerjoin(Record, Evidence.record_id == Record.id)
            .where(Annotation.document_id == doc_id)
        )
        taken: dict[tuple[int, int, int], int | None] = {}
        for start, end, code_id, record_id, status in rows:
            usable = record_id if status == "suggested" else None
            taken[(start, end, code_id)] = taken.get((start, end, code_id)) or usable
        for start, end, code_id in session.execute(
            select(Suppression.start, Suppression.end, Suppression.code_id).where(
                Suppression.document_id == doc_id
            )
        ):
            taken.setdefault((start, end, code_id), None)
        return taken

    def _store_suggestion(
        self,
        session: Session,
        doc: Document,
        code: Code,
        suggestion: Suggestion,
        *,
        taken: dict[tuple[int, int, int], int | None],
        changes: ChangeSet,
    ) -> int | None:
        """Store the new spans of one suggestion; returns the record it lives in, if any."""
        known = [taken[key] for s, e in suggestion.spans if (key := (s, e, code.id)) in taken]
        new_spans = [(s, e) for s, e in suggestion.spans if (s, e, code.id) not in taken]
        existing = next((r for r in known if r is not None), None)
        if not new_spans:
            return existing
        if known and existing is None:
            return None  # the user accepted, rejected or deleted this: leave it alone
        record = session.get(Record, existing) if existing is not None else None
        if record is None:
            record = self._new_record(code, suggestion)
            session.add(record)
            session.flush()
            changes.add("record", record.id)
        else:
            changes.change("record", record.id)
        for start, end in new_spans:
            annotation = Annotation(
                document_id=doc.id,
                start=start,
                end=end,
                quote=doc.text[start:end],
                code_id=code.id,
                author=self._project.actor,
                origin="extracted",
                status="suggested",
                confidence=suggestion.confidence,
                note="",
            )
            session.add(annotation)
            session.flush()
            session.add(Evidence(record_id=record.id, annotation_id=annotation.id))
            taken[(start, end, code.id)] = record.id
            changes.add("annotation", annotation.id)
        return record.id

    def _new_record(self, code: Code, suggestion: Suggestion) -> Record:
        fuzzy = suggestion.date
        return Record(
            type_id=code.id,
            label=suggestion.label,
            fields=suggestion.fields,
            status="suggested",
            origin="extracted",
            confidence=suggestion.confidence,
            note="",
            date_text=fuzzy.text if fuzzy else None,
            date_edtf=fuzzy.edtf if fuzzy else None,
            date_earliest=fuzzy.earliest.isoformat() if fuzzy and fuzzy.earliest else None,
            date_latest=fuzzy.latest.isoformat() if fuzzy and fuzzy.latest else None,
            created_by=self._project.actor,
        )

    @staticmethod
    def _store_links(
        session: Session, suggestions: list[Suggestion], keys: dict[str, int], changes: ChangeSet
    ) -> None:
        """Link events to the people, places, groups and figures of their clause."""
        new_records = changes.added["record"]
        existing = {
            tuple(row)
            for row in session.execute(
                select(RecordLink.source_id, RecordLink.target_id, RecordLink.role).where(
                    RecordLink.source_id.in_(new_records)
                )
            )
        }
        for suggestion in suggestions:
            source = keys.get(suggestion.key)
            if source is None or source not in new_records:
                continue
            for role, target_key in suggestion.links:
                target = keys.get(target_key)
                if target is not None and (source, target, role) not in existing:
                    session.add(RecordLink(source_id=source, target_id=target, role=role))
                    existing.add((source, target, role))
