"""MergeProposals: pairs of records that look like one name spelled two ways; merge or skip."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from workbench.services.records import MergeCandidate

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class MergeProposals(QDialog):
    """Extraction's alias proposals across documents; merging stays the user's decision."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Merge proposals")
        self.resize(720, 420)
        self._window = window
        self.candidates: list[MergeCandidate] = []
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Merge proposals")
        self.table.setHeaderLabels(["Keep", "Merge into it", "Type", "Score"])
        self.table.setRootIsDecorated(False)
        self.table.itemActivated.connect(lambda _item, _col: self.merge_selected())
        self.merge = QPushButton("&Merge selected pair", self)
        self.merge.clicked.connect(self.merge_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Spelling and transliteration variants (Zhilyaev / Zhylyaev):"))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Ask the core for the current proposals."""
        self.candidates = self._window.project.records.merge_candidates()
        self.table.clear()
        for index, c in enumerate(self.candidates):
            item = QTreeWidgetItem([c.first.label, c.second.label, c.first.type, f"{c.score:.0f}"])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.table.addTopLevelItem(item)
        for column in range(4):
            self.table.resizeColumnToContents(column)
        self.merge.setEnabled(bool(self.candidates))

    def merge_selected(self) -> None:
        """Merge the second record of the selected pair into the first (undoable)."""
        item = self.table.currentItem()
        if item is None:
            return
        pair = self.candidates[int(item.data(0, Qt.ItemDataRole.UserRole))]
        review = self._window.project.review
        self._window.run_step(
            f"Merge {pair.second.label} into {pair.first.label}",
            lambda: review.merge(pair.first.id, [pair.second.id]),
        )
        self.reload()
