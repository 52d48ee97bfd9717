"""Copying a whole project between a file and a server, in either direction, losing nothing.

Every table of the models is copied row for row with its ids (documents' text, offsets,
records, the codebook, the audit log...), in the order their foreign keys need, into a new
project built in the same transaction: the destination is complete or is not made at all
(a file is built beside its name and renamed into place; a database gets it in one
transaction). The destination must be new: a missing or empty file, or a database without
tables. The source is read in one transaction, one snapshot of it even while others write
to it on a server. The full-text index is made for the destination (FTS5 rows in a file; on a server
the GIN index follows the table), and a server's id sequences are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select

from workbench.errors import ProjectError
from workbench.storage.database import (
    open_database,
    open_server_database,
    prepare_folder,
)
from workbench.storage.fts import index_document
from workbench.storage.lock import ProjectLock
from workbench.storage.models import Base
from workbench.storage.postgres import is_server, reset_sequences, server_url, where

BATCH = 1000  # rows read and written at a time


@dataclass
class CopyReport:
    """What a copy wrote: rows per table, and where."""

    destination: str
    rows: dict[str, int] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return self.rows.get(table, 0)


def _copier(source: Engine, report: CopyReport) -> Callable[[Connection], None]:
    """Fills a destination being created (its ``seed``) with every row of ``source``."""

    def copy(conn: Connection) -> None:
        with source.connect() as reader:
            if reader.dialect.name != "sqlite":  # one snapshot while others write
                reader.execution_options(isolation_level="REPEATABLE READ")
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns)
                rows = reader.execution_options(yield_per=BATCH).execute(
                    select(table).order_by(*order)
                )
                copied = 0
                for batch in rows.partitions():
                    values = [dict(row._mapping) for row in batch]
                    conn.execute(insert(table), values)
                    copied += len(values)
                report.rows[table.name] = copied
        if conn.dialect.name == "sqlite":
            documents = Base.metadata.tables["documents"]
            found = conn.execute(select(documents.c.id, documents.c.title, documents.c.text))
            for doc_id, title, body in found:
                index_document(conn, doc_id, title, body)
        else:
            with_ids = [t.name for t in Base.metadata.sorted_tables if "id" in t.c]
            reset_sequences(conn, with_ids)

    return copy


def copy_project(
    source: Engine,
    destination: Path | str,
    *,
    app: str = "Testimony Workbench",
    password: Callable[[], str | None] | None = None,
) -> CopyReport:
    """Copy the project on ``source`` (an open project's engine) into a new project at
    ``destination``: a file path or a ``postgresql://`` address."""
    if isinstance(destination, str) and is_server(destination):
        url = server_url(destination)
        report = CopyReport(where(url))
        opened = open_server_database(
            url, create=True, seed=_copier(source, report), password=password, new_only=True
        )
        opened.engine.dispose()
        return report
    path = Path(destination).expanduser().resolve()
    report = CopyReport(str(path))
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path} exists and is not empty: copy into a new file")
    prepare_folder(path, create=True)
    lock = ProjectLock.acquire(path, app=app)
    try:
        if path.exists() and path.stat().st_size > 0:  # made while the lock was taken
            raise ProjectError(f"{path} exists and is not empty: copy into a new file")
        opened = open_database(path, create=True, seed=_copier(source, report))
        opened.engine.dispose()
    finally:
        lock.release()
    return report
