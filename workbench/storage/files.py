"""Small file-system steps the storage layer shares: private files, durable renames, headers."""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


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
