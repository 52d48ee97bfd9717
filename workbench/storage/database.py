"""The one place where project engines are made, and how a project file or a project on a
PostgreSQL server (``storage/postgres.py``) is opened."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry

from workbench.errors import DamagedProjectError, ProjectError, StorageError
from workbench.storage import migrate, postgres
from workbench.storage.backup import copy_database
from workbench.storage.cipher import (
    DATABASE_ERRORS,
    DRIVER_ERRORS,
    DRIVER_MODULE,
    NOT_A_DATABASE,
    Passphrase,
    error_code,
    is_plain_header,
    may_be_encrypted,
    needs_passphrase,
    not_encrypted,
    wrong_passphrase,
)
from workbench.storage.cipher import connect as keyed_connect
from workbench.storage.files import (
    SQLITE_MAGIC,
    connect_file,
    fsync_path,
    private_file,
    read_header,
)
from workbench.storage.fts import schema_ddl
from workbench.storage.integrity import check_lines, check_summary
from workbench.storage.models import Base
from workbench.storage.schema_guard import check_schema

log = logging.getLogger(__name__)

# "TWB1": marks an SQLite file as a Testimony Workbench project (PRAGMA application_id).
APPLICATION_ID = 0x54574231


def _on_connect(
    dbapi_connection: Any, record: ConnectionPoolEntry, *, wal: bool | None = True, busy_ms: int
) -> None:
    """Per-connection pragmas: integrity and safety first.

    The driver is told not to manage transactions (it would send DDL outside any
    transaction, committing each statement); ``_on_begin`` sends BEGIN instead, so creating
    and upgrading a schema is one transaction like any other change. ``wal`` None leaves the
    journal as the file has it: switching it writes to the file.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA trusted_schema=OFF")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # removed text is overwritten, not left in free space
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    record.info["busy_ms"] = busy_ms  # for the message when the wait was not enough
    if wal is not None:
        cursor.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
        cursor.execute("PRAGMA synchronous=NORMAL" if wal else "PRAGMA synchronous=FULL")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for connections that will write (``WRITE_OPTIONS``): a
    writer takes the write lock up front, waiting up to the busy timeout, instead of failing
    half-way when another connection wrote after its first read. Sent on the driver's own
    connection: through SQLAlchemy's execution it cost 7% of an import."""
    mode = conn.get_execution_options().get("sqlite_begin", "")
    try:
        conn.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]
    except DRIVER_ERRORS as exc:
        _raise_storage_error(exc, conn.info.get("busy_ms", BUSY_TIMEOUT_MS))
        raise


# SQLite result codes (primary) and what the user is told; the change was rolled back.
_BUSY = (
    "the project is busy: another program kept it locked for more than {timeout} s; "
    "nothing was changed, try again"
)
_STORAGE_FAILURES = {
    5: _BUSY,  # SQLITE_BUSY
    6: _BUSY,  # SQLITE_LOCKED
    13: "the disk holding the project is full: the change was not saved; free some space "
    "and try again",
    10: "the project file could not be written (disk input/output error): the change was not saved",
    8: "the project file cannot be written (it or its folder is read-only): the change "
    "was not saved",
}
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
DAMAGED_MESSAGE = (
    "the project file is damaged: 'workbench verify' says where; restore it from a backup"
)


def _on_error(context: ExceptionContext) -> None:
    """Turn SQLite's busy, full, I/O and read-only failures into one clear line for the
    user (the statement and its parameters, which hold document text, are never shown)."""
    conn = context.connection
    busy_ms = conn.info.get("busy_ms", BUSY_TIMEOUT_MS) if conn is not None else BUSY_TIMEOUT_MS
    _raise_storage_error(context.original_exception, busy_ms)


def _raise_storage_error(exc: BaseException, busy_ms: int) -> None:
    """Raise the ``StorageError`` that stands for a driver error, if one does."""
    code = error_code(exc)
    if code is None:
        return
    if code & 0xFF in _DAMAGED:
        raise DamagedProjectError(DAMAGED_MESSAGE) from exc
    if code == 1 and "malformed JSON" in str(exc):  # json_extract over a damaged value
        raise DamagedProjectError(
            "a JSON value in the project file is damaged: 'workbench verify' lists where"
        ) from exc
    message = _STORAGE_FAILURES.get(code & 0xFF)
    if message is not None:
        raise StorageError(message.format(timeout=f"{busy_ms / 1000:g}")) from exc


# Errors of SQLAlchemy and of either driver.
_SQL_ERRORS: tuple[type[Exception], ...] = (DBAPIError, *DATABASE_ERRORS)
_CONNECT_ERRORS: tuple[type[Exception], ...] = (*_SQL_ERRORS, StorageError)
# Execution options of engines and connections used for writing.
WRITE_OPTIONS = {"sqlite_begin": "IMMEDIATE"}
BUSY_TIMEOUT_MS = 5000


def make_engine(
    path: Path | URL,
    *,
    wal: bool | None = True,
    busy_ms: int | None = None,
    key: Passphrase | None = None,
) -> Engine:
    """Create the engine for a project file, or for a project on a PostgreSQL server when
    ``path`` is its URL (the single place).

    Statement parameters never appear in errors (they hold quotes from documents). ``wal``:
    the journal its connections switch the file to (WAL, or a rollback journal with False);
    None, the one it has (a file not yet known to be ours is only read). ``key``: the file
    is encrypted with this passphrase (SQLCipher, ``workbench.storage.cipher``); each
    connection is keyed before SQLAlchemy or the pragmas below send anything.

    On a server each connection is checked before use (the server may have restarted in
    between) and its failures become one line (``postgres.on_error``); transactions are
    the server's own (READ COMMITTED): SQLite's BEGIN IMMEDIATE and busy wait have no part.
    """
    if isinstance(path, URL):
        engine = create_engine(path, hide_parameters=True, pool_pre_ping=True)
        event.listen(engine, "handle_error", postgres.on_error)
        return engine
    if key is None:
        engine = create_engine(f"sqlite+pysqlite:///{path}", hide_parameters=True)
    else:
        target = str(path)
        engine = create_engine(
            f"sqlite+pysqlite:///{path}",
            module=DRIVER_MODULE,
            creator=lambda: keyed_connect(target, key, check_same_thread=False),
            hide_parameters=True,
        )
    busy = BUSY_TIMEOUT_MS if busy_ms is None else busy_ms
    event.listen(engine, "connect", partial(_on_connect, wal=wal, busy_ms=busy))
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _on_error)
    return engine


def open_server_database(
    url: URL,
    *,
    create: bool = True,
    seed: Seed | None = None,
    password: Callable[[], str | None] | None = None,
    new_only: bool = False,
) -> OpenedDatabase:
    """Open the project in the database at ``url``: an empty database is made into one
    (filled by ``seed``) when ``create``, an older schema is upgraded, and anything else is
    refused in one line, unchanged (with ``new_only``, anything but an empty database).
    ``password`` is asked when the server wants one and the address, ``PGPASSWORD`` and
    ``~/.pgpass`` gave none."""
    engine = _connected(url, password)
    try:
        with engine.begin() as conn:
            conn.execute(postgres.SCHEMA_LOCK)  # one client creates or upgrades at a time
            if not postgres.user_tables(conn):
                if not create:
                    raise ProjectError(f"no project in {postgres.where(url)}: it is empty")
                create_schema(conn)
                if seed is not None:
                    seed(conn)
                return OpenedDatabase(engine, created=True, backup=None)
            if new_only:
                raise ProjectError(f"{postgres.where(url)} is not empty: copy into a new database")
            if not postgres.is_marked(conn):
                raise ProjectError(
                    f"{postgres.where(url)} is not a Testimony Workbench project "
                    "(it holds other tables)"
                )
            current = migrate.current_revision(conn)
            state = migrate.classify(current)
            if state == "unknown":
                raise ProjectError(
                    f"{postgres.where(url)} was made by a newer version of Testimony "
                    f"Workbench (schema {current}); update the application to open it"
                )
            if state == "older":
                log.info("upgrading %s from schema %s", postgres.where(url), current)
                migrate.upgrade_head(conn)  # DDL is transactional: a failure changes nothing
        return OpenedDatabase(engine, created=False, backup=None)
    except ProjectError:
        engine.dispose()
        raise
    except StorageError as exc:
        engine.dispose()
        raise ProjectError(f"cannot open {postgres.where(url)}: {exc}") from exc
    except _SQL_ERRORS as exc:
        engine.dispose()
        raise ProjectError(f"cannot open {postgres.where(url)}: {postgres.reason(exc)}") from exc


def _connected(url: URL, password: Callable[[], str | None] | None) -> Engine:
    """An engine on ``url`` whose first connection succeeded, asking ``password`` once
    if the server wants one that was not given."""
    engine = make_engine(url)
    try:
        engine.connect().close()
    except _CONNECT_ERRORS as exc:
        engine.dispose()
        typed = password() if password is not None and postgres.needs_password(exc) else None
        if not typed:
            raise postgres.connect_failure(exc, url) from None
        return _connected(url.set(password=typed), None)
    return engine


def _check_header(path: Path, key: Passphrase | None = None) -> None:
    """Refuse files that are not SQLite databases before SQLite touches them: without a key,
    any but a plain one (naming the passphrase when the file may be encrypted); with a key,
    a plain one (whether the key fits is told by the first read)."""
    try:
        head = read_header(path)
    except OSError as exc:
        raise ProjectError(f"cannot read project file {path}: {exc.strerror}") from exc
    if key is not None:
        if is_plain_header(head):
            raise not_encrypted(path)
        return
    if head != SQLITE_MAGIC:
        if may_be_encrypted(path):
            raise needs_passphrase(path)
        raise ProjectError(f"{path} is not a Testimony Workbench project (not an SQLite database)")


def _backup(path: Path, key: Passphrase | None = None) -> Path:
    """Copy the file beside itself with a timestamp, using SQLite's online backup (into a
    temporary file renamed at the end, so a crash never leaves a partial "backup")."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    temp = path.with_name(f".{target.name}.partial")
    private_file(temp)
    source = connect_file(path, key=key)
    try:
        copy_database(source, temp, key=key)
    finally:
        source.close()
    temp.replace(target)
    return target


def create_schema(conn: Connection) -> None:
    """Build a fresh project schema on ``conn`` (inside its transaction), stamped with the
    newest migration: in a file or in a server's database."""
    Base.metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for ddl in schema_ddl("sqlite"):
            conn.exec_driver_sql(ddl)
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    else:
        for ddl in schema_ddl(conn.dialect.name):
            conn.execute(text(ddl))  # the driver would read its percent signs as placeholders
        postgres.create_marker(conn)
    migrate.stamp_head(conn)


# Fills a project being created (the default codebook), inside the creating transaction.
Seed = Callable[[Connection], object]


def _create_file(path: Path, seed: Seed | None, key: Passphrase | None = None) -> None:
    """Make a complete project at ``path`` or nothing: build it in a temporary file beside
    it (schema, stamp and seed in one transaction, rollback journal so the file is whole
    when closed), make it durable, then rename it into place."""
    for leftover in path.parent.glob(f".{path.name}.new-*"):
        leftover.unlink(missing_ok=True)  # from a creation that was killed
    temp = path.with_name(f".{path.name}.new-{os.getpid()}")
    private_file(temp)
    engine = make_engine(temp, wal=False, key=key)
    try:
        with engine.begin() as conn:
            create_schema(conn)
            if seed is not None:
                seed(conn)
        engine.dispose()
        fsync_path(temp)
        temp.replace(path)
        fsync_path(path.parent)
    finally:
        engine.dispose()
        temp.unlink(missing_ok=True)


@dataclass(frozen=True)
class OpenedDatabase:
    """An engine on a ready-to-use project file, and what opening it did."""

    engine: Engine
    created: bool
    backup: Path | None


def _is_new(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


def open_database(
    path: Path,
    *,
    create: bool = True,
    seed: Seed | None = None,
    busy_ms: int | None = None,
    key: Passphrase | None = None,
) -> OpenedDatabase:
    """Open (or create, filled by ``seed``) a project file, migrating it if older; its
    connections wait ``busy_ms`` for another writer (default ``BUSY_TIMEOUT_MS``). ``key``:
    the file is (or is created) encrypted with this passphrase.

    The caller owns the project (``workbench.storage.lock``) before calling this.
    """
    path = path.expanduser()
    try:
        created = _is_new(path)
        if created:
            if not create:
                raise ProjectError(f"no project at {path}")
            _make_folder(path.parent)
            _create_file(path, seed, key)
        else:
            _check_header(path, key)
    except OSError as exc:
        raise ProjectError(f"cannot create project {path}: {exc.strerror}") from exc
    except _SQL_ERRORS as exc:
        raise ProjectError(f"cannot create project {path}: {_reason(exc)}") from exc
    engine = make_engine(path, busy_ms=busy_ms, key=key)
    try:
        if created:
            with engine.connect():  # switches the new file to WAL
                pass
            return OpenedDatabase(engine, created=True, backup=None)
        opened = _prepare_existing(engine, path, busy_ms, key)
        if opened is None:  # an empty SQLite file: made into a project
            engine.dispose()
            _create_file(path, seed, key)
            engine = make_engine(path, busy_ms=busy_ms, key=key)
            with engine.connect():
                pass
            return OpenedDatabase(engine, created=True, backup=None)
        return opened
    except ProjectError:
        engine.dispose()
        raise
    except StorageError as exc:  # damaged, busy or unreadable while opening
        engine.dispose()
        raise ProjectError(f"cannot open {path.name}: {exc}") from exc
    except _SQL_ERRORS as exc:
        engine.dispose()
        raise ProjectError(f"cannot open project {path}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    """The driver's own message, without the statement or its parameters."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc.args[0] if exc.args else exc)


def prepare_folder(path: Path, *, create: bool) -> None:
    """Make the folder a new project goes into; refuse a missing project not to be created."""
    if not create and not path.exists():
        raise ProjectError(f"no project at {path}")
    if create:
        _make_folder(path.parent)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create folder {folder}: {exc.strerror}") from exc


def _examine(path: Path, busy_ms: int | None, key: Passphrase | None = None) -> str | None:
    """The schema revision of an existing file, once it is known to be ours, of a schema our
    code makes, and intact (None: an empty SQLite database, which is made into a project).

    Only read, on connections of its own that leave the journal as it is, so a file that is
    refused is left byte for byte as it was. Triggers, views or tables we never create are
    refused before anything can run them; ``quick_check`` (which evaluates indexes) after.
    With ``key``, a first read that does not decrypt is a wrong passphrase.
    """
    probe = make_engine(path, wal=None, busy_ms=busy_ms, key=key)
    try:
        with probe.connect() as conn:
            app_id = _first_read(conn, path, key)
            if app_id != APPLICATION_ID:
                objects = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                if app_id == 0 and objects == 0:
                    return None
                raise ProjectError(f"{path} is not a Testimony Workbench project")
            current = check_schema(conn, path)
            check = check_lines(conn.exec_driver_sql("PRAGMA quick_check").scalars())
            if check:
                summary = check_summary(check)
                raise DamagedProjectError(f"{path} is damaged (integrity check: {summary})")
            return current
    finally:
        probe.dispose()


def _first_read(conn: Connection, path: Path, key: Passphrase | None) -> object:
    """The file's application id: its first read, which tells a wrong passphrase."""
    try:
        return conn.exec_driver_sql("PRAGMA application_id").scalar()
    except (StorageError, DamagedProjectError, DBAPIError) as exc:
        if key is not None and _root_code(exc) == NOT_A_DATABASE:
            raise wrong_passphrase(path) from None
        raise


def _root_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of the driver error behind ``exc``, if any."""
    seen: BaseException | None = exc
    while seen is not None:
        code = error_code(seen)
        if code is not None:
            return code & 0xFF
        orig = getattr(seen, "orig", None)
        seen = orig if isinstance(orig, BaseException) else seen.__cause__
    return None


def _prepare_existing(
    engine: Engine, path: Path, busy_ms: int | None = None, key: Passphrase | None = None
) -> OpenedDatabase | None:
    """Verify an existing file is ours and intact, then migrate it to the newest schema
    (None: an empty SQLite database, which is made into a project)."""
    current = _examine(path, busy_ms, key)
    if current is None:
        return None
    state = migrate.classify(current)
    if state == "current":
        return OpenedDatabase(engine, created=False, backup=None)
    if state == "unknown":
        raise ProjectError(
            f"{path} was made by a newer version of Testimony Workbench "
            f"(schema {current}); update the application to open it"
        )
    backup = _backup(path, key)
    log.info("upgrading %s from schema %s; backup at %s", path, current, backup)
    try:
        with engine.begin() as conn:  # one transaction: a crash leaves the old schema
            migrate.upgrade_head(conn)
    except _SQL_ERRORS as exc:
        backup.unlink(missing_ok=True)  # rolled back: the file itself is the old project
        raise ProjectError(f"cannot upgrade {path.name} (left as it was): {_reason(exc)}") from exc
    return OpenedDatabase(engine, created=False, backup=backup)
