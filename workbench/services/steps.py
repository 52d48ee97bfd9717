"""Undoable steps: every user action that changes the project runs here, between two snapshots.

A step's result is one shape for every action (review, annotation, document metadata): the
``ChangeSet`` views refresh from, and the states before and after it, which ``restore``
writes back for undo and redo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet, Entity
from workbench.domain import RecordId
from workbench.errors import RecordChangedError, StepConflictError
from workbench.services.audit import audit, forget
from workbench.services.snapshots import Scope, Snapshot, capture, restore, widen
from workbench.storage.erase import Erasure
from workbench.storage.fts import forget_removed
from workbench.storage.models import Record

if TYPE_CHECKING:
    from workbench.project import Project

Rows = tuple[dict[str, Any], ...]
Mutation = Callable[[Session, Scope], Iterable[int]]


@dataclass(frozen=True)
class StepResult:
    """What a step changed, and the states before and after it for undo and redo."""

    changes: ChangeSet
    before: Snapshot
    after: Snapshot
    record_ids: tuple[int, ...] = ()  # records the step created or kept (merge target, split)


class StepService:
    """Runs a mutation as one transaction between snapshots; ``restore`` writes one back."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self.erasure = Erasure(lambda: project.engine)  # the engine of the moment
        # versions of records a restore removed: one brought back counts on from there
        self._gone: dict[int, int] = {}

    def run(
        self,
        action: str,
        scope: Scope,
        mutate: Mutation,
        seen: Mapping[RecordId, int] | None = None,
        /,
        *,
        subject: tuple[str, int | None],
        **detail: Any,
    ) -> StepResult:
        """Snapshot what ``mutate`` may touch, run it, snapshot again, audit ``action``.

        ``mutate`` returns the ids of records it created or kept; they join the scope. A step
        that removes rows leaves none of their text in the file (``erase``). ``seen`` maps
        records to the versions their editor read: when one has moved on (another annotator
        wrote it since), the step is refused (``RecordChangedError``) and changes nothing.
        The scope's records are locked until the step commits, and every record it keeps
        counts one write more, whatever of it the step changed.
        """
        with self._project.transaction() as session:
            lock(session, scope.record_ids, seen or {})
            widen(session, scope)
            before = capture(session, scope)
            created = tuple(mutate(session, scope))
            count_write(session, before)
            scope.record_ids |= set(created)
            widen(session, scope)
            after = capture(session, scope)
            before = with_scope(before, after)
            removed = erase(session, before, after)
            entity, entity_id = subject
            if entity_id is None and len(created) == 1:  # a new record: name it
                entity_id = created[0]
            audit(session, self._project.actor, action, entity, entity_id, **detail)
        if removed:
            self.erasure.request()
        return StepResult(diff(before, after), before, after, created)

    def created(
        self, annotation_ids: Iterable[int], record_ids: tuple[int, ...], changes: ChangeSet
    ) -> StepResult:
        """A step that only added rows: undo is the same scope with no rows."""
        after = self.snapshot(Scope(set(record_ids), set(annotation_ids)))
        # the suppressions at the new spans were there before, and stay after an undo
        before = Snapshot(after.record_ids, after.annotation_ids, after.span_keys,
                          suppressions=after.suppressions)  # fmt: skip
        return StepResult(changes, before, after, record_ids)

    def snapshot(self, scope: Scope) -> Snapshot:
        """The current rows inside ``scope`` (widened to their evidence and spans)."""
        with self._project.transaction() as session:
            return capture(session, widen(session, scope))

    def restore(self, snapshot: Snapshot, expected: Snapshot | None = None) -> ChangeSet:
        """Put the rows back as the snapshot holds them (undo or redo of a step), each record
        counting one write more: a version only grows, so an editor's stale one never matches
        again. Given the state the step left (``expected``: its after-snapshot for an undo,
        its before for a redo), rows another annotator wrote or removed since refuse it,
        changing nothing, rather than writing over their work. That check compares what the
        rows hold (``refuse_changed``), not versions: one's own undos and redos count too."""
        with self._project.transaction() as session:
            others = expected.record_ids if expected is not None else frozenset()
            lock(session, snapshot.record_ids | others, {})
            current = capture(session, snapshot.scope())
            if expected is not None:
                same = expected.scope() == snapshot.scope()
                refuse_changed(current if same else capture(session, expected.scope()), expected)
            written = restore(session, snapshot, self._gone)
            removed = erase(session, current, snapshot)
            documents = snapshot.document_ids | snapshot.whole_document_ids
            audit(session, self._project.actor, "step.restore", "record", None,
                  records=sorted(snapshot.record_ids), documents=sorted(documents))  # fmt: skip
        if removed:
            self.erasure.request()
        return diff(current, written)


def lock(session: Session, record_ids: Iterable[int], seen: Mapping[RecordId, int]) -> None:
    """Lock a step's records until it commits (``FOR UPDATE``; SQLite writes one transaction
    at a time), so two annotators saving at once cannot both pass, and refuse the step when
    one was written since its editor read it (its version is not the one ``seen``)."""
    ids = sorted(set(record_ids) | set(seen))
    if not ids or (not seen and session.get_bind().dialect.name == "sqlite"):
        return  # a file's writer holds the only write lock already: nothing to check
    rows = session.execute(
        select(Record.id, Record.version, Record.label, Record.protected, Record.pseudonym)
        .where(Record.id.in_(ids))
        .order_by(Record.id)  # one order for everyone: no deadlock between two steps
        .with_for_update()
    ).all()
    missing = set(seen) - {row.id for row in rows}
    if missing:
        raise RecordChangedError(REMOVED, tuple(sorted(missing)))
    changed = [row._asdict() for row in rows if row.id in seen and row.version != seen[row.id]]
    if changed:
        raise changed_error(changed)


REMOVED = (
    "another annotator removed a record of this step since you read it: nothing was changed; "
    "it has been reloaded"
)
# A record's count of writes and the time of the last (of a passage or memo too), which say
# when rows were written, not what they hold.
WRITE_COUNT = ("version", "updated_at")
# What a step's snapshot holds besides records, named as the refusal of a restore says it.
OTHER_ROWS = (("annotations", "a passage"), ("suppressions", "a passage"),
              ("documents", "a document"), ("whole_documents", "a document"),
              ("codes", "the codebook"), ("memos", "a memo"))  # fmt: skip


def changed_error(rows: list[dict[str, Any]]) -> RecordChangedError:
    """The refusal of a step over records written since, naming the first: by its pseudonym
    when it is protected, never its label."""
    first = rows[0]
    name = (first["pseudonym"] or "a protected record") if first["protected"] else first["label"]
    more = f" (and {len(rows) - 1} other record(s))" if len(rows) > 1 else ""
    return RecordChangedError(
        f"another annotator changed “{name}”{more} since you read it: nothing was changed; "
        "it has been reloaded",
        tuple(row["id"] for row in rows),
    )


def refuse_changed(now: Snapshot, expected: Snapshot) -> None:
    """Refuse to write a step's state back unless the rows in its scope hold what the step
    left (``expected``): every column of its records but their count of writes, their
    passages, evidence and links, and what else the snapshot holds (suppressions, documents'
    metadata, codebook, memos). A record another annotator wrote, removed, or whose id a new
    record took is named (``RecordChangedError``); anything else is said in one line."""
    records_now = _by_id(now.records)
    removed = _by_id(expected.records).keys() - records_now.keys()
    if removed:
        raise RecordChangedError(REMOVED, tuple(sorted(removed)))
    touched: set[int] = set()
    for rows_now, rows_then, keys in (
        (now.records, expected.records, ("id",)),
        (now.evidence, expected.evidence, ("record_id",)),
        (now.links, expected.links, ("source_id", "target_id")),
    ):
        touched |= {row[key] for row in _differing(rows_now, rows_then) for key in keys}
    passages = {row["id"] for row in _differing(now.annotations, expected.annotations)}
    touched |= {
        row["record_id"] for row in now.evidence + expected.evidence
        if row["annotation_id"] in passages
    }  # fmt: skip
    changed = [records_now[i] for i in sorted(touched & records_now.keys())]
    if changed:
        raise changed_error(changed)
    for table, what in OTHER_ROWS:
        if _differing(getattr(now, table), getattr(expected, table)):
            raise StepConflictError(
                f"another annotator changed {what} of this step since: nothing was changed"
            )


def _by_id(rows: Rows) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def _differing(rows_now: Rows, rows_then: Rows) -> list[dict[str, Any]]:
    """The rows, of either state, that the other lacks or holds otherwise (counts of writes
    and times of writing aside)."""
    now, then = _by_id(rows_now), _by_id(rows_then)
    differing = [row for i, row in now.items() if not _same(row, then.get(i))]
    return differing + [row for i, row in then.items() if i not in now]


def _same(row: dict[str, Any], other: dict[str, Any] | None) -> bool:
    """Whether two states of one row (of one table: the same columns) hold the same."""
    if other is None:
        return False
    return row == other or all(row[k] == other[k] for k in row if k not in WRITE_COUNT)


def count_write(session: Session, before: Snapshot) -> None:
    """Count one write on each record a step kept, whatever of it changed (its passages or
    links may be all): its version before the step plus one, however many UPDATEs of its
    row the step made (each counted one, ``Record.version``'s ``onupdate``). The records
    are locked (``lock``), so no other write came in between."""
    by_version: dict[int, list[int]] = {}
    for row in before.records:
        by_version.setdefault(row["version"], []).append(row["id"])
    session.flush()
    for version, ids in by_version.items():
        session.execute(
            update(Record)
            .where(Record.id.in_(ids), Record.version != version + 1)  # not twice
            .values(version=version + 1)
            .execution_options(synchronize_session=False)
        )


def _ids(rows: Rows) -> set[int]:
    return {row["id"] for row in rows}


def erase(session: Session, old: Snapshot, new: Snapshot) -> bool:
    """Inside a step's transaction, drop what the rows it removed leave behind: removed
    documents' words from the search index, and the text of older audit entries naming removed
    documents or records. Whether anything was removed: then the caller checkpoints the WAL
    after the commit (``Erasure``). Freed pages and cells are zeroed by ``secure_delete``."""
    documents = _ids(old.whole_documents) - _ids(new.whole_documents)
    records = _ids(old.records) - _ids(new.records)
    if documents:
        forget_removed(session.connection())
    if documents or records:
        forget(session.connection(), documents, records)
    return bool(
        documents
        or records
        or _ids(old.annotations) - _ids(new.annotations)
        or _ids(old.memos) - _ids(new.memos)
    )


def with_scope(before: Snapshot, after: Snapshot) -> Snapshot:
    """The before-snapshot widened to everything the step touched (so undo removes new rows);
    suppressions at spans it newly names were there before the step and stay on undo."""
    untouched = tuple(
        row for row in after.suppressions
        if (row["document_id"], row["start"], row["end"], row["code_id"]) not in before.span_keys
    )  # fmt: skip
    return replace(
        before,
        suppressions=before.suppressions + untouched,
        record_ids=before.record_ids | after.record_ids,
        annotation_ids=before.annotation_ids | after.annotation_ids,
        span_keys=before.span_keys | after.span_keys,
        document_ids=before.document_ids | after.document_ids,
        whole_document_ids=before.whole_document_ids | after.whole_document_ids,
        codebook=before.codebook or after.codebook,
        project_memo=before.project_memo or after.project_memo,
    )


def diff(old: Snapshot, new: Snapshot) -> ChangeSet:
    """Documents, records and annotations added, changed or removed between two snapshots."""
    changes = ChangeSet()
    tables: tuple[tuple[Entity, Rows, Rows], ...] = (
        ("record", old.records, new.records),
        ("annotation", old.annotations, new.annotations),
        ("document", old.documents + old.whole_documents, new.documents + new.whole_documents),
        ("code", old.codes, new.codes),
        ("memo", old.memos, new.memos),
    )
    for entity, old_rows, new_rows in tables:
        before = {r["id"]: r for r in old_rows}
        after = {r["id"]: r for r in new_rows}
        changes.add(entity, *(after.keys() - before.keys()))
        changes.remove(entity, *(before.keys() - after.keys()))
        changes.change(entity, *(i for i in before.keys() & after.keys() if before[i] != after[i]))
    return changes
