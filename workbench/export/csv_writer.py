"""CSV: one table per file, UTF-8 (with a BOM for Excel when asked), RFC 4180 quoting,
streamed row by row."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from workbench.domain import CancelFlag, Progress
from workbench.export.csv_parts import cores, write_in_parts
from workbench.export.model import Cell, Dataset, ExportCancelled, WriteOptions
from workbench.export.safe_csv import FORMULA_PREFIXES, cell_text

CHECK_EVERY = 5000  # rows between progress reports
BATCH = 1000  # rows written at once, between looks at the cancel flag
PARALLEL_FROM = 200_000  # rows from which helper processes share the work (when cores allow)
PROCESSES: int | None = None  # processes that share a large table; None: one per core
_AS_IS = frozenset({int, float, type(None)})  # cells the csv module writes as cell_text does


class CsvWriter:
    """One table of the dataset as CSV."""

    format = "csv"
    label = "CSV (spreadsheets, R, pandas)"
    extension = ".csv"
    kinds = ("records", "annotations", "timeline", "documents", "codebook")

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
        """Write the table named ``what``; returns its number of data rows."""
        table = data.table(what)
        count = 0
        encoding = "utf-8-sig" if options.bom else "utf-8"
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(table.columns)
            source = table.text
            processes = PROCESSES or cores()
            parts = source.parts(processes, PARALLEL_FROM) if source is not None else ()
            if len(parts) > 1:
                assert source is not None
                return write_in_parts(fh, source.database, parts, safe=options.neutralise,
                                      progress=progress, cancel=cancel)  # fmt: skip
            chunks = (
                source.chunks(options.neutralise)
                if source is not None
                else map(_lines, _text_batches(table.rows(), options.neutralise))
            )
            for rows, text in chunks:
                fh.write(text)
                count += rows
                if cancel is not None and cancel.is_set():
                    raise ExportCancelled
                if progress is not None and count % CHECK_EVERY < rows:
                    progress(count, 0, f"{count:,} rows")
        return count


def _lines(batch: list[list[Cell]]) -> tuple[int, str]:
    """A batch of worded rows as CSV text: (rows, their lines)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(batch)
    return len(batch), out.getvalue()


def _text_batches(rows: Iterable[Sequence[Cell]], safe: bool) -> Iterator[list[list[Cell]]]:
    """Rows in batches of cells as ``cell_text`` words them (its work inline for the common
    cells: a call for each cost as much as the csv module's whole write; the module itself
    writes None as "" and numbers as str() does)."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, BATCH)):
        yield [
            [
                v if (v.__class__ is str and not (safe and v.startswith(FORMULA_PREFIXES)))
                or v.__class__ in _AS_IS
                else cell_text(v, safe=safe)
                for v in row
            ]
            for row in batch
        ]  # fmt: skip


WRITER = CsvWriter()
