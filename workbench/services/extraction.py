"""Extraction: store suggestions idempotently, never touching what the user decided."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, DocumentId, Progress
from workbench.errors import NotFoundError
from workbench.services.audit import audit
from workbench.services.type_votes import (
    ENTITY_TYPES,
    project_votes,
    retype_suggestion,
    winner,
)
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Record,
    RecordLink,
    Suppression,
    utcnow,
)

if TYPE_CHECKING:
    from workbench.extraction.pipeline import (
        DocumentExtraction,
        DocumentInput,
        Extractor,
        Suggestion,
    )
    from workbench.project import Project


@dataclass
class ExtractionReport:
    """What a run added, per record type, and what the user should know."""

    documents: int = 0
    added: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (document id, note)
    cancelled: bool = False
    changes: ChangeSet = field(default_factory=ChangeSet)


def describe_counts(added: Mapping[str, int]) -> str:
    """ "3 event, 1 person" — what a run suggested, for the CLI and the window."""
    return ", ".join(f"{n} {kind}" for kind, n in sorted(added.items())) or "nothing new"


class ExtractionService:
    """Run extraction over documents and store what it suggests."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._extractor: Extractor | None = None

    def run(
        self,
        document_ids: list[DocumentId] | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> ExtractionReport:
        """Extract from the given documents (all when None) in this process; each document
        commits on its own."""
        ids = self.document_ids(document_ids)
        report = ExtractionReport()
        inputs = self._inputs(ids, cancel)
        for done, (doc_id, extraction) in enumerate(
            zip(ids, self._pipeline().extract(inputs), strict=False)
        ):
            if progress is not None:
                progress(done, len(ids), f"document {doc_id}")
            self.store(doc_id, extraction, report)
            if cancel is not None and cancel.is_set():
                break
        report.cancelled = report.documents < len(ids)
        if progress is not None:
            progress(report.documents, len(ids), "")
        return report

    def document_ids(self, document_ids: list[DocumentId] | None) -> list[DocumentId]:
        """The documents a run covers (all when None); unknown ids are refused."""
        with self._project.session() as session:
            known = list(session.scalars(select(Document.id).order_by(Document.id)))
        if document_ids is None:
            return known
        missing = sorted(set(document_ids) - set(known))
        if missing:
            raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
        return list(dict.fromkeys(document_ids))

    def store(
        self, doc_id: DocumentId, extraction: DocumentExtraction, report: ExtractionReport
    ) -> None:
        """Add one document's suggestions (one transaction) and count them in ``report``."""
        self._store(doc_id, extraction, report)
        report.documents += 1
        report.notes += [(doc_id, note) for note in extraction.notes]

    def _pipeline(self) -> Extractor:
        """The extractor, made on first use: its rules and date grammar cost start-up time."""
        if self._extractor is None:
            from workbench.extraction.pipeline import Extractor  # noqa: PLC0415

            self._extractor = Extractor()
        return self._extractor

    def _inputs(self, ids: list[DocumentId], cancel: CancelFlag | None) -> Iterator[DocumentInput]:
        """Documents read lazily, one at a time, so memory stays flat on big projects."""
        for doc_id in ids:
            if cancel is not None and cancel.is_set():
                return
            yield self.read_input(doc_id)

    def read_input(self, doc_id: DocumentId) -> DocumentInput:
        """What extraction needs of one document."""
        from workbench.extraction.pipeline import DocumentInput  # noqa: PLC0415 - see _pipeline

        with self._project.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(f"no document with id {doc_id}")
            published = date.fromisoformat(doc.published) if doc.published else None
            return DocumentInput(doc.text, published, doc.language)

    def _store(self, doc_id: int, extraction: DocumentExtraction, report: ExtractionReport) -> None:
        """Add new suggestions for one document in one transaction (bulk statements)."""
        actor = self._project.actor
        with self._project.transaction() as session:
            text = session.scalar(select(Document.text).where(Document.id == doc_id))
            if text is None:  # deleted while extraction ran
                return
            codes = {c.name: c.id for c in session.scalars(select(Code))}
            taken = self._taken_spans(session, doc_id)
            keys: dict[str, int] = {}  # suggestion key -> record id (new or still suggested)
            plan: list[tuple[Suggestion, int, int | None, list[tuple[int, int]]]] = []
            suggestions = _voted(
                session,
                doc_id,
                extraction.suggestions,
                codes=codes,
                taken=taken,
                changes=report.changes,
            )
            for suggestion in suggestions:
                code_id = codes.get(suggestion.type)
                if code_id is None:
                    continue
                spans = [(a, b) for a, b in suggestion.spans if (a, b, code_id) not in taken]
                known = [
                    taken[(a, b, code_id)] for a, b in suggestion.spans if (a, b, code_id) in taken
                ]
                existing = next((r for r in known if r is not None), None)
                if existing is not None:
                    keys[suggestion.key] = existing
                if not spans or (known and existing is None):
                    continue  # nothing new, or the user accepted, rejected or deleted it
                for a, b in spans:
                    taken[(a, b, code_id)] = existing
                plan.append((suggestion, code_id, existing, spans))
            conn = session.connection()
            new = [item for item in plan if item[2] is None]
            ids = self._insert_records(conn, [(s, c) for s, c, _, _ in new])
            counts: Counter[str] = Counter()
            for (suggestion, _, _, _), record_id in zip(new, ids, strict=True):
                keys[suggestion.key] = record_id
                report.changes.add("record", record_id)
                counts[suggestion.type] += 1
            report.added.update(counts)
            report.changes.change("record", *(r for _, _, r, _ in plan if r is not None))
            self._insert_annotations(conn, doc_id, text, plan, keys=keys, changes=report.changes)
            self._insert_links(conn, extraction.suggestions, keys, set(ids))
            audit(session, actor, "extraction.run", "document", doc_id, added=dict(counts))

    def _insert_records(self, conn: Connection, items: list[tuple[Suggestion, int]]) -> list[int]:
        if not items:
            return []
        now = utcnow()
        rows = [
            {
                "type_id": code_id,
                "label": s.label,
                "fields": s.fields,
                "status": "suggested",
                "origin": "extracted",
                "confidence": s.confidence,
                "note": "",
                "date_text": s.date.text if s.date else None,
                "date_edtf": s.date.edtf if s.date else None,
                "date_earliest": _iso(s.date.earliest) if s.date else None,
                "date_latest": _iso(s.date.latest) if s.date else None,
                "created_by": self._project.actor,
                "created_at": now,
                "updated_at": now,
            }
            for s, code_id in items
        ]
        result = conn.execute(
            insert(Record).returning(Record.id, sort_by_parameter_order=True), rows
        )
        return list(result.scalars())

    def _insert_annotations(
        self,
        conn: Connection,
        doc_id: int,
        text: str,
        plan: list[tuple[Suggestion, int, int | None, list[tuple[int, int]]]],
        *,
        keys: dict[str, int],
        changes: ChangeSet,
    ) -> None:
        now = utcnow()
        rows, owners = [], []
        for suggestion, code_id, _, spans in plan:
            for start, end in spans:
                rows.append(
                    {
                        "document_id": doc_id, "start": start, "end": end,
                        "quote": text[start:end], "code_id": code_id,
                        "author": self._project.actor, "origin": "extracted",
                        "status": "suggested", "confidence": suggestion.confidence, "note": "",
                        "created_at": now, "updated_at": now,
                    }
                )  # fmt: skip
                owners.append(keys[suggestion.key])
        if not rows:
            return
        result = conn.execute(
            insert(Annotation).returning(Annotation.id, sort_by_parameter_order=True), rows
        )
        ids = list(result.scalars())
        changes.add("annotation", *ids)
        conn.execute(
            insert(Evidence),
            [
                {"record_id": r, "annotation_id": a, "role": "mention", "created_at": now}
                for a, r in zip(ids, owners, strict=True)
            ],
        )

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

    @staticmethod
    def _insert_links(
        conn: Connection, suggestions: list[Suggestion], keys: dict[str, int], new: set[int]
    ) -> None:
        """Link the document's new events to the people, places, groups and figures of their
        clause (records made by earlier runs keep the links they have)."""
        links: dict[tuple[int, int, str], None] = {}  # in order, each once
        for suggestion in suggestions:
            source = keys.get(suggestion.key)
            if source not in new:
                continue
            for role, target_key in suggestion.links:
                target = keys.get(target_key)
                if target is not None:
                    links[(source, target, role)] = None
        if links:
            conn.execute(
                insert(RecordLink),
                [{"source_id": s, "target_id": t, "role": r} for s, t, r in links],
            )


def _voted(
    session: Session,
    document_id: int,
    suggestions: list[Suggestion],
    *,
    codes: Mapping[str, int],
    taken: dict[tuple[int, int, int], int | None],
    changes: ChangeSet,
) -> list[Suggestion]:
    """The suggestions with the type the project gives their names (``type_votes``); a
    suggestion an earlier run stored under another type is re-typed in place."""
    labels = {s.label for s in suggestions if s.type in ENTITY_TYPES}
    votes = project_votes(session, labels, document_id)
    voted = []
    for suggestion in suggestions:
        if suggestion.type not in ENTITY_TYPES:
            voted.append(suggestion)
            continue
        counts = votes.get(suggestion.label, Counter()) + Counter(
            {suggestion.type: len(suggestion.spans)}
        )
        wanted = winner(counts, suggestion.type)
        if wanted == suggestion.type:
            voted.append(suggestion)
            continue
        old, new = codes[suggestion.type], codes[wanted]
        for start, end in suggestion.spans:
            record_id = taken.get((start, end, old))
            if record_id is not None and (start, end, new) not in taken:
                retype_suggestion(session, record_id, old, new)
                taken[(start, end, new)] = taken.pop((start, end, old))
                changes.change("record", record_id)
        voted.append(replace(suggestion, type=wanted))
    return voted


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
