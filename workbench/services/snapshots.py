"""Snapshots of records with their evidence, so any review step can be undone exactly."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select, true, tuple_, update
from sqlalchemy.orm import Session

from workbench.errors import StepConflictError
from workbench.storage.fts import index_document, unindex_document
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
    Suppression,
)

SpanKey = tuple[int, int, int, int]  # document id, start, end, code id
# A document's editable metadata; its text never changes, so snapshots leave it out.
DOCUMENT_METADATA = ("title", "published", "source", "outlet", "author", "language")


@dataclass(frozen=True)
class Snapshot:
    """Rows of a set of records and annotations at one moment; restoring rewrites exactly them."""

    record_ids: frozenset[int]
    annotation_ids: frozenset[int]
    span_keys: frozenset[SpanKey]
    records: tuple[dict[str, Any], ...] = ()
    annotations: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    links: tuple[dict[str, Any], ...] = ()
    suppressions: tuple[dict[str, Any], ...] = ()
    document_ids: frozenset[int] = frozenset()
    documents: tuple[dict[str, Any], ...] = ()  # metadata only
    whole_document_ids: frozenset[int] = frozenset()
    whole_documents: tuple[dict[str, Any], ...] = ()  # every column, text included
    codebook: bool = False  # whether ``codes`` holds the whole codebook
    codes: tuple[dict[str, Any], ...] = ()
    project_memo: bool = False  # whether ``memos`` covers the project's memo
    memos: tuple[dict[str, Any], ...] = ()  # of the project and of the scope's documents

    def scope(self) -> Scope:
        """The scope the snapshot was taken of (capturing it again gives the rows of now)."""
        return Scope(
            set(self.record_ids),
            set(self.annotation_ids),
            set(self.span_keys),
            set(self.document_ids),
            set(self.whole_document_ids),
            self.codebook,
            self.project_memo,
        )


@dataclass
class Scope:
    """Which rows a step may touch."""

    record_ids: set[int] = field(default_factory=set)
    annotation_ids: set[int] = field(default_factory=set)
    span_keys: set[SpanKey] = field(default_factory=set)
    document_ids: set[int] = field(default_factory=set)  # their metadata
    whole_document_ids: set[int] = field(default_factory=set)  # documents a step removes
    codebook: bool = False  # a step that edits the codebook (it is small: all of it)
    project_memo: bool = False  # a step that writes the project's memo


def _rows(session: Session, model: Any, *conditions: Any) -> tuple[dict[str, Any], ...]:
    columns = model.__table__.columns
    query = select(*columns).where(*conditions)
    return tuple(dict(row._mapping) for row in session.execute(query))


def widen(session: Session, scope: Scope) -> Scope:
    """Add the annotations that support the scope's records and the span keys of all of them."""
    if scope.record_ids:
        scope.annotation_ids |= set(
            session.scalars(
                select(Evidence.annotation_id).where(Evidence.record_id.in_(scope.record_ids))
            )
        )
    if scope.annotation_ids:
        for row in session.execute(
            select(
                Annotation.document_id, Annotation.start, Annotation.end, Annotation.code_id
            ).where(Annotation.id.in_(scope.annotation_ids))
        ):
            scope.span_keys.add(tuple(row))  # type: ignore[arg-type]
    return scope


def capture(session: Session, scope: Scope) -> Snapshot:
    """The current rows inside ``scope``."""
    session.flush()
    documents = scope.document_ids | scope.whole_document_ids
    records, annotations = scope.record_ids, scope.annotation_ids
    span_filter = (
        tuple_(
            Suppression.document_id, Suppression.start, Suppression.end, Suppression.code_id
        ).in_(list(scope.span_keys))
        if scope.span_keys
        else Suppression.id.is_(None)
    )
    return Snapshot(
        record_ids=frozenset(records),
        annotation_ids=frozenset(annotations),
        span_keys=frozenset(scope.span_keys),
        records=_rows(session, Record, Record.id.in_(records)),
        annotations=_rows(session, Annotation, Annotation.id.in_(annotations)),
        evidence=_rows(
            session,
            Evidence,
            or_(Evidence.record_id.in_(records), Evidence.annotation_id.in_(annotations)),
        ),
        links=_rows(
            session,
            RecordLink,
            or_(RecordLink.source_id.in_(records), RecordLink.target_id.in_(records)),
        ),
        suppressions=_rows(session, Suppression, span_filter),
        document_ids=frozenset(scope.document_ids),
        documents=tuple(
            dict(row._mapping)
            for row in session.execute(
                select(Document.id, *(getattr(Document, k) for k in DOCUMENT_METADATA)).where(
                    Document.id.in_(scope.document_ids)
                )
            )
        ),
        whole_document_ids=frozenset(scope.whole_document_ids),
        whole_documents=_rows(session, Document, Document.id.in_(scope.whole_document_ids)),
        codebook=scope.codebook,
        codes=_rows(session, Code, true()) if scope.codebook else (),
        project_memo=scope.project_memo,
        memos=_rows(session, Memo, _memo_filter(documents, scope.project_memo)),
    )


def _memo_filter(document_ids: Collection[int], project: bool) -> ColumnElement[bool]:
    """The memos a scope covers: its documents', and the project's when it says so."""
    condition = Memo.document_id.in_(document_ids)
    return or_(condition, Memo.document_id.is_(None)) if project else condition


def restore(session: Session, snapshot: Snapshot, gone: dict[int, int] | None = None) -> Snapshot:
    """Make the rows inside the snapshot's scope what they were when it was taken, but for
    the records' versions, which only ever grow: each record written back counts one write
    past both its version now and the snapshot's (``_versions``), so a version an editor read
    never names another state of its record. Returns the snapshot as written.

    ``gone`` (record id -> version) remembers the versions of records this removes, so one
    brought back later (the redo of the step that made it) counts on from there."""
    session.flush()
    records = _versions(session, snapshot, gone if gone is not None else {})
    _restore_metadata(session, snapshot.documents)
    session.execute(delete(Record).where(Record.id.in_(snapshot.record_ids)))
    session.execute(delete(Annotation).where(Annotation.id.in_(snapshot.annotation_ids)))
    _restore_documents(session, snapshot)
    if snapshot.codebook:
        _restore_codebook(session, snapshot.codes)
    documents = snapshot.document_ids | snapshot.whole_document_ids
    session.execute(delete(Memo).where(_memo_filter(documents, snapshot.project_memo)))
    if snapshot.memos:
        session.execute(insert(Memo), list(snapshot.memos))
    if snapshot.span_keys:
        session.execute(
            delete(Suppression).where(
                tuple_(
                    Suppression.document_id, Suppression.start, Suppression.end, Suppression.code_id
                ).in_(list(snapshot.span_keys))
            )
        )
    # Deleting the scope's records and annotations cascaded to every evidence row and link
    # that touches them, which are exactly the ones the snapshot holds.
    for model, rows in (
        (Record, records),
        (Annotation, snapshot.annotations),
        (Suppression, snapshot.suppressions),
        (Evidence, snapshot.evidence),
        (RecordLink, snapshot.links),
    ):
        if rows:
            session.execute(insert(model), list(rows))
    session.expire_all()
    return replace(snapshot, records=records)


def _versions(
    session: Session, snapshot: Snapshot, gone: dict[int, int]
) -> tuple[dict[str, Any], ...]:
    """The snapshot's record rows, each with its next version: one past the highest it has
    had (now, in the snapshot, or when a restore last removed it). Rewinding the counter
    would let an editor's stale version match a record changed since (A reads version 2,
    B's undo puts version 1 back, B's next edit makes it 2 again); records the snapshot
    lacks are removed, and their versions go into ``gone``."""
    query = select(Record.id, Record.version).where(Record.id.in_(snapshot.record_ids))
    now: dict[int, int] = {row.id: row.version for row in session.execute(query)}
    kept = {row["id"] for row in snapshot.records}
    for record_id, version in now.items():
        if record_id not in kept:
            gone[record_id] = max(version, gone.get(record_id, 0))
    rows = []
    for row in snapshot.records:
        highest = max(row["version"], now.get(row["id"], 0), gone.get(row["id"], 0))
        rows.append(dict(row, version=highest + 1))
    return tuple(rows)


def _restore_metadata(session: Session, rows: tuple[dict[str, Any], ...]) -> None:
    """Write documents' metadata back, re-indexing a title that changes."""
    conn = session.connection()
    for row in rows:
        doc = session.get(Document, row["id"])
        if doc is None:  # a document the same snapshot removes or brings back
            continue
        if doc.title != row["title"]:
            unindex_document(conn, doc.id, doc.title, doc.text)
            index_document(conn, doc.id, row["title"], doc.text)
        for key in DOCUMENT_METADATA:
            setattr(doc, key, row[key])
    session.flush()


def _restore_documents(session: Session, snapshot: Snapshot) -> None:
    """Remove the whole documents in scope and put back those the snapshot holds, text,
    search index and all (their annotations follow with the snapshot's other rows)."""
    if not snapshot.whole_document_ids:
        return
    conn = session.connection()
    present = session.scalars(
        select(Document).where(Document.id.in_(snapshot.whole_document_ids))
    ).all()
    _check_same_documents(session, present, snapshot.whole_documents)
    for doc in present:
        unindex_document(conn, doc.id, doc.title, doc.text)
    session.execute(delete(Document).where(Document.id.in_(snapshot.whole_document_ids)))
    if snapshot.whole_documents:
        session.execute(insert(Document), list(snapshot.whole_documents))
    for row in snapshot.whole_documents:
        index_document(conn, row["id"], row["title"], row["text"])


def _restore_codebook(session: Session, rows: tuple[dict[str, Any], ...]) -> None:
    """Make the codebook the snapshot's: entries it lacks go (their passages and records, in
    scope, went already), missing ones come back, the others get their values back. Parents
    are set last, so an entry may come back before its parent."""
    wanted = {row["id"]: row for row in rows}
    present = set(session.scalars(select(Code.id)))
    session.execute(delete(Code).where(Code.id.in_(present - wanted.keys())))
    missing = [dict(row, parent_id=None) for i, row in wanted.items() if i not in present]
    if missing:
        session.execute(insert(Code), missing)
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        session.execute(update(Code).where(Code.id == row["id"]).values(**values))


def _check_same_documents(
    session: Session, present: Sequence[Document], rows: tuple[dict[str, Any], ...]
) -> None:
    """Refuse to bring documents back over others: a document imported since may have taken
    the id or holds the same text (SQLite hands a freed id out again)."""
    wanted = {row["id"]: row for row in rows}
    for doc in present:
        row = wanted.get(doc.id)
        if row is not None and (row["text_sha256"], row["imported_at"]) != (
            doc.text_sha256, doc.imported_at,
        ):  # fmt: skip
            raise StepConflictError(
                f"cannot take this step back: “{doc.title}” was imported since and took "
                "its place; delete it first"
            )
    for row in rows:
        other = session.scalar(
            select(Document).where(Document.text_sha256 == row["text_sha256"],
                                   Document.id != row["id"])
        )  # fmt: skip
        if other is not None:
            raise StepConflictError(
                f"cannot take this step back: its text is in the project again as “{other.title}”;"
                " delete that document first"
            )
