"""The codebook: record types and codes, with colours and shortcut keys."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import CodeId, CodeInfo, CodeKind
from workbench.errors import InvalidInputError, NotFoundError
from workbench.paths import DEFAULT_CODEBOOK
from workbench.services.audit import audit
from workbench.services.snapshots import Scope, SpanKey
from workbench.services.steps import StepResult
from workbench.storage.models import Annotation, Code, Record, Suppression

LABEL_LIMIT = 200
NAME_LIMIT = 90  # a name made from a label, with room for "-2"
_COLOUR = re.compile(r"#[0-9a-f]{6}")
SHORTCUT = re.compile(r"[0-9A-Za-z]|F(?:[1-9]|1[0-2])")
# Colours for new entries, told apart from the default codebook's and from one another.
PALETTE = ("#f08c00", "#37b24d", "#1098ad", "#ae3ec9", "#f03e3e", "#4263eb", "#74b816",
           "#d6336c", "#0ca678", "#7950f2", "#e8590c", "#495057")  # fmt: skip

if TYPE_CHECKING:
    from workbench.project import Project


def code_info(code: Code) -> CodeInfo:
    """The immutable view of a codebook row."""
    return CodeInfo(
        id=code.id,
        name=code.name,
        label=code.label,
        kind=code.kind,
        colour=code.colour,
        shortcut=code.shortcut,
        description=code.description,
        parent_id=code.parent_id,
        position=code.position,
        fields=tuple((str(k), str(v)) for k, v in code.fields.items()),
    )


class CodebookService:
    """Read, seed and edit the project's codebook."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def list(self) -> list[CodeInfo]:
        """All entries in display order."""
        with self._project.session() as session:
            rows = session.scalars(select(Code).order_by(Code.position, Code.id))
            return [code_info(c) for c in rows]

    def get(self, name: str) -> CodeInfo:
        """The entry with this name; raises InvalidInputError naming the known ones."""
        for entry in self.list():
            if entry.name == name:
                return entry
        known = ", ".join(e.name for e in self.list())
        raise InvalidInputError(f"unknown type or code '{name}' (known: {known})")

    def load_file(self, path: Path = DEFAULT_CODEBOOK) -> ChangeSet:
        """Add the entries of a codebook JSON file that the project does not have yet."""
        with self._project.write_connection() as conn:
            return seed_codebook(conn, self._project.actor, path)

    # --- editing: each an undoable step over the whole (small) codebook
    def add(
        self,
        label: str,
        kind: CodeKind,
        *,
        colour: str | None = None,
        shortcut: str | None = None,
        description: str = "",
        parent_id: CodeId | None = None,
    ) -> StepResult:
        """A new record type or code at the end of its kind; its name comes from its label."""
        label = _label(label)

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            _check_shortcut(session, shortcut, None)
            _check_parent(session, parent_id, None, kind)
            last = session.scalar(select(func.max(Code.position))) or 0
            code = Code(name=_free_name(session, label), label=label, kind=kind,
                        colour=_colour(colour or _next_colour(session)), shortcut=shortcut or None,
                        description=description, parent_id=parent_id, position=last + 1,
                        fields={})  # fmt: skip
            session.add(code)
            session.flush()
            return ()

        return self._step("codebook.add", None, mutate, label=label, kind=kind)

    def update(self, code_id: CodeId, **values: str | CodeId | None) -> StepResult:
        """Change an entry's label, colour, shortcut (None clears it), description or parent
        (None: top level)."""
        unknown = set(values) - {"label", "colour", "shortcut", "description", "parent_id"}
        if unknown:
            raise InvalidInputError(f"cannot change {', '.join(sorted(unknown))} of a code")

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            code = _code(session, code_id)
            if "label" in values:
                code.label = _label(str(values["label"] or ""))
            if "colour" in values:
                code.colour = _colour(str(values["colour"] or ""))
            if "shortcut" in values:
                shortcut = values["shortcut"]
                _check_shortcut(session, str(shortcut) if shortcut else None, code.id)
                code.shortcut = str(shortcut) if shortcut else None
            if "description" in values:
                code.description = str(values["description"] or "")
            if "parent_id" in values:
                parent = values["parent_id"]
                parent_id = CodeId(int(parent)) if parent is not None else None
                _check_parent(session, parent_id, code.id, code.kind)
                code.parent_id = parent_id
            return ()

        return self._step("codebook.update", code_id, mutate, changed=values)

    def move(self, code_id: CodeId, by: int) -> StepResult | None:
        """Move an entry up (``by`` < 0) or down among the entries of its kind; None at an end."""
        with self._project.session() as session:
            code = _code(session, code_id)
            order = list(session.scalars(
                select(Code.id).where(Code.kind == code.kind).order_by(Code.position, Code.id)
            ))  # fmt: skip
        index = order.index(code_id)
        target = index + by
        if by == 0 or not 0 <= target < len(order):
            return None
        order.insert(target, order.pop(index))

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            positions = sorted(
                session.scalars(select(Code.position).where(Code.id.in_(order)))
            )  # the kind's positions, handed out again in the new order
            for position, moved in zip(positions, order, strict=True):
                session.execute(update(Code).where(Code.id == moved).values(position=position))
            return ()

        return self._step("codebook.move", code_id, mutate, by=by)

    def deletion_impact(self, code_id: CodeId) -> tuple[int, int]:
        """How many passages and records deleting this entry takes with it."""
        with self._project.session() as session:
            _code(session, code_id)
            annotations, records = _uses(session, code_id)
        return len(annotations), len(records)

    def delete(self, code_id: CodeId) -> StepResult:
        """Delete an entry with every passage coded with it (and, for a record type, its
        records); entries nested in it move up a level."""
        with self._project.session() as session:
            _code(session, code_id)
            annotations, records = _uses(session, code_id)
            spans = _suppressed(session, code_id)

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            session.execute(delete(Record).where(Record.id.in_(records)))
            session.execute(delete(Annotation).where(Annotation.id.in_(annotations)))
            code = _code(session, code_id)
            session.execute(
                update(Code).where(Code.parent_id == code_id).values(parent_id=code.parent_id)
            )
            session.delete(code)
            return ()

        scope = Scope(set(records), set(annotations), spans, codebook=True)
        return self._step("codebook.delete", code_id, mutate, scope=scope,
                          annotations=len(annotations), records=len(records))  # fmt: skip

    def merge(self, source_id: CodeId, target_id: CodeId) -> StepResult:
        """Fold one entry into another of the same kind: its passages (and, for record
        types, its records) take the target's code; its nested entries move to the target."""
        if source_id == target_id:
            raise InvalidInputError("choose two different entries to merge")
        with self._project.session() as session:
            source, target = _code(session, source_id), _code(session, target_id)
            if source.kind != target.kind:
                raise InvalidInputError("a record type merges only with a record type, a code "
                                        "only with a code")  # fmt: skip
            annotations, records = _uses(session, source_id)
            spans = _suppressed(session, source_id) | _suppressed(session, target_id)
            taken = {
                tuple(row)
                for row in session.execute(
                    select(Annotation.document_id, Annotation.start, Annotation.end).where(
                        Annotation.code_id == target_id
                    )
                )
            }
            twins = {
                a.id
                for a in session.scalars(select(Annotation).where(Annotation.id.in_(annotations)))
                if (a.document_id, a.start, a.end) in taken
            }

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            session.execute(
                update(Annotation).where(Annotation.id.in_(annotations)).values(code_id=target_id)
            )
            session.execute(update(Record).where(Record.id.in_(records)).values(type_id=target_id))
            _merge_suppressions(session, source_id, target_id)
            session.execute(
                update(Code).where(Code.parent_id == source_id).values(parent_id=target_id)
            )
            session.delete(_code(session, source_id))
            return ()

        scope = Scope(set(records), set(annotations), spans, codebook=True)
        return self._step("codebook.merge", source_id, mutate, scope=scope, target=target_id,
                          same_passages=len(twins))  # fmt: skip

    def _step(
        self,
        action: str,
        code_id: CodeId | None,
        mutate: Callable[[Session, Scope], tuple[int, ...]],
        *,
        scope: Scope | None = None,
        **detail: Any,
    ) -> StepResult:
        return self._project.steps.run(
            action, scope or Scope(codebook=True), mutate, subject=("code", code_id), **detail
        )


def _code(session: Session, code_id: int) -> Code:
    code = session.get(Code, code_id)
    if code is None:
        raise NotFoundError(f"no codebook entry with id {code_id}")
    return code


def _label(text: str) -> str:
    label = " ".join(text.split())
    if not label:
        raise InvalidInputError("a record type or code needs a name")
    if len(label) > LABEL_LIMIT:
        raise InvalidInputError(f"a name has at most {LABEL_LIMIT} characters")
    return label


def _colour(text: str) -> str:
    colour = text.strip().lower()
    if not _COLOUR.fullmatch(colour):
        raise InvalidInputError(f"'{text}' is not a colour as #rrggbb")
    return colour


def _check_shortcut(session: Session, shortcut: str | None, own: int | None) -> None:
    """One key, used by no other entry."""
    if not shortcut:
        return
    if not SHORTCUT.fullmatch(shortcut):
        raise InvalidInputError(f"'{shortcut}' is not one key (a digit, a letter or F1–F12)")
    holder = session.scalar(select(Code).where(func.upper(Code.shortcut) == shortcut.upper()))
    if holder is not None and holder.id != own:
        raise InvalidInputError(f"the key {shortcut} is already “{holder.label}”'s")


def _check_parent(session: Session, parent_id: int | None, own: int | None, kind: str) -> None:
    """A parent of the same kind, and never the entry itself or one nested in it."""
    if parent_id is None:
        return
    parent = _code(session, parent_id)
    if parent.kind != kind:
        raise InvalidInputError("a record type nests only in a record type, a code in a code")
    ancestor: Code | None = parent
    while ancestor is not None:
        if ancestor.id == own:
            raise InvalidInputError("an entry cannot be nested in itself or in its own child")
        ancestor = session.get(Code, ancestor.parent_id) if ancestor.parent_id else None


def _free_name(session: Session, label: str) -> str:
    """A name for files and the command line, from the label: lower case, hyphens, unique."""
    return free_name(slug(label), set(session.scalars(select(Code.name))))


def slug(label: str) -> str:
    """A label as a name: lower case, words joined by hyphens ("Forced return" →
    "forced-return"), short enough for the codebook's name column."""
    return re.sub(r"[^\w]+", "-", label.casefold()).strip("-")[:NAME_LIMIT] or "code"


def free_name(name: str, taken: Collection[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… the first not ``taken``."""
    free, number = name, 2
    while free in taken:
        free, number = f"{name}-{number}", number + 1
    return free


def _next_colour(session: Session) -> str:
    used = set(session.scalars(select(Code.colour)))
    return next((c for c in PALETTE if c not in used), PALETTE[0])


def _uses(session: Session, code_id: int) -> tuple[list[int], list[int]]:
    """The passages coded with an entry, and the records of it (a record type)."""
    annotations: list[int] = list(
        session.scalars(select(Annotation.id).where(Annotation.code_id == code_id))
    )
    records: list[int] = list(session.scalars(select(Record.id).where(Record.type_id == code_id)))
    return annotations, records


def _suppressed(session: Session, code_id: int) -> set[SpanKey]:
    """Span keys of the suppressions of an entry (deleting or merging it touches them)."""
    query = select(
        Suppression.document_id, Suppression.start, Suppression.end, Suppression.code_id
    ).where(Suppression.code_id == code_id)
    return {(d, s, e, c) for d, s, e, c in session.execute(query)}


def _merge_suppressions(session: Session, source_id: int, target_id: int) -> None:
    """The source's suppressions become the target's (one per span)."""
    kept = {tuple(row) for row in session.execute(
        select(Suppression.document_id, Suppression.start, Suppression.end)
        .where(Suppression.code_id == target_id)
    )}  # fmt: skip
    for row in session.scalars(select(Suppression).where(Suppression.code_id == source_id)):
        if (row.document_id, row.start, row.end) in kept:
            session.delete(row)
        else:
            row.code_id = CodeId(target_id)


def seed_codebook(conn: Connection, actor: str, path: Path = DEFAULT_CODEBOOK) -> ChangeSet:
    """Add a codebook file's missing entries on ``conn``, inside the caller's transaction (a
    new project gets its codebook in the transaction that creates it)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    existing = set(conn.scalars(select(Code.name)))
    rows = [
        {
            "name": entry["name"],
            "label": entry["label"],
            "kind": entry["kind"],
            "colour": entry["colour"],
            "shortcut": entry.get("shortcut"),
            "description": entry.get("description", ""),
            "position": position,
            "fields": entry.get("fields", {}),
        }
        for position, entry in enumerate(data["entries"])
        if entry["name"] not in existing
    ]
    changes = ChangeSet()
    if rows:
        result = conn.execute(insert(Code).returning(Code.id, sort_by_parameter_order=True), rows)
        changes.add("code", *result.scalars())
    audit(conn, actor, "codebook.load", "code", None, file=path.name,
          added=sorted(changes.added["code"]))  # fmt: skip
    return changes
