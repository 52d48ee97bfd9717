"""A query whose rows become CSV text with little work: what the largest exports read
straight from SQLite's cursor and write a batch at a time (``csv_columns``), in this process
or in helper processes (``csv_parts``).

Nothing here needs SQLAlchemy: a helper process starts with ``sqlite3`` and ``csv`` alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from workbench.export.csv_columns import csv_text

if TYPE_CHECKING:
    from workbench.storage.cipher import Passphrase


@dataclass(frozen=True)
class TextQuery:
    """SQL whose rows ``csv_chunks`` writes as CSV: every column that is not text is cast to
    its type by the SQL, ``time_column`` is a time as SQLite stores it
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


def csv_chunks(
    cursor: Cursor, query: TextQuery, *, safe: bool, batch: int
) -> Iterator[tuple[int, str]]:
    """The query's rows as CSV text, ``batch`` rows at a time: (rows, their lines), each
    cell as ``safe_csv.cell_text`` words it."""
    cursor.execute(query.sql, query.params)
    text = frozenset(query.text)
    while rows := cursor.fetchmany(batch):
        yield len(rows), csv_text(rows, time_column=query.time_column, text=text, safe=safe)


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
