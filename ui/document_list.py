"""DocumentList: the filterable list of the project's documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.document_table_model import DocumentTableModel
from workbench.domain import DocumentId, DocumentInfo


class DocumentList(QWidget):
    """A filter box over a table of documents; emits the id of the selected document."""

    documentSelected = Signal(int)  # noqa: N815 - Qt signal naming
    # Del and F2 in the table: they act on documents here, not on records as elsewhere
    deleteRequested = Signal()  # noqa: N815
    renameRequested = Signal()  # noqa: N815

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = DocumentTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter documents")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Documents")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The current row (last clicked or moved to) is the document shown; the selection may
        # hold several rows for batch edits.
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def set_documents(
        self, docs: list[DocumentInfo], with_memos: set[DocumentId] | None = None
    ) -> None:
        """Show these documents, marking those with a memo."""
        self.model.set_documents(docs, with_memos or set())

    def set_counts(self, counts: Mapping[DocumentId, tuple[int, int]]) -> None:
        """Take new (suggested, accepted) counts of these documents."""
        self.model.set_counts(counts)

    def select_document(self, document_id: DocumentId) -> None:
        """Select a document's row (and so show it)."""
        row = self.model.row_of(document_id)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.selectionModel().setCurrentIndex(index, flags)
            self.table.scrollTo(index)

    def listed_document_ids(self) -> list[DocumentId]:
        """Ids of the documents the filter lets through, in display order."""
        return [
            self.model.document(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id
            for row in range(self.proxy.rowCount())
        ]

    def selected_document_ids(self) -> list[DocumentId]:
        """Ids of the selected documents."""
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.document(r).id for r in sorted(rows)]

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        """Take Del and F2 from the window's shortcuts while the table has the focus."""
        if watched is self.table and isinstance(event, QKeyEvent):
            signal = {Qt.Key.Key_Delete: self.deleteRequested,
                      Qt.Key.Key_F2: self.renameRequested}.get(Qt.Key(event.key()))  # fmt: skip
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if signal is not None and plain:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                    return True
                if event.type() == QEvent.Type.KeyPress:
                    signal.emit()
                    return True
        return super().eventFilter(watched, event)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            source = self.proxy.mapToSource(current)
            self.documentSelected.emit(self.model.document(source.row()).id)
