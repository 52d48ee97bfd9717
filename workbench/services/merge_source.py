"""The other file of a merge, read from a private copy (the file itself is never written),
and where the two copies parted.

The other project is held by its lock while its bytes (and those of a ``-wal`` it has) are
copied into a private temporary folder; the copy is then opened like any project, so the
header, passphrase, schema and integrity checks are those of an ordinary open, and an
older schema is upgraded in the copy. SQLite never opens the original: its locks belong
to the process, and a connection opened and closed on a file that a window of this process
has open would drop that window's.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from workbench.errors import InvalidInputError, ProjectError
from workbench.storage.cipher import Passphrase, PassphraseError, may_be_encrypted
from workbench.storage.database import open_database
from workbench.storage.lock import ProjectLock, ProjectLockedError
from workbench.storage.models import (
    Annotation,
    AuditEntry,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
    Suppression,
)

MERGING_APP = "a merge into another project"
Row = dict[str, Any]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


class MergePassphraseError(InvalidInputError):
    """The copy is encrypted and the passphrase given (or none) does not open it."""


def _refusal(exc: ProjectError, copy: Path, original: Path) -> str:
    """The open's one line, naming the original file instead of its private copy."""
    message = str(exc).replace(str(copy.parent), str(original.parent))
    return message.replace(str(copy), str(original))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the other project's lock while its bytes are copied (nobody writes it then); a
    folder where no lock can be made (read-only media) is read without one."""
    try:
        lock = ProjectLock.acquire(path, app=MERGING_APP)
    except ProjectLockedError as exc:
        raise InvalidInputError(f"cannot merge {path.name}: {exc}") from exc
    except ProjectError:
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _copy_files(path: Path, folder: Path) -> Path:
    """Copy the project file and its ``-wal`` (committed changes not yet in the file)."""
    copy = folder / path.name
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    return copy


@contextmanager
def private_copy(path: Path, ours: Path) -> Iterator[Path]:
    """A private copy of the project file at ``path`` (removed afterwards); one line when it
    cannot be taken: missing, not a file, the open project itself, open elsewhere."""
    path = Path(path).expanduser().absolute()
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file")
    if not path.is_file():
        raise InvalidInputError(f"{path} is not a file")
    if path.stat().st_size == 0:
        raise InvalidInputError(f"{path.name} is empty: not a Testimony Workbench project")
    if _same_file(path, ours):
        raise InvalidInputError(f"{path.name} is the open project itself: choose another copy")
    folder = Path(tempfile.mkdtemp(prefix="workbench-merge-"))
    try:
        with _locked(path):
            try:
                copy = _copy_files(path, folder)
            except OSError as exc:
                raise InvalidInputError(
                    f"{path.name}: cannot read it: {exc.strerror or exc}"
                ) from exc
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def opened_copy(path: Path, ours: Path, key: Passphrase | None) -> Iterator[Engine]:
    """An engine on the other project's private copy, checked (and upgraded) like any
    project on opening; read only. ``key`` opens it if it is encrypted."""
    original = Path(path).expanduser().absolute()
    with private_copy(original, ours) as copy:
        try:
            # the copy's header, not the original's, says whether the key is needed
            opened = open_database(copy, create=False, key=key if may_be_encrypted(copy) else None)
        except PassphraseError as exc:
            raise MergePassphraseError(_refusal(exc, copy, original)) from exc
        except ProjectError as exc:
            raise InvalidInputError(_refusal(exc, copy, original)) from exc
        try:
            if opened.created:  # an empty SQLite file, which opening made into a project
                raise InvalidInputError(f"{original.name} is not a Testimony Workbench project")
            yield opened.engine
        finally:
            opened.engine.dispose()


def rows(conn: Connection, model: Any, *conditions: Any) -> list[Row]:
    """Every column of a table's rows, as dictionaries."""
    query = select(*model.__table__.columns).where(*conditions)
    return [dict(r._mapping) for r in conn.execute(query)]


def audit_keys(conn: Connection) -> list[tuple[Any, ...]]:
    """What identifies each audit entry, in order (its detail may be rewritten later)."""
    query = select(AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
                   AuditEntry.entity, AuditEntry.entity_id).order_by(AuditEntry.id)  # fmt: skip
    return [tuple(r) for r in conn.execute(query)]


def parted_at(ours: list[tuple[Any, ...]], theirs: list[tuple[Any, ...]]) -> int:
    """The last audit id both logs share (entries are only ever appended): where the copies
    parted. 0 when they share nothing."""
    last = 0
    for a, b in zip(ours, theirs, strict=False):
        if a != b:
            break
        last = a[0]
    return last


# What an audited action can have changed of the records it names (merge_conflicts.FIELDS);
# any action not listed (a merge, a split, an undo, a merge of copies) may have changed all.
_STATUS = frozenset({"status"})
_ACTION_FIELDS: dict[str, frozenset[str]] = {
    "record.accepted": _STATUS,
    "record.rejected": _STATUS,
    "record.suggested": _STATUS,
    "record.protect": frozenset(),  # protection is joined, never taken back, by a merge
    "record.unprotect": frozenset(),
    "annotation.create": frozenset(),  # a passage made or attached: evidence is joined
    "annotation.attach": frozenset(),
    "memo.write": frozenset({"note"}),  # a record's memo is its note
}
_ALL = frozenset({"label", "type", "status", "date", "note", "fields"})
# Edits (a record by id -> the fields changed) and who made them.
Edits = tuple[dict[int, set[str]], set[str]]


def _fields_of(action: str, detail: dict[str, Any]) -> frozenset[str]:
    """The fields an entry's action may have changed: a ``record.edit`` names them (before it
    did, it named label, type and date; its note and fields then count as changed)."""
    if action == "record.edit":
        edited = detail.get("edited")
        if isinstance(edited, list):  # which fields the edit was given
            return _ALL & frozenset(f for f in edited if isinstance(f, str))
        named = {"label": "label", "type": "type", "date_text": "date"}
        return frozenset({"note", "fields"} | {f for k, f in named.items() if detail.get(k)})
    return _ACTION_FIELDS.get(action, _ALL)


def entry_edits(
    action: str, entity: str, entity_id: int | None, detail: Any
) -> dict[int, set[str]]:
    """The records one audit entry names, each with the fields it may have changed."""
    detail = detail if isinstance(detail, dict) else {}
    fields = _fields_of(action, detail)
    named = detail.get("records")
    ids = {i for i in named if isinstance(i, int)} if isinstance(named, list) else set()
    if entity == "record" and entity_id is not None:
        ids.add(entity_id)
    return {i: set(fields) for i in ids}


def edits_since(entries: Any, after: int, copy: str | None = None) -> Edits:
    """What the audit entries after ``after`` changed, record by record, and who wrote them:
    ``entries`` are (id, actor, action, entity, entity_id, detail) rows. Earlier merges of
    the copy ``copy`` (``copy_mark``) count as no edit: what they wrote came from it."""
    changed: dict[int, set[str]] = {}
    actors: set[str] = set()
    for entry, actor, action, entity, entity_id, detail in entries:
        if entry <= after:
            continue
        if actor:
            actors.add(actor)
        if copy and action == "project.merge" and _detail(detail).get("copy") == copy:
            continue
        for record, fields in entry_edits(action, entity, entity_id, detail).items():
            changed.setdefault(record, set()).update(fields)
    return changed, actors


def _detail(detail: Any) -> dict[str, Any]:
    return detail if isinstance(detail, dict) else {}


def copy_mark(theirs_audit: list[tuple[Any, ...]], after: int) -> str | None:
    """What tells this copy from others of the same project: its first audit entry after
    the copies parted (time and actor); None when it did nothing since."""
    for entry, at, actor, *_rest in theirs_audit:
        if entry > after:
            return f"{at.isoformat() if hasattr(at, 'isoformat') else at} {actor or ''}"
    return None


def audit_entries(conn: Connection, after: int = 0) -> list[tuple[Any, ...]]:
    """(id, actor, action, entity, entity_id, detail) of the entries after ``after``."""
    query = select(AuditEntry.id, AuditEntry.actor, AuditEntry.action, AuditEntry.entity,
                   AuditEntry.entity_id, AuditEntry.detail)  # fmt: skip
    query = query.where(AuditEntry.id > after).order_by(AuditEntry.id)
    return [tuple(r) for r in conn.execute(query)]


@dataclass
class Theirs:
    """The copy's rows."""

    codes: list[Row]
    documents: list[Row]
    annotations: list[Row]
    records: list[Row]
    evidence: list[Row]
    links: list[Row]
    suppressions: list[Row]
    memos: list[Row]
    audit: list[tuple[Any, ...]]  # ``audit_keys``: where the copies parted
    entries: list[tuple[Any, ...]]  # ``audit_entries``: what the copy did since


def _read(conn: Connection) -> Theirs:
    return Theirs(
        codes=rows(conn, Code),
        documents=[],
        annotations=rows(conn, Annotation),
        records=rows(conn, Record),
        evidence=rows(conn, Evidence),
        links=rows(conn, RecordLink),
        suppressions=rows(conn, Suppression),
        memos=rows(conn, Memo),
        audit=audit_keys(conn),
        entries=audit_entries(conn),
    )


def load(engine: Engine) -> Theirs:
    """Everything of the copy a merge reads."""
    with engine.connect() as conn:
        theirs = _read(conn)
        theirs.documents = rows(conn, Document)  # text too: new ones need it
    return theirs
