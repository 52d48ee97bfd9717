"""Restoring a backup: check that it is a whole project of ours, then copy it into a new file.

A restore never replaces a file silently. By default it writes ``NAME-restored-STAMP.twb``
beside the project (``-2``, ``-3``, ... when that exists). An explicit output that exists is
refused, except the project file itself: that is replaced only while this process holds the
project's lock, and the file it replaces (with its ``-wal``) is kept in the backups folder
as ``NAME-replaced-STAMP.twb``. A backup of an encrypted project is read with its
passphrase and restored encrypted with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import ProjectError
from workbench.storage import migrate
from workbench.storage.backup import (
    STAMP_FORMAT,
    BackupError,
    BackupInfo,
    BackupPassphraseError,
    backups_folder,
    copy_database,
    list_backups,
    numbered,
    private_folder,
    publish,
    read_only,
    temporary_file,
)
from workbench.storage.cipher import (
    DRIVER_ERRORS,
    NOT_A_DATABASE,
    Passphrase,
    error_code,
    may_be_encrypted,
)
from workbench.storage.database import APPLICATION_ID
from workbench.storage.files import SQLITE_MAGIC, fsync_path, read_header
from workbench.storage.integrity import check_lines, check_summary
from workbench.storage.lock import LockOwner, ProjectLock
from workbench.storage.schema_guard import check_schema


@dataclass(frozen=True)
class Restored:
    """Where a backup was restored, and where the file it replaced went (if any)."""

    path: Path
    replaced: Path | None = None


def check_backup(path: Path, key: Passphrase | None = None) -> str:
    """The schema revision of the backup at ``path``, after checking that it is a project of
    ours, intact (full ``integrity_check``) and of a revision this version knows; ``key``:
    the passphrase of an encrypted backup."""
    name = path.name
    try:
        head = read_header(path)
    except OSError as exc:
        raise BackupError(f"cannot read backup {path}: {exc.strerror}") from exc
    if key is not None and head == SQLITE_MAGIC:
        raise BackupError(f"{name} is not encrypted: restore it without a passphrase")
    if key is None and head != SQLITE_MAGIC:
        if may_be_encrypted(path):
            raise BackupError(
                f"{name} is encrypted (or is not a Testimony Workbench backup): "
                "it is restored with its passphrase"
            )
        raise BackupError(f"{name} is not a Testimony Workbench backup (not an SQLite database)")
    try:
        connection = read_only(path, key)
        try:
            return _check_contents(connection, path)
        finally:
            connection.close()
    except DRIVER_ERRORS as exc:
        if key is not None and (error_code(exc) or 0) & 0xFF == NOT_A_DATABASE:
            raise BackupPassphraseError(
                f"{name}: wrong passphrase (a backup made before the passphrase was changed "
                "opens with the one it had then), or not a Testimony Workbench backup"
            ) from None
        raise BackupError(f"{name} cannot be read as a backup: {exc}") from exc


def _check_contents(connection: Any, path: Path) -> str:
    """The backup's revision: ours, of a schema our code makes (checked before anything of
    the file runs: the integrity check evaluates its indexes), intact, and known."""
    name = path.name
    if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise BackupError(f"{name} is not a Testimony Workbench backup")
    try:
        revision = check_schema(connection, path)
    except ProjectError as exc:
        raise BackupError(str(exc)) from exc
    lines = check_lines(row[0] for row in connection.execute("PRAGMA integrity_check"))
    if lines:
        raise BackupError(f"{name} is damaged (integrity check: {check_summary(lines)})")
    if migrate.classify(revision) == "unknown":
        raise BackupError(
            f"{name} has schema {revision}, which this version of Testimony "
            "Workbench does not know; update the application to restore it"
        )
    return revision


def newest_good_backup(project: Path, key: Passphrase | None = None) -> BackupInfo | None:
    """The newest backup of ``project`` that passes ``check_backup`` (with ``key``), or None."""
    for info in list_backups(project):
        with contextlib.suppress(BackupError):
            check_backup(info.path, key)
            return info
    return None


def _stamp_of(backup: Path, project: Path) -> str:
    """The time in a backup's name, or now (UTC) for a file named otherwise."""
    for info in list_backups(project):
        if info.path.name == backup.name:
            return info.stamp
    return datetime.now(UTC).strftime(STAMP_FORMAT)


def default_restore_names(project: Path, backup: Path) -> Iterator[Path]:
    """``NAME-restored-STAMP.twb`` beside the project, then ``...-2.twb`` and so on."""
    stem = f"{project.stem}-restored-{_stamp_of(backup, project)}"
    return numbered(project.parent, stem, project.suffix)


def restore_backup(
    backup: Path,
    project: Path,
    output: Path | None = None,
    *,
    wait: float = 0.0,
    on_wait: Callable[[LockOwner | None], None] | None = None,
    key: Passphrase | None = None,
) -> Restored:
    """Check ``backup`` and copy it to a new file (see the module's rules on ``output``);
    ``wait``/``on_wait`` apply when replacing the project, which must not be open.
    ``key``: the backup's passphrase; the restored file is encrypted with it too."""
    backup = backup.expanduser().absolute()
    project = project.expanduser().absolute()
    check_backup(backup, key)
    in_place = False
    if output is None:
        names = default_restore_names(project, backup)
    else:
        output = output.expanduser().absolute()
        if output.exists() or output.is_symlink():
            if not (project.exists() and output.resolve() == project.resolve()):
                raise BackupError(
                    f"{output} exists; restore into a new file (or into the project itself)"
                )
            in_place = True
        names = iter([output])
    folder = (output or project).parent
    try:
        temp = temporary_file(folder, project.stem)
    except OSError as exc:
        raise BackupError(f"cannot write in {folder}: {exc.strerror}") from exc
    try:
        try:
            source = read_only(backup, key)
            try:
                copy_database(source, temp, key)
            finally:
                source.close()
        except DRIVER_ERRORS as exc:
            raise BackupError(f"cannot copy {backup.name}: {exc}") from exc
        if in_place:
            return _replace_project(temp, project.resolve(), wait, on_wait)
        try:
            return Restored(publish(temp, names))
        except FileExistsError:
            raise BackupError(f"{output} exists; restore into a new file") from None
    except OSError as exc:
        raise BackupError(f"cannot restore into {folder}: {exc.strerror}") from exc
    finally:
        temp.unlink(missing_ok=True)


def _replace_project(
    temp: Path, project: Path, wait: float, on_wait: Callable[[LockOwner | None], None] | None
) -> Restored:
    """Put the restored copy in place of the project, keeping the old file in the backups
    folder; only while no one else has the project open (its lock is held meanwhile)."""
    lock = ProjectLock.acquire(project, app="a restore", wait=wait, on_wait=on_wait)
    try:
        folder = backups_folder(project)
        private_folder(folder)
        stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
        aside = next(
            p
            for p in numbered(folder, f"{project.stem}-replaced-{stamp}", project.suffix)
            if not p.exists() and not Path(f"{p}-wal").exists()
        )
        project.replace(aside)
        for side in ("-wal", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{project}{side}").replace(Path(f"{aside}{side}"))
        Path(f"{project}-shm").unlink(missing_ok=True)
        temp.replace(project)
        fsync_path(project.parent)
        fsync_path(folder)
    finally:
        lock.release()
    return Restored(project, replaced=aside)
