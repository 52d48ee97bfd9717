"""The whole project as XLSX carries the documents' text (sheet Text: pieces that fit a cell
and join back into the stored text exactly) and the project's memo (sheet Project)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from tests.conftest import import_text
from tests.core.test_cli import run
from tests.core.test_xlsx_export import HOSTILE, _no_formulas
from workbench.export.model import ExportRequest, Selection, WriteOptions
from workbench.export.xlsx_writer import MAX_CHARS, text_pieces
from workbench.project import Project
from workbench.services.memos import MemoTarget

SHORT = f"{HOSTILE} was on the wall.\nОлена 🙂 said \u200fשלום עולם\u200f and \u202eleft\u202c.\n"
# longer than a cell: lines, one long run without a line break, emoji (two UTF-16 units each)
LONG = (
    "".join(f"Рядок {i} 🙂 \u200fמילה\u200f line {i}\n" for i in range(900))
    + "x" * 40_000
    + "🇺🇦" * 12_000
    + "\nend"
)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture
def project_with_texts(project: Project, tmp_path: Path) -> Project:
    import_text(project, tmp_path, "short.txt", SHORT, title="Short")
    import_text(project, tmp_path, "long.txt", LONG, title="Long")
    project.memos.write(MemoTarget.project(), f"{HOSTILE}\nWhat we know 🙂 so far\u200f.")
    return project


def export(project: Project, path: Path, **options: bool) -> Workbook:
    request = ExportRequest("project", "xlsx", path, options=WriteOptions(**options))
    project.exports.run(request)
    return openpyxl.load_workbook(path)


def texts(book: Workbook) -> dict[int, str]:
    """Each document's text joined from its pieces, checking parts, starts and sizes."""
    pieces: defaultdict[int, list[tuple[int, int, str]]] = defaultdict(list)
    sheet = book["Text"]
    assert [c.value for c in sheet[1]] == ["document_id", "part", "start", "text"]
    for document_id, part, start, cell in sheet.iter_rows(min_row=2):
        assert cell.value is None or cell.data_type == "s"  # text, never a formula
        pieces[document_id.value].append((part.value, start.value, cell.value or ""))
    joined = {}
    for document_id, parts in pieces.items():
        assert [p for p, _, _ in parts] == list(range(1, len(parts) + 1))
        offset = 0
        for _, start, text in parts:
            assert start == offset and 0 < utf16(text) <= MAX_CHARS
            offset += len(text)  # code points
        joined[document_id] = "".join(text for _, _, text in parts)
    return joined


def test_every_text_joins_back_exactly_from_its_pieces(
    project_with_texts: Project, tmp_path: Path
) -> None:
    path = tmp_path / "project.xlsx"
    book = export(project_with_texts, path)  # formula neutralisation on: not for the text
    documents = project_with_texts.documents
    stored = {d.id: documents.text(d.id) for d in documents.list()}
    assert stored[1].startswith("=cmd") and "Олена 🙂" in stored[1] and "\u200f" in stored[1]
    assert utf16(stored[2]) > 3 * MAX_CHARS
    assert texts(book) == stored
    sheet = book["Text"]
    assert sheet["D2"].value.startswith(HOSTILE) and sheet["D2"].data_type == "s"
    assert sheet.max_row - 1 > 4  # the long text took several cells
    _no_formulas(path)


def test_the_project_sheet_holds_its_title_and_memo(
    project_with_texts: Project, tmp_path: Path
) -> None:
    book = export(project_with_texts, tmp_path / "project.xlsx")
    sheet = book["Project"]
    assert [c.value for c in sheet[1]] == ["title", "exported_at", "includes_text", "memo"]
    title, exported_at, includes_text, memo = sheet[2]
    assert (title.value, includes_text.value) == ("project", "yes")
    assert exported_at.is_date and isinstance(exported_at.value, datetime)
    assert memo.value == f"'{HOSTILE}\nWhat we know 🙂 so far\u200f."  # neutralised like any cell
    assert sheet.max_row == 2


def test_without_the_text_there_is_no_text_sheet(
    project_with_texts: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = export(project_with_texts, tmp_path / "bare.xlsx", include_text=False)
    assert "Text" not in book.sheetnames and book["Project"]["C2"].value == "no"
    path, output = str(project_with_texts.path), tmp_path / "cli.xlsx"
    project_with_texts.close()
    code, _, err = run(capsys, "--project", path, "export", "project", "--format", "xlsx",
                       "--no-text", "--output", str(output))  # fmt: skip
    assert code == 0 and err.startswith("wrote ")
    assert "Text" not in openpyxl.load_workbook(output).sheetnames


def test_the_text_sheet_holds_the_documents_chosen(
    project_with_texts: Project, tmp_path: Path
) -> None:
    path = tmp_path / "long.xlsx"
    request = ExportRequest("project", "xlsx", path, Selection(document_ids=frozenset({2})))
    project_with_texts.exports.run(request)
    assert list(texts(openpyxl.load_workbook(path))) == [2]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("", 5, [(0, "")]),
        ("abc", 3, [(0, "abc")]),
        ("🙂🙂🙂", 3, [(0, "🙂"), (1, "🙂"), (2, "🙂")]),  # never half a character
        ("a🙂b🙂", 3, [(0, "a🙂"), (2, "b🙂")]),
        ("ab\ncd\nef", 4, [(0, "ab\n"), (3, "cd\n"), (6, "ef")]),  # after a line break
        ("a\nbcdefgh", 4, [(0, "a\nbc"), (4, "defg"), (8, "h")]),  # not one this early
    ],
)
def test_pieces_fit_a_cell_and_start_in_code_points(
    text: str, limit: int, expected: list[tuple[int, str]]
) -> None:
    assert list(text_pieces(text, limit)) == expected
