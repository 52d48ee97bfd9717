"""Annotations: marking a span of a document, with the record it supports."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workbench.changes import ChangeSet
from workbench.domain import AnnotationInfo, DocumentId, Passage, RecordId
from workbench.errors import InvalidInputError, NotFoundError
from workbench.services.audit import audit
from workbench.storage.models import Annotation, Code, Document, Evidence, Record

if TYPE_CHECKING:
    from workbench.project import Project

LABEL_MAX = 200


def label_from_quote(quote: str) -> str:
    """A record label made from a quote: whitespace folded, shortened with an ellipsis."""
    label = re.sub(r"\s+", " ", quote).strip()
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def annotation_info(ann: Annotation) -> AnnotationInfo:
    """The immutable view of an annotation row (evidence must be loaded)."""
    return AnnotationInfo(
        id=ann.id,
        document_id=ann.document_id,
        start=ann.start,
        end=ann.end,
        quote=ann.quote,
        code=ann.code.name,
        author=ann.author,
        origin=ann.origin,
        status=ann.status,
        confidence=ann.confidence,
        note=ann.note,
        created_at=ann.created_at,
        record_ids=tuple(sorted(ev.record_id for ev in ann.evidence)),
    )


def _code(session: Session, name: str) -> Code:
    code = session.scalar(select(Code).filter_by(name=name))
    if code is None:
        known = ", ".join(session.scalars(select(Code.name).order_by(Code.position)))
        raise InvalidInputError(f"unknown type or code '{name}' (known: {known})")
    return code


def manual_annotation(
    session: Session, passage: Passage, code_id: int, *, author: str | None, note: str
) -> Annotation:
    """A new accepted manual annotation of a passage, checked and flushed."""
    document_id, start, end = passage.document_id, passage.start, passage.end
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(f"no document with id {document_id}")
    if not 0 <= start < end <= doc.chars:
        raise InvalidInputError(
            f"span {start}-{end} is outside document {document_id}, "
            f"whose text has {doc.chars} characters (0 <= START < END <= {doc.chars})"
        )
    ann = Annotation(
        document_id=doc.id,
        start=start,
        end=end,
        quote=doc.text[start:end],
        code_id=code_id,
        author=author,
        origin="manual",
        status="accepted",
        note=note,
    )
    session.add(ann)
    session.flush()
    return ann


class AnnotationService:
    """Create and read annotations."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def annotate(
        self,
        document_id: DocumentId,
        start: int,
        end: int,
        type_name: str,
        *,
        label: str | None = None,
        note: str = "",
    ) -> tuple[AnnotationInfo, ChangeSet]:
        """Mark [start, end) as an accepted manual annotation; a record type also makes a record."""
        infos, changes = self.annotate_many(
            [Passage(document_id, start, end)], type_name, label=label, note=note
        )
        return infos[0], changes

    def annotate_many(
        self,
        passages: list[Passage],
        type_name: str,
        *,
        label: str | None = None,
        note: str = "",
    ) -> tuple[list[AnnotationInfo], ChangeSet]:
        """Annotate several passages in one transaction, all or nothing."""
        changes = ChangeSet()
        with self._project.transaction() as session:
            code = _code(session, type_name)
            anns = [
                self._annotate(session, passage, code, label=label, note=note, changes=changes)
                for passage in passages
            ]
            session.flush()
            for ann in anns:
                session.refresh(ann, ["evidence"])
            return [annotation_info(a) for a in anns], changes

    def _annotate(
        self,
        session: Session,
        passage: Passage,
        code: Code,
        *,
        label: str | None,
        note: str,
        changes: ChangeSet,
    ) -> Annotation:
        """One annotation (and its record, for a record type) inside the caller's transaction."""
        actor = self._project.actor
        ann = manual_annotation(session, passage, code.id, author=actor, note=note)
        changes.add("annotation", ann.id)
        if code.kind == "record_type":
            record = Record(
                type=code,
                label=label or label_from_quote(ann.quote),
                fields={},
                status="accepted",
                origin="manual",
                note=note,
                created_by=actor,
            )
            session.add(record)
            session.flush()
            session.add(Evidence(record=record, annotation=ann))
            changes.add("record", record.id)
            audit(session, actor, "record.create", "record", record.id, label=record.label)
        audit(
            session,
            actor,
            "annotation.create",
            "annotation",
            ann.id,
            document_id=ann.document_id,
            start=ann.start,
            end=ann.end,
            code=code.name,
        )
        return ann

    def attach(
        self, document_id: DocumentId, start: int, end: int, record_id: RecordId, *, note: str = ""
    ) -> tuple[AnnotationInfo, ChangeSet]:
        """Mark [start, end) as accepted manual evidence for an existing record (any document)."""
        changes = ChangeSet()
        with self._project.transaction() as session:
            record = session.get(Record, record_id)
            if record is None:
                raise NotFoundError(f"no record with id {record_id}")
            passage = Passage(document_id, start, end)
            actor = self._project.actor
            ann = manual_annotation(session, passage, record.type_id, author=actor, note=note)
            session.add(Evidence(record_id=record.id, annotation_id=ann.id))
            record.version = Record.version + 1  # a passage more counts as a write of it
            changes.add("annotation", ann.id).change("record", record.id)
            audit(
                session,
                actor,
                "annotation.attach",
                "annotation",
                ann.id,
                record_id=record.id,
                document_id=document_id,
                start=start,
                end=end,
            )
            session.flush()
            session.refresh(ann, ["evidence"])
            return annotation_info(ann), changes

    def for_record(self, record_id: RecordId) -> list[AnnotationInfo]:
        """The passages supporting a record, in every document, in text order."""
        query = (
            select(Annotation)
            .join(Evidence, Evidence.annotation_id == Annotation.id)
            .where(Evidence.record_id == record_id)
            .options(selectinload(Annotation.code), selectinload(Annotation.evidence))
            .order_by(Annotation.document_id, Annotation.start, Annotation.id)
        )
        with self._project.session() as session:
            return [annotation_info(a) for a in session.scalars(query)]

    def for_document(self, document_id: DocumentId) -> list[AnnotationInfo]:
        """A document's annotations in text order."""
        query = (
            select(Annotation)
            .where(Annotation.document_id == document_id)
            .options(selectinload(Annotation.code), selectinload(Annotation.evidence))
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )
        with self._project.session() as session:
            return [annotation_info(a) for a in session.scalars(query)]
