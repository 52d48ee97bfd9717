"""Conflicts a merge left for the lead: one field of a record that a merged copy holds
otherwise. Each is decided by keeping ours or taking theirs, as an undoable, audited step.

A conflict row is unique by record, field and the copy's value, so merging the same copy
again lists nothing twice, decided or not. It goes with its record (a foreign key with
``ON DELETE CASCADE``): deleting the record deletes the copy's value too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import RecordId, as_status
from workbench.errors import InvalidInputError, NotFoundError
from workbench.services.audit import audit
from workbench.services.snapshots import Scope, Snapshot, capture, restore, widen
from workbench.services.steps import StepResult, diff, lock, refuse_changed
from workbench.storage.models import Annotation, Code, Evidence, MergeConflict, Record, utcnow

if TYPE_CHECKING:
    from workbench.project import Project

Field = Literal["label", "type", "status", "date", "note", "fields"]
FIELDS: tuple[Field, ...] = ("label", "type", "status", "date", "note", "fields")
Choice = Literal["ours", "theirs"]
DATE_COLUMNS = ("date_text", "date_edtf", "date_earliest", "date_latest")


def field_value(row: Mapping[str, Any], field: Field, type_names: Mapping[int, str]) -> Any:
    """A record's value of one conflict field, as JSON would hold it (a type by its name)."""
    if field == "type":
        return type_names.get(row["type_id"])
    if field == "date":
        return [row[c] for c in DATE_COLUMNS]
    if field == "fields":
        return dict(row["fields"] or {})
    return row[field]


def canonical(value: Any) -> str:
    """One text per value, so equal values make equal conflict keys."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def apply_value(conn: Connection, record_id: int, field: Field, value: Any) -> None:
    """Write one field of a record as ``field_value`` gives it; a type or status also goes to
    the record's passages, as the review's own edits do."""
    passages = select(Evidence.annotation_id).where(Evidence.record_id == record_id)
    if field == "type":
        code_id = conn.scalar(select(Code.id).where(Code.name == value, Code.kind == "record_type"))
        if code_id is None:
            raise InvalidInputError(f"the record type '{value}' is no longer in the codebook")
        conn.execute(update(Record).where(Record.id == record_id).values(type_id=code_id))
        conn.execute(update(Annotation).where(Annotation.id.in_(passages)).values(code_id=code_id))
        return
    if field == "status":
        status = as_status(str(value))
        conn.execute(update(Record).where(Record.id == record_id).values(status=status))
        conn.execute(update(Annotation).where(Annotation.id.in_(passages)).values(status=status))
        return
    if field == "date":
        values: dict[str, Any] = dict(zip(DATE_COLUMNS, value, strict=True))
    elif field == "fields":
        values = {"fields": dict(value)}
    elif field == "label" and not str(value).strip():
        raise InvalidInputError("a record needs a label")
    else:
        values = {field: value}
    conn.execute(update(Record).where(Record.id == record_id).values(**values))


# One statement a field, run for many records at once.
_PASSAGES = select(Evidence.annotation_id).where(Evidence.record_id == bindparam("rid"))
_BY_RECORD = Record.id == bindparam("rid")


def apply_values(conn: Connection, updates: list[tuple[int, Field, Any]]) -> None:
    """``apply_value`` for many records, a statement per field for all of them."""
    by_field: dict[str, list[tuple[int, Any]]] = {}
    for record_id, name, value in updates:
        by_field.setdefault(name, []).append((record_id, value))
    for field, values in by_field.items():
        if field == "type":  # rare: a code looked up each time
            for record_id, value in values:
                apply_value(conn, record_id, "type", value)
        elif field == "status":
            params = [{"rid": r, "value": as_status(str(v))} for r, v in values]
            conn.execute(update(Record).where(_BY_RECORD).values(status=bindparam("value")),
                         params)  # fmt: skip
            conn.execute(update(Annotation).where(Annotation.id.in_(_PASSAGES))
                         .values(status=bindparam("value")), params)  # fmt: skip
        elif field == "date":
            params = [{"rid": r, **{f"v_{c}": x for c, x in zip(DATE_COLUMNS, v, strict=True)}}
                      for r, v in values]  # fmt: skip
            columns: dict[str, Any] = {c: bindparam(f"v_{c}") for c in DATE_COLUMNS}
            conn.execute(update(Record).where(_BY_RECORD).values(**columns), params)
        else:
            if field == "label" and any(not str(v).strip() for _, v in values):
                raise InvalidInputError("a record needs a label")
            params = [{"rid": r, "value": v} for r, v in values]
            conn.execute(update(Record).where(_BY_RECORD).values({field: bindparam("value")}),
                         params)  # fmt: skip


@dataclass(frozen=True)
class ConflictInfo:
    """One listed conflict: the record's value here and the copy's."""

    id: int
    record_id: RecordId
    record_label: str
    record_type: str
    field: Field
    ours: Any
    theirs: Any
    source: str
    source_actors: str
    state: str
    found_at: datetime
    protected: bool


class ConflictService:
    """List the conflicts merges left, and decide them one at a time."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def list(self, *, open_only: bool = True) -> list[ConflictInfo]:
        """Conflicts of records that exist, open ones only unless ``open_only`` is False."""
        query = (
            select(MergeConflict, Record, Code.name)
            .join(Record, Record.id == MergeConflict.record_id)
            .join(Code, Code.id == Record.type_id)
            .order_by(MergeConflict.id)
        )
        if open_only:
            query = query.where(MergeConflict.state == "open")
        with self._project.session() as session:
            names: dict[int, str] = dict(session.execute(select(Code.id, Code.name)).all())
            found = []
            for conflict, record, type_name in session.execute(query):
                row = {c.name: getattr(record, c.key) for c in Record.__table__.columns}
                field: Field = conflict.field  # type: ignore[assignment]
                found.append(ConflictInfo(
                    conflict.id, record.id, record.label, type_name, field,
                    field_value(row, field, names), json.loads(conflict.theirs),
                    conflict.source, conflict.source_actors, conflict.state,
                    conflict.found_at, record.protected,
                ))  # fmt: skip
        return found

    def count_open(self) -> int:
        """How many conflicts wait for the lead."""
        return len(self.list())

    def decide(self, conflict_id: int, choice: Choice) -> StepResult:
        """Keep our value or take the copy's, as one undoable step (``reopen`` undoes it)."""
        if choice not in ("ours", "theirs"):
            raise InvalidInputError(f"decide 'ours' or 'theirs', not '{choice}'")
        with self._project.session() as session:
            conflict = session.get(MergeConflict, conflict_id)
            if conflict is None:
                raise NotFoundError(f"no merge conflict with id {conflict_id}")
            record_id, field = conflict.record_id, conflict.field
            theirs = json.loads(conflict.theirs)
        actor = self._project.actor

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            conn = session.connection()
            if choice == "theirs":
                apply_value(conn, record_id, field, theirs)  # type: ignore[arg-type]
            conn.execute(
                update(MergeConflict)
                .where(MergeConflict.id == conflict_id)
                .values(state=choice, decided_at=utcnow(), decided_by=actor)
            )
            return ()

        return self._project.steps.run(
            f"merge.{choice}", Scope(record_ids={record_id}), mutate,
            subject=("record", record_id), records=[record_id], conflict=conflict_id,
            field=field,
        )  # fmt: skip

    def reopen(
        self, conflict_id: int, before: Snapshot, expected: Snapshot | None = None
    ) -> ChangeSet:
        """Undo a decision: the record's rows as ``before`` holds them, the conflict open
        again (the record's other conflicts stay as they are). Given the state the decision
        left (``expected``), a record another annotator wrote since refuses it, changing
        nothing, as any undo (``StepService.restore``)."""
        with self._project.transaction() as session:
            conn = session.connection()
            lock(session, before.record_ids, {})
            if expected is not None:
                refuse_changed(capture(session, expected.scope()), expected)
            current = capture(session, widen(session, Scope(set(before.record_ids))))
            kept = [
                dict(row._mapping)
                for row in conn.execute(
                    select(*MergeConflict.__table__.columns).where(
                        MergeConflict.record_id.in_(before.record_ids)
                    )
                )
            ]
            restore(session, before)  # rewriting the record cascades to its conflicts
            conn.execute(delete(MergeConflict).where(MergeConflict.id.in_([r["id"] for r in kept])))
            for row in kept:
                if row["id"] == conflict_id:
                    row.update(state="open", decided_at=None, decided_by=None)
            present = set(conn.scalars(select(Record.id).where(Record.id.in_(before.record_ids))))
            kept = [row for row in kept if row["record_id"] in present]
            if kept:
                conn.execute(insert(MergeConflict), kept)
            audit(session, self._project.actor, "merge.reopen", "record", None,
                  records=sorted(before.record_ids), conflict=conflict_id)  # fmt: skip
        return diff(current, before)
