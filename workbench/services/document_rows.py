"""DocumentRows: the rows a document's view shows, read by id after a step.

A step names the records and passages it touched; the window reads back only those of the
document it shows (and the review counts of the documents they lie in), as plain rows in one
query each, instead of every record and passage of the document through the ORM.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, case, false, func, or_, select

from workbench.domain import AnnotationInfo, DocumentId, RecordId, RecordInfo
from workbench.services.records import id_list
from workbench.storage.models import Annotation, Code, Evidence

if TYPE_CHECKING:
    from workbench.project import Project

Counts = dict[DocumentId, tuple[int, int]]  # document -> (suggested, accepted) passages


class DocumentRows:
    """Reads a document's passages and records by id, and review counts by document."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def passages(
        self,
        document_id: DocumentId,
        annotation_ids: Collection[int] = (),
        record_ids: Collection[int] = (),
    ) -> builtins.list[AnnotationInfo]:
        """The passages of a document among ``annotation_ids`` or supporting one of
        ``record_ids``, with the records each supports, in text order (those gone are
        left out)."""
        if not annotation_ids and not record_ids:
            return []
        wanted: builtins.list[ColumnElement[bool]] = []
        if annotation_ids:
            wanted.append(Annotation.id.in_(sorted(annotation_ids)))
        if record_ids:
            linked = select(Evidence.annotation_id).where(
                Evidence.record_id.in_(sorted(record_ids))
            )
            wanted.append(Annotation.id.in_(linked))
        records = id_list(Evidence.record_id, self._project.engine.dialect.name)
        query = (
            select(
                Annotation.id,
                Annotation.start,
                Annotation.end,
                Annotation.quote,
                Code.name,
                Annotation.author,
                Annotation.origin,
                Annotation.status,
                Annotation.confidence,
                Annotation.note,
                Annotation.created_at,
                records,
            )
            .join(Code, Annotation.code_id == Code.id)
            .outerjoin(Evidence, Evidence.annotation_id == Annotation.id)
            .where(Annotation.document_id == document_id, or_(false(), *wanted))
            .group_by(Annotation.id, Code.name)
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )
        with self._project.session() as session:
            return [
                AnnotationInfo(
                    id=ann_id,
                    document_id=document_id,
                    start=start,
                    end=end,
                    quote=quote,
                    code=code,
                    author=author,
                    origin=origin,
                    status=status,
                    confidence=confidence,
                    note=note,
                    created_at=created_at,
                    record_ids=tuple(sorted(RecordId(int(r)) for r in linked_ids.split(",")))
                    if linked_ids
                    else (),
                )
                for (
                    ann_id,
                    start,
                    end,
                    quote,
                    code,
                    author,
                    origin,
                    status,
                    confidence,
                    note,
                    created_at,
                    linked_ids,
                ) in session.execute(query)
            ]

    def records(
        self, document_id: DocumentId, record_ids: Collection[int]
    ) -> builtins.list[RecordInfo]:
        """The records among ``record_ids`` that some passage of the document supports, as
        the document's full listing gives them (those gone, or gone from it, left out)."""
        if not record_ids:
            return []
        return self._project.records.list(document_id=document_id, record_ids=sorted(record_ids))

    def documents_of(
        self,
        annotation_ids: Collection[int] = (),
        record_ids: Collection[int] = (),
    ) -> set[DocumentId]:
        """The documents holding one of these passages, or a passage of one of these
        records (those gone are not found)."""
        found: set[DocumentId] = set()
        with self._project.session() as session:
            if annotation_ids:
                query = select(Annotation.document_id).where(
                    Annotation.id.in_(sorted(annotation_ids))
                )
                found.update(session.scalars(query.distinct()))
            if record_ids:
                query = (
                    select(Annotation.document_id)
                    .join(Evidence, Evidence.annotation_id == Annotation.id)
                    .where(Evidence.record_id.in_(sorted(record_ids)))
                )
                found.update(session.scalars(query.distinct()))
        return found

    def review_counts(self, document_ids: Collection[DocumentId]) -> Counts:
        """Suggested and accepted passages of each of these documents (as the document
        list counts them); a document with none counts (0, 0)."""
        if not document_ids:
            return {}
        query = (
            select(
                Annotation.document_id,
                func.sum(case((Annotation.status == "suggested", 1), else_=0)),
                func.sum(case((Annotation.status == "accepted", 1), else_=0)),
            )
            .where(Annotation.document_id.in_(sorted(document_ids)))
            .group_by(Annotation.document_id)
        )
        counts: Counts = dict.fromkeys(document_ids, (0, 0))
        with self._project.session() as session:
            for document_id, suggested, accepted in session.execute(query):
                counts[document_id] = (int(suggested or 0), int(accepted or 0))
        return counts
