"""Encrypting a plain project into a new file, and removing the plaintext it leaves behind.

The encrypted copy is written by SQLCipher's ``sqlcipher_export`` into a private temporary
file beside the target, checked (our schema, intact, every table holding as many rows as the
original's) and only then given its name, never replacing a file. The original stays as it
was: removing it is a separate step the user asks for (``remove_plaintext``), which
overwrites the file, its ``-wal``, ``-shm`` and ``-journal`` and its plain backups with zeros,
flushes them to disk and deletes them. On SSDs (wear levelling) and copy-on-write or
journaling file systems (btrfs, ZFS, APFS, snapshots) the old blocks may survive an
overwrite: it is not a guarantee there, only the best a program can do.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import ProjectError
from workbench.storage.backup import backups_folder, list_backups, publish, temporary_file
from workbench.storage.cipher import (
    DRIVER_ERRORS,
    SQLITE_MAGIC,
    Passphrase,
    export_encrypted,
)
from workbench.storage.database import APPLICATION_ID
from workbench.storage.files import connect_file, fsync_path, read_header
from workbench.storage.schema_guard import check_schema

_CHUNK = 1 << 20  # bytes of zeros written at a time


@dataclass(frozen=True)
class EncryptedCopy:
    """The encrypted file written, and the rows of each table it holds."""

    path: Path
    rows: dict[str, int]


def _table_rows(connection: object, names: list[str]) -> dict[str, int]:
    execute = connection.execute  # type: ignore[attr-defined]
    return {
        name: int(execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608
        for name in names
    }


def _tables(connection: object) -> list[str]:
    rows = connection.execute(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def encrypt_copy(source: Path, target: Path, key: Passphrase) -> EncryptedCopy:
    """Write ``source`` (a plain project whose lock the caller holds) encrypted with ``key``
    into the new file ``target``; the original is left as it is."""
    target = target.expanduser().absolute()
    if target.exists() or target.is_symlink():
        raise ProjectError(f"{target} exists; choose a new file for the encrypted project")
    if not target.parent.is_dir():
        raise ProjectError(f"cannot write {target}: the folder {target.parent} does not exist")
    if read_header(source) != SQLITE_MAGIC:
        raise ProjectError(f"{source.name} is encrypted already: change its passphrase instead")
    try:
        temp = temporary_file(target.parent, target.stem)
    except OSError as exc:
        raise ProjectError(f"cannot write in {target.parent}: {exc.strerror}") from exc
    try:
        export_encrypted(source, temp, key, APPLICATION_ID)
        rows = _check_copy(source, temp, key)
        fsync_path(temp)
        return EncryptedCopy(publish(temp, iter([target])), rows)
    except FileExistsError:
        raise ProjectError(
            f"{target} exists; choose a new file for the encrypted project"
        ) from None
    except OSError as exc:
        raise ProjectError(f"cannot write {target}: {exc.strerror}") from exc
    except DRIVER_ERRORS as exc:
        raise ProjectError(f"cannot encrypt {source.name}: {exc}") from exc
    finally:
        temp.unlink(missing_ok=True)


def _check_copy(source: Path, copy: Path, key: Passphrase) -> dict[str, int]:
    """The copy's rows per table, once it is known to be our schema, intact and as full as
    the original (``ProjectError`` otherwise)."""
    original = connect_file(source)  # only read; closing it removes the -wal it opened
    try:
        names = _tables(original)
        expected = _table_rows(original, names)
    finally:
        original.close()
    encrypted = connect_file(copy, read_only=True, key=key)
    try:
        check_schema(encrypted, copy)
        check = encrypted.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ProjectError(f"the encrypted copy did not check out ({check}); nothing was kept")
        found = _table_rows(encrypted, _tables(encrypted))
    finally:
        encrypted.close()
    if found != expected:
        raise ProjectError("the encrypted copy does not hold every row; nothing was kept")
    return found


def plaintext_files(project: Path) -> list[Path]:
    """The files that hold a plain project's data: the file, its ``-wal``, ``-shm`` and
    ``-journal``, and its backups that are not encrypted."""
    files = [project, *(Path(f"{project}{side}") for side in ("-wal", "-shm", "-journal"))]
    folder = backups_folder(project)
    candidates = [info.path for info in list_backups(project)]
    with contextlib.suppress(OSError):
        candidates += [p for p in folder.iterdir() if p.suffix == project.suffix]
    for backup in dict.fromkeys(candidates):
        with contextlib.suppress(OSError):
            if read_header(backup) == SQLITE_MAGIC:
                files += [backup, *(Path(f"{backup}{s}") for s in ("-wal", "-journal"))]
    return [path for path in dict.fromkeys(files) if path.is_file() and not path.is_symlink()]


def overwrite_and_remove(path: Path) -> None:
    """Overwrite ``path`` with zeros, flush it to disk, then delete it."""
    size = path.stat().st_size
    with path.open("r+b", buffering=0) as fh:
        zeros = bytes(min(size, _CHUNK))
        written = 0
        while written < size:
            written += fh.write(zeros[: size - written])
        os.fsync(fh.fileno())
    path.unlink()


def remove_plaintext(project: Path) -> list[Path]:
    """Overwrite with zeros and delete a plain project and its plain backups (the caller
    holds the project's lock; nothing has it open). Returns what was removed."""
    removed = []
    for path in plaintext_files(project):
        try:
            overwrite_and_remove(path)
        except OSError as exc:
            raise ProjectError(f"cannot remove {path}: {exc.strerror}") from exc
        removed.append(path)
    fsync_path(project.parent)
    with contextlib.suppress(OSError):
        backups_folder(project).rmdir()  # only when nothing else is left in it
    return removed
