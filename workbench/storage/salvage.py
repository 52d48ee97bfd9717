"""Salvage: copy what can still be read from a damaged project into a new, whole project.

For a project that no longer opens and has no good backup. Rows are read table by table in
id order, a page at a time; where a damaged page stops the reading, the rows after it are
looked for again further on, so one bad page costs the rows on it, not the rest of the
table. The new project gets our schema, the rows that still hold together (a row whose
document, record or code was lost goes too: its references are checked at the end), and a
rebuilt full-text index. The damaged file is only read, never changed, and only its tables
are: a view in place of one of ours (a schema we did not make) is not run. An encrypted
project is read with its passphrase and salvaged into a project encrypted with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from workbench.errors import ProjectError
from workbench.storage.cipher import (
    DATABASE_ERRORS,
    NOT_A_DATABASE,
    Passphrase,
    error_code,
    wrong_passphrase,
)
from workbench.storage.database import Seed, make_engine, open_database
from workbench.storage.files import connect_file
from workbench.storage.lock import ProjectLock
from workbench.storage.models import Base

PAGE = 500  # rows read per statement
# Parents before children, so each table's references can be checked against what came over.
TABLES = (
    "codes", "documents", "records", "annotations", "evidence", "record_links",
    "extraction_suppressions", "memos", "merge_conflicts", "audit_log",
)  # fmt: skip


@dataclass
class SalvageReport:
    """Rows copied and rows lost (unreadable or left without what they referred to)."""

    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # one line per damaged stretch

    @property
    def complete(self) -> bool:
        """Whether nothing was lost."""
        return not self.unreadable and not any(self.lost.values())

    def summary(self) -> str:
        """One line: what came over and what was lost."""
        copied = ", ".join(f"{n} {table}" for table, n in self.copied.items() if n)
        lost = sum(self.lost.values())
        damaged = len(self.unreadable)
        return (
            f"salvaged {copied or 'nothing'}; {damaged} damaged stretch(es) skipped, "
            f"{lost} row(s) dropped for want of what they referred to"
        )


def salvage_path(project: Path) -> Path:
    """A new file beside a damaged project for what is salvaged from it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = project.with_name(f"{project.stem}-salvaged-{stamp}{project.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = project.with_name(f"{project.stem}-salvaged-{stamp}-{n}{project.suffix}")
    return target


def salvage(
    source: Path, target: Path, seed: Seed | None = None, key: Passphrase | None = None
) -> SalvageReport:
    """Copy what is readable from ``source`` into a new project at ``target``; ``seed``
    then adds what a project needs and the salvage lost (the default codebook's types).
    ``key``: ``source`` is encrypted with it, and ``target`` is made so."""
    if target.exists():
        raise ProjectError(f"{target.name} exists already; choose a new file for the salvage")
    lock = ProjectLock.acquire(source, app="a salvage")
    try:
        reader = _open_read_only(source, key)
        try:
            return _copy(reader, target, seed, key)
        finally:
            reader.close()
    finally:
        lock.release()


def _open_read_only(path: Path, key: Passphrase | None = None) -> Any:
    try:
        conn = connect_file(path.resolve(), read_only=True, key=key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS as exc:
        if key is not None and (error_code(exc) or 0) & 0xFF == NOT_A_DATABASE:
            raise wrong_passphrase(path) from None
        raise ProjectError(f"nothing can be read from {path.name}: {exc}") from exc
    return conn


def _copy(reader: Any, target: Path, seed: Seed | None, key: Passphrase | None) -> SalvageReport:
    report = SalvageReport()
    lock = ProjectLock.acquire(target, app="a salvage")
    try:
        open_database(target, create=True, key=key).engine.dispose()  # our schema, no codebook
        engine = make_engine(target, key=key)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                for table in TABLES:
                    _copy_table(reader, conn, table, report)
                _drop_orphans(conn, report)
                if seed is not None:
                    seed(conn)
                conn.exec_driver_sql("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
        finally:
            engine.dispose()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        lock.release()
    return report


def _copy_table(reader: Any, conn: Connection, table: str, report: SalvageReport) -> None:
    columns = [c.name for c in Base.metadata.tables[table].columns]
    try:
        kind = reader.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        have = set()
        if kind == ("table",):  # a view in its place is never run
            have = {row[1] for row in reader.execute(f'PRAGMA table_info("{table}")')}
    except DATABASE_ERRORS:
        have = set()
    if not have:
        report.unreadable.append(f"{table}: the table cannot be read at all")
        report.copied[table] = 0
        return
    names = [c for c in columns if c in have]
    quoted = ", ".join(f'"{c}"' for c in names)
    values = ", ".join(f":{c}" for c in names)
    insert = text(f'INSERT INTO "{table}" ({quoted}) VALUES ({values})')  # noqa: S608 - our names
    copied = 0
    for rows in _pages(reader, table, quoted, report):
        if rows:
            conn.execute(insert, [dict(zip(names, row, strict=True)) for row in rows])
            copied += len(rows)
    report.copied[table] = copied


def _pages(
    reader: Any, table: str, quoted: str, report: SalvageReport
) -> Iterator[list[tuple[object, ...]]]:
    """Pages of rows in id order; where a page fails, rows are read one at a time up to the
    damage, which is then skipped by probing further ids (every step moves forward)."""
    after, top = -1, _max_id(reader, table)
    query = f'SELECT id, {quoted} FROM "{table}" WHERE id > ? ORDER BY id LIMIT ?'  # noqa: S608
    while True:
        try:
            rows = reader.execute(query, (after, PAGE)).fetchall()
        except DATABASE_ERRORS:
            rows = []
            try:
                while len(rows) < PAGE:
                    row = reader.execute(query, (rows[-1][0] if rows else after, 1)).fetchone()
                    if row is None:
                        break
                    rows.append(row)
            except DATABASE_ERRORS:
                last = int(rows[-1][0]) if rows else after
                resume = _next_readable(reader, table, last + 1, top)
                report.unreadable.append(
                    f"{table}: rows after id {last} up to "
                    f"{resume if resume is not None else 'the end'} could not be read"
                )
                if rows:
                    yield [row[1:] for row in rows]
                if resume is None:
                    return
                after = resume - 1
                continue
        if not rows:
            return
        after = int(rows[-1][0])
        yield [row[1:] for row in rows]


def _max_id(reader: Any, table: str) -> int:
    try:
        value = reader.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]  # noqa: S608
    except DATABASE_ERRORS:
        return 1 << 40
    return int(value or 0)


def _next_readable(reader: Any, table: str, after: int, top: int) -> int | None:
    """The first id past ``after`` (an unreadable id) from which a row reads again, if any."""
    step = 1
    probe = after + 1
    while probe <= top:
        try:
            row = reader.execute(
                f'SELECT id FROM "{table}" WHERE id >= ? ORDER BY id LIMIT 1',  # noqa: S608
                (probe,),
            ).fetchone()
            return None if row is None else int(row[0])
        except DATABASE_ERRORS:
            probe += step
            step *= 2
    return None


def _drop_orphans(conn: Connection, report: SalvageReport) -> None:
    """Remove rows whose document, record, annotation or code was not salvaged."""
    while True:
        orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if not orphans:
            return
        for table, rowid, _parent, _fk in orphans:
            if table not in TABLES:  # pragma: no cover - the target has our schema only
                raise ProjectError(f"unexpected table {table!r} in a salvaged project")
            conn.exec_driver_sql(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))  # noqa: S608
            report.lost[table] = report.lost.get(table, 0) + 1
            report.copied[table] = report.copied.get(table, 0) - 1
