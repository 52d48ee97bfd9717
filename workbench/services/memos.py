"""Memos: what the researcher writes about the project, a document or a record.

One mechanism for all three: ``read`` and ``write`` take a ``MemoTarget``; a record's memo is
its note (``records.note``), the others live in the ``memos`` table. Each write is one
undoable step; ``search`` finds a phrase in every memo.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain import DocumentId, RecordId
from workbench.errors import NotFoundError
from workbench.services.snapshots import Scope
from workbench.services.steps import StepResult
from workbench.storage.models import Document, Memo, Record, utcnow

if TYPE_CHECKING:
    from workbench.project import Project

MemoKind = Literal["project", "document", "record"]
SNIPPET = 60  # characters of context either side of a hit


@dataclass(frozen=True)
class MemoTarget:
    """What a memo is about: the project, a document or a record."""

    kind: MemoKind
    id: int | None = None  # the document's or record's id

    @staticmethod
    def project() -> MemoTarget:
        """The project's memo."""
        return MemoTarget("project")

    @staticmethod
    def document(document_id: DocumentId) -> MemoTarget:
        """A document's memo."""
        return MemoTarget("document", document_id)

    @staticmethod
    def record(record_id: RecordId) -> MemoTarget:
        """A record's memo (its note)."""
        return MemoTarget("record", record_id)


@dataclass(frozen=True)
class MemoHit:
    """A memo that contains the phrase searched for, with the text around it."""

    target: MemoTarget
    title: str  # the project, or the document's title, or the record's label
    snippet: str


class MemoService:
    """Read, write and search memos."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def read(self, target: MemoTarget) -> str:
        """The memo's text ("" when there is none)."""
        with self._project.session() as session:
            if target.kind == "record":
                return _record(session, target).note
            memo = _memo(session, target)
            return memo.text if memo is not None else ""

    def write(self, target: MemoTarget, text: str) -> StepResult | None:
        """Write a memo (an empty text removes it) as one undoable step; None when the text
        is what the memo already says."""
        if text == self.read(target):
            return None
        if target.kind == "record":
            return self._project.review.edit(RecordId(_id(target)), note=text)

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            memo = _memo(session, target)
            if not text.strip():
                if memo is not None:
                    session.delete(memo)
                return ()
            if memo is None:
                memo = Memo(document_id=target.id, text=text)
                session.add(memo)
            memo.text, memo.author, memo.updated_at = text, self._project.actor, utcnow()
            return ()

        if target.kind == "document":
            with self._project.session() as session:
                _document(session, target)
            scope = Scope(document_ids={_id(target)})
        else:
            scope = Scope(project_memo=True)
        return self._project.steps.run(
            "memo.write", scope, mutate, subject=(target.kind, target.id), chars=len(text)
        )

    def documents_with_memos(self) -> set[DocumentId]:
        """The documents that have a memo (the document list marks them)."""
        with self._project.session() as session:
            query = select(Memo.document_id).where(Memo.document_id.is_not(None))
            return {DocumentId(d) for d in session.scalars(query) if d is not None}

    def search(self, phrase: str) -> builtins.list[MemoHit]:
        """Every memo containing ``phrase`` (case and accents as written, case-insensitive):
        the project's first, then documents' in import order, then records'."""
        needle = phrase.strip().casefold()
        if not needle:
            return []
        hits: builtins.list[MemoHit] = []
        with self._project.session() as session:
            rows = session.execute(
                select(Memo.document_id, Memo.text, Document.title)
                .outerjoin(Document, Memo.document_id == Document.id)
                .order_by(Memo.document_id.is_not(None), Memo.document_id)
            )
            for document_id, text, title in rows:
                target = MemoTarget.document(document_id) if document_id else MemoTarget.project()
                _add_hit(hits, target, title or "Project", text, needle)
            records = session.execute(
                select(Record.id, Record.label, Record.note)
                .where(Record.note != "")
                .order_by(Record.id)
            )
            for record_id, label, note in records:
                _add_hit(hits, MemoTarget.record(record_id), label, note, needle)
        return hits


def _add_hit(hits: list[MemoHit], target: MemoTarget, title: str, text: str, needle: str) -> None:
    at = text.casefold().find(needle)
    if at < 0:
        return
    start, end = _whole_words(text, at, at + len(needle))
    snippet = " ".join(text[start:end].split())
    hits.append(
        MemoHit(target, title, ("…" if start else "") + snippet + ("…" if end < len(text) else ""))
    )


def _whole_words(text: str, at: int, hit_end: int) -> tuple[int, int]:
    """Up to SNIPPET characters either side of the hit, cut between words: a word cut in
    two could leave part of a protected name that presentation mode cannot recognise."""
    start, end = max(0, at - SNIPPET), min(len(text), hit_end + SNIPPET)
    if start > 0 and not text[start - 1].isspace():  # drop the word cut at the start
        space = next((i for i in range(start, at) if text[i].isspace()), at - 1)
        start = space + 1
    if end < len(text) and not text[end].isspace():  # and the one cut at the end
        end = next((i for i in range(end - 1, hit_end - 1, -1) if text[i].isspace()), hit_end)
    return start, end


def _id(target: MemoTarget) -> int:
    if target.id is None:
        raise NotFoundError(f"a {target.kind} memo needs the {target.kind}'s id")
    return target.id


def _memo(session: Session, target: MemoTarget) -> Memo | None:
    """The memo row of the project (no document) or of a document."""
    if target.kind == "document":
        _document(session, target)
        return session.scalar(select(Memo).where(Memo.document_id == _id(target)))
    return session.scalar(select(Memo).where(Memo.document_id.is_(None)).order_by(Memo.id))


def _document(session: Session, target: MemoTarget) -> Document:
    doc = session.get(Document, _id(target))
    if doc is None:
        raise NotFoundError(f"no document with id {target.id}")
    return doc


def _record(session: Session, target: MemoTarget) -> Record:
    record = session.get(Record, _id(target))
    if record is None:
        raise NotFoundError(f"no record with id {target.id}")
    return record
