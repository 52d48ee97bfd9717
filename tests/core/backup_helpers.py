"""Helpers of the backup, restore and verify tests: a filled project, the CLI, damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.project import Project


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``workbench ARGS`` in this process: (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fill(path: Path, testimony: Path) -> Path:
    """A closed project with one document, one annotation and its record (evidence)."""
    with Project(path, actor="tester") as project:
        document, _ = project.documents.import_file(testimony)
        start = project.documents.text(document.id).index("Daniil Alfyorov")
        project.review.annotate(document.id, start, start + 15, "person")
    return path


def tamper(path: Path, *statements: str) -> None:
    """Change a closed project behind the application's back."""
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        (rows,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    conn.close()
    return int(rows)


def smash_index(path: Path, index: str = "ix_audit_log_at") -> None:
    """Empty an index behind SQLite's back (its root becomes an empty leaf), as a lost write
    would: the table's rows are then missing from it."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        query = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        (root,) = conn.execute(query, (index,)).fetchone()
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        header = bytes([0x0A, 0, 0, 0, 0]) + (page_size % 65536).to_bytes(2, "big") + b"\0"
        fh.write(header.ljust(page_size, b"\0"))
