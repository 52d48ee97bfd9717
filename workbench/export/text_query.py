"""A query whose rows are CSV text cells as SQLite returns them: what the largest exports read
straight from SQLite's cursor, in this process or in helper processes (``csv_parts``).

The SQL itself words each cell as ``safe_csv.cell_text`` does (a time as
"YYYY-MM-DDTHH:MM:SSZ", an apostrophe before text a spreadsheet would run), so the cursor's
rows go to the csv module untouched: no Python code runs per row or per cell.
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

_FORMULA_STARTS = ", ".join(
    "''" if p == "\x00" else f"char({ord(p)})" for p in FORMULA_PREFIXES
)  # SQLite's substr() ends a text at NUL: the first character of "\x00…" reads as ''


def neutralised_sql(column: str) -> str:
    """SQL giving ``column`` as ``safe_csv.neutralise`` words it: text starting with a formula
    character gets an apostrophe before it; numbers, blobs and NULL are left as they are."""
    return (
        f"CASE WHEN typeof({column}) = 'text' AND {column} <> '' "
        f"AND substr({column}, 1, 1) IN ({_FORMULA_STARTS}) "
        f"THEN '''' || {column} ELSE {column} END"
    )


def time_sql(column: str) -> str:
    """SQL giving a time stored as "YYYY-MM-DD HH:MM:SS.ffffff" as "YYYY-MM-DDTHH:MM:SSZ"."""
    return (
        f"CASE WHEN typeof({column}) = 'text' "
        f"THEN substr({column}, 1, 10) || 'T' || substr({column}, 12, 8) || 'Z' "
        f"ELSE {column} END"
    )


@dataclass(frozen=True)
class TextQuery:
    """SQL whose rows are CSV text cells as they come from the cursor (see the module)."""

    sql: str
    params: tuple[Any, ...]

    def to_json(self) -> dict[str, Any]:
        return {"sql": self.sql, "params": list(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextQuery:
        return cls(str(data["sql"]), tuple(data["params"]))


class Cursor(Protocol):
    """What ``text_rows`` needs of a DB-API cursor."""

    def execute(self, sql: str, parameters: Sequence[Any], /) -> object: ...

    def fetchmany(self, size: int, /) -> Sequence[Sequence[Any]]: ...


def text_rows(
    cursor: Cursor, query: TextQuery, *, batch: int
) -> Iterator[Sequence[Sequence[Cell]]]:
    """The query's rows in batches, each cell as ``safe_csv.cell_text`` words it."""
    cursor.execute(query.sql, query.params)
    while rows := cursor.fetchmany(batch):
        yield rows


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
