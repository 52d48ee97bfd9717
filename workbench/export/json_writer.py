"""JSON: a table as an array of objects (one per row, keyed by the table's columns), or the
whole project as one object that ``import-project`` reads back (``docs/project.schema.json``).

Streamed: each row or item is one ``json.dumps`` written straight to the file, so memory does
not grow with the project. Always UTF-8 without a byte order mark (RFC 8259). Formula
neutralisation does not apply: JSON is read by programs, not spreadsheets, and a label
``=cmd|' /C calc'!A0`` is written exactly as it is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from workbench.domain import CancelFlag, Progress
from workbench.export.model import Cell, Dataset, ExportCancelled, WriteOptions

FORMAT = "testimony-workbench"
VERSION = 1
CHECK_EVERY = 5000  # rows between looks at the cancel flag and progress reports
# The project file's sections in file order (what an item refers to comes before it), each
# read from the dataset's table "project.<section>", with its columns that hold JSON text
# (written as the JSON value they hold, not as a string).
SECTIONS: dict[str, frozenset[str]] = {
    "codebook": frozenset({"fields"}),
    "documents": frozenset({"extra"}),
    "annotations": frozenset(),
    "records": frozenset({"fields"}),
    "evidence": frozenset(),
    "links": frozenset(),
    "suppressions": frozenset(),
    "memos": frozenset(),
    "history": frozenset({"detail"}),
}


def cell_json(value: Cell) -> str | int | float | None:
    """A cell as a JSON value: dates as ISO text, times as ISO 8601 UTC with ``Z``."""
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dumps(value: object) -> str:
    """One JSON value on one line; NaN and infinity are refused (they are not JSON)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _item(columns: Sequence[str], row: Sequence[Cell], raw: frozenset[str]) -> str:
    """A row as a JSON object; the columns in ``raw`` hold JSON text, written as is."""
    parts = []
    for name, value in zip(columns, row, strict=True):
        text = value if name in raw and isinstance(value, str) else _dumps(cell_json(value))
        parts.append(f"{_dumps(name)}: {text}")
    return "{" + ", ".join(parts) + "}"


class JsonWriter:
    """Tables as arrays of objects; the project as one object of sections."""

    format = "json"
    label = "JSON (programs; the whole project for import-project)"
    extension = ".json"
    kinds = ("records", "annotations", "timeline", "documents", "codebook", "project")

    def write(
        self,
        data: Dataset,
        what: str,
        path: Path,
        *,
        options: WriteOptions,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> int:
        """Write the table named ``what``, or the whole project; returns the rows (items)."""
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            if what == "project":
                return _write_project(fh, data, options, progress, cancel)
            table = data.table(what)
            fh.write("[")
            count = _write_items(fh, what, table.columns, table.rows(), frozenset(),
                                 progress=progress, cancel=cancel)  # fmt: skip
            fh.write("\n]\n")
        return count


def _write_project(
    fh: IO[str],
    data: Dataset,
    options: WriteOptions,
    progress: Progress | None,
    cancel: CancelFlag | None,
) -> int:
    """The project object: a header, then each section as an array, one item a line."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).replace(tzinfo=None).isoformat() + "Z",
        "includes_text": options.include_text,
        "project": {"title": data.title},
    }
    fh.write("{\n" + ",\n".join(f"{_dumps(k)}: {_dumps(v)}" for k, v in header.items()))
    count = 0
    for section, raw in SECTIONS.items():
        table = data.table(f"project.{section}")
        columns, rows, every = table.columns, table.rows(), CHECK_EVERY
        if section == "documents":  # one at a time: a text can be long
            keep = [i for i, name in enumerate(columns) if options.include_text or name != "text"]
            columns = tuple(columns[i] for i in keep)
            rows = (tuple(row[i] for i in keep) for row in rows)
            every = 1
        fh.write(f",\n{_dumps(section)}: [")
        count += _write_items(fh, section, columns, rows, raw, progress=progress, cancel=cancel,
                              every=every)  # fmt: skip
        fh.write("\n]")
    fh.write("\n}\n")
    return count


def _write_items(
    fh: IO[str],
    name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    raw: frozenset[str],
    *,
    progress: Progress | None,
    cancel: CancelFlag | None,
    every: int = CHECK_EVERY,
) -> int:
    """The items of an array (after its ``[``), one a line; Cancel is looked at before and
    progress reported after every ``every`` rows."""
    count = 0
    for row in rows:
        if count % every == 0 and cancel is not None and cancel.is_set():
            raise ExportCancelled
        fh.write(("\n" if count == 0 else ",\n") + _item(columns, row, raw))
        count += 1
        if count % every == 0 and progress is not None:
            progress(count, 0, f"{count:,} {name}")
    return count


WRITER = JsonWriter()
