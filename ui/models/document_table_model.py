"""DocumentTableModel: the project's documents as a table for the document list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.domain import DocumentInfo

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
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
        self._docs: list[DocumentInfo] = []

    def set_documents(self, docs: list[DocumentInfo]) -> None:
        """Show these documents: same rows refresh in place (selection kept), else a reset."""
        if [d.id for d in docs] == [d.id for d in self._docs]:
            self._docs = list(docs)
            if docs:
                last = self.index(len(docs) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._docs = list(docs)
        self.endResetModel()

    def document(self, row: int) -> DocumentInfo:
        """The document shown in ``row``."""
        return self._docs[row]

    def row_of(self, document_id: int) -> int | None:
        """The row of a document id, if shown."""
        return next((i for i, d in enumerate(self._docs) if d.id == document_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.title, doc.published or "", doc.suggested, doc.accepted)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{doc.title}\n{doc.original_name} · {doc.format.upper()} · "
                f"{doc.chars:,} characters · language {doc.language or 'unknown'}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.DocumentIdRole:
            return doc.id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS[section]
        return None
