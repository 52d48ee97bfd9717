"""AgreementTableModel: the rows of an agreement report, plain text, sortable by value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from ui.models.list_table_model import Index, ListTableModel
from ui.plain import tooltip
from ui.presentation import screen_of
from workbench.agreement.figure import Figure
from workbench.agreement.report import ALL_CODES, Report, Row

SORT_ROLE = Qt.ItemDataRole.UserRole
MISSING = float("-inf")  # n/a sorts below every figure
FIGURES = (5, 6, 7)  # the columns of agreement, kappa and αu


class AgreementTableModel(ListTableModel):
    """One row per code (or all codes), document (or the corpus) and set of annotators."""

    HEADERS = ("Scope", "Document", "Code", "Annotators", "Code points", "Agreement %",
               "Cohen's κ", "αu", "Note")  # fmt: skip
    HEADER_TIPS = (
        "The corpus (every document compared) or one document",
        "The document's title",
        "The code or record type, or all codes together",
        "The annotators compared",
        "Units: the code points of the text, once for each code",
        "Share of units every annotator marks alike (marked, or not marked)",
        "Cohen's kappa: agreement beyond what chance would give (two annotators)",
        "Krippendorff's unitized alpha: how well the passages themselves match, beyond chance",
        "Why a figure is missing",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_report(self, report: Report | None) -> None:
        """Show ``report``'s rows (none for None)."""
        self.beginResetModel()
        self._rows = list(report.rows) if report is not None else []
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: Row | None = self._row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            reason = self._figure(row, column).reason if column in FIGURES else ""
            if column == 8:
                reason = row.note
            return tooltip(reason) if reason else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, *FIGURES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def index_of_row(self, row: int) -> QModelIndex:
        """The index of a row's first cell."""
        return self.index(row, 0)

    def _text(self, row: Row, column: int) -> str:
        if column in FIGURES:
            figure = self._figure(row, column)
            if figure.value is None:
                return "n/a"
            return f"{figure.value:.1f}" if column == 5 else f"{figure.value:.3f}"
        return (
            "Corpus" if row.document_id is None else f"Document {row.document_id}",
            screen_of(self).text(row.document_title),  # presentation mode hides names
            row.code or ALL_CODES,
            " + ".join(row.annotators),
            f"{row.code_points:,}",
        )[column] if column < 5 else row.note  # fmt: skip

    def _key(self, row: Row, column: int) -> Any:
        if column in FIGURES:
            value = self._figure(row, column).value
            return MISSING if value is None else value
        if column == 0:
            return -1 if row.document_id is None else row.document_id
        if column == 4:
            return row.code_points
        return self._text(row, column).casefold()

    @staticmethod
    def _figure(row: Row, column: int) -> Figure:
        return (row.agreement, row.kappa, row.alpha_u)[column - 5]
