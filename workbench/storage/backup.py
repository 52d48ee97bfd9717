"""Backup files of a project: where they live, how they are named, written and rotated.

Rolling backups live in a private folder beside the project (``NAME.twb-backups/``, mode
0700), one file each (mode 0600, like the project), named ``NAME-YYYYmmdd-HHMMSS[-n].twb``
after the UTC time they were made. A backup is copied with SQLite's online backup API from
a connection of the project's owner (never by opening the project a second time), switched
to a rollback journal so it is one self-contained file, flushed to disk, then given its name
(never replacing a file). A backup of an encrypted project is encrypted with the same
passphrase (the backup API between two connections keyed alike). The pre-upgrade copies
``database.py`` makes beside the project (``NAME.backup-YYYYmmdd-HHMMSS.twb``) are listed
too, but never rotated away.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.storage.cipher import DRIVER_ERRORS, Passphrase
from workbench.storage.files import connect_file, fsync_path

log = logging.getLogger(__name__)

KEEP_ENV = "WORKBENCH_BACKUPS_KEEP"  # how many rolling backups a project keeps
DEFAULT_KEEP = 10
MAX_KEEP = 1000
STAMP_FORMAT = "%Y%m%d-%H%M%S"
ROLLING, BEFORE_UPGRADE = "backup", "before upgrade"
_STALE_PARTIAL = 3600.0  # seconds after which a half-written backup is someone's leftover


class BackupError(WorkbenchError):
    """A backup could not be written, read or restored (one line for the user)."""


class BackupPassphraseError(BackupError):
    """An encrypted backup does not open with the passphrase given (one it had before its
    project's passphrase was changed, perhaps)."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a project."""

    path: Path
    made: datetime  # UTC, from the file name
    size: int  # bytes
    kind: str  # ROLLING or BEFORE_UPGRADE

    @property
    def stamp(self) -> str:
        """The time in the file name, ``YYYYmmdd-HHMMSS``."""
        return self.made.strftime(STAMP_FORMAT)


def backups_folder(project: Path) -> Path:
    """The folder of a project's rolling backups: ``NAME.twb-backups`` beside it."""
    return project.with_name(project.name + "-backups")


def keep_count(explicit: int | None = None) -> int:
    """How many rolling backups to keep: ``explicit``, else $WORKBENCH_BACKUPS_KEEP, else 10."""
    if explicit is not None:
        if not 1 <= explicit <= MAX_KEEP:
            raise BackupError(f"the number of backups to keep must be 1 to {MAX_KEEP}")
        return explicit
    value = os.environ.get(KEEP_ENV, "").strip()
    if value:
        if value.isdigit() and 1 <= int(value) <= MAX_KEEP:
            return int(value)
        log.warning("ignoring %s=%r: not a whole number from 1 to %d", KEEP_ENV, value, MAX_KEEP)
    return DEFAULT_KEEP


def _pattern(project: Path) -> re.Pattern[str]:
    stem, suffix = re.escape(project.stem), re.escape(project.suffix)
    return re.compile(rf"{stem}-(\d{{8}}-\d{{6}})(?:-(\d+))?{suffix}")


def _upgrade_pattern(project: Path) -> re.Pattern[str]:
    stem, suffix = re.escape(project.stem), re.escape(project.suffix)
    return re.compile(rf"{stem}\.backup-(\d{{8}}-\d{{6}}){suffix}")


def _parse_stamp(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _scan(folder: Path, pattern: re.Pattern[str], kind: str) -> Iterator[tuple[int, BackupInfo]]:
    """(sequence number, backup) for each non-empty file of ``folder`` matching ``pattern``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        made = _parse_stamp(match.group(1)) if match else None
        if match is None or made is None:
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if entry.is_file(follow_symlinks=False) and info.st_size > 0:
                number = int(match.group(2)) if pattern.groups > 1 and match.group(2) else 1
                yield number, BackupInfo(Path(entry.path), made, info.st_size, kind)


def list_backups(project: Path) -> list[BackupInfo]:
    """Every backup of ``project``, newest first (rolling ones and pre-upgrade copies)."""
    found = list(_scan(backups_folder(project), _pattern(project), ROLLING))
    found += _scan(project.parent, _upgrade_pattern(project), BEFORE_UPGRADE)
    found.sort(key=lambda item: (item[1].made, item[0]), reverse=True)
    return [info for _number, info in found]


def rotate(project: Path, keep: int) -> list[Path]:
    """Delete the rolling backups beyond the newest ``keep``; returns what was deleted."""
    rolling = [b for b in list_backups(project) if b.kind == ROLLING]
    removed = []
    for old in rolling[keep:]:
        try:
            old.path.unlink()
        except OSError as exc:
            log.warning("cannot remove old backup %s: %s", old.path, exc.strerror)
            continue
        removed.append(old.path)
    return removed


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) readable by its owner only."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as exc:
        raise BackupError(f"cannot create folder {folder}: {exc.strerror}") from exc


def read_only(path: Path, key: Passphrase | None = None) -> sqlite3.Connection:
    """A read-only connection to a backup that runs nothing its schema asks for (``key``:
    the backup of an encrypted project)."""
    return connect_file(path, read_only=True, key=key)


def copy_database(source: sqlite3.Connection, target: Path, key: Passphrase | None = None) -> None:
    """Copy the database of ``source`` into the (empty) file ``target`` and flush it.

    The copy is a consistent snapshot (SQLite's backup API, one step), switched to a
    rollback journal so it is whole without a ``-wal`` file beside it. ``key``: ``source``
    is encrypted with it, and so is the copy (SQLCipher copies between connections keyed
    alike only).
    """
    destination = connect_file(target, key=key)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
    fsync_path(target)


def temporary_file(folder: Path, name: str) -> Path:
    """An empty private file in ``folder`` (0600) to write ``name`` into before publishing."""
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    os.close(fd)
    return Path(temp)


def publish(temp: Path, candidates: Iterator[Path]) -> Path:
    """Give ``temp`` the first name of ``candidates`` that no file has; never replaces one."""
    for target in candidates:
        try:
            os.link(temp, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some network shares): reserve, then rename
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                continue
            temp.replace(target)
        else:
            temp.unlink()
        fsync_path(target.parent)
        return target
    raise FileExistsError("every name offered is taken")


def numbered(folder: Path, stem: str, suffix: str) -> Iterator[Path]:
    """``stem.suffix``, then ``stem-2.suffix``, ``stem-3.suffix``, ... in ``folder``."""
    yield folder / f"{stem}{suffix}"
    number = 2
    while True:
        yield folder / f"{stem}-{number}{suffix}"
        number += 1


def _remove_stale_partials(folder: Path, now: float) -> None:
    """Remove half-written backups left by a process killed while writing one."""
    for leftover in folder.glob(".*.partial"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > _STALE_PARTIAL:
                leftover.unlink()


def write_backup(
    source: sqlite3.Connection,
    project: Path,
    *,
    output: Path | None = None,
    keep: int | None = None,
    now: datetime | None = None,
    key: Passphrase | None = None,
) -> BackupInfo:
    """Back up the project ``source`` is connected to; rotate unless ``output`` is given.

    The caller owns the project (holds its lock) and passes one of its own connections.
    ``output`` names the file to write instead of the backups folder; it must not exist.
    ``key``: the project is encrypted with it, and so is the backup.
    """
    now = now or datetime.now(UTC)
    keep = keep_count(keep)
    if output is None:
        folder = backups_folder(project)
        private_folder(folder)
        _remove_stale_partials(folder, now.timestamp())
        names = numbered(folder, f"{project.stem}-{now.strftime(STAMP_FORMAT)}", project.suffix)
    else:
        output = output.expanduser().absolute()
        if output.exists() or output.is_symlink():
            raise BackupError(f"{output} exists; choose a new file name for the backup")
        folder = output.parent
        if not folder.is_dir():
            raise BackupError(f"cannot write {output}: the folder {folder} does not exist")
        names = iter([output])
    try:
        temp = temporary_file(folder, project.stem)
    except OSError as exc:
        raise BackupError(f"cannot write a backup in {folder}: {exc.strerror}") from exc
    try:
        copy_database(source, temp, key)
        target = publish(temp, names)
    except FileExistsError:
        raise BackupError(f"{output} exists; choose a new file name for the backup") from None
    except OSError as exc:
        raise BackupError(f"cannot write a backup in {folder}: {exc.strerror}") from exc
    except DRIVER_ERRORS as exc:
        raise BackupError(f"cannot back up {project.name}: {exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
    info = BackupInfo(target, now.replace(microsecond=0), target.stat().st_size, ROLLING)
    if output is None:
        rotate(project, keep)
    log.info("backed up %s to %s", project, target)
    return info
