"""The one place where project engines are made, and how a project file is opened."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.errors import ProjectError
from workbench.storage import migrate
from workbench.storage.fts import FTS_DDL
from workbench.storage.models import Base

log = logging.getLogger(__name__)

# "TWB1": marks an SQLite file as a Testimony Workbench project (PRAGMA application_id).
APPLICATION_ID = 0x54574231
SQLITE_MAGIC = b"SQLite format 3\x00"


def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    """Per-connection pragmas: integrity and safety first."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA trusted_schema=OFF")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """Create the engine for a project file (the single place; encryption will hook in here)."""
    engine = create_engine(f"sqlite+pysqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    return engine


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite databases before SQLite touches them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"cannot read project file {path}: {exc.strerror}") from exc
    if head != SQLITE_MAGIC:
        raise ProjectError(f"{path} is not a Testimony Workbench project (not an SQLite database)")


def _backup(path: Path) -> Path:
    """Copy the file beside itself with a timestamp, using SQLite's online backup."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def create_schema(engine: Engine) -> None:
    """Build a fresh project schema and stamp it with the newest migration."""
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        for ddl in FTS_DDL:
            conn.exec_driver_sql(ddl)
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        migrate.stamp_head(conn)


@dataclass(frozen=True)
class OpenedDatabase:
    """An engine on a ready-to-use project file, and what opening it did."""

    engine: Engine
    created: bool
    backup: Path | None


def open_database(path: Path, *, create: bool = True) -> OpenedDatabase:
    """Open (or create) a project file, migrating it if older."""
    path = path.expanduser()
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new:
        if not create:
            raise ProjectError(f"no project at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"cannot create folder {path.parent}: {exc.strerror}") from exc
    else:
        _check_header(path)
    engine = make_engine(path)
    try:
        if is_new:
            create_schema(engine)
            return OpenedDatabase(engine, created=True, backup=None)
        return _prepare_existing(engine, path)
    except ProjectError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise ProjectError(f"cannot open project {path}: {exc.args[0]}") from exc


def _prepare_existing(engine: Engine, path: Path) -> OpenedDatabase:
    """Verify an existing file is ours and intact, then migrate it to the newest schema."""
    with engine.connect() as conn:
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
        if app_id != APPLICATION_ID:
            tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            if app_id == 0 and tables == 0:
                conn.close()
                create_schema(engine)
                return OpenedDatabase(engine, created=True, backup=None)
            raise ProjectError(f"{path} is not a Testimony Workbench project")
        check = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        if check != "ok":
            raise ProjectError(f"{path} is damaged (integrity check: {check})")
        current = migrate.current_revision(conn)
    state = migrate.classify(current)
    if state == "current":
        return OpenedDatabase(engine, created=False, backup=None)
    if state == "unknown":
        raise ProjectError(
            f"{path} was made by a newer version of Testimony Workbench "
            f"(schema {current}); update the application to open it"
        )
    backup = _backup(path)
    log.info("upgrading %s from schema %s; backup at %s", path, current, backup)
    with engine.begin() as conn:
        migrate.upgrade_head(conn)
    return OpenedDatabase(engine, created=False, backup=backup)
