"""CSV: one table per file, UTF-8 (with a BOM for Excel when asked), RFC 4180 quoting,
streamed row by row."""

from __future__ import annotations

import csv
from pathlib import Path

from workbench.domain import CancelFlag, Progress
from workbench.export.model import Dataset, ExportCancelled, WriteOptions
from workbench.export.safe_csv import FORMULA_PREFIXES, cell_text

CHECK_EVERY = 5000  # rows between looks at the cancel flag and progress reports
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
            safe = options.neutralise
            for row in table.rows():
                # cell_text's work inline for the common cells (a call for each cost as much as
                # the csv module's whole write): text needs a look at its first character, and
                # the module itself writes None as "" and numbers as str() does.
                writer.writerow([
                    v if (v.__class__ is str and not (safe and v.startswith(FORMULA_PREFIXES)))
                    or v.__class__ in _AS_IS
                    else cell_text(v, safe=safe)
                    for v in row
                ])  # fmt: skip
                count += 1
                if count % CHECK_EVERY == 0:
                    if cancel is not None and cancel.is_set():
                        raise ExportCancelled
                    if progress is not None:
                        progress(count, 0, f"{count:,} rows")
        return count


WRITER = CsvWriter()
