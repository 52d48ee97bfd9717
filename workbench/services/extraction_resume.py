"""Where a run continues a long document that an earlier run stopped inside.

Each stored piece of a document longer than one piece leaves its place in the audit row of
its transaction ("extraction.run", ``piece: [start, end]``). When the newest such row of a
document ends before the document does, a run starts right after it (``resume_points``),
and the records already stored for the part before stand in for what reading that part
would have remembered (``known_names``): a later "Petrov" still joins the "Ivan Petrov"
stored before, and a name the user has decided on stays decided.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain import DocumentId
from workbench.services.type_votes import ENTITY_TYPES
from workbench.storage.models import Annotation, AuditEntry, Code, Evidence, Record

if TYPE_CHECKING:
    from workbench.extraction.pieces import KnownName


def resume_points(
    session: Session, long_documents: Collection[DocumentId], chars: Mapping[DocumentId, int]
) -> dict[DocumentId, int]:
    """Document -> the offset a run continues from, for documents an earlier run left."""
    if not long_documents:
        return {}
    newest = (
        select(func.max(AuditEntry.id))
        .where(
            AuditEntry.action == "extraction.run",
            AuditEntry.entity == "document",
            AuditEntry.entity_id.in_(sorted(long_documents)),
        )
        .group_by(AuditEntry.entity_id)
    )
    points: dict[DocumentId, int] = {}
    for doc_id, detail in session.execute(
        select(AuditEntry.entity_id, AuditEntry.detail).where(AuditEntry.id.in_(newest))
    ):
        piece = detail.get("piece")
        if doc_id is not None and piece and 0 < int(piece[1]) < chars[DocumentId(doc_id)]:
            points[DocumentId(doc_id)] = int(piece[1])
    return points


def known_names(
    session: Session, doc_id: DocumentId, before: int
) -> tuple[list[KnownName], dict[str, int | None]]:
    """The people, places and organisations stored for a document's text before ``before``
    (each record's label and the words naming it there, in the order they first appear),
    and their records by key (None: the user decided)."""
    from workbench.extraction.pieces import KnownName  # noqa: PLC0415 - loads the pipeline

    first = func.min(Annotation.start)
    rows = session.execute(
        select(Record.id, Code.name, Record.label, Record.status, Record.fields, Annotation.quote)
        .join(Code, Record.type_id == Code.id)
        .join(Evidence, Evidence.record_id == Record.id)
        .join(Annotation, Evidence.annotation_id == Annotation.id)
        .where(
            Annotation.document_id == doc_id,
            Annotation.start < before,
            Code.name.in_(ENTITY_TYPES),
        )
        .group_by(Record.id, Code.name, Annotation.quote)
        .order_by(first)
    )
    known: list[KnownName] = []
    keys: dict[str, int | None] = {}
    for record_id, kind, label, status, fields, quote in rows:
        key = f"record:{record_id}"
        title, subkind = fields.get("title"), fields.get("kind")
        if key not in keys:  # the record's label first, then each way the text names it
            known.append(KnownName(key, kind, label, title, subkind))
            keys[key] = record_id if status == "suggested" else None
        if quote != label:
            known.append(KnownName(key, kind, quote, title, subkind))
    return known, keys
