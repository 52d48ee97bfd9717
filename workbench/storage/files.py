"""Small file-system steps the storage layer shares: private files, durable renames, headers,
and the one way it opens an SQLite file without SQLAlchemy."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.storage.cipher import SQLITE_MAGIC, Passphrase
from workbench.storage.cipher import connect as keyed_connect

__all__ = ["SQLITE_MAGIC", "connect_file", "fsync_path", "private_file", "read_header"]


def private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (SQLite gives its journal, WAL and
    shared-memory files the same mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    path.chmod(0o600)


def fsync_path(path: Path) -> None:
    """Flush a file or folder to disk (a folder so that a rename in it is durable)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def read_header(path: Path) -> bytes:
    """The first bytes of a file, enough to tell an SQLite database (OSError if unreadable)."""
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC))


def connect_file(
    path: Path, *, read_only: bool = False, key: Passphrase | None = None
) -> sqlite3.Connection:
    """A driver connection to an SQLite file (a project, a backup, a copy being made) that
    runs no code of the file's schema that SQLite does not know to be harmless: ``PRAGMA
    trusted_schema=OFF`` before any statement but the key. ``read_only``: nothing can be
    written. ``key``: the file is encrypted (or made so) with this passphrase."""
    uri = path.absolute().as_uri() + ("?mode=ro" if read_only else "")
    if key is None:
        connection = sqlite3.connect(uri, uri=True)
    else:
        connection = keyed_connect(uri, key, uri=True)
    connection.execute("PRAGMA trusted_schema=OFF")
    return connection
