"""The text fast path of large CSV exports (``workbench/services/export_text.py``) writes the
very bytes the general path writes, and lets no formula through, even from a crafted file."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import RecordId
from workbench.export.csv_writer import WRITER
from workbench.export.model import Dataset, Selection, WriteOptions
from workbench.project import Project

HOSTILE = "=cmd|' /C calc'!A0"
TEXT = '@Olena 🙂 said «Я не хотел»,\n"+7" in -Kherson\u202e RTL end.\n'


@pytest.fixture
def hostile(project: Project, tmp_path: Path) -> Project:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    spans = [("@Olena", "person"), ('«Я не хотел»,\n"+7"', "event"), ("-Kherson", "place")]
    for phrase, code in spans:
        start = TEXT.index(phrase)
        records = project.review.annotate(doc, start, start + len(phrase), code).record_ids
        project.review.edit(RecordId(records[0]), label=HOSTILE, note="-note\twith tab and a NUL\x00")
    return project


def _both(project: Project, what: str, tmp_path: Path, *, safe: bool) -> tuple[bytes, bytes]:
    """The table written through its text fast path and through its rows."""
    table = project.exports.dataset(Selection()).table(what)
    assert table.text_batches is not None
    fast, general = tmp_path / f"{what}-fast.csv", tmp_path / f"{what}-rows.csv"
    options = WriteOptions(neutralise=safe)
    WRITER.write(Dataset({what: table}), what, fast, options=options)
    plain = Dataset({what: table.with_rows(table.rows)})
    WRITER.write(plain, what, general, options=options)
    return fast.read_bytes(), general.read_bytes()


@pytest.mark.parametrize("what", ["records", "annotations"])
@pytest.mark.parametrize("safe", [True, False])
def test_the_fast_path_writes_the_same_bytes(
    hostile: Project, tmp_path: Path, what: str, safe: bool
) -> None:
    fast, general = _both(hostile, what, tmp_path, safe=safe)
    assert fast == general
    rows = list(csv.DictReader(fast.decode("utf-8").splitlines(keepends=True)))
    assert len(rows) == 3
    assert {r["label"] for r in rows} == {"'" + HOSTILE if safe else HOSTILE}
    assert all(r["created_at"].endswith("Z") and "T" in r["created_at"] for r in rows)


def test_a_crafted_file_cannot_pass_a_formula_through_a_number_column(
    hostile: Project, tmp_path: Path
) -> None:
    path = hostile.path
    hostile.close()
    with sqlite3.connect(path) as db:  # what a hostile project file could hold
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("UPDATE annotations SET confidence = ?, note = ?", (HOSTILE, HOSTILE))
    with Project(path, actor="tester") as project:
        fast, _ = _both(project, "annotations", tmp_path, safe=True)
    cells = [cell for row in csv.reader(fast.decode("utf-8").splitlines()) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
