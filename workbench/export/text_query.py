"""A query whose rows become CSV text cells with little work: what the largest exports read
straight from SQLite's cursor, in this process or in helper processes (``csv_parts``).

Nothing here needs SQLAlchemy: a helper process starts with ``sqlite3`` and ``csv`` alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from workbench.export.model import Cell
from workbench.export.safe_csv import FORMULA_PREFIXES

if TYPE_CHECKING:
    from workbench.storage.cipher import Passphrase

FORMULA_START = frozenset(FORMULA_PREFIXES)


@dataclass(frozen=True)
class TextQuery:
    """SQL whose cells are CSV text once ``text_rows`` has seen them: every column that is
    not text is cast to its type by the SQL, ``time_column`` is a time as SQLite stores it
    ("YYYY-MM-DD HH:MM:SS.ffffff"), and ``text`` are the positions of the text columns."""

    sql: str
    params: tuple[Any, ...]
    time_column: int
    text: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {"sql": self.sql, "params": list(self.params), "time_column": self.time_column,
                "text": list(self.text)}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextQuery:
        return cls(str(data["sql"]), tuple(data["params"]), int(data["time_column"]),
                   tuple(int(i) for i in data["text"]))  # fmt: skip


class Cursor(Protocol):
    """What ``text_rows`` needs of a DB-API cursor."""

    def execute(self, sql: str, parameters: Sequence[Any], /) -> object: ...

    def fetchmany(self, size: int, /) -> Sequence[Sequence[Any]]: ...


def text_rows(
    cursor: Cursor, query: TextQuery, *, safe: bool, batch: int
) -> Iterator[list[list[Cell]]]:
    """The query's rows in batches, each cell as ``safe_csv.cell_text`` words it."""
    cursor.execute(query.sql, query.params)
    while rows := cursor.fetchmany(batch):
        yield [_cells(row, query.time_column, query.text, safe) for row in rows]


def open_read_only(database: Path, key: Passphrase | None = None) -> sqlite3.Connection:
    """A connection that can only read the project file (schema code never runs); ``key``:
    the file is encrypted with it (keyed before anything else is sent)."""
    uri = f"file:{quote(str(database))}?mode=ro"
    if key is None:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        from workbench.storage.cipher import connect  # noqa: PLC0415 - plain helpers skip it

        connection = connect(uri, key, uri=True, check_same_thread=False)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


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
