"""XLSX export: the cells the CSV gives, as text that never runs, with real dates, a frozen
header and an autofilter on every sheet; the project as one sheet a table (its text and memo:
test_xlsx_project.py)."""

from __future__ import annotations

import csv
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from tests.conftest import import_text
from tests.core.test_cli import run
from workbench.export import csv_writer, registry
from workbench.export.model import Cell, Dataset, ExportCancelled, Table, WriteOptions
from workbench.export.xlsx_writer import MAX_ROWS, WRITER, XlsxWriter
from workbench.project import Project
from workbench.services.documents import ImportOptions

HOSTILE = "=cmd|' /C calc'!A0"
# A string xlsxwriter would copy into the sheet as raw XML: here, a formula cell.
RAW_XML = '<r><t>a</t></r></is></c><c r="B1"><f>1+1</f></c><c r="C1" t="inlineStr"><is><r>'
COLUMNS = ("id", "text", "date_text", "date_edtf", "date_earliest", "date_latest",
           "created_at", "confidence")  # fmt: skip
ROWS: list[Sequence[Cell]] = [
    (1, HOSTILE, "late March", "2024-03-21/2024-03-31", "2024-03-21", "2024-03-31",
     datetime(2024, 5, 4, 12, 30, 5, 999_000), 0.5),
    (2, 'He said "go"\nand left 🙂', "May 4, 2024", "2024-05-04", date(2024, 5, 4),
     "2024-05-04", None, float("nan")),
    (3, "\u202eRTL\u200f Хорошо, a NUL\x00 and \x01", "since 2020", "2020/..", "2020-01-01",
     None, datetime(2024, 1, 1, tzinfo=UTC), -1),
    (4, RAW_XML + "</r>", "", "", "2024-02-30", date(1890, 1, 1), datetime(1899, 12, 31, 23),
     None),
    (5, "+7 people", "-5", "@SUM(A1)", "\tindent", "\rcr", None, 12),
]  # fmt: skip
ESCAPE = re.compile("_x([0-9A-F]{4})_")
TEXT = "Olena 🙂 treated 40 wounded in Kherson; =cmd|' /C calc'!A0 was written on the wall.\n"


def _dataset(rows: Sequence[Sequence[Cell]], name: str = "records") -> Dataset:
    return Dataset({name: Table(name, COLUMNS, lambda: iter(rows))})


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _text(cell: SheetCell) -> str:
    """A cell as the CSV writes it: days and moments in ISO 8601, numbers as Python's, text
    with its _xHHHH_ escapes (a CR is _x000D_) read as Excel reads them (openpyxl does not)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        if cell.number_format == "yyyy-mm-dd":
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str):
        return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return str(value)


def _cells(sheet: Worksheet) -> list[list[str]]:
    return [[_text(c) for c in row] for row in sheet.iter_rows()]


def _no_formulas(path: Path) -> None:
    """No sheet of the file holds a formula (``<f>``) anywhere."""
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            tags = {e.tag.rsplit("}", 1)[-1] for e in ET.fromstring(book.read(name)).iter()}
            assert "f" not in tags, name


def test_hostile_text_reads_back_as_the_csv_gives_it(tmp_path: Path) -> None:
    for safe in (True, False):
        xlsx, plain = tmp_path / f"{safe}.xlsx", tmp_path / f"{safe}.csv"
        options = WriteOptions(neutralise=safe)
        assert WRITER.write(_dataset(ROWS), "records", xlsx, options=options) == 5
        csv_writer.WRITER.write(_dataset(ROWS), "records", plain, options=options)
        _no_formulas(xlsx)
        sheet = openpyxl.load_workbook(xlsx)["Records"]
        # Excel has no cell text for NUL and the other C0 controls but tab, LF and CR.
        expected = [[v.replace("\x00", "\ufffd").replace("\x01", "\ufffd") for v in row]
                    for row in _csv(plain)]  # fmt: skip
        assert _cells(sheet) == expected
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert expected[1][1] == HOSTILE and expected[4][1] == RAW_XML + "</r>"


def test_formula_text_is_neutralised_like_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "safe.xlsx"
    WRITER.write(_dataset(ROWS), "records", path, options=WriteOptions())
    sheet = openpyxl.load_workbook(path)["Records"]
    assert sheet["B2"].value == "'" + HOSTILE
    assert [_text(c) for c in sheet[6]][1:6] == ["'+7 people", "'-5", "'@SUM(A1)", "'\tindent",
                                                 "'\rcr"]  # fmt: skip
    assert {c.data_type for c in sheet[6][1:6]} == {"s"}


def test_days_and_moments_are_date_cells_and_fuzzy_dates_keep_their_phrase(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dates.xlsx"
    WRITER.write(_dataset(ROWS), "records", path, options=WriteOptions())
    sheet = openpyxl.load_workbook(path)["Records"]
    first, second, third, fourth = sheet[2], sheet[3], sheet[4], sheet[5]
    assert (first[2].value, first[3].value) == ("late March", "2024-03-21/2024-03-31")
    assert (first[4].value, first[5].value) == (datetime(2024, 3, 21), datetime(2024, 3, 31))
    assert first[4].is_date and first[4].number_format == "yyyy-mm-dd"
    assert first[6].value == datetime(2024, 5, 4, 12, 30, 5)  # to the second, like the CSV
    assert first[6].number_format == "yyyy-mm-dd hh:mm:ss"
    assert second[4].value == datetime(2024, 5, 4) and second[4].is_date
    assert second[3].value == "2024-05-04"  # EDTF is a notation: text, even when a day
    assert third[5].value is None  # an open end stays empty
    assert fourth[4].value == "2024-02-30"  # not a day: the text as it is
    assert fourth[5].value == "1890-01-01"  # before Excel's first date: text
    assert fourth[6].value == "1899-12-31T23:00:00Z"
    assert not fourth[4].is_date and not fourth[5].is_date
    assert third[6].value == datetime(2024, 1, 1)  # in UTC, as Excel has no time zones
    assert sheet["E6"].value == "'\tindent"  # a date column's text is still neutralised


def test_every_sheet_has_a_frozen_header_an_autofilter_and_capped_widths(
    tmp_path: Path,
) -> None:
    path = tmp_path / "look.xlsx"
    rows = [*ROWS, (6, "x" * 500, "", "", None, None, None, None)]
    WRITER.write(_dataset(rows), "records", path, options=WriteOptions())
    sheet = openpyxl.load_workbook(path)["Records"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H7"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert all(c.font.b for c in sheet[1])
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["A"] < 10 and 60 <= widths["B"] < 61  # the long text is capped
    assert widths["E"] >= len("date_earliest") and widths["G"] >= len("2024-05-04 12:30:05")


def test_text_beyond_excels_cell_limit_is_cut_with_a_visible_note(tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    long = "🙂" + "a" * 40_000  # the emoji counts twice in Excel's 32,767
    WRITER.write(_dataset([(1, long, *[None] * 6)]), "records", path, options=WriteOptions())
    cut = openpyxl.load_workbook(path)["Records"]["B2"].value
    assert isinstance(cut, str)
    kept, note = cut.split("… [cut: ")
    assert note.endswith(" more characters]")
    assert len(kept) + int(note.split()[0]) == len(long) and long.startswith(kept)
    assert len(cut.encode("utf-16-le")) // 2 == 32_767


def test_rows_beyond_a_sheet_go_on_in_numbered_sheets(tmp_path: Path) -> None:
    assert WRITER.rows_per_sheet == MAX_ROWS == 1_048_576
    path = tmp_path / "many.xlsx"
    rows = [(i, f"row {i}", *[None] * 6) for i in range(7)]
    count = XlsxWriter(rows_per_sheet=4).write(
        _dataset(rows), "records", path, options=WriteOptions()
    )
    book = openpyxl.load_workbook(path)
    assert count == 7 and book.sheetnames == ["Records", "Records (2)", "Records (3)"]
    ids = [[r[0] for r in book[n].iter_rows(min_row=2, values_only=True)] for n in book.sheetnames]
    assert ids == [[0, 1, 2], [3, 4, 5], [6]]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "id" and sheet.freeze_panes == "A2"
    assert [s.auto_filter.ref for s in book.worksheets] == ["A1:H4", "A1:H4", "A1:H2"]


def test_an_empty_table_is_its_header_with_a_filter(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    assert WRITER.write(_dataset([], "timeline"), "timeline", path, options=WriteOptions()) == 0
    sheet = openpyxl.load_workbook(path)["Timeline"]
    assert [c.value for c in sheet[1]] == list(COLUMNS) and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:H1" and sheet.freeze_panes == "A2"


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> Project:
    info = import_text(project, tmp_path, "a.txt", TEXT, published="2024-05-04")
    for phrase, code in (("Olena", "person"), ("Kherson", "place"), ("=cmd", "abuse")):
        start = TEXT.index(phrase)
        project.review.annotate(info.id, start, start + len(phrase), code)
    event = project.review.annotate(info.id, 0, TEXT.index(";"), "event").record_ids[0]
    project.review.edit(event, date_text="May 4, 2024")
    return project


def test_the_service_writes_what_the_csv_holds(exported: Project, tmp_path: Path) -> None:
    for what in ("records", "annotations", "timeline", "documents", "codebook"):
        xlsx, plain = tmp_path / f"{what}.xlsx", tmp_path / f"{what}.csv"
        count = exported.exports.export(what, "xlsx", xlsx)
        assert count == exported.exports.export(what, "csv", plain) > 0
        book = openpyxl.load_workbook(xlsx)
        assert book.sheetnames == [what.capitalize()]
        assert _cells(book.active) == _csv(plain), what
        _no_formulas(xlsx)
    assert "'=cmd" in [
        c.value for c in openpyxl.load_workbook(tmp_path / "annotations.xlsx").active["K"]
    ]  # the quote, neutralised
    sheet = openpyxl.load_workbook(tmp_path / "records.xlsx").active
    dated = [r for r in sheet.iter_rows(min_row=2) if r[12].value]  # date_edtf
    assert dated and all(r[13].is_date and r[14].is_date for r in dated)
    assert all(c.is_date for c in sheet["Q"][1:])  # created_at


def test_a_passage_without_author_or_a_record_without_passages_shows_the_records(
    exported: Project, tmp_path: Path
) -> None:
    with exported.write_connection() as conn:
        conn.execute(text("UPDATE records SET created_by = 'olena'"))
        conn.execute(text("UPDATE annotations SET author = '' WHERE quote = 'Olena'"))
        conn.execute(text("DELETE FROM evidence WHERE annotation_id IN "
                          "(SELECT id FROM annotations WHERE quote = 'Kherson')"))  # fmt: skip
    path = tmp_path / "records.xlsx"
    exported.exports.export("records", "xlsx", path)
    rows = {r[2].value: r for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2)}
    assert rows["Olena"][15].value == "olena"  # annotator
    kherson = rows["Kherson"]
    assert (kherson[10].value, kherson[15].value) == (None, "olena")  # no quote; annotator
    assert kherson[16].is_date and isinstance(kherson[16].value, datetime)  # created_at


def test_the_project_is_a_sheet_a_table(exported: Project, tmp_path: Path) -> None:
    path = tmp_path / "project.xlsx"
    count = exported.exports.export("project", "xlsx", path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Project", "Documents", "Text", "Records", "Annotations",
                               "Timeline", "Codebook"]  # fmt: skip
    assert count == sum(s.max_row - 1 for s in book.worksheets)
    documents = book["Documents"]
    assert documents["C2"].value == datetime(2024, 5, 4) and documents["C2"].is_date
    assert documents["H2"].is_date and documents["H2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert all(s.freeze_panes == "A2" and s.auto_filter.ref for s in book.worksheets)
    _no_formulas(path)
    assert "project" in registry.kinds_of("xlsx")


def test_cancel_stops_the_export_and_leaves_nothing(exported: Project, tmp_path: Path) -> None:
    cancel = threading.Event()
    reports: list[int] = []

    def progress(done: int, _total: int, _label: str) -> None:
        reports.append(done)
        if done >= 10_000:
            cancel.set()

    def many() -> Iterator[Sequence[Cell]]:
        return iter([(i, f"row {i}", *[None] * 6) for i in range(20_000)])

    exported.exports.transform = lambda data: Dataset({"records": Table("records", COLUMNS, many)})
    with pytest.raises(ExportCancelled):
        exported.exports.export("records", "xlsx", tmp_path / "big.xlsx", progress=progress,
                                cancel=cancel)  # fmt: skip
    assert reports == [5000, 10_000]
    assert list(tmp_path.glob("*big*")) == []


def test_the_command_line_exports_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.twb"
    with Project(path, create=True) as project:
        source = tmp_path / "a.txt"
        source.write_text(TEXT, encoding="utf-8")
        info, _ = project.documents.import_file(source, ImportOptions())
        start = TEXT.index("=cmd")
        project.review.annotate(info.id, start, start + 4, "abuse")
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "--project", str(path), "export", "annotations", "--format",
                       "xlsx", "--output", str(out))  # fmt: skip
    assert (code, err) == (0, f"wrote 1 row(s) to {out}\n")
    sheet = openpyxl.load_workbook(out)["Annotations"]
    assert sheet["K2"].value == "'=cmd"
    code, _, err = run(capsys, "--project", str(path), "export", "project", "--format", "xlsx",
                       "--output", str(tmp_path / "all.xlsx"))  # fmt: skip
    assert code == 0 and err.startswith("wrote ")
