"""A damaged JSON value is refused in one line by the services that read it, never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.errors import DamagedProjectError, ProjectError
from workbench.project import Project


@pytest.fixture
def filled(tmp_path: Path, testimony_file: Path) -> tuple[Path, int]:
    """A closed project with one document, one record and its audit rows."""
    path = tmp_path / "p.twb"
    with Project(path) as project:
        document, _ = project.documents.import_file(testimony_file)
        start = project.documents.text(document.id).index("Daniil Alfyorov")
        result = project.review.annotate(document.id, start, start + 15, "person")
        record_id = result.record_ids[0]
        project.review.edit(record_id, fields={"title": "Private", "aliases": ["Danya"]})
    return path, record_id


def _store(path: Path, statement: str, value: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, (value,))


def _read_fields(project: Project) -> object:
    return [r.fields for r in project.records.list()]


def _read_audit(project: Project) -> object:
    return [e.detail for e in project.audit.list()]


def _read_documents(project: Project) -> object:
    return project.documents.list()


def test_json_values_round_trip_as_dicts(filled: tuple[Path, int]) -> None:
    path, record_id = filled
    with Project(path) as project:
        (record,) = project.records.list(record_ids=[record_id])
        assert record.fields == {"title": "Private", "aliases": ["Danya"]}
        assert all(isinstance(entry.detail, dict) for entry in project.audit.list())
        assert len(project.documents.list()) == 1


@pytest.mark.parametrize(
    ("statement", "where", "read"),
    [
        ("UPDATE records SET fields = ?", "records.fields", _read_fields),
        ("UPDATE audit_log SET detail = ? WHERE id = 1", "audit_log.detail", _read_audit),
        ("UPDATE documents SET extra = ?", "documents.extra", _read_documents),
    ],
)
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('{"title": "Priv', "is not valid JSON"),
        ('{"n": NaN}', "is not valid JSON"),
        ("[1, 2]", "is not a JSON object"),
        ('"text"', "is not a JSON object"),
        (12, "is not JSON text"),
        (b"{}", "is not JSON text"),
    ],
)
def test_a_damaged_value_is_one_clear_line(
    filled: tuple[Path, int],
    statement: str,
    where: str,
    read: Callable[[Project], object],
    value: object,
    reason: str,
) -> None:
    path, _ = filled
    _store(path, statement, value)
    with Project(path) as project, pytest.raises(ProjectError) as caught:
        read(project)
    message = str(caught.value)
    assert isinstance(caught.value, DamagedProjectError)
    assert "\n" not in message
    assert f"the project file is damaged: a value of {where} {reason};" in message
    assert "`workbench verify`" in message


def test_a_damaged_record_is_not_overwritten_by_an_edit(filled: tuple[Path, int]) -> None:
    """Reading the damaged value as {} would let the next edit erase it without a word."""
    path, record_id = filled
    _store(path, "UPDATE records SET fields = ?", '{"title": ')
    with Project(path) as project, pytest.raises(DamagedProjectError):
        project.review.edit(record_id, fields={"title": "Sergeant"})
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT fields FROM records").fetchone() == ('{"title": ',)
