"""Rolling backups of an open project: on demand, once on open, and after a period of changes.

Backups are copied from the project's own engine (its owner holds the lock; the file is
never opened a second time). Whether the project changed is read from the audit log, which
every change writes in its own transaction: the newest audit id (with the schema revision)
is the project's *change mark*, recorded with each backup this service makes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from workbench.errors import ProjectError
from workbench.storage import migrate
from workbench.storage.backup import (
    ROLLING,
    BackupError,
    BackupInfo,
    keep_count,
    list_backups,
    read_only,
    write_backup,
)
from workbench.storage.cipher import DRIVER_CONNECTIONS, DRIVER_ERRORS, Passphrase
from workbench.storage.schema_guard import check_schema
from workbench.storage.verify import Check, verify_connection

if TYPE_CHECKING:
    from workbench.project import Project

_READ_ERRORS: tuple[type[Exception], ...] = (*DRIVER_ERRORS, ProjectError)
DEFAULT_EVERY = timedelta(minutes=30)  # changes older than this get a backup
Mark = tuple[int, str | None]  # (newest audit id, schema revision)
Clock = Callable[[], datetime]


def _mark(conn: Connection) -> Mark:
    newest = conn.exec_driver_sql("SELECT max(id) FROM audit_log").scalar()
    return (int(newest or 0), migrate.current_revision(conn))


def backup_mark(path: Path, key: Passphrase | None = None) -> Mark | None:
    """The change mark of a backup file (read-only; ``key``: an encrypted project's), or None
    if it cannot be read or its schema is not one our code makes (a view in place of
    ``audit_log`` is never run)."""
    try:
        conn = read_only(path, key)
    except DRIVER_ERRORS:
        return None
    try:
        revision = check_schema(conn, path)
        newest = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        return (int(newest or 0), revision)
    except _READ_ERRORS:
        return None
    finally:
        conn.close()


class BackupService:
    """Backups of one open project; ``keep`` and ``every`` tune rotation and frequency."""

    def __init__(
        self,
        project: Project,
        *,
        keep: int | None = None,
        every: timedelta = DEFAULT_EVERY,
        clock: Clock | None = None,
    ) -> None:
        self._project = project
        self.keep = keep_count(keep)
        self.every = every
        self._clock = clock or (lambda: datetime.now(UTC))
        self._guard = threading.Lock()  # the window calls from its worker thread
        self._opened = False
        self._last_mark: Mark | None = None  # the project's state in its newest backup
        self._changed_since: datetime | None = None  # first seen change after that backup

    def list(self) -> list[BackupInfo]:
        """This project's backups, newest first."""
        return list_backups(self._project.path)

    def back_up(self, output: Path | None = None) -> BackupInfo:
        """Back up now, into the backups folder (rotated) or to ``output`` (a new file)."""
        with self._guard:
            return self._back_up(output)

    def _back_up(self, output: Path | None = None) -> BackupInfo:
        with self._project.engine.connect() as conn:
            mark = _mark(conn)  # opens the read transaction the copy is made in
            source = conn.connection.driver_connection
            if not isinstance(source, DRIVER_CONNECTIONS):  # pragma: no cover
                raise BackupError("backups need an SQLite project file")
            info = write_backup(
                source, self._project.path, output=output, keep=self.keep, now=self._clock(),
                key=self._project.key,
            )  # fmt: skip
            conn.rollback()
        if output is None:
            self._last_mark, self._changed_since = mark, None
        return info

    def verify(self) -> Sequence[Check]:
        """Every check of ``workbench verify`` on the open project, changing nothing."""
        with self._project.engine.connect() as conn:
            results = verify_connection(conn)
            conn.rollback()
        return results

    def mark(self) -> Mark:
        """The project's change mark now."""
        with self._project.engine.connect() as conn:
            mark = _mark(conn)
            conn.rollback()
        return mark

    def on_open(self) -> BackupInfo | None:
        """The backup made when a project is opened: none for a new project, at most one per
        open, and none when the newest backup already holds this state (so opening and
        closing a project ten times does not rotate its history away)."""
        with self._guard:
            if self._opened:
                return None
            self._opened = True
            mark = self.mark()
            self._last_mark = mark
            if self._project.created:
                return None
            newest = next((b for b in self.list() if b.kind == ROLLING), None)
            if newest is not None and backup_mark(newest.path, self._project.key) == mark:
                return None
            return self._back_up()

    def tick(self) -> BackupInfo | None:
        """Called now and then (the window's timer): back up once changes made since the
        newest backup are ``every`` old. Cheap when nothing changed: one indexed read."""
        with self._guard:
            mark, now = self.mark(), self._clock()
            if self._last_mark is None:
                self._last_mark = mark
            if mark == self._last_mark:
                self._changed_since = None
                return None
            if self._changed_since is None:
                self._changed_since = now
            if now - self._changed_since < self.every:
                return None
            return self._back_up()
