"""Checks for `workbench verify`: the full-text index and the JSON columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.core.backup_helpers import tamper
from workbench.project import Project
from workbench.storage.database import make_engine
from workbench.storage.integrity import ROWS_LISTED, fts_problems, json_problems


@pytest.fixture
def filled(tmp_path: Path, testimony_file: Path) -> Path:
    """A closed project with two documents in the full-text index and one record."""
    path = tmp_path / "p.twb"
    second = tmp_path / "second.txt"
    second.write_text("Another witness spoke of the checkpoint near Kharkiv.\n")
    with Project(path) as project:
        document, _ = project.documents.import_file(testimony_file)
        project.documents.import_file(second)
        start = project.documents.text(document.id).index("Daniil Alfyorov")
        project.review.annotate(document.id, start, start + 15, "person")
    return path


def _problems(path: Path) -> tuple[list[str], list[str]]:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            found = fts_problems(conn), json_problems(conn)
            conn.rollback()
            return found
    finally:
        engine.dispose()


def test_a_sound_project_has_no_problems(filled: Path) -> None:
    assert _problems(filled) == ([], [])


def test_a_damaged_index_is_reported(filled: Path) -> None:
    tamper(filled, "DELETE FROM documents_fts_data WHERE id > 10")  # the segments' pages
    fts, _ = _problems(filled)
    assert len(fts) == 1
    assert fts[0].startswith("full-text index documents_fts is damaged (")


def test_an_index_entry_without_its_document_is_reported(filled: Path) -> None:
    tamper(filled, "INSERT INTO documents_fts (rowid, title, text) VALUES (99, 'x', 'ghost')")
    assert _problems(filled)[0] == [
        "full-text index documents_fts does not match the documents table "
        "(database disk image is malformed); searches will miss or invent documents"
    ]


def test_a_document_missing_from_the_index_is_reported(filled: Path) -> None:
    tamper(
        filled,
        "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
        "SELECT 'delete', id, title, text FROM documents WHERE id = 1",
    )
    (problem,) = _problems(filled)[0]
    assert "does not match the documents table" in problem


def test_checking_the_index_changes_nothing(filled: Path) -> None:
    before = filled.read_bytes()
    _problems(filled)
    with sqlite3.connect(filled) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert filled.read_bytes() == before


def test_damaged_json_is_reported_by_table_column_and_row(filled: Path) -> None:
    tamper(
        filled,
        "UPDATE records SET fields = '{\"title\": ' WHERE id = 1",
        "UPDATE audit_log SET detail = '[1]' WHERE id = 2",
        "UPDATE documents SET extra = 7 WHERE id = 2",
    )
    assert _problems(filled)[1] == [
        "audit_log.detail of row 2 is not a JSON object",
        "documents.extra of row 2 is not JSON text",
        "records.fields of row 1 is not valid JSON",
    ]


def test_many_damaged_rows_are_counted_not_listed(filled: Path) -> None:
    tamper(
        filled,
        "INSERT INTO audit_log (at, actor, action, entity, detail) "
        "SELECT at, actor, action, entity, 'oops' FROM audit_log, "
        "(SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5), "
        "(SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5)",
    )
    _, problems = _problems(filled)
    with sqlite3.connect(filled) as conn:
        (bad,) = conn.execute("SELECT count(*) FROM audit_log WHERE detail = 'oops'").fetchone()
    assert bad > ROWS_LISTED
    assert len(problems) == ROWS_LISTED + 1
    assert problems[-1] == f"audit_log.detail: {bad - ROWS_LISTED} more rows like these"
