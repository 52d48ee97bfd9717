"""SearchPanel: find a phrase across every document; open a hit, or annotate all hits at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.plain import tooltip
from workbench.domain import CancelFlag, Passage, Progress
from workbench.services.search import SearchHit

if TYPE_CHECKING:
    from ui.host import PassageHost


class SearchPanel(QWidget):
    """Corpus-wide phrase search over the FTS5 index, run off the UI thread."""

    def __init__(self, host: PassageHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.hits: list[SearchHit] = []
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Search all documents (Enter)")
        self.field.setAccessibleName("Search all documents")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search)
        self.code = QComboBox(self)
        self.code.setAccessibleName("Annotate all hits as")
        for code in host.project.codebook.list():  # the core, not the window
            self.code.addItem(code.label, code.name)
        self.annotate_all = QPushButton("Annotate all hits", self)
        self.annotate_all.setToolTip(
            "Annotate every hit with the chosen type, as one undoable step"
        )
        self.annotate_all.clicked.connect(self.annotate_hits)
        self.annotate_all.setEnabled(False)
        self.count = QLabel(self)
        self.results = QTreeWidget(self)
        self.results.setAccessibleName("Search results")
        self.results.setHeaderLabels(["Document", "Passage"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        top = QHBoxLayout()
        for widget in (self.field, self.count, QLabel("as", self), self.code, self.annotate_all):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.results)

    def search(self) -> None:
        """Look the phrase up in the background; the list fills when it is done."""
        query = self.field.text()
        search = self._host.project.search

        def work(_progress: Progress, _cancel: CancelFlag) -> list[SearchHit]:
            return search.find(query)

        self._host.background.start(
            "Searching", work, self._show, self._host.show_error, show_progress=False
        )

    def _show(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        self.results.clear()
        items = []
        for index, hit in enumerate(hits):
            passage = f"…{_line(hit.before)}[{_line(hit.match)}]{_line(hit.after)}…"
            item = QTreeWidgetItem([hit.title, passage])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setToolTip(0, tooltip(hit.title))
            item.setToolTip(1, tooltip(passage))
            items.append(item)
        self.results.addTopLevelItems(items)
        self.results.resizeColumnToContents(0)
        self.count.setText(f"{len(hits)} hit(s)")
        self.annotate_all.setEnabled(bool(hits))

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = self.hits[int(item.data(0, Qt.ItemDataRole.UserRole))]
        self._host.show_passage(hit.document_id, hit.start, hit.end)

    def annotate_hits(self) -> None:
        """Annotate every hit with the chosen type or code, as one undoable step."""
        name = self.code.currentData()
        passages = [Passage(h.document_id, h.start, h.end) for h in self.hits]
        review = self._host.project.review
        self._host.run_step(
            f"Annotate {len(passages)} hits as {self.code.currentText()}",
            lambda: review.annotate_many(passages, name),
        )


def _line(text: Any) -> str:
    return " ".join(str(text).split())
