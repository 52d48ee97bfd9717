"""CSV written a column at a time (``workbench/export/csv_columns.py``) is byte for byte what
the csv module writes for the same cells worded by ``cell_text``, whatever the cells hold."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.export.csv_columns import SEPARATOR, csv_text
from workbench.export.safe_csv import cell_text

HOSTILE = ["=cmd|' /C calc'!A0", '"', ",", "\r\n", "\n", "\r", "\x00=1", "-5", "+7", "@x", "\t",
           "🙂", "«Я не хотел»", "\u202eRTL", SEPARATOR, SEPARATOR + "=", "a" + SEPARATOR + "-b",
           "", " ", "None"]  # fmt: skip
TIMES = ["2024-05-04 12:30:00.000000", "2024-05-04 12:30:00", "=2024", "", "x"]


def _expected(rows: Sequence[Sequence[Any]], time_column: int, text: set[int], safe: bool) -> str:
    """What the csv module writes for the cells as the general path words them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        cells = []
        for index, stored in enumerate(row):
            value = stored
            if index == time_column and isinstance(value, str):
                value = f"{value[:10]}T{value[11:19]}Z"
            if index in text and (value is None or isinstance(value, str)):
                cells.append(cell_text(value, safe=safe))
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return out.getvalue()


texts = st.one_of(st.none(), st.sampled_from(HOSTILE), st.text(max_size=12),
                  st.builds("".join, st.lists(st.sampled_from(HOSTILE), max_size=4)))  # fmt: skip
numbers = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False))
times = st.one_of(st.none(), st.sampled_from(TIMES), st.text(max_size=30))
crafted = st.one_of(st.integers(), st.floats(allow_nan=False), st.binary(max_size=4))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[Any]], int, set[int]]:
    """Rows of 2 to 6 columns: text ones (one of them a time, maybe) and number ones."""
    width = draw(st.integers(2, 6))
    text = set(draw(st.lists(st.integers(0, width - 1), max_size=width)))
    time_column = draw(st.sampled_from([*sorted(text), width]))  # width: no time column
    kinds = [times if i == time_column else texts if i in text else numbers for i in range(width)]
    rows = draw(st.lists(st.tuples(*kinds), min_size=1, max_size=8))
    return [list(row) for row in rows], time_column, text


@settings(max_examples=400, deadline=None)
@given(tables(), st.booleans())
def test_the_same_bytes_as_the_csv_module(table: tuple[list[list[Any]], int, set[int]],
                                          safe: bool) -> None:  # fmt: skip
    rows, time_column, text = table
    got = csv_text(rows, time_column=time_column, text=text, safe=safe)
    assert got == _expected(rows, time_column, text, safe)


@settings(max_examples=200, deadline=None)
@given(tables(), st.booleans(), st.data())
def test_a_crafted_number_or_blob_among_text_is_written_as_the_general_path_writes_it(
    table: tuple[list[list[Any]], int, set[int]], safe: bool, data: st.DataObject
) -> None:
    """A crafted file can put any storage class in a text column: such a cell is written as
    ``cell_text`` words it (a number is not neutralised: it is not text)."""
    rows, time_column, text = table
    if not text - {time_column}:
        return
    column = data.draw(st.sampled_from(sorted(text - {time_column})))
    row = data.draw(st.integers(0, len(rows) - 1))
    rows[row][column] = data.draw(crafted)
    got = csv_text(rows, time_column=time_column, text=text, safe=safe)
    assert got == _expected(rows, time_column, text, safe)


def test_formulas_are_neutralised_only_at_a_cells_start_and_only_when_asked() -> None:
    rows = [["=SUM(A1)", "a=b", -5, None], ["x" + SEPARATOR + "=1", "-Kherson", 7, "@Olena"]]
    safe = csv_text(rows, time_column=9, text={0, 1, 3}, safe=True)
    assert safe == f"'=SUM(A1),a=b,-5,\r\nx{SEPARATOR}=1,'-Kherson,7,'@Olena\r\n"
    plain = csv_text(rows, time_column=9, text={0, 1, 3}, safe=False)
    assert plain == f"=SUM(A1),a=b,-5,\r\nx{SEPARATOR}=1,-Kherson,7,@Olena\r\n"


def test_quotes_commas_and_line_breaks_are_quoted_and_read_back() -> None:
    cells = ['she said "no"', "Kherson, late March", "line\nbreak", "cr\rlf", "🙂 «Я»"]
    written = csv_text([cells, cells[::-1]], time_column=5, text=set(range(5)), safe=True)
    assert list(csv.reader(io.StringIO(written, newline=""))) == [cells, cells[::-1]]


def test_a_single_column_and_no_rows() -> None:
    """The csv module quotes a lone empty cell (a blank line would read as no row)."""
    assert csv_text([[""], ["a"]], time_column=1, text={0}, safe=True) == '""\r\na\r\n'
    assert csv_text([], time_column=0, text={0}, safe=True) == ""
