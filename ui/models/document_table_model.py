"""DocumentTableModel: the project's documents as a table for the document list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt

from ui.icons import MEMO_TIP, memo_icon
from ui.models.list_table_model import Index, ListTableModel
from ui.plain import tooltip
from ui.presentation import screen_of
from workbench.domain import DocumentId, DocumentInfo


class DocumentTableModel(ListTableModel):
    """Rows are documents; columns are title, published date and review counts."""

    HEADERS = ("Title", "Published", "Sugg.", "Acc.")
    HEADER_TIPS = (
        "Document title",
        "Publication date",
        "Suggestions waiting for review",
        "Accepted annotations",
    )
    DocumentIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentInfo] = []
        self._memos: set[int] = set()

    def set_documents(self, docs: list[DocumentInfo], with_memos: set[DocumentId]) -> None:
        """Show these documents (marking those with a memo): same rows refresh in place
        (selection kept), else a reset."""
        self._memos = set(with_memos)
        if [d.id for d in docs] == [d.id for d in self._rows]:
            self._rows = list(docs)
            if docs:
                last = self.index(len(docs) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = list(docs)
        self.endResetModel()

    def set_counts(self, counts: Mapping[DocumentId, tuple[int, int]]) -> None:
        """Take new (suggested, accepted) counts of some documents, repainting their rows."""
        for row, doc in enumerate(self._rows):
            count = counts.get(doc.id)
            if count is not None and count != (doc.suggested, doc.accepted):
                self._rows[row] = replace(doc, suggested=count[0], accepted=count[1])
                self.dataChanged.emit(self.index(row, 2), self.index(row, 3))

    def document(self, row: int) -> DocumentInfo:
        """The document shown in ``row``."""
        return self._rows[row]

    def row_of(self, document_id: int) -> int | None:
        """The row of a document id, if shown."""
        return next((i for i, d in enumerate(self._rows) if d.id == document_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc: DocumentInfo | None = self._row_at(index)
        if doc is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            title = screen_of(self).text(doc.title) if column == 0 else ""  # presentation mode
            return (title, doc.published or "", doc.suggested, doc.accepted)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            memo = f"\n{MEMO_TIP}" if doc.id in self._memos else ""
            return tooltip(
                screen_of(self).text(f"{doc.title}\n{doc.original_name}")
                + f" · {doc.format.upper()} · {doc.chars:,} characters · "
                f"language {doc.language or 'unknown'}{memo}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.DocumentIdRole:
            return doc.id
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and doc.id in self._memos:
            return memo_icon()
        return None
