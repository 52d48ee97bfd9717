"""CSV text for a batch of rows, worked a column at a time: the bytes the csv module writes
(RFC 4180, minimal quoting, CRLF) for cells as ``safe_csv.cell_text`` words them, in a few
calls over whole columns instead of some work on every cell.

The csv module looks at every character of every cell; here each column of a batch is
joined into one string once, and whether any of its cells needs quoting or neutralising is
asked of that string (searches in C). Only the columns that do are worked cell by cell.
Rows of twenty cells take under half the time the csv module needs.

Nothing here needs SQLAlchemy: helper processes of large exports (``csv_parts``) use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from operator import itemgetter
from typing import Any

from workbench.export.safe_csv import FORMULA_PREFIXES, neutralise

SEPARATOR = "\x1f"  # joins a column's cells for the searches; found nowhere else it matters
QUOTE_IF = ('"', ",", "\n", "\r")  # what makes the csv module quote a cell (RFC 4180)
FORMULA_START = frozenset(FORMULA_PREFIXES)
_FIRST = itemgetter(slice(None, 1))  # a cell's first character, "" for an empty one


def csv_text(
    rows: Sequence[Sequence[Any]], *, time_column: int, text: Collection[int], safe: bool
) -> str:
    """The rows as CSV lines, each ending in CRLF. ``time_column``: a time as SQLite stores
    it ("YYYY-MM-DD HH:MM:SS[.ffffff]"), written "YYYY-MM-DDTHH:MM:SSZ"; ``text``: the
    positions of text columns, neutralised when ``safe``; the others hold numbers or None."""
    if not rows:
        return ""
    columns = list(zip(*rows, strict=True))
    if len(columns) < 2:  # the csv module quotes a lone empty cell: let it
        return _by_the_module(rows, time_column, text, safe)
    width = len(columns)
    lines: list[str] = [","] * (2 * width * len(rows))  # cells and what follows each
    for index, column in enumerate(columns):
        cells = _times(column) if index == time_column else column
        lines[2 * index :: 2 * width] = (
            _text_column(cells, safe) if index in text else _number_column(cells)
        )
    lines[2 * width - 1 :: 2 * width] = ["\r\n"] * len(rows)
    return "".join(lines)


def _times(column: Sequence[Any]) -> Sequence[Any]:
    """Stored times ("YYYY-MM-DD HH:MM:SS[.ffffff]") as "YYYY-MM-DDTHH:MM:SSZ"."""
    return [f"{w[:10]}T{w[11:19]}Z" if w.__class__ is str else w for w in column]


def _text_column(column: Sequence[Any], safe: bool) -> Sequence[str]:
    """A text column's cells as CSV: empty for None, neutralised when ``safe``, quoted."""
    try:
        joined = SEPARATOR.join(column)
    except TypeError:  # None, or a crafted file's number or blob among the text
        column = ["" if v is None else v for v in column]
        try:
            joined = SEPARATOR.join(column)
        except TypeError:
            return [_quoted(_word(v, safe)) for v in column]
    if (
        safe
        and any(p in joined for p in FORMULA_PREFIXES)  # anywhere: then at a cell's start?
        and not FORMULA_START.isdisjoint(map(_FIRST, column))
    ):
        column = [neutralise(v) for v in column]
        joined = SEPARATOR.join(column)
    if any(q in joined for q in QUOTE_IF):
        return [
            '"' + v.replace('"', '""') + '"'
            if '"' in v or "," in v or "\n" in v or "\r" in v
            else v
            for v in column
        ]  # ``_quoted`` inline: a call for each cell costs more than its work
    return column


def _number_column(column: Sequence[Any]) -> Sequence[str]:
    """A number column's cells (cast to their type by the SQL) as the csv module writes
    them: str() of each, empty for None; numbers never need quotes."""
    cells = list(map(str, column))
    if "None" in cells:
        return ["" if v is None else str(v) for v in column]
    return cells


def _word(value: Any, safe: bool) -> str:
    """One cell as ``cell_text`` words what SQLite can hold (text, a number, a blob)."""
    if value is None:
        return ""
    if value.__class__ is str:
        return neutralise(value) if safe else value
    return str(value)


def _quoted(cell: str) -> str:
    """A cell as the csv module writes it with minimal quoting."""
    if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _by_the_module(
    rows: Sequence[Sequence[Any]], time_column: int, text: Collection[int], safe: bool
) -> str:
    """The rows through the csv module itself, cells worded one by one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        cells = list(row)
        when = cells[time_column] if time_column < len(cells) else None
        if when.__class__ is str:
            cells[time_column] = f"{when[:10]}T{when[11:19]}Z"
        writer.writerow(
            [_word(v, safe) if i in text else ("" if v is None else v) for i, v in enumerate(cells)]
        )
    return out.getvalue()
