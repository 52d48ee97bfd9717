"""Records: listing the people, places, units, events and figures of a project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, case, cast, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from workbench.domain import DocumentId, RecordId, RecordInfo, Span, as_status
from workbench.errors import InvalidInputError, NotFoundError
from workbench.extraction.aliases import MIN_SCORE
from workbench.services import merge_candidates
from workbench.services.audit import audit
from workbench.services.merge_candidates import MergeCandidate
from workbench.services.snapshots import Scope
from workbench.services.steps import StepResult
from workbench.storage.models import Annotation, AuditEntry, Code, Evidence, Record, RecordLink

if TYPE_CHECKING:
    from workbench.project import Project

# What a pseudonym says a record is, by its type's name (other types: the type's label).
PSEUDONYM_PREFIXES = {
    "person": "Person",
    "place": "Place",
    "unit": "Unit",
    "organization": "Organisation",
    "organisation": "Organisation",
}
UNIT_KINDS = frozenset({"unit", "military_unit"})  # organisations that are military units


def id_list(column: QueryableAttribute[Any], dialect: str) -> ColumnElement[str]:
    """The distinct values of ``column`` in a group as "1,4,7" (in no order)."""
    if dialect == "sqlite":
        return func.group_concat(column.distinct())
    return func.string_agg(cast(column, String).distinct(), ",")


class RecordService:
    """Read records with their evidence counts."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def list(
        self,
        *,
        type_name: str | None = None,
        status: str | None = None,
        document_id: DocumentId | None = None,
        record_ids: builtins.list[int] | None = None,
    ) -> builtins.list[RecordInfo]:
        """Records, optionally of one type, status or document, in creation order."""
        if status is not None:
            as_status(status)  # text from the command line or a filter: refused in one line
        docs = id_list(Annotation.document_id, self._project.engine.dialect.name)
        query = (
            select(Record, Code.name, func.count(Evidence.id), docs)
            .join(Code, Record.type_id == Code.id)
            .outerjoin(Evidence, Evidence.record_id == Record.id)
            .outerjoin(Annotation, Evidence.annotation_id == Annotation.id)
            .group_by(Record.id, Code.name)
            .order_by(Record.id)
        )
        if type_name is not None:
            query = query.where(Code.name == type_name)
        if status is not None:
            query = query.where(Record.status == status)
        if record_ids is not None:
            query = query.where(Record.id.in_(record_ids))
        if document_id is not None:
            query = query.having(
                func.sum(case((Annotation.document_id == document_id, 1), else_=0)) > 0
            )
        with self._project.session() as session:
            if (
                type_name is not None
                and session.scalar(select(Code.id).filter_by(name=type_name, kind="record_type"))
                is None
            ):
                known = ", ".join(session.scalars(select(Code.name).filter_by(kind="record_type")))
                raise InvalidInputError(f"unknown record type '{type_name}' (known: {known})")
            return [
                RecordInfo(
                    id=rec.id,
                    type=code_name,
                    label=rec.label,
                    status=rec.status,
                    origin=rec.origin,
                    confidence=rec.confidence,
                    note=rec.note,
                    date_text=rec.date_text,
                    date_edtf=rec.date_edtf,
                    date_earliest=rec.date_earliest,
                    date_latest=rec.date_latest,
                    created_by=rec.created_by,
                    created_at=rec.created_at,
                    evidence_count=count,
                    fields=dict(rec.fields),
                    protected=rec.protected,
                    pseudonym=rec.pseudonym,
                    version=rec.version,
                    document_ids=tuple(sorted(DocumentId(int(d)) for d in doc_ids.split(",")))
                    if doc_ids
                    else (),
                )
                for rec, code_name, count, doc_ids in session.execute(query)
            ]

    def suggestions_in(self, document_id: DocumentId) -> builtins.list[tuple[RecordId, Span]]:
        """The suggested records of a document with the span of their first passage there,
        in text order: what the review queue walks through."""
        query = (
            select(Evidence.record_id, Annotation.start, Annotation.end)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .join(Record, Evidence.record_id == Record.id)
            .where(Annotation.document_id == document_id, Record.status == "suggested")
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )
        with self._project.session() as session:
            first: dict[RecordId, tuple[RecordId, Span]] = {}
            for record_id, start, end in session.execute(query):
                first.setdefault(record_id, (record_id, Span(start, end)))
        return builtins.list(first.values())

    def get(self, record_id: RecordId) -> RecordInfo:
        """One record; raises NotFoundError."""
        found = self.list(record_ids=[record_id])
        if not found:
            raise NotFoundError(f"no record with id {record_id}")
        return found[0]

    def dossier(self, record_id: RecordId) -> set[RecordId]:
        """A record and every record linked to it (a person's events, their places and
        figures): what one person's dossier covers."""
        self.get(record_id)
        with self._project.session() as session:
            linked = session.execute(
                select(RecordLink.source_id, RecordLink.target_id).where(
                    (RecordLink.source_id == record_id) | (RecordLink.target_id == record_id)
                )
            )
            events = {s if t == record_id else t for s, t in linked}
            around = session.execute(
                select(RecordLink.target_id).where(RecordLink.source_id.in_(events))
            )
            return {record_id, *events, *(r for (r,) in around)}

    def merge_candidates(
        self, type_name: str | None = None, min_score: float = MIN_SCORE
    ) -> builtins.list[MergeCandidate]:
        """Records of one type that look like one name, best first, each saying why, with a
        passage or two of each record and its documents (``services/merge_candidates.py``).

        Records whose names are the same once folded ("Russia" in eight documents) make one
        candidate; names that look like spelling variants of each other (Zhilyaev /
        Zhylyaev) make pairs, compared once per distinct name. Lone first names in different
        documents and people with different titles rank low.
        """
        types = [type_name] if type_name else ["person", "place", "organization"]
        by_type = {name: self.list(type_name=name) for name in types}
        found = merge_candidates.find(by_type, min_score)
        with self._project.session() as session:
            return merge_candidates.with_evidence(session, found)

    def protect(self, record_ids: builtins.list[int], protected: bool = True) -> StepResult:
        """Protect records (or, with ``protected=False``, release them) as one undoable step.

        A record protected for the first time gets a pseudonym ("Person A", "Place B",
        "Organisation AA"), which it keeps when released and protected again; a pseudonym
        once given in the project (the audit log remembers it) goes to no other record.
        """
        ids = builtins.list(dict.fromkeys(record_ids))
        if not ids:
            raise InvalidInputError("no records given")
        with self._project.session() as session:
            found = set(session.scalars(select(Record.id).where(Record.id.in_(ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(f"no record with id {', '.join(map(str, missing))}")
        # pseudonym -> record, filled by the step and read when it is audited after it (as
        # names to ids, the entry keeps it when a deletion takes the text out of the log)
        given: dict[str, int] = {}

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            records = session.scalars(select(Record).where(Record.id.in_(ids)).order_by(Record.id))
            used: set[str] | None = None
            for record in records:
                record.protected = protected
                if protected and record.pseudonym is None:
                    used = used if used is not None else _pseudonyms_given(session)
                    record.pseudonym = _next_pseudonym(_prefix(record), used)
                    used.add(record.pseudonym)
                    given[record.pseudonym] = record.id
            return ()

        action = "record.protect" if protected else "record.unprotect"
        return self._project.steps.run(action, Scope(record_ids=set(ids)), mutate,
                                       subject=("record", ids[0]), records=sorted(ids),
                                       pseudonyms=given)  # fmt: skip


def merged_protection(target: Record, sources: Iterable[Record]) -> None:
    """A record that others are merged into is protected if any of them was (their names
    become its aliases), under its own pseudonym or else the first protected source's."""
    for source in sources:
        if source.protected:
            target.protected = True
            target.pseudonym = target.pseudonym or source.pseudonym


def split_protection(session: Session, record: Record, new: Record, actor: str | None) -> None:
    """A record split off a protected one is protected too, under a pseudonym of its own."""
    if record.protected:
        protect_as(session, new, None, actor)


def protect_as(session: Session, record: Record, wanted: str | None, actor: str | None) -> None:
    """Protect a record inside the caller's step under ``wanted`` (its pseudonym in a file
    it came from) if no record of this project has or had it, else under a new one; audited
    as a protection, so the pseudonym is never given again."""
    session.flush()
    used = _pseudonyms_given(session)
    record.protected = True
    if not wanted or wanted in used:
        wanted = _next_pseudonym(_prefix(record), used)
    record.pseudonym = wanted
    audit(session, actor, "record.protect", "record", record.id, records=[record.id],
          pseudonyms={wanted: record.id})  # fmt: skip


def _prefix(record: Record) -> str:
    """What a record's pseudonym calls it: "Person", "Place", "Unit", "Organisation", or the
    label of its type."""
    if record.type.name == "organization" and record.fields.get("kind") in UNIT_KINDS:
        return "Unit"
    return PSEUDONYM_PREFIXES.get(record.type.name) or record.type.label.strip() or "Record"


def _pseudonyms_given(session: Session) -> set[str]:
    """Every pseudonym records hold or were ever given in the project (a record deleted
    since, or a protection undone, leaves its pseudonym in the audit log)."""
    used = set(session.scalars(select(Record.pseudonym).where(Record.pseudonym.is_not(None))))
    for detail in session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "record.protect")
    ):
        pseudonyms = detail.get("pseudonyms") if isinstance(detail, dict) else None
        if isinstance(pseudonyms, dict):
            used.update(p for p in pseudonyms if isinstance(p, str))
    return used  # type: ignore[return-value]


def _next_pseudonym(prefix: str, used: set[str]) -> str:
    """The first of "<prefix> A", ... "<prefix> Z", "<prefix> AA", "<prefix> AB", ... that
    no record was given."""
    n = 0
    while True:
        candidate = f"{prefix} {letters(n)}"
        if candidate not in used:
            return candidate
        n += 1


def letters(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", 27 -> "AB" (spreadsheet column letters)."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out
