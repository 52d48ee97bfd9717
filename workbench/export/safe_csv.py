"""Writing CSV safely: RFC 4180 quoting, formula neutralisation, atomic replacement."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | datetime | None


def neutralise(value: str) -> str:
    """Defuse text a spreadsheet would run as a formula by prefixing an apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def cell_text(value: Cell, *, safe: bool) -> str:
    """A cell as text: ISO 8601 UTC for times, empty for None, neutralised strings."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str):
        return neutralise(value) if safe else value
    return str(value)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    safe: bool = True,
) -> int:
    """Write header and rows to ``path`` atomically; return the number of data rows."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header)
            for row in rows:
                writer.writerow([cell_text(v, safe=safe) for v in row])
                count += 1
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
