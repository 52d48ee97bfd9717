"""Review of records: accept, reject, edit, merge, split, delete, in bulk; each step undoable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from workbench.domain import (
    AnnotationId,
    DocumentId,
    Passage,
    RecordId,
    Status,
    as_status,
)
from workbench.errors import InvalidInputError, NotFoundError
from workbench.services import dating
from workbench.services.annotations import label_from_quote, manual_annotation
from workbench.services.records import merged_protection, split_protection
from workbench.services.snapshots import Scope
from workbench.services.steps import StepResult, with_scope
from workbench.storage.models import (
    Annotation,
    Code,
    Evidence,
    Record,
    RecordLink,
    Suppression,
)

if TYPE_CHECKING:
    from workbench.extraction.dates import FuzzyDate
    from workbench.project import Project

MergeGroup = tuple[RecordId, list[RecordId]]  # the record to keep, those to fold into it
# The versions of records as their editor read them (``RecordInfo.version``): a step given
# them is refused when another annotator wrote one of those records since (services/steps).
Seen = Mapping[RecordId, int] | None


class ReviewService:
    """One method per review action, each an undoable step (``project.steps.restore``)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def _step(
        self,
        action: str,
        record_ids: list[RecordId],
        mutate: Callable[[Session, Scope], tuple[int, ...]],
        seen: Seen = None,
        **detail: Any,
    ) -> StepResult:
        """Run ``mutate`` on existing records as one step (refused when one of those ``seen``
        was written since)."""
        if not record_ids:
            raise InvalidInputError("no records given")
        with self._project.session() as session:
            found = set(session.scalars(select(Record.id).where(Record.id.in_(record_ids))))
        missing = sorted(set(record_ids) - found)
        if missing:
            raise NotFoundError(f"no record with id {', '.join(map(str, missing))}")
        return self._project.steps.run(action, Scope(record_ids=set(record_ids)), mutate, seen,
                                       subject=("record", record_ids[0]),
                                       records=sorted(record_ids), **detail)  # fmt: skip

    # --- new passages
    def annotate(
        self,
        document_id: DocumentId,
        start: int,
        end: int,
        type_name: str,
        *,
        label: str | None = None,
        note: str = "",
    ) -> StepResult:
        """Annotate a passage (and make its record) as an undoable step."""
        info, changes = self._project.annotations.annotate(
            document_id, start, end, type_name, label=label, note=note
        )
        return self._project.steps.created([info.id], info.record_ids, changes)

    def annotate_many(self, passages: list[Passage], type_name: str) -> StepResult:
        """Annotate many passages as one undoable step."""
        if not passages:
            raise InvalidInputError("nothing to annotate")
        infos, changes = self._project.annotations.annotate_many(passages, type_name)
        records = tuple(r for info in infos for r in info.record_ids)
        return self._project.steps.created([i.id for i in infos], records, changes)

    def annotate_as_one(self, passages: list[Passage], type_name: str, label: str) -> StepResult:
        """Annotate many passages as the evidence of one new record (all the hits of a
        search are one thing), as one undoable step."""
        if not passages:
            raise InvalidInputError("nothing to annotate")
        if not label.strip():
            raise InvalidInputError("a record needs a label")
        actor = self._project.actor

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            code = session.scalar(select(Code).filter_by(name=type_name, kind="record_type"))
            if code is None:
                raise InvalidInputError(f"unknown record type '{type_name}'")
            record = Record(type_id=code.id, label=label_from_quote(label), fields={},
                            status="accepted", origin="manual", note="",
                            created_by=actor)  # fmt: skip
            session.add(record)
            session.flush()
            for passage in passages:
                ann = manual_annotation(session, passage, code.id, author=actor, note="")
                session.add(Evidence(record_id=record.id, annotation_id=ann.id))
            return (record.id,)

        return self._project.steps.run("record.create", Scope(), mutate,
                                       subject=("record", None), label=label, type=type_name,
                                       passages=len(passages))  # fmt: skip

    def attach(
        self, document_id: DocumentId, start: int, end: int, record_id: RecordId
    ) -> StepResult:
        """Link a passage to an existing record as an undoable step."""
        steps = self._project.steps
        before = steps.snapshot(Scope({record_id}))
        info, changes = self._project.annotations.attach(document_id, start, end, record_id)
        after = steps.snapshot(Scope({record_id}, {info.id}))
        return StepResult(changes, with_scope(before, after), after, (record_id,))

    # --- status
    def set_status(
        self, record_ids: list[RecordId], status: Status | str, *, seen: Seen = None
    ) -> StepResult:
        """Accept or reject records (or send them back to suggested), with their annotations."""
        status = as_status(status)

        def mutate(session: Session, scope: Scope) -> tuple[int, ...]:
            session.execute(update(Record).where(Record.id.in_(record_ids)).values(status=status))
            session.execute(
                update(Annotation)
                .where(Annotation.id.in_(scope.annotation_ids))
                .values(status=status)
            )
            return ()

        return self._step(f"record.{status}", record_ids, mutate, seen, status=status)

    def bulk_status(
        self,
        status: str,
        *,
        type_name: str | None = None,
        document_id: DocumentId | None = None,
        min_confidence: float | None = None,
        max_confidence: float | None = None,
    ) -> StepResult | None:
        """Accept or reject every suggested record matching the filters; None when none match."""
        query = select(Record.id).where(Record.status == "suggested")
        if type_name is not None:
            query = query.join(Code, Record.type_id == Code.id).where(Code.name == type_name)
        if min_confidence is not None:
            query = query.where(Record.confidence >= min_confidence)
        if max_confidence is not None:
            query = query.where(Record.confidence < max_confidence)
        if document_id is not None:
            query = query.where(
                Record.id.in_(
                    select(Evidence.record_id)
                    .join(Annotation, Evidence.annotation_id == Annotation.id)
                    .where(Annotation.document_id == document_id)
                )
            )
        with self._project.session() as session:
            ids = list(session.scalars(query.order_by(Record.id)))
        return self.set_status(ids, status) if ids else None

    # --- edit
    def edit(
        self,
        record_id: RecordId,
        *,
        label: str | None = None,
        type_name: str | None = None,
        fields: dict[str, Any] | None = None,
        note: str | None = None,
        date_text: str | None = None,
        seen: int | None = None,
    ) -> StepResult:
        """Change a record's label, type, fields, note or date phrase (re-parsed); ``seen``,
        the version the editor read, refuses the edit when another annotator wrote since."""

        def mutate(session: Session, scope: Scope) -> tuple[int, ...]:
            record = session.get(Record, record_id)
            assert record is not None
            if label is not None:
                if not label.strip():
                    raise InvalidInputError("a record needs a label")
                record.label = label.strip()
            if note is not None:
                record.note = note
            if fields is not None:
                record.fields = dict(fields)
            if type_name is not None:
                code = session.scalar(select(Code).filter_by(name=type_name, kind="record_type"))
                if code is None:
                    raise InvalidInputError(f"unknown record type '{type_name}'")
                record.type_id = code.id
                session.execute(
                    update(Annotation)
                    .where(Annotation.id.in_(scope.annotation_ids))
                    .values(code_id=code.id)
                )
            if date_text is not None:
                dating.set_date(session, record, date_text)
            return ()

        given = {"label": label, "type": type_name, "fields": fields, "note": note,
                 "date": date_text}  # fmt: skip
        versions = None if seen is None else {record_id: seen}
        return self._step("record.edit", [record_id], mutate, versions, label=label,
                          type=type_name,
                          date_text=date_text,
                          edited=[k for k, v in given.items() if v is not None])  # fmt: skip

    def preview_date(self, record_id: RecordId, phrase: str) -> FuzzyDate | None:
        """How a date phrase would be read for this record (live feedback while typing)."""
        if not phrase.strip():
            return None
        with self._project.session() as session:
            return dating.read_for(session, record_id, phrase)

    # --- merge and split
    def merge(
        self, target_id: RecordId, source_ids: list[RecordId], *, seen: Seen = None
    ) -> StepResult:
        """Fold the sources into the target: evidence and links move, labels become aliases."""
        sources = [s for s in dict.fromkeys(source_ids) if s != target_id]
        if not sources:
            raise InvalidInputError("choose at least two records to merge")

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            return (_merge_into(session, target_id, sources),)

        return self._step("record.merge", [target_id, *sources], mutate, seen, target=target_id)

    def merge_groups(self, groups: list[MergeGroup]) -> StepResult:
        """Several merges as one undoable step (merge proposals accepted together). Groups
        that share a record become one, kept by the target of the first of them."""
        joined = _joined(groups)
        if not joined:
            raise InvalidInputError("choose at least two records to merge")

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            return tuple(_merge_into(session, target, sources) for target, sources in joined)

        ids = [r for target, sources in joined for r in (target, *sources)]
        return self._step("record.merge", ids, mutate, targets=[t for t, _ in joined])

    def split_passage(
        self, record_id: RecordId, document_id: DocumentId, start: int, end: int
    ) -> StepResult:
        """Split off the record's passages in a document that meet ``[start, end)``."""
        with self._project.session() as session:
            ids = list(session.scalars(
                select(Annotation.id)
                .join(Evidence, Evidence.annotation_id == Annotation.id)
                .where(Evidence.record_id == record_id, Annotation.document_id == document_id,
                       Annotation.start < end, Annotation.end > start)
            ))  # fmt: skip
        return self.split(record_id, ids)

    def split(self, record_id: RecordId, annotation_ids: list[AnnotationId]) -> StepResult:
        """Move some of a record's evidence to a new record of the same type."""

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            record = session.get(Record, record_id)
            assert record is not None
            own = set(
                session.scalars(select(Evidence.annotation_id).filter_by(record_id=record_id))
            )
            moving = set(annotation_ids)
            if not moving or not moving <= own or moving == own:
                raise InvalidInputError(
                    "choose some, but not all, of the record's own passages to split off"
                )
            first = session.get(Annotation, min(moving))
            assert first is not None
            new = Record(type_id=record.type_id, label=label_from_quote(first.quote), fields={},
                         status=record.status, origin=record.origin, confidence=record.confidence,
                         note="", created_by=self._project.actor)  # fmt: skip
            session.add(new)
            session.flush()
            split_protection(session, record, new, self._project.actor)
            session.execute(
                update(Evidence)
                .where(Evidence.record_id == record_id, Evidence.annotation_id.in_(moving))
                .values(record_id=new.id)
            )
            return (new.id,)

        return self._step("record.split", [record_id], mutate, annotations=sorted(annotation_ids))

    # --- delete
    def delete(self, record_ids: list[RecordId], *, seen: Seen = None) -> StepResult:
        """Delete records and the passages that support nothing else; extraction won't redo them."""

        def mutate(session: Session, scope: Scope) -> tuple[int, ...]:
            shared = set(
                session.scalars(
                    select(Evidence.annotation_id).where(
                        Evidence.annotation_id.in_(scope.annotation_ids),
                        Evidence.record_id.not_in(record_ids),
                    )
                )
            )
            orphans = scope.annotation_ids - shared
            for ann in session.scalars(select(Annotation).where(Annotation.id.in_(orphans))):
                if ann.origin == "extracted":
                    session.add(Suppression(document_id=ann.document_id, start=ann.start,
                                            end=ann.end, code_id=ann.code_id))  # fmt: skip
            session.execute(delete(Annotation).where(Annotation.id.in_(orphans)))
            session.execute(delete(Record).where(Record.id.in_(record_ids)))
            return ()

        return self._step("record.delete", record_ids, mutate, seen)


def _merge_into(session: Session, target_id: RecordId, sources: list[RecordId]) -> RecordId:
    """Fold the sources into the target inside the caller's transaction; the target's id."""
    target = session.get(Record, target_id)
    assert target is not None
    aliases = list(target.fields.get("aliases", []))
    dates = list(target.fields.get("dates", []))
    merged = session.scalars(select(Record).where(Record.id.in_(sources))).all()
    merged_protection(target, merged)
    for source in merged:
        if source.type_id != target.type_id:
            raise InvalidInputError("only records of the same type can be merged")
        aliases += [source.label, *source.fields.get("aliases", [])]
        dates += [*_date_reading(target, source), *source.fields.get("dates", [])]
    have = set(session.scalars(select(Evidence.annotation_id).filter_by(record_id=target_id)))
    for evidence in session.scalars(select(Evidence).where(Evidence.record_id.in_(sources))):
        if evidence.annotation_id not in have:
            session.add(Evidence(record_id=target_id, annotation_id=evidence.annotation_id,
                                 role=evidence.role))  # fmt: skip
            have.add(evidence.annotation_id)
    _repoint_links(session, sources, target_id)
    if target.date_earliest is None and target.date_latest is None and dates:
        first = dates.pop(0)  # an undated target takes the first source's date
        target.date_text, target.date_edtf = first["text"], first["edtf"]
        target.date_earliest, target.date_latest = first["earliest"], first["latest"]
    fields = dict(target.fields)
    fields["aliases"] = sorted(set(aliases) - {target.label})
    if dates:
        fields["dates"] = list({_date_key(d): d for d in dates}.values())
    target.fields = fields
    session.execute(delete(Record).where(Record.id.in_(sources)))
    return target_id


def _joined(groups: list[MergeGroup]) -> list[MergeGroup]:
    """(target, sources) groups with no record in two of them: groups that share a record
    are joined, kept by the first target among them; groups of one record are dropped."""
    parent: dict[RecordId, RecordId] = {}

    def root(record: RecordId) -> RecordId:
        while parent.setdefault(record, record) != record:
            record = parent[record]
        return record

    for target, sources in groups:
        for source in sources:
            parent[root(source)] = root(target)
    members: dict[RecordId, dict[RecordId, None]] = {}
    for target, sources in groups:
        for record in (target, *sources):
            members.setdefault(root(record), {})[record] = None
    return [(ids[0], ids[1:]) for ids in map(list, members.values()) if ids[1:]]


def _date_reading(target: Record, source: Record) -> list[dict[str, Any]]:
    """A merged source's date, kept on the target so the timeline can show both readings."""
    if source.date_earliest is None and source.date_latest is None:
        return []
    if (source.date_earliest, source.date_latest, source.date_edtf) == (
        target.date_earliest,
        target.date_latest,
        target.date_edtf,
    ):
        return []
    return [{"text": source.date_text, "edtf": source.date_edtf,
             "earliest": source.date_earliest, "latest": source.date_latest,
             "source": source.label}]  # fmt: skip


def _date_key(reading: dict[str, Any]) -> tuple[Any, ...]:
    return (reading.get("earliest"), reading.get("latest"), reading.get("edtf"))


def _repoint_links(session: Session, sources: list[RecordId], target_id: RecordId) -> None:
    """Links to or from merged records now concern the target (duplicates and loops dropped)."""
    links = session.scalars(
        select(RecordLink).where(
            (RecordLink.source_id.in_(sources)) | (RecordLink.target_id.in_(sources))
        )
    ).all()
    existing = {
        tuple(row)
        for row in session.execute(
            select(RecordLink.source_id, RecordLink.target_id, RecordLink.role)
        )
    }
    for link in links:
        source = target_id if link.source_id in sources else link.source_id
        target = target_id if link.target_id in sources else link.target_id
        if source != target and (source, target, link.role) not in existing:
            session.add(RecordLink(source_id=source, target_id=target, role=link.role))
            existing.add((source, target, link.role))
