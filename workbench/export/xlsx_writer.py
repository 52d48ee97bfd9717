"""XLSX: each table a sheet, streamed row by row (xlsxwriter's constant-memory mode), with
a frozen header, an autofilter, real date cells and text that never becomes a formula.

The whole project adds the documents' text, each cut into pieces that fit a cell and join
back into the stored text exactly (sheet Text), and the project's title and memo (sheet
Project)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.exceptions import FileCreateError  # type: ignore[import-untyped]

from workbench.domain import CancelFlag, Progress
from workbench.export.model import Cell, Dataset, ExportCancelled, Rows, Table, WriteOptions
from workbench.export.safe_csv import cell_text, neutralise

CHECK_EVERY = 5000  # rows between looks at the cancel flag and progress reports
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CHARS = 32_767  # Excel's characters per cell, counted in UTF-16 units
SHEETS = {"documents": "Documents", "records": "Records", "annotations": "Annotations",
          "timeline": "Timeline", "codebook": "Codebook"}  # fmt: skip
TEXT_COLUMNS = ("document_id", "part", "start", "text")  # start: code points into the text
PROJECT_COLUMNS = ("title", "exported_at", "includes_text", "memo")
EXACT = frozenset({"text"})  # tables whose text is never neutralised: it must join back exactly
DATE_COLUMNS = frozenset({"date_earliest", "date_latest", "published"})  # ISO days as text
WIDTH_SAMPLE = 100  # rows read ahead to size the columns
MAX_WIDTH = 60
FIRST_DAY = date(1900, 1, 1)  # Excel's first date; earlier days stay ISO text
# C0 controls other than tab, LF and CR, and the two non-characters: Excel has no cell text
# for them (xlsxwriter would write _xHHHH_ escapes that most other readers show as such).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
Value = str | int | float | date  # a cell that is not empty
_BOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class XlsxWriter:
    """One table as a sheet, or every table of the project as its own sheet."""

    format = "xlsx"
    label = "Excel workbook (.xlsx)"
    extension = ".xlsx"
    kinds = (*SHEETS, "project")

    def __init__(self, rows_per_sheet: int = MAX_ROWS) -> None:
        self.rows_per_sheet = rows_per_sheet  # beyond it a table goes on in "Records (2)"…

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
        """Write the sheet of ``what`` (every sheet of ``project_sheets`` for "project");
        returns the number of data rows written."""
        if what == "project":
            chosen = project_sheets(data, options)
        else:
            chosen = [(data.table(what), SHEETS[what])]
        book_options = {**_BOOK_OPTIONS, "tmpdir": str(path.parent)}
        try:
            with xlsxwriter.Workbook(str(path), book_options) as book:
                sheets = _Sheets(book, options, self.rows_per_sheet)
                for table, title in chosen:
                    sheets.write(table, title, progress, cancel)
        except FileCreateError as exc:  # xlsxwriter's wrapping of the OSError (a full disk)
            cause = exc.args[0] if exc.args else None
            raise cause if isinstance(cause, OSError) else OSError(str(exc)) from exc
        return sheets.count


def project_sheets(data: Dataset, options: WriteOptions) -> list[tuple[Table, str]]:
    """The tables of ``export project`` and their sheets' titles, in order: the project,
    the documents and their text (unless left out), records, annotations, timeline and
    codebook."""
    exported_at = datetime.now(UTC).replace(tzinfo=None)
    about = (data.title, exported_at, "yes" if options.include_text else "no", data.project_memo)
    chosen = [(Table("project", PROJECT_COLUMNS, lambda: iter([about])), "Project")]
    for name, title in SHEETS.items():
        chosen.append((data.table(name), title))
        if name == "documents" and options.include_text:
            chosen.append((_text_table(data.table("texts").rows), "Text"))
    return chosen


def _text_table(texts: Rows) -> Table:
    """Each document's text as rows of pieces that fit a cell: never neutralised (the
    pieces must join back into the text), written as text like any other cell."""

    def rows() -> Iterator[Sequence[Cell]]:
        for document_id, text in texts():
            for part, (start, piece) in enumerate(text_pieces(str(text or "")), start=1):
                yield (document_id, part, start, piece)

    return Table("text", TEXT_COLUMNS, rows)


def text_pieces(text: str, limit: int = MAX_CHARS) -> Iterator[tuple[int, str]]:
    """``text`` as (start, piece) in order, each piece at most ``limit`` UTF-16 units (what
    Excel counts), ending after a line break where one falls in its second half; start is
    in code points. An empty text is one empty piece."""
    start = 0
    while True:
        piece = text[start : start + limit]
        while len(piece) > 1 and (excess := _utf16_len(piece) - limit) > 0:
            piece = piece[: len(piece) - (excess + 1) // 2]  # a character is 1 or 2 units
        if start + len(piece) < len(text):
            line_end = piece.rfind("\n") + 1
            if line_end > len(piece) // 2:
                piece = piece[:line_end]
        yield start, piece
        start += len(piece)
        if start >= len(text):
            return


class _Sheets:
    """The sheets of one workbook, written one after another, and the rows written so far."""

    def __init__(self, book: Any, options: WriteOptions, rows_per_sheet: int) -> None:
        self._book = book
        self._safe = options.neutralise
        self._rows_per_sheet = rows_per_sheet
        self._header = book.add_format({"bold": True})
        self._day = book.add_format({"num_format": "yyyy-mm-dd"})
        self._time = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.count = 0

    def write(
        self, table: Table, title: str, progress: Progress | None, cancel: CancelFlag | None
    ) -> None:
        """Write a table's rows, on as many sheets as Excel's row limit needs."""
        rows: Iterator[Sequence[Cell]] = iter(table.rows())
        sample = list(islice(rows, WIDTH_SAMPLE))
        widths = [self._width(table.columns, sample, i) for i in range(len(table.columns))]
        safe = self._safe and table.name not in EXACT
        writers = [self._cell_writer(c in DATE_COLUMNS, safe) for c in table.columns]
        sheet, part, row = None, 0, self._rows_per_sheet
        for values in chain(sample, rows):
            if row == self._rows_per_sheet:
                part += 1
                self._close(sheet, row, len(table.columns))
                sheet = self._sheet(title if part == 1 else f"{title} ({part})", table, widths)
                row = 1
            for col, value in enumerate(values):
                if value is not None:
                    writers[col](sheet, row, col, value)
            row += 1
            self.count += 1
            if self.count % CHECK_EVERY == 0:
                _checkpoint(self.count, progress, cancel)
        if sheet is None:  # no rows: the header alone
            sheet, row = self._sheet(title, table, widths), 1
        self._close(sheet, row, len(table.columns))

    def _sheet(self, title: str, table: Table, widths: Sequence[float]) -> Any:
        """A new sheet with the table's header, frozen, and its columns' widths."""
        sheet = self._book.add_worksheet(title)
        for col, (name, width) in enumerate(zip(table.columns, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, name, self._header)
        sheet.freeze_panes(1, 0)
        return sheet

    @staticmethod
    def _close(sheet: Any, rows: int, columns: int) -> None:
        """Put the autofilter over the header and the rows written to ``sheet``."""
        if sheet is not None:
            sheet.autofilter(0, 0, rows - 1, columns - 1)

    def _width(self, columns: Sequence[str], sample: Sequence[Sequence[Cell]], col: int) -> float:
        """A column's width from its header and the longest line of its sampled cells."""
        longest = len(columns[col])
        for values in sample:
            value = values[col]
            if isinstance(value, datetime):
                longest = max(longest, 19)
            elif value is not None:
                text = cell_text(value, safe=self._safe)
                longest = max(longest, *(len(line) for line in text.split("\n")))
        return min(longest + 2, MAX_WIDTH)

    def _cell_writer(self, dates: bool, safe: bool) -> Callable[[Any, int, int, Value], None]:
        """How a column's values are written: ``dates`` says its ISO days become dates,
        ``safe`` that its text is neutralised."""

        def write(sheet: Any, row: int, col: int, value: Value) -> None:
            if isinstance(value, str):
                day = _iso_day(value) if dates else None
                if day is None:
                    self._text(sheet, row, col, value, safe=safe)
                else:
                    sheet.write_datetime(row, col, day, self._day)
            elif isinstance(value, datetime):
                self._datetime(sheet, row, col, value)
            elif isinstance(value, date):
                if value >= FIRST_DAY:
                    sheet.write_datetime(row, col, value, self._day)
                else:
                    self._text(sheet, row, col, value.isoformat(), safe=safe)
            elif math.isfinite(value):
                sheet.write_number(row, col, value)
            else:
                self._text(sheet, row, col, str(value), safe=safe)

        return write

    def _datetime(self, sheet: Any, row: int, col: int, value: datetime) -> None:
        """A moment as a date-and-time cell in UTC, to the second like the CSV."""
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        if value.date() >= FIRST_DAY:
            sheet.write_datetime(row, col, value.replace(microsecond=0), self._time)
        else:
            self._text(sheet, row, col, cell_text(value, safe=False))

    def _text(self, sheet: Any, row: int, col: int, value: str, *, safe: bool = False) -> None:
        """Text as text, whatever it holds: neutralised if ``safe``, cut to Excel's limit."""
        text = _fit(_UNWRITABLE.sub("\ufffd", neutralise(value) if safe else value))
        if text.startswith("<r>") and text.endswith("</r>"):
            # xlsxwriter copies such a string into the sheet as raw XML (its rich-text
            # form): as three plain runs it is escaped like any other text.
            sheet.write_rich_string(row, col, text[:1], text[1:2], text[2:])
        else:
            sheet.write_string(row, col, text)


def _iso_day(value: str) -> date | None:
    """The day an ISO ``YYYY-MM-DD`` string names, if it is one Excel can show."""
    if not _ISO_DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if day >= FIRST_DAY else None


def _utf16_len(text: str) -> int:
    """How long Excel counts ``text``: in UTF-16 units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fit(text: str) -> str:
    """``text`` cut to Excel's cell limit with a visible note of how much was left out."""
    if len(text) <= MAX_CHARS // 2 or _utf16_len(text) <= MAX_CHARS:
        return text
    keep = MAX_CHARS
    while True:
        note = f"… [cut: {len(text) - keep} more characters]"
        excess = _utf16_len(text[:keep]) + len(note) - MAX_CHARS
        if excess <= 0:
            return text[:keep] + note
        keep -= excess


def _checkpoint(count: int, progress: Progress | None, cancel: CancelFlag | None) -> None:
    """Stop if the user cancelled; else say how far the export is."""
    if cancel is not None and cancel.is_set():
        raise ExportCancelled
    if progress is not None:
        progress(count, 0, f"{count:,} rows")


WRITER = XlsxWriter()
