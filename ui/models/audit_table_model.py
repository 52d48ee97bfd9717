"""AuditTableModel: the audit log, newest first, fetched a page at a time as it scrolls."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from ui.models.list_table_model import Index, ListTableModel
from ui.plain import tooltip
from ui.presentation import screen_of
from workbench.domain import AuditInfo

# Reads a page: (before_id, limit, text) -> entries older than before_id, newest first.
PageReader = Callable[[int | None, int, str], list[AuditInfo]]
PAGE = 200


class AuditTableModel(ListTableModel):
    """Rows are audit entries; the view asks for more (``fetchMore``) as it scrolls down."""

    HEADERS = ("When", "Who", "What", "On", "Details")

    def __init__(self, read: PageReader, parent: Any = None) -> None:
        super().__init__(parent)
        self._read = read
        self._rows: list[AuditInfo] = []
        self._text = ""
        self._more = True

    def set_filter(self, text: str) -> None:
        """Show only entries whose annotator or action contains ``text``, from the newest."""
        self.beginResetModel()
        self._text, self._rows, self._more = text, [], True
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def entry(self, row: int) -> AuditInfo:
        """The entry shown in ``row``."""
        return self._rows[row]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or not self._more:
            return
        before = self._rows[-1].id if self._rows else None
        page = self._read(before, PAGE, self._text)
        self._more = len(page) == PAGE
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry: AuditInfo | None = self._row_at(index)
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(entry, self._shown())[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            heading = f"{entry.at:%Y-%m-%d %H:%M:%S} UTC · entry {entry.id}"
            return tooltip(f"{heading}\n{self._shown()(_details(entry))}")
        return None

    def _shown(self) -> Callable[[str], str]:
        """Details as the window's presentation mode shows them (protected names hidden)."""
        return screen_of(self).text

    @staticmethod
    def _cells(entry: AuditInfo, shown: Callable[[str], str]) -> tuple[str, str, str, str, str]:
        local = entry.at.replace(tzinfo=UTC).astimezone()
        target = entry.entity + (f" {entry.entity_id}" if entry.entity_id is not None else "")
        return (f"{local:%Y-%m-%d %H:%M}", entry.actor or "", entry.action, target,
                shown(_details(entry)))  # fmt: skip


def _details(entry: AuditInfo) -> str:
    """The entry's details on one line, unset ones left out: ``label: Kharkiv · ids: [3, 4]``."""
    return " · ".join(
        f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in entry.detail.items()
        if value is not None
    )
