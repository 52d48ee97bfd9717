"""The text fast path of large CSV exports (``workbench/services/export_text.py``) writes the
very bytes the general path writes, and lets no formula through, even from a crafted file."""

from __future__ import annotations

import csv
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.export_bench import build
from tests.conftest import import_text
from workbench.domain import RecordId
from workbench.errors import StorageError
from workbench.export import csv_writer
from workbench.export.csv_writer import WRITER
from workbench.export.model import Dataset, ExportCancelled, Selection, WriteOptions
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
        note = "-note\twith tab and a NUL\x00"
        project.review.edit(RecordId(records[0]), label=HOSTILE, note=note)
    return project


def _both(project: Project, what: str, tmp_path: Path, *, safe: bool) -> tuple[bytes, bytes]:
    """The table written through its text fast path and through its rows."""
    table = project.exports.dataset(Selection()).table(what)
    assert table.text is not None
    fast, general = tmp_path / f"{what}-fast.csv", tmp_path / f"{what}-rows.csv"
    options = WriteOptions(neutralise=safe)
    WRITER.write(Dataset({what: table}), what, fast, options=options)
    plain = Dataset({what: table.with_rows(table.rows)})
    WRITER.write(plain, what, general, options=options)
    return fast.read_bytes(), general.read_bytes()


@pytest.mark.parametrize("what", ["records", "annotations"])
@pytest.mark.parametrize("safe", [True, False])
@pytest.mark.parametrize("processes", [1, 3])
def test_the_fast_path_writes_the_same_bytes(
    hostile: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    safe: bool,
    processes: int,
) -> None:
    """In this process alone, or cut into three ranges of which two helpers write two."""
    monkeypatch.setattr(csv_writer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(csv_writer, "PROCESSES", processes)
    fast, general = _both(hostile, what, tmp_path, safe=safe)
    assert fast == general
    assert list(tmp_path.glob(".export-*")) == []
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


@pytest.mark.parametrize("safe", [True, False])
def test_cells_of_any_storage_class_are_worded_as_the_general_path_words_them(
    hostile: Project, tmp_path: Path, safe: bool
) -> None:
    """The SQL words the cells as the general path does: text starting with NUL or a formula
    character (a minus sign too) is neutralised when asked, whatever follows it."""
    path = hostile.path
    hostile.close()
    with sqlite3.connect(path) as db:  # what a crafted project file could hold
        db.execute("UPDATE records SET label = -5 WHERE label = ?", (HOSTILE,))
        db.execute("UPDATE annotations SET note = ?", ("\x00=SUM(A1)",))
        db.execute("UPDATE annotations SET author = '+' || author")
    with Project(path, actor="tester") as project:
        fast, general = _both(project, "annotations", tmp_path, safe=safe)
    assert fast == general
    rows = list(csv.DictReader(fast.decode("utf-8").splitlines(keepends=True)))
    assert {r["label"] for r in rows} == ({"'-5"} if safe else {"-5"})
    assert {r["note"][:1] for r in rows} == ({"'"} if safe else {"\x00"})


@pytest.fixture
def in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every span table is cut into three ranges, written by this process and two helpers."""
    monkeypatch.setattr(csv_writer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(csv_writer, "PROCESSES", 3)


@pytest.fixture
def bulk(tmp_path: Path) -> Iterator[Project]:
    """20,000 annotations (5 MB of CSV), inserted in bulk."""
    path = tmp_path / "bulk.twb"
    build(path, 20_000)
    with Project(path, actor="tester") as project:
        yield project


@pytest.mark.usefixtures("in_parts")
def test_a_large_table_in_parts_is_the_table_in_one_piece(bulk: Project, tmp_path: Path) -> None:
    reports: list[int] = []
    out = tmp_path / "parts.csv"
    count = bulk.exports.export("annotations", "csv", out, progress=lambda n, *_: reports.append(n))
    assert count == 20_000 and reports and reports == sorted(reports)
    table = bulk.exports.dataset(Selection()).table("annotations")
    whole = tmp_path / "whole.csv"
    WRITER.write(Dataset({"annotations": table.with_rows(table.rows)}), "annotations", whole,
                 options=WriteOptions())  # fmt: skip
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.usefixtures("in_parts")
def test_cancel_stops_the_helpers_and_leaves_nothing(bulk: Project, tmp_path: Path) -> None:
    cancel = threading.Event()
    out = tmp_path / "cancelled.csv"
    with pytest.raises(ExportCancelled):
        bulk.exports.export("annotations", "csv", out, progress=lambda *_: cancel.set(),
                            cancel=cancel)  # fmt: skip
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("bulk.twb")]
    assert left == []


@pytest.mark.usefixtures("in_parts")
def test_a_full_disk_in_parts_is_one_line_and_leaves_nothing(
    bulk: Project, small_disk: Path
) -> None:
    out = small_disk / "annotations.csv"
    with pytest.raises(StorageError, match=r"^the disk is full: annotations.csv was not written"):
        bulk.exports.export("annotations", "csv", out)
    assert list(small_disk.iterdir()) == []


@pytest.mark.usefixtures("in_parts")
def test_a_narrow_selection_of_a_large_table_is_cut_where_its_rows_are(
    bulk: Project, tmp_path: Path
) -> None:
    """The table's stored rows decide whether to cut; the selection may hold too few for
    every part (here a tenth of them, all before the first split): fewer parts, same bytes."""
    chosen = Selection(document_ids=frozenset({1}))
    out = tmp_path / "one-document.csv"
    assert bulk.exports.export("annotations", "csv", out, selection=chosen) == 2_000
    table = bulk.exports.dataset(chosen).table("annotations")
    whole = tmp_path / "whole.csv"
    WRITER.write(Dataset({"annotations": table.with_rows(table.rows)}), "annotations", whole,
                 options=WriteOptions())  # fmt: skip
    assert out.read_bytes() == whole.read_bytes()
