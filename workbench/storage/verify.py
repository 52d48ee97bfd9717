"""``workbench verify``: check a project file from the pages up to what its rows promise.

The file is read under the project's lock with the application's own engine, in one
transaction that is rolled back, so nothing is changed and nothing else writes meanwhile.
A file whose schema our code did not make (``schema_guard``) has that one problem: the other
checks would run what was added (a view's query, an index's expressions).
Each check gives one "ok" line, or one line per problem (at most ``ROWS_LISTED`` rows each,
then a count), and a check that SQLite cannot even run is itself one problem line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from workbench.errors import DamagedProjectError, ProjectError, StorageError
from workbench.storage import migrate
from workbench.storage.cipher import (
    DRIVER_ERRORS,
    NOT_A_DATABASE,
    Passphrase,
    error_code,
    may_be_encrypted,
)
from workbench.storage.database import APPLICATION_ID, make_engine
from workbench.storage.files import SQLITE_MAGIC, read_header
from workbench.storage.integrity import ROWS_LISTED, check_lines, fts_problems, json_problems
from workbench.storage.lock import LockOwner, ProjectLock
from workbench.storage.schema_guard import check_schema


@dataclass
class Check:
    """One verification: what was checked when all is well, else its problems."""

    name: str
    ok: str = ""
    problems: list[str] = field(default_factory=list)


def _listed(problems: Iterable[str], what: str) -> list[str]:
    """The first ``ROWS_LISTED`` problems, then one line counting the rest."""
    shown: list[str] = []
    more = 0
    for problem in problems:
        if len(shown) < ROWS_LISTED:
            shown.append(problem)
        else:
            more += 1
    if more:
        shown.append(f"{more} more {what} like these")
    return shown


def _integrity(conn: Connection) -> Check:
    lines = check_lines(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check"))
    if not lines:
        return Check("integrity", "integrity check (every page, row and index)")
    return Check(
        "integrity", problems=_listed((f"integrity check: {x}" for x in lines), "problems")
    )


def _schema(conn: Connection) -> Check:
    revision = migrate.current_revision(conn)
    state = migrate.classify(revision)
    if state == "unknown":
        problem = (
            f"schema {revision or 'none'} is not one this version knows (made by a newer "
            "version, or not a project)"
        )
        return Check("schema", problems=[problem])
    later = "; it is upgraded when next opened" if state == "older" else ""
    return Check("schema", f"schema {revision}{later}")


def _text_hashes(conn: Connection) -> Check:
    count = 0
    problems: list[str] = []
    rows = conn.exec_driver_sql("SELECT id, text, text_sha256 FROM documents ORDER BY id")
    for doc_id, text, recorded in rows:
        count += 1
        if not isinstance(text, str):
            problems.append(f"document {doc_id}: its stored text is not text")
        elif hashlib.sha256(text.encode("utf-8")).hexdigest() != recorded:
            problems.append(f"document {doc_id}: its stored text does not match its SHA-256")
    ok = f"{count} document text(s) match their SHA-256"
    return Check("texts", ok, _listed(problems, "documents"))


def _quote_problem(row: Any, text: object) -> str | None:
    ann_id, doc_id, start, end, quote = row
    where = f"annotation {ann_id} (document {doc_id}, {start}-{end})"
    if not isinstance(text, str):
        return f"{where}: its document does not exist or its text is not text"
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return f"{where}: the span lies outside its document's {len(text)} characters"
    if quote != text[start:end]:
        return f"{where}: its quote differs from the document's text at that span"
    return None


def _quotes(conn: Connection) -> Check:
    """Every annotation's quote equals its document's text[start:end] (code points)."""
    count = 0
    problems: list[str] = []
    current: tuple[object, object] = (None, None)
    query = 'SELECT id, document_id, start, "end", quote FROM annotations ORDER BY document_id, id'
    for row in conn.exec_driver_sql(query):
        count += 1
        if row[1] != current[0]:
            text = conn.exec_driver_sql("SELECT text FROM documents WHERE id = ?", (row[1],))
            current = (row[1], text.scalar())
        problem = _quote_problem(row, current[1])
        if problem:
            problems.append(problem)
    ok = f"{count} annotation quote(s) match their documents"
    return Check("quotes", ok, _listed(problems, "annotations"))


def _evidence(conn: Connection) -> Check:
    """Every record's evidence points to an annotation (and a record) that exists."""
    total = conn.exec_driver_sql("SELECT count(*) FROM evidence").scalar()
    rows = conn.exec_driver_sql(
        "SELECT e.id, e.record_id, e.annotation_id, r.id IS NULL, a.id IS NULL FROM evidence e "
        "LEFT JOIN records r ON r.id = e.record_id "
        "LEFT JOIN annotations a ON a.id = e.annotation_id "
        "WHERE r.id IS NULL OR a.id IS NULL ORDER BY e.id"
    )
    problems = []
    for ev_id, record_id, annotation_id, no_record, no_annotation in rows:
        if no_annotation:
            problems.append(
                f"record {record_id}: evidence {ev_id} points to annotation {annotation_id}, "
                "which does not exist"
            )
        if no_record:
            problems.append(f"evidence {ev_id} belongs to record {record_id}, which does not exist")
    ok = f"{total} evidence link(s) point to existing annotations"
    return Check("evidence", ok, _listed(problems, "evidence links"))


# References the checks above already report in their own words.
_COVERED = {("evidence", "annotations"), ("evidence", "records"), ("annotations", "documents")}


def _references(conn: Connection) -> Check:
    """Every other reference between tables (codes, record links, suppressions)."""
    problems = (
        f"{table} row {rowid}: refers to a {parent} row that does not exist"
        for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check")
        if (table, parent) not in _COVERED
    )
    listed = _listed(problems, "rows")
    return Check("references", "references between tables", listed)


def _reason_error(exc: BaseException) -> BaseException:
    """The driver's error behind ``exc`` (or ``exc`` when there is none)."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DRIVER_ERRORS):
        orig = getattr(cause, "orig", None)
        cause = orig if isinstance(orig, BaseException) else cause.__context__
    return cause if cause is not None else exc


def _reason(exc: BaseException) -> str:
    """SQLite's own words for a failure (the engine turns "corrupt" into a user message)."""
    return str(_reason_error(exc))


def _header_problem(path: Path, key: Passphrase | None) -> str | None:
    """Why the file's first bytes refuse it, or None (an encrypted file's are random)."""
    head = _header(path)
    if key is not None:
        return (
            f"{path.name} is not encrypted: verify it without a passphrase"
            if (head == SQLITE_MAGIC)
            else None
        )
    if head == SQLITE_MAGIC:
        return None
    if may_be_encrypted(path):
        return (
            f"{path.name} is encrypted (or is not an SQLite database): "
            "it is verified with its passphrase"
        )
    return f"{path.name} is not an SQLite database"


def _full_text(conn: Connection) -> Check:
    try:
        problems = fts_problems(conn)
    except (StorageError, DamagedProjectError) as exc:
        problems = [
            f"full-text index documents_fts is damaged or does not match the documents table "
            f"({_reason(exc)}); searches will miss or invent documents"
        ]
    return Check("fts", "full-text index matches the documents", problems)


def _json(conn: Connection) -> Check:
    return Check("json", "JSON columns hold JSON objects", json_problems(conn))


CHECKS: tuple[Callable[[Connection], Check], ...] = (
    _integrity,
    _schema,
    _full_text,
    _text_hashes,
    _quotes,
    _evidence,
    _references,
    _json,
)


def verify_connection(conn: Connection) -> list[Check]:
    """Run every check on ``conn`` (inside its transaction); a check SQLite cannot run is
    reported as one problem and the others still run."""
    results = []
    for check in CHECKS:
        name = check.__name__.lstrip("_")
        try:
            result = check(conn)
        except (DBAPIError, StorageError, DamagedProjectError) as exc:
            reason = _reason(exc)
            result = Check(name, problems=[f"cannot check {name.replace('_', ' ')}: {reason}"])
        results.append(result)
    return results


def _header(path: Path) -> bytes:
    try:
        return read_header(path)
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from exc


def verify_file(
    path: Path,
    *,
    wait: float = 0.0,
    on_wait: Callable[[LockOwner | None], None] | None = None,
    key: Passphrase | None = None,
) -> list[Check]:
    """Verify the project file at ``path`` while owning it (``ProjectLockedError`` if it is
    open elsewhere and stays so for ``wait`` seconds); ``key``: it is encrypted with it."""
    path = path.expanduser().absolute()
    if not path.is_file():
        raise ProjectError(f"no project at {path}")
    lock = ProjectLock.acquire(path, app="the verify command", wait=wait, on_wait=on_wait)
    try:
        refused = _header_problem(path, key)
        if refused:
            return [Check("file", problems=[refused])]
        engine = make_engine(path, wal=None, key=key)  # only read: the journal stays as it is
        try:
            with engine.connect() as conn:
                app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
                if app_id != APPLICATION_ID:
                    problem = f"{path.name} is not a Testimony Workbench project"
                    return [Check("file", problems=[problem])]
                try:
                    check_schema(conn, path)
                except DamagedProjectError as exc:  # checking on would run what was added
                    return [Check("schema", problems=[str(exc)])]
                results = verify_connection(conn)
                conn.rollback()
                return results
        except (DBAPIError, StorageError, DamagedProjectError) as exc:
            cause = _reason_error(exc)
            if key is not None and (error_code(cause) or 0) & 0xFF == NOT_A_DATABASE:
                problem = f"{path.name}: wrong passphrase (or not a Testimony Workbench project)"
                return [Check("file", problems=[problem])]
            return [Check("file", problems=[f"{path.name} cannot be read: {_reason(exc)}"])]
        finally:
            engine.dispose()
    finally:
        lock.release()
