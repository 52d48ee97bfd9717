"""Merging another annotator's copy of the same project into this one, in one transaction.

What matches what (``docs/ARCHITECTURE.md``, "Merging copies of a project"): codes by name,
documents by the SHA-256 of their stored text, passages by document, start, end, code and
author, records by their passages, label and type (or else, for a record both copies had
before they parted, by when and by whom it was made). What the copy has and this project
lacks comes in; a record both hold and one side edited since the copies parted takes that
side's values; a field both sides edited differently is listed as a conflict for the lead
(``merge_conflicts.py``), never overwritten. The copies part where their audit logs stop
being the same. Nothing the copy lacks is removed: without the common ancestor, a row
deleted there looks like one never made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, Progress
from workbench.errors import WorkbenchError
from workbench.services.audit import audit
from workbench.services.merge_conflicts import (
    FIELDS,
    Field,
    apply_values,
    canonical,
    field_value,
)
from workbench.services.merge_source import (
    Row,
    Theirs,
    audit_entries,
    audit_keys,
    copy_mark,
    edits_since,
    load,
    opened_copy,
    parted_at,
    rows,
)
from workbench.services.records import protect_as
from workbench.storage.cipher import Passphrase
from workbench.storage.fts import index_document
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Memo,
    MergeConflict,
    Record,
    RecordLink,
    Suppression,
    utcnow,
)

if TYPE_CHECKING:
    from workbench.project import Project

Conflict = tuple[int, str, str]  # record, field, the copy's value (canonical JSON)
PassageKey = tuple[int, int, int, int, str | None]  # document, start, end, code, author
STEPS = 8  # phases reported to ``progress``


class MergeCancelledError(WorkbenchError):
    """The merge was cancelled; its transaction was rolled back, nothing changed."""


@dataclass
class MergeReport:
    """What a merge brought in, and what it left for the lead."""

    source: str
    documents: int = 0
    annotations: int = 0
    records: int = 0
    updated: int = 0  # records both hold that took the copy's values (edited there only)
    evidence: int = 0  # passages added to records both hold
    links: int = 0
    codes: int = 0
    memos: int = 0
    suppressions: int = 0
    protected: int = 0  # records protected because the copy protects them
    conflicts: int = 0  # newly listed
    actors: tuple[str, ...] = ()  # who worked on the copy since the two parted
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def added_nothing(self) -> bool:
        """Whether the project is as it was (the copy held nothing new)."""
        return not self.changes

    def summary(self) -> str:
        """One line: what came in."""
        parts = [
            f"{self.documents} document(s)", f"{self.annotations} passage(s)",
            f"{self.records} record(s)", f"{self.updated} record(s) updated",
            f"{self.evidence} passage(s) added to records", f"{self.links} link(s)",
            f"{self.codes} code(s)", f"{self.memos} memo(s)",
        ]  # fmt: skip
        line = f"merged {self.source}: " + ", ".join(parts)
        if self.protected:
            line += f"; {self.protected} record(s) protected as in the copy"
        return line + f"; {self.conflicts} new conflict(s) for the lead"


def merge_project(
    project: Project,
    other: Path,
    *,
    passphrase: Passphrase | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> MergeReport:
    """Bring the copy at ``other`` into ``project`` as one transaction (nothing on a refusal,
    a failure or Cancel); the copy is only read, from a private copy of its bytes. An
    encrypted copy opens with ``passphrase``, by default the project's own."""
    other = Path(other)
    with opened_copy(other, project.path, passphrase or project.key) as engine:
        theirs = load(engine)
    return _Merge(project, theirs, other.name, progress, cancel).run()


class _Merge:
    """One merge: the maps from the copy's ids to ours, filled phase by phase."""

    def __init__(
        self,
        project: Project,
        theirs: Theirs,
        source: str,
        progress: Progress | None,
        cancel: CancelFlag | None,
    ) -> None:
        self.project, self.theirs = project, theirs
        self.progress, self.cancel = progress, cancel
        self.report = MergeReport(source)
        self.codes: dict[int, int] = {}
        self.documents: dict[int, int] = {}
        self.annotations: dict[int, int] = {}
        self.records: dict[int, int] = {}
        self.new_records: list[int] = []
        self.updated: set[int] = set()

    def _phase(self, done: int, label: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise MergeCancelledError("the merge was cancelled; nothing was changed")
        if self.progress is not None:
            self.progress(done, STEPS, label)

    def run(self) -> MergeReport:
        with self.project.transaction() as session:
            conn = session.connection()
            parted = parted_at(audit_keys(conn), self.theirs.audit)
            self.copy = copy_mark(self.theirs.audit, parted)
            self.ours_edited, _ = edits_since(audit_entries(conn, parted), parted, self.copy)
            self.theirs_edited, actors = edits_since(self.theirs.entries, parted)
            self.report.actors = tuple(sorted(actors))
            self._phase(0, "codebook")
            self._codes(conn)
            self._phase(1, "documents")
            self._documents(conn)
            self._phase(2, "passages")
            self._annotations(conn)
            self._phase(3, "records")
            conflicts = self._records(session, conn)
            self._phase(4, "links")
            self._links(conn)
            self._phase(5, "memos")
            self._memos(conn)
            self._phase(6, "conflicts")
            self._conflicts(conn, conflicts)
            self._phase(7, "audit")
            if self.report.changes or self.report.conflicts:
                self._audit(session)
            self._phase(STEPS, "done")
        return self.report

    # --- codebook
    def _codes(self, conn: Connection) -> None:
        ours = {r["name"]: r for r in rows(conn, Code)}
        shortcuts = {r["shortcut"] for r in ours.values() if r["shortcut"]}
        position = max((r["position"] for r in ours.values()), default=0)
        new: list[Row] = []
        for row in self.theirs.codes:
            if row["name"] in ours:
                self.codes[row["id"]] = ours[row["name"]]["id"]
                continue
            position += 1
            shortcut = row["shortcut"] if row["shortcut"] not in shortcuts else None
            shortcuts.add(shortcut)
            values = {k: v for k, v in row.items() if k not in ("id", "parent_id")}
            values.update(shortcut=shortcut, position=position, parent_id=None)
            new_id = conn.execute(insert(Code).values(**values).returning(Code.id)).scalar_one()
            self.codes[row["id"]] = new_id
            new.append(row)
            self.report.changes.add("code", new_id)
        for row in new:
            if row["parent_id"] is not None and row["parent_id"] in self.codes:
                conn.execute(update(Code).where(Code.id == self.codes[row["id"]])
                             .values(parent_id=self.codes[row["parent_id"]]))  # fmt: skip
        self.report.codes = len(new)

    # --- documents
    def _documents(self, conn: Connection) -> None:
        ours = dict(conn.execute(select(Document.text_sha256, Document.id)).all())
        for row in self.theirs.documents:
            found = ours.get(row["text_sha256"])
            if found is not None:
                self.documents[row["id"]] = found
                continue
            values = {k: v for k, v in row.items() if k != "id"}
            new_id = conn.execute(insert(Document).values(**values).returning(Document.id))
            doc_id = new_id.scalar_one()
            index_document(conn, doc_id, row["title"], row["text"])
            self.documents[row["id"]] = doc_id
            ours[row["text_sha256"]] = doc_id
            self.report.documents += 1
            self.report.changes.add("document", doc_id)

    # --- passages
    def _annotations(self, conn: Connection) -> None:
        ours: dict[PassageKey, int] = {}
        query = select(Annotation.document_id, Annotation.start, Annotation.end,
                       Annotation.code_id, Annotation.author, Annotation.id)  # fmt: skip
        for doc, start, end, code, author, ann_id in conn.execute(query.order_by(Annotation.id)):
            ours.setdefault((doc, start, end, code, author), ann_id)
        new: dict[PassageKey, Row] = {}
        waiting: list[tuple[int, PassageKey]] = []  # the copy's passages made here
        for row in self.theirs.annotations:
            key = (self.documents[row["document_id"]], row["start"], row["end"],
                   self.codes[row["code_id"]], row["author"])  # fmt: skip
            found = ours.get(key)
            if found is not None:
                self.annotations[row["id"]] = found
                continue
            if key not in new:  # the copy's duplicates of one passage become one
                values = {k: v for k, v in row.items() if k != "id"}
                new[key] = dict(values, document_id=key[0], code_id=key[3])
            waiting.append((row["id"], key))
        if new:
            statement = insert(Annotation).returning(Annotation.id, sort_by_parameter_order=True)
            ids = conn.execute(statement, list(new.values())).scalars().all()
            made = dict(zip(new, ids, strict=True))
            for theirs_id, key in waiting:
                self.annotations[theirs_id] = made[key]
            self.report.changes.add("annotation", *ids)
        self.report.annotations = len(new)

    # --- records
    def _records(self, session: Session, conn: Connection) -> list[Conflict]:
        ours = _OurRecords(conn)
        theirs_evidence: dict[int, list[Row]] = {}
        for ev in self.theirs.evidence:
            theirs_evidence.setdefault(ev["record_id"], []).append(ev)
        matched: list[tuple[Row, int]] = []
        new: list[Row] = []
        for row in self.theirs.records:
            evidence = theirs_evidence.get(row["id"], [])
            passages = frozenset(self.annotations[ev["annotation_id"]] for ev in evidence)
            match = ours.match(row, self.codes[row["type_id"]], passages)
            if match is None:
                new.append(row)
            else:
                matched.append((row, match))
        self._insert_records(conn, new)
        conflicts: list[Conflict] = []
        updates: list[tuple[int, Field, Any]] = []
        protect = [(self.records[r["id"]], r["pseudonym"]) for r in new if r["protected"]]
        for row, match in matched:
            self.records[row["id"]] = match
            mine = ours.rows[match]
            conflicts += self._compare(mine, row, ours.names, updates)
            if not mine["protected"] and row["protected"]:
                protect.append((match, row["pseudonym"]))
        apply_values(conn, updates)
        self._evidence(conn, ours.evidence, theirs_evidence)
        for record_id, pseudonym in protect:
            record = session.get(Record, record_id)
            assert record is not None
            protect_as(session, record, pseudonym, self.project.actor)
            self.report.changes.change("record", record_id)
        self.report.protected = sum(
            1 for row, match in matched if row["protected"] and not ours.rows[match]["protected"]
        )
        self.report.records = len(new)
        self.report.updated = len(self.updated)
        return conflicts

    def _insert_records(self, conn: Connection, new: list[Row]) -> None:
        """The copy's records this project lacks, unprotected until ``protect_as``."""
        if not new:
            return
        values = [
            {k: v for k, v in row.items() if k != "id"}
            | {
                "type_id": self.codes[row["type_id"]],
                "protected": False,
                "pseudonym": None,
                "version": 1,
            }
            for row in new
        ]
        statement = insert(Record).returning(Record.id, sort_by_parameter_order=True)
        ids = conn.execute(statement, values).scalars().all()
        for row, record_id in zip(new, ids, strict=True):
            self.records[row["id"]] = record_id
        self.new_records = list(ids)
        self.report.changes.add("record", *ids)

    def _evidence(
        self, conn: Connection, ours: dict[int, set[int]], theirs: dict[int, list[Row]]
    ) -> None:
        """The copy's evidence of every record, where this project lacks it."""
        new_records = set(self.new_records)
        rows_: list[Row] = []
        for theirs_id, evidence in theirs.items():
            record_id = self.records.get(theirs_id)
            if record_id is None:  # pragma: no cover - evidence of a record the copy lacks
                continue
            have = ours.setdefault(record_id, set())
            for ev in evidence:
                ann_id = self.annotations[ev["annotation_id"]]
                if ann_id in have:
                    continue
                have.add(ann_id)
                rows_.append({"record_id": record_id, "annotation_id": ann_id,
                              "role": ev["role"], "created_at": ev["created_at"]})  # fmt: skip
                if record_id not in new_records:
                    self.report.evidence += 1
                    self.report.changes.change("record", record_id)
        if rows_:
            conn.execute(insert(Evidence), rows_)

    def _compare(
        self,
        ours: Row,
        theirs: Row,
        names: Mapping[int, str],
        updates: list[tuple[int, Field, Any]],
    ) -> list[Conflict]:
        """The copy's values of fields only it edited go to ``updates``; the conflicts of
        fields both sides edited are returned."""
        mapped = dict(theirs, type_id=self.codes[theirs["type_id"]])
        ours_edited = self.ours_edited.get(ours["id"], set())
        theirs_edited = self.theirs_edited.get(theirs["id"], set())
        conflicts: list[Conflict] = []
        for name in FIELDS:
            mine, other = field_value(ours, name, names), field_value(mapped, name, names)
            if mine == other:
                continue
            if name in theirs_edited and name not in ours_edited:
                updates.append((ours["id"], name, other))
                self.updated.add(ours["id"])
                self.report.changes.change("record", ours["id"])
            elif name in ours_edited and name not in theirs_edited:
                continue
            else:
                conflicts.append((ours["id"], name, canonical(other)))
        return conflicts

    # --- links, suppressions
    def _links(self, conn: Connection) -> None:
        existing = {tuple(r) for r in conn.execute(
            select(RecordLink.source_id, RecordLink.target_id, RecordLink.role))}  # fmt: skip
        new = []
        for row in self.theirs.links:
            key = (self.records[row["source_id"]], self.records[row["target_id"]], row["role"])
            if key[0] != key[1] and key not in existing:
                existing.add(key)
                new.append({"source_id": key[0], "target_id": key[1], "role": key[2]})
        if new:
            conn.execute(insert(RecordLink), new)
            self.report.changes.change("record", *(r["source_id"] for r in new))
        self.report.links = len(new)
        spans_query = select(Suppression.document_id, Suppression.start, Suppression.end,
                             Suppression.code_id)  # fmt: skip
        suppressed = {tuple(r) for r in conn.execute(spans_query)}
        spans = []
        for row in self.theirs.suppressions:
            span = (self.documents[row["document_id"]], row["start"], row["end"],
                    self.codes[row["code_id"]])  # fmt: skip
            if span not in suppressed:
                suppressed.add(span)
                spans.append(dict(zip(("document_id", "start", "end", "code_id"), span,
                                      strict=True), created_at=row["created_at"]))  # fmt: skip
        if spans:
            conn.execute(insert(Suppression), spans)
        self.report.suppressions = len(spans)

    # --- memos
    def _memos(self, conn: Connection) -> None:
        ours = {r["document_id"]: r for r in rows(conn, Memo)}
        for row in self.theirs.memos:
            document = None if row["document_id"] is None else self.documents[row["document_id"]]
            mine = ours.get(document)
            text = joined_memo(None if mine is None else mine["text"], row["text"])
            if text is None:
                continue
            if mine is None:
                values = {k: v for k, v in row.items() if k != "id"}
                memo_id = conn.execute(
                    insert(Memo).values({**values, "document_id": document}).returning(Memo.id)
                ).scalar_one()
            else:
                memo_id = mine["id"]
                conn.execute(update(Memo).where(Memo.id == memo_id)
                             .values(text=text, updated_at=utcnow()))  # fmt: skip
            self.report.memos += 1
            self.report.changes.change("memo", memo_id)

    # --- conflicts and the audit entry
    def _conflicts(self, conn: Connection, found: Iterable[Conflict]) -> None:
        """List the conflicts not listed before (decided or not): one row a record, field
        and value of the copy's, whichever merge found it."""
        found = list(dict.fromkeys(found))
        if not found:
            return
        query = select(MergeConflict.record_id, MergeConflict.field, MergeConflict.theirs_sha256)
        query = query.where(MergeConflict.record_id.in_({r for r, _, _ in found}))
        listed = {tuple(r) for r in conn.execute(query)}
        actors = ", ".join(self.report.actors)
        new = []
        for record_id, name, value in found:
            digest = hashlib.sha256(value.encode()).hexdigest()
            if (record_id, name, digest) not in listed:
                new.append({"record_id": record_id, "field": name, "theirs": value,
                            "theirs_sha256": digest, "state": "open",
                            "source": self.report.source, "source_actors": actors,
                            "found_at": utcnow(), "found_by": self.project.actor})  # fmt: skip
        if new:
            conn.execute(insert(MergeConflict), new)
        self.report.conflicts = len(new)

    def _audit(self, session: Session) -> None:
        report = self.report
        audit(session, self.project.actor, "project.merge", "project", None,
              source=report.source, copy=self.copy, annotators=list(report.actors),
              documents=sorted(report.changes.added["document"]),
              records=sorted(set(self.new_records) | self.updated),
              added={"documents": report.documents, "passages": report.annotations,
                     "records": report.records, "evidence": report.evidence,
                     "links": report.links, "codes": report.codes, "memos": report.memos},
              updated=report.updated, conflicts=report.conflicts)  # fmt: skip


def joined_memo(ours: str | None, theirs: str) -> str | None:
    """A memo after merging: the copy's when this project has none or it extends ours, ours
    when it already holds the copy's, else both, ours first. None: nothing to change."""
    if not theirs.strip() or (ours is not None and theirs in ours):
        return None
    if ours is None or not ours.strip() or ours in theirs:
        return theirs
    return f"{ours}\n\n{theirs}"


class _OurRecords:
    """This project's records, found by content (type, label, passages) or by lineage
    (made at the same moment by the same person: a record both copies had)."""

    def __init__(self, conn: Connection) -> None:
        self.names: dict[int, str] = dict(conn.execute(select(Code.id, Code.name)).all())
        self.rows = {r["id"]: r for r in rows(conn, Record)}
        self.evidence: dict[int, set[int]] = {}
        for owner, passage in conn.execute(select(Evidence.record_id, Evidence.annotation_id)):
            self.evidence.setdefault(owner, set()).add(passage)
        self._content: dict[tuple[int, str, frozenset[int]], int] = {}
        self._lineage: dict[tuple[datetime, str | None], int] = {}
        for known, row in self.rows.items():
            key = (row["type_id"], row["label"], frozenset(self.evidence.get(known, ())))
            self._content.setdefault(key, known)
            self._lineage.setdefault((row["created_at"], row["created_by"]), known)

    def match(self, row: Row, type_id: int, passages: frozenset[int]) -> int | None:
        """Our record that is the copy's ``row`` (its type and passages mapped to ours)."""
        found = self._content.get((type_id, row["label"], passages))
        if found is None:
            found = self._lineage.get((row["created_at"], row["created_by"]))
        return found
