"""The export path: a selection read as tables, one transformation, a writer, and a file that
appears whole or not at all (existing files kept unless forced, Cancel and full disks leave
nothing behind)."""

from __future__ import annotations

import csv
import itertools
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.errors import InvalidInputError, StorageError
from workbench.export import registry
from workbench.export.csv_writer import WRITER
from workbench.export.model import (
    Cell,
    Dataset,
    ExportCancelled,
    ExportRequest,
    Selection,
    Table,
    WriteOptions,
)
from workbench.export.safe_csv import neutralise
from workbench.project import Project

HOSTILE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"), ("+7 people", "'+7 people"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"), ("\rcr", "'\rcr"), ("plain", "plain"), ("a=b", "a=b"),
        ("", ""),
    ],
)  # fmt: skip
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def _table(rows: Sequence[Sequence[Cell]]) -> Dataset:
    return Dataset({"t": Table("t", ("id", "text", "x", "at"), lambda: iter(rows))})


def test_csv_quotes_newlines_emoji_rtl_and_nul_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    rows: list[Sequence[Cell]] = [
        [1, 'He said "go"\nand left 🙂', None, datetime(2024, 5, 4, 12, 30)],
        [2, HOSTILE, 0.5, date(2024, 5, 4)],
        [3, "\u202eRTL\u200f mark, a,comma and a NUL\x00", -1, None],
    ]
    assert WRITER.write(_table(rows), "t", path, options=WriteOptions()) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"id,text,x,at\r\n")
    with path.open(encoding="utf-8", newline="") as fh:
        parsed = list(csv.reader(fh))
    assert parsed[1] == ["1", 'He said "go"\nand left 🙂', "", "2024-05-04T12:30:00Z"]
    assert parsed[2] == ["2", "'" + HOSTILE, "0.5", "2024-05-04"]
    assert parsed[3] == ["3", "\u202eRTL\u200f mark, a,comma and a NUL\x00", "-1", ""]
    WRITER.write(_table(rows), "t", path, options=WriteOptions(neutralise=False, bom=True))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[2][1] == HOSTILE


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> Project:
    doc = import_text(project, tmp_path, "a.txt", "Olena 🙂 treated 40 wounded in Kherson.\n").id
    for phrase, code in (("Olena", "person"), ("Kherson", "place")):
        start = "Olena 🙂 treated 40 wounded in Kherson.\n".index(phrase)
        project.review.annotate(doc, start, start + len(phrase), code)
    return project


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_selection_narrows_every_table(exported: Project, tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    chosen = Selection(type_name="person", statuses=frozenset({"accepted"}))
    exported.exports.run(ExportRequest("records", "csv", out, chosen))
    assert [r["label"] for r in _read(out)] == ["Olena"]
    out.unlink()
    exported.exports.run(ExportRequest("annotations", "csv", out, Selection(
        document_ids=frozenset({99}))))  # fmt: skip
    assert _read(out) == []
    codebook = tmp_path / "codebook.csv"
    assert exported.exports.export("codebook", "csv", codebook) == 10
    assert _read(codebook)[0]["name"] == "person"


def test_an_existing_file_is_kept_unless_forced(exported: Project, tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    out.write_text("mine\n")
    with pytest.raises(InvalidInputError, match="exists; choose another name or replace it"):
        exported.exports.export("records", "csv", out)
    assert out.read_text() == "mine\n"
    exported.exports.export("records", "csv", out, force=True)
    assert len(_read(out)) == 2


def test_a_failure_midway_keeps_the_previous_file_and_leaves_nothing(
    exported: Project, tmp_path: Path
) -> None:
    out = tmp_path / "records.csv"
    out.write_text("previous\n")

    def failing() -> Iterator[Sequence[Cell]]:
        yield (1, "ok")
        raise RuntimeError("the query failed")

    def transform(data: Dataset) -> Dataset:  # the one step every format passes through
        return Dataset({"records": Table("records", ("a", "b"), failing)})

    exported.exports.transform = transform
    with pytest.raises(RuntimeError):
        exported.exports.export("records", "csv", out, force=True)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "records" in p.name) == ["records.csv"]


def test_cancel_leaves_nothing_behind(exported: Project, tmp_path: Path) -> None:
    cancel = threading.Event()
    many = [(i, f"row {i}") for i in range(20_000)]

    def transform(data: Dataset) -> Dataset:
        return Dataset({"records": Table("records", ("a", "b"), lambda: iter(many))})

    def progress(done: int, _total: int, _label: str) -> None:
        if done >= 5000:
            cancel.set()

    exported.exports.transform = transform
    out = tmp_path / "big.csv"
    with pytest.raises(ExportCancelled):
        exported.exports.export("records", "csv", out, progress=progress, cancel=cancel)
    assert list(tmp_path.glob("*big*")) == []


def test_a_full_disk_is_one_line_and_leaves_nothing(exported: Project, small_disk: Path) -> None:
    big = [(i, "x" * 1000) for i in range(5000)]  # 5 MB on a 3 MB disk
    exported.exports.transform = lambda data: Dataset(
        {"records": Table("records", ("a", "b"), lambda: iter(big))}
    )
    out = small_disk / "records.csv"
    with pytest.raises(StorageError, match=r"^the disk is full: records.csv was not written"):
        exported.exports.export("records", "csv", out)
    assert list(small_disk.iterdir()) == []


def test_bad_requests_are_one_line(exported: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="unknown format 'doc'"):
        exported.exports.export("records", "doc", tmp_path / "x.doc")
    with pytest.raises(InvalidInputError, match="csv exports records, annotations"):
        exported.exports.export("project", "csv", tmp_path / "x.csv")
    with pytest.raises(InvalidInputError, match="does not exist"):
        exported.exports.export("records", "csv", tmp_path / "no" / "x.csv")
    with pytest.raises(InvalidInputError, match="is a folder"):
        exported.exports.export("records", "csv", tmp_path)
    assert "csv" in registry.formats()


def test_python_csv_and_pandas_read_the_same_cells(exported: Project, tmp_path: Path) -> None:
    import pandas as pd  # noqa: PLC0415 - a test dependency only

    rows: list[Sequence[Cell]] = [
        [1, HOSTILE, 'quote "inside", comma', "line one\nline two"],
        [2, "🙂 Ольга \u202eRTL\u200f", "", "\ttab first"],
        [3, "NA", "null", "  spaces kept  "],
    ]
    exported.exports.transform = lambda data: Dataset(
        {"records": Table("records", ("id", "a", "b", "c"), lambda: iter(rows))}
    )
    out = tmp_path / "hostile.csv"
    exported.exports.export("records", "csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        by_csv = list(csv.reader(fh))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    by_pandas = [list(frame.columns), *frame.astype(str).values.tolist()]
    assert by_pandas == by_csv
    assert by_csv[1][1] == "'" + HOSTILE and by_csv[3][1] == "NA"


def test_the_preview_reads_the_same_first_rows_as_the_export(
    project: Project, tmp_path: Path
) -> None:
    lines = [f"Event number {n} happened here." for n in range(45)]
    text = "Notes\n\n" + "\n".join(lines) + "\n"
    doc = import_text(project, tmp_path, "events.txt", text).id
    phrases = ["March {n}, 2023", "since {y}", "March 10", "{y}", "early {y}", "in May {y}"]
    for n, line in enumerate(lines):
        start = text.index(line)
        record = project.review.annotate(doc, start, start + len(line), "event").record_ids[0]
        phrase = phrases[n % len(phrases)].format(n=n % 28 + 1, y=2015 + n % 9)
        project.review.edit(record, date_text=phrase)
        if n % 7 == 0:
            project.review.set_status([record], "rejected")
    for statuses in (frozenset({"accepted"}), frozenset({"accepted", "rejected"})):
        data = project.exports.dataset(Selection(statuses=statuses))
        for name in ("timeline", "records", "annotations", "documents"):
            table = data.table(name)
            for count in (3, 8):  # the preview reads 5 × count candidates: fewer than 45
                expected = list(itertools.islice(table.rows(), count))
                assert table.head(count) == expected, (name, count)


def test_an_export_never_replaces_the_projects_own_files(exported: Project, tmp_path: Path) -> None:
    path = exported.path
    for target in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + ".lock"),
                   path.with_name(path.name + "-backups") / "x.csv"):  # fmt: skip
        with pytest.raises(InvalidInputError, match="project's own files"):
            exported.exports.check_output(target, force=True)


def test_chosen_records_bring_only_their_documents(exported: Project, tmp_path: Path) -> None:
    other = import_text(exported, tmp_path, "b.txt", "Nothing chosen here.\n").id
    chosen = exported.review.annotate(other, 0, 7, "event").record_ids
    out = tmp_path / "documents.csv"
    exported.exports.export("documents", "csv", out,
                            selection=Selection(record_ids=frozenset(chosen)))  # fmt: skip
    assert [r["document_id"] for r in _read(out)] == [str(other)]
