"""Properties of CSV export: any text comes back through Python's csv module exactly as it
went in (neutralisation off), and with neutralisation on, every cell a spreadsheet would run
as a formula comes back with an apostrophe before it and every other cell as it was.

Text means any Unicode a project can hold: NUL and other controls, bidi marks, emoji and
flags, quotes, commas, CR and LF in any mix, a byte-order mark, leading = + - @ tab and CR.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import import_text
from tests.core.properties import budget
from workbench.domain import DocumentId, RecordId
from workbench.export.csv_writer import WRITER
from workbench.export.model import Cell, Dataset, Selection, Table, WriteOptions
from workbench.project import Project

# What spreadsheets run as a formula when a cell starts with it (OWASP ASVS 5.0, 1.2.10,
# and carriage return, which Excel skips before one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
_TRICKY = st.sampled_from(
    [*FORMULA_STARTS, "\n", "\r\n", '"', "'", ",", ";", " ", "\u202e", "\u200f", "\u2066",
     "\u2028", "\x85", "\ufeff", "🙂", "🇺🇦", "=HYPERLINK(\"http://x\")", "a\"b", "\\"]
)  # fmt: skip
TEXT = st.lists(
    _TRICKY | st.text(st.characters(blacklist_categories=["Cs"]), max_size=12), max_size=5
).map("".join)
CELLS = (
    TEXT
    | st.none()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
    | st.datetimes()
)


def expected(value: Cell, *, safe: bool) -> str:
    """How a cell must come back: text as it was (with an apostrophe when it would run),
    numbers as Python writes them, times in ISO 8601 UTC, None empty."""
    if isinstance(value, str):
        return "'" + value if safe and value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else repr(value)


def read_back(path: Path, *, bom: bool = False) -> list[list[str]]:
    with path.open(encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        return list(csv.reader(fh))


@budget(150)
@given(
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=6),
    safe=st.booleans(),
    bom=st.booleans(),
)
@example(rows=[["\x00=1+1", "\r\n", "\ufeff"]], safe=True, bom=True)
def test_any_cells_come_back_from_the_csv_module(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[Cell]], safe: bool, bom: bool
) -> None:
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    table = Table("records", ("a", "b", "c"), lambda: iter(rows))
    options = WriteOptions(neutralise=safe, bom=bom)
    assert WRITER.write(Dataset({"records": table}), "records", path, options=options) == len(rows)
    back = read_back(path, bom=bom)
    assert back == [["a", "b", "c"], *[[expected(v, safe=safe) for v in row] for row in rows]]


# --- through a project: the text path that large exports take -------------------------------


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, DocumentId]]:
    """A project with one document, for records whose label and note any text is."""
    folder = tmp_path_factory.mktemp("csv-project")
    with Project(folder / "csv.twb", actor="tester") as project:
        yield project, import_text(project, folder, "a.txt", "Olena Petrenko left Kharkiv.").id


def _export(project: Project, what: str, selection: Selection, *, safe: bool) -> list[str]:
    """The one data row of an export, its header's names as keys."""
    output = project.path.with_name(f"{what}.csv")
    project.exports.export(what, "csv", output, safe=safe, force=True, selection=selection)
    header, *rows = read_back(output)
    assert len(rows) == 1
    return rows[0] if header else []


def _cell(row: Sequence[str], header: Sequence[str], name: str) -> str:
    return row[list(header).index(name)]


@budget(60)
@given(label=TEXT.filter(str.strip), note=TEXT, title=TEXT.filter(str.strip), safe=st.booleans())
@example(label="=cmd|' /C calc'!A0", note="\x00-1", title="@SUM(A1)", safe=True)
def test_any_label_note_and_title_come_back_from_a_project_export(
    annotated: tuple[Project, DocumentId], label: str, note: str, title: str, safe: bool
) -> None:
    """Labels and titles are stored stripped of outer spaces; notes exactly."""
    project, document = annotated
    record = RecordId(project.review.annotate(document, 0, 6, "person").record_ids[0])
    project.review.edit(record, label=label, note=note)
    project.documents.rename(document, title)
    records = Selection(record_ids=frozenset({record}))
    row = _export(project, "records", records, safe=safe)
    header = read_back(project.path.with_name("records.csv"))[0]
    assert _cell(row, header, "label") == expected(label.strip(), safe=safe)
    assert _cell(row, header, "note") == expected(note, safe=safe)
    assert _cell(row, header, "document_title") == expected(title.strip(), safe=safe)
    documents = _export(project, "documents", Selection(document_ids=frozenset({document})),
                        safe=safe)  # fmt: skip
    assert documents[1] == expected(title.strip(), safe=safe)
