"""What every export is made of: a selection of the project, read as named tables of rows,
passed through one transformation, handed to the writer of the chosen format.

    request → Selection → Dataset (lazy tables) → transform(Dataset) → Writer.write

The transformation is the one place every format's data passes: when the export is
redacted, the dataset carries its ``Redaction`` and the transformation applies it (every
text cell, document text and timeline item; ``services/export_redaction.py``). A writer sees
only the dataset and its options.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from workbench.domain import CancelFlag, Progress, Status

if TYPE_CHECKING:
    from workbench.export.text_query import TextQuery
    from workbench.timeline.model import TimelineItem

Cell = str | int | float | date | datetime | None
Rows = Callable[[], Iterator[Sequence[Cell]]]  # called again for each pass over the table


class TextSource(Protocol):
    """A table's rows as CSV text, read straight from the database."""

    database: Path  # the SQLite file helper processes read

    def chunks(self, safe: bool) -> Iterator[tuple[int, str]]:
        """The rows as CSV lines a batch at a time, read in this process: (rows, their text);
        ``safe``: formulas neutralised."""
        ...

    def parts(self, count: int, least: int) -> Sequence[TextQuery]:
        """``count`` queries whose rows, one after the other, are the table's rows; none
        when the table has fewer than ``least`` rows (one process is quicker)."""
        ...


@dataclass(frozen=True)
class Table:
    """One table of an export: its columns in contract order and its rows, read lazily (a
    writer streams them; memory does not grow with the rows)."""

    name: str
    columns: tuple[str, ...]
    rows: Rows
    # the first rows alone, when they can be read without the rest (a preview)
    first: Callable[[int], Iterator[Sequence[Cell]]] | None = None
    # the same rows as text, read faster than ``rows`` when the database can (see
    # ``workbench/services/export_text.py``); a transformation that changes the rows builds
    # its table with ``with_rows``, which leaves this out
    text: TextSource | None = None

    def with_rows(self, rows: Rows) -> Table:
        """The same table with other rows (a transformation's result)."""
        return Table(self.name, self.columns, rows)

    def head(self, count: int) -> list[Sequence[Cell]]:
        """The first ``count`` rows, read as cheaply as the table allows."""
        rows = self.first(count) if self.first is not None else self.rows()
        return list(itertools.islice(rows, count))


class Redaction(Protocol):
    """How a redacted export rewrites a dataset (``services/export_redaction.py``)."""

    def apply(self, data: Dataset) -> Dataset:
        """The dataset with every protected name replaced by its pseudonym."""
        ...


@dataclass(frozen=True)
class Dataset:
    """The tables of one export by name, plus what is not a table (the project's memo)."""

    tables: Mapping[str, Table]
    title: str = ""
    project_memo: str = ""
    # the selection's timeline items, for pictures (read only when a writer draws one)
    timeline_items: Callable[[], Sequence[TimelineItem]] = field(default=lambda: ())
    # set when the export is redacted; the transformation applies it (and takes it away)
    redaction: Redaction | None = None

    def table(self, name: str) -> Table:
        """The named table (a writer asks only for the tables its kind has)."""
        return self.tables[name]


Transform = Callable[[Dataset], Dataset]


def unchanged(data: Dataset) -> Dataset:
    """The transformation of an export that changes nothing."""
    return data


def redacted(data: Dataset) -> Dataset:
    """The transformation of every export: the dataset with its redaction applied, if it has
    one (a project with protected records, unless the request said not to redact)."""
    return data if data.redaction is None else data.redaction.apply(data)


@dataclass(frozen=True)
class Selection:
    """Which part of the project an export covers: all of it by default."""

    document_ids: frozenset[int] | None = None  # None: every document
    record_ids: frozenset[int] | None = None  # None: every record
    type_name: str | None = None  # one record type or code
    statuses: frozenset[Status] = frozenset({"suggested", "accepted", "rejected"})


@dataclass(frozen=True)
class WriteOptions:
    """How a writer writes."""

    neutralise: bool = True  # cells that would run as spreadsheet formulas get a "'"
    bom: bool = False  # UTF-8 with a byte order mark, for Excel
    include_text: bool = True  # documents' full text in whole-project formats


@dataclass(frozen=True)
class ExportRequest:
    """One export, as the window's dialog and the command line describe it."""

    what: str  # "records", "annotations", "timeline", "documents", "codebook", "project", …
    format: str
    output: Path
    selection: Selection = field(default_factory=Selection)
    options: WriteOptions = field(default_factory=WriteOptions)
    force: bool = False  # replace an existing file
    # protected records under their pseudonyms: None redacts when the project has any
    redact: bool | None = None


class Writer(Protocol):
    """A format: the kinds of export it writes and how."""

    format: str
    label: str  # for the window's format list
    extension: str
    kinds: tuple[str, ...]

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
        """Write the export of ``what`` to ``path`` (a new, private temporary file); return
        how many data rows (or items) it holds."""
        ...


class ExportCancelled(Exception):  # noqa: N818 - a normal outcome, not an error
    """The user stopped the export; nothing is left behind."""
