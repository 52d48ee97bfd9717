"""ListTableModel: a flat table over a Python list, with fixed headers and their tooltips."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def header_data(
    headers: tuple[str, ...],
    tips: tuple[str, ...],
    section: int,
    orientation: Qt.Orientation,
    role: int,
) -> str | None:
    """A horizontal header's title (display role) or its tip (tooltip role, if there are tips)."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(headers):
        return None
    if role == _DISPLAY:
        return headers[section]
    return tips[section] if role == _TOOLTIP and section < len(tips) else None


class ListTableModel(QAbstractTableModel):
    """One row per item of ``_rows``, one column per header; subclasses supply ``data``."""

    HEADERS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        return header_data(self.HEADERS, self.HEADER_TIPS, section, orientation, role)

    def _row_at(self, index: Index) -> Any:
        """The item of a valid index's row, or None."""
        valid = index.isValid() and 0 <= index.row() < len(self._rows)
        return self._rows[index.row()] if valid else None
