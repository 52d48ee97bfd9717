"""Span rows read straight from SQLite's cursor as CSV text, for the largest exports.

A CSV export of a million passages spends most of its time turning cells into Python objects
and back into text. On SQLite the times are stored as ISO text already, so here the query is
run on the driver's own cursor (no result rows to build) and each batch of rows is written a
column at a time (``workbench/export/csv_columns.py``); the cells come out exactly as
``safe_csv.cell_text`` gives them, the bytes as the csv module writes them. The table can
also be cut into consecutive ranges of its sort key, which helper processes write at once
(``workbench/export/csv_parts.py``). Other databases have no text fast path (``span_text``
returns None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, String, cast, func, literal, select, tuple_

from workbench.export.text_query import TextQuery, csv_chunks

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

    def chunks(self, safe: bool) -> Iterator[tuple[int, str]]:
        """The rows as CSV text a batch at a time, read in this process: (rows, text)."""
        text_query = self._text_query(self._query())
        with self._project.session() as session:
            cursor = session.connection().connection.cursor()
            try:
                yield from csv_chunks(cursor, text_query, safe=safe, batch=self._batch)
            finally:
                cursor.close()

    def parts(self, count: int, least: int) -> list[TextQuery]:
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
            parts.append(self._text_query(query))
        return parts

    def _text_query(self, query: Select[Any]) -> TextQuery:
        """The query as SQL for the driver, every column that is not text cast to its type
        (a crafted file's text in a number column cannot pass unchecked)."""
        columns = list(query.selected_columns)
        text = tuple(i for i, column in enumerate(columns) if isinstance(column.type, String))
        typed = [c if i in text else cast(c, c.type) for i, c in enumerate(columns)]
        compiled = query.with_only_columns(*typed, maintain_column_froms=True).compile(
            dialect=self._project.engine.dialect, compile_kwargs={"render_postcompile": True}
        )
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        return TextQuery(str(compiled), params, self._time, text)


def span_text(project: Project, **arguments: Any) -> SpanText | None:
    """A table's text fast path, where the project is a SQLite file."""
    if project.engine.dialect.name != "sqlite":
        return None
    return SpanText(project, **arguments)
