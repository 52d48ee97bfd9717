"""Copying a whole project between a file and a server, in either direction, losing nothing.

Every table of the models is copied row for row with its ids (documents' text, offsets,
records, the codebook, the audit log...), in the order their foreign keys need, into a new
project built in the same transaction: the destination is complete or is not made at all
(a file is built beside its name and renamed into place; a database gets it in one
transaction). The destination must be new: a missing or empty file, or a database without
tables. The source is read in one transaction, one snapshot of it even while others write
to it on a server. The full-text index is made for the destination (FTS5 rows in a file; on a server
the GIN index follows the table), and a server's id sequences are moved past the copied ids.

``progress(done, total, label)`` counts rows (and, into a file, documents indexed) against
the source's counts in that snapshot; ``cancel`` is looked at before each batch, and a
cancelled copy (like a failed one) leaves no destination behind. A source that cannot be
read any more (a server gone mid-copy) is said in one line naming it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, func, insert, select
from sqlalchemy.exc import DBAPIError

from workbench.domain import CancelFlag, Progress
from workbench.errors import ProjectError, StorageError, WorkbenchError
from workbench.storage.database import (
    open_database,
    open_server_database,
    prepare_folder,
)
from workbench.storage.fts import index_document
from workbench.storage.lock import ProjectLock
from workbench.storage.models import Base
from workbench.storage.postgres import is_server, reason, reset_sequences, server_url, where

BATCH = 1000  # rows read and written at a time
_TABLES = Base.metadata.sorted_tables  # in the order their foreign keys need
# A source that fails to be read: the driver's error, or the engine's one line for it.
_READ_ERRORS = (DBAPIError, StorageError)


class CopyCancelledError(WorkbenchError):
    """The copy was cancelled: nothing was made at the destination."""


@dataclass
class CopyReport:
    """What a copy wrote: rows per table, and where."""

    destination: str
    rows: dict[str, int] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return self.rows.get(table, 0)


class _Counter:
    """Rows done of the total, told to ``progress``; raises once ``cancel`` is set."""

    def __init__(self, progress: Progress | None, cancel: CancelFlag | None, total: int) -> None:
        self._progress, self._cancel = progress, cancel
        self.done, self.total = 0, total

    def check(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise CopyCancelledError("the copy was cancelled")

    def add(self, count: int, label: str) -> None:
        self.done += count
        if self._progress is not None:
            self._progress(self.done, self.total, label)


def _source_name(source: Engine) -> str:
    if source.dialect.name == "sqlite":
        return Path(source.url.database or "the project").name
    return where(source.url)


def _unreadable(name: str, exc: Exception) -> ProjectError:
    return ProjectError(f"the copy stopped: {name} could not be read: {reason(exc)}")


def _open_snapshot(source: Engine, name: str) -> tuple[Connection, list[int]]:
    """A connection reading ``source`` in one snapshot, and each table's row count in it."""
    try:
        reader = source.connect()
    except _READ_ERRORS as exc:
        raise _unreadable(name, exc) from exc
    try:
        if reader.dialect.name != "sqlite":  # one snapshot while others write
            reader.execution_options(isolation_level="REPEATABLE READ")
        count = func.count()
        totals = [reader.scalar(select(count).select_from(t)) or 0 for t in _TABLES]
    except _READ_ERRORS as exc:
        reader.close()
        raise _unreadable(name, exc) from exc
    return reader, totals


def _read(reader: Connection, table: Table, name: str) -> Iterator[list[dict[str, object]]]:
    """The rows of ``table`` in batches, in key order; a failed read said in one line."""
    try:
        rows = reader.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        for batch in rows.partitions():
            yield [dict(row._mapping) for row in batch]
    except _READ_ERRORS as exc:
        raise _unreadable(name, exc) from exc


def _copier(
    source: Engine, report: CopyReport, progress: Progress | None, cancel: CancelFlag | None
) -> Callable[[Connection], None]:
    """Fills a destination being created (its ``seed``) with every row of ``source``."""
    name = _source_name(source)
    documents = Base.metadata.tables["documents"]

    def copy(conn: Connection) -> None:
        reader, totals = _open_snapshot(source, name)
        indexed = totals[_TABLES.index(documents)] if conn.dialect.name == "sqlite" else 0
        counter = _Counter(progress, cancel, sum(totals) + indexed)
        with reader:
            for table in _TABLES:
                counter.check()
                copied = 0
                for values in _read(reader, table, name):
                    counter.check()
                    conn.execute(insert(table), values)
                    copied += len(values)
                    counter.add(len(values), table.name.replace("_", " "))
                report.rows[table.name] = copied
        if conn.dialect.name == "sqlite":
            found = conn.execute(select(documents.c.id, documents.c.title, documents.c.text))
            for doc_id, title, body in found:
                counter.check()
                index_document(conn, doc_id, title, body)
                counter.add(1, "search index")
        else:
            with_ids = [t.name for t in _TABLES if "id" in t.c]
            reset_sequences(conn, with_ids)

    return copy


def _check_writable(folder: Path) -> None:
    """Refuse, in words about the folder, one where no file can be made (before its lock)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ProjectError(f"cannot write in {folder}: {exc.strerror}") from exc


def copy_project(
    source: Engine,
    destination: Path | str,
    *,
    app: str = "Testimony Workbench",
    password: Callable[[], str | None] | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> CopyReport:
    """Copy the project on ``source`` (an open project's engine) into a new project at
    ``destination``: a file path or a ``postgresql://`` address. Raises
    ``CopyCancelledError`` once ``cancel`` is set, the destination not made."""
    if isinstance(destination, str) and is_server(destination):
        url = server_url(destination)
        report = CopyReport(where(url))
        opened = open_server_database(
            url,
            create=True,
            seed=_copier(source, report, progress, cancel),
            password=password,
            new_only=True,
        )
        opened.engine.dispose()
        return report
    path = Path(destination).expanduser().resolve()
    report = CopyReport(str(path))
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path} exists and is not empty: copy into a new file")
    prepare_folder(path, create=True)
    _check_writable(path.parent)
    lock = ProjectLock.acquire(path, app=app)
    try:
        if path.exists() and path.stat().st_size > 0:  # made while the lock was taken
            raise ProjectError(f"{path} exists and is not empty: copy into a new file")
        opened = open_database(path, create=True, seed=_copier(source, report, progress, cancel))
        opened.engine.dispose()
    finally:
        lock.release()
    return report
