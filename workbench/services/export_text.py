"""Span rows read straight from SQLite's cursor as CSV text, for the largest exports.

A CSV export of a million passages spends most of its time turning cells into Python objects
and back into text. On SQLite the times are stored as ISO text already, so here the query is
run on the driver's own cursor and its SQL words the cells exactly as ``safe_csv.cell_text``
does (times re-punctuated, formulas neutralised), so no Python code runs per row. The table
can also be cut into consecutive ranges of its sort key, which helper processes write at once
(``workbench/export/csv_parts.py``). Other databases have no text fast path (``span_text``
returns None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    func,
    literal,
    literal_column,
    select,
    tuple_,
)

from workbench.export.model import Cell
from workbench.export.text_query import TextQuery, neutralised_sql, text_rows, time_sql

if TYPE_CHECKING:
    from workbench.project import Project


class SpanText:
    """The text fast path of one table of span rows (``model.TextSource``)."""

    def __init__(
        self,
        project: Project,
        query: Callable[[], Select[Any]],
        *,
        time_column: int,
        key: Sequence[ColumnElement[Any]],
        key_query: Callable[[], Select[Any]],
        batch: int,
    ) -> None:
        """``query``: the table's rows, column ``time_column`` a time read as text
        (``type_coerce(…, String)``), ordered by ``key``; ``key_query``: the key's values in
        that order, with the filters that count most, for cutting the table into parts."""
        self._project = project
        self._query = query
        self._time = time_column
        self._key = tuple(key)
        self._key_query = key_query
        self._batch = batch
        self.database: Path = project.path

    def batches(self, safe: bool) -> Iterator[Sequence[Sequence[Cell]]]:
        """The rows in batches of text cells, read in this process."""
        text_query = self._text_query(self._query(), safe)
        with self._project.session() as session:
            cursor = session.connection().connection.cursor()
            try:
                yield from text_rows(cursor, text_query, batch=self._batch)
            finally:
                cursor.close()

    def parts(self, count: int, least: int, safe: bool) -> list[TextQuery]:
        """``count`` queries whose rows, one after the other, are the table's rows (each a
        range of the sort key); none when the table has fewer than ``least`` rows, or when
        the project is encrypted (helper processes would need its passphrase)."""
        if self._project.encrypted:
            return []
        keys = self._key_query()
        with self._project.session() as session:
            # the table's rows, not the selection's: counted from an index at once, where
            # counting the selection reads every row (a split only needs to be near the middle)
            total = session.scalar(select(func.count()).select_from(self._key[0].table)) or 0
            if count < 2 or total < least:
                return []
            bounds = []
            for n in range(1, count):
                row = session.execute(keys.offset(total * n // count).limit(1)).first()
                if row is None:
                    break  # the selection holds fewer rows: fewer parts
                bounds.append(tuple(row))
        parts = []
        for low, high in zip([None, *bounds], [*bounds, None], strict=True):
            query = self._query()
            if low is not None:
                query = query.where(tuple_(*self._key) >= tuple_(*map(literal, low)))
            if high is not None:
                query = query.where(tuple_(*self._key) < tuple_(*map(literal, high)))
            parts.append(self._text_query(query, safe))
        return parts

    def _text_query(self, query: Select[Any], safe: bool) -> TextQuery:
        """The query as SQL for the driver whose rows are CSV cells: every column that is not
        text cast to its type (a crafted file's text in a number column cannot pass
        unchecked), the time re-punctuated and, when ``safe``, text neutralised."""
        columns = list(query.selected_columns)
        typed = [
            c.label(f"c{i}") if isinstance(c.type, String) else cast(c, c.type).label(f"c{i}")
            for i, c in enumerate(columns)
        ]
        inner = query.with_only_columns(*typed, maintain_column_froms=True).subquery("t")
        cells: list[ColumnElement[Any]] = []
        for i, column in enumerate(columns):
            name = f"t.c{i}"
            if i == self._time:
                cells.append(literal_column(time_sql(name)))
            elif safe and isinstance(column.type, String):
                cells.append(literal_column(neutralised_sql(name)))
            else:
                cells.append(literal_column(name))
        # SQLite flattens the subquery: its order (an index's, no sort) is the rows' order
        compiled = (
            select(*cells)
            .select_from(inner)
            .compile(
                dialect=self._project.engine.dialect,
                compile_kwargs={"render_postcompile": True},
            )
        )
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        return TextQuery(str(compiled), params)


def span_text(project: Project, **arguments: Any) -> SpanText | None:
    """A table's text fast path, where the project is a SQLite file."""
    if project.engine.dialect.name != "sqlite":
        return None
    return SpanText(project, **arguments)
