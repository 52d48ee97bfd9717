"""Span rows read straight from SQLite's cursor as CSV text, for the largest exports.

A CSV export of a million passages spends most of its time turning cells into Python objects
and back into text. On SQLite the times are stored as ISO text already, so here the query is
run on the driver's own cursor (no result rows to build), times are only re-punctuated, and
cells are looked at only for formulas; the cells come out exactly as ``safe_csv.cell_text``
gives them. Other databases have no text fast path (``span_text_batches`` returns None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Select, String, cast
from sqlalchemy.orm import Session

from workbench.export.model import Cell, TextBatches
from workbench.export.safe_csv import FORMULA_PREFIXES

FORMULA_START = frozenset(FORMULA_PREFIXES)


def span_text_batches(
    session: Callable[[], AbstractContextManager[Session]],
    query: Callable[[], Select[Any]],
    *,
    time_column: int,
    dialect: str,
    batch: int,
) -> TextBatches | None:
    """A table's ``text_batches`` for a query whose column ``time_column`` is a time read as
    text (``type_coerce(…, String)``); None where the database is not SQLite."""
    if dialect != "sqlite":
        return None

    def batches(safe: bool) -> Iterator[Sequence[Sequence[Cell]]]:
        with session() as open_session:
            connection = open_session.connection()
            typed, text = _typed(query())
            compiled = typed.compile(
                dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
            )
            params = [compiled.params[name] for name in compiled.positiontup or ()]
            cursor = connection.connection.cursor()
            try:
                cursor.execute(str(compiled), params)
                while rows := cursor.fetchmany(batch):
                    yield [_cells(row, time_column, text, safe) for row in rows]
            finally:
                cursor.close()

    return batches


def _typed(query: Select[Any]) -> tuple[Select[Any], tuple[int, ...]]:
    """The query with every column that is not text cast to its type (a crafted file's text
    in a number column cannot pass unchecked), and the positions of the text columns."""
    columns = list(query.selected_columns)
    text = tuple(i for i, column in enumerate(columns) if isinstance(column.type, String))
    typed = [c if i in text else cast(c, c.type) for i, c in enumerate(columns)]
    return query.with_only_columns(*typed, maintain_column_froms=True), text


def _cells(row: Sequence[Cell], time_column: int, text: Sequence[int], safe: bool) -> list[Cell]:
    """One row's cells as ``cell_text`` words them: "YYYY-MM-DDTHH:MM:SSZ" for the stored
    "YYYY-MM-DD HH:MM:SS.ffffff", and an apostrophe before text a spreadsheet would run."""
    cells = list(row)
    when = cells[time_column]
    if isinstance(when, str):
        cells[time_column] = f"{when[:10]}T{when[11:19]}Z"
    if safe:
        for index in text:
            value = cells[index]
            if value and value[0] in FORMULA_START:  # type: ignore[index]
                cells[index] = "'" + value  # type: ignore[operator]
    return cells
