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
    QWidget,
)

from ui.plain import plain_label
from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, Progress
from workbench.services.records import MergeCandidate

if TYPE_CHECKING:
    from ui.host import StepHost


class MergeProposals(QDialog):
    """Extraction's alias proposals across documents; merging stays the user's decision."""

    def __init__(self, host: StepHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge proposals")
        self.resize(720, 420)
        self._host = host
        self.candidates: list[MergeCandidate] = []
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Merge proposals")
        self.table.setHeaderLabels(["Keep", "Merge into it", "Type", "Score"])
        self.table.setToolTip("Enter or double-click merges the selected row (undoable)")
        self.table.setRootIsDecorated(False)
        self.table.itemActivated.connect(lambda _item, _col: self.merge_selected())
        self.merge = QPushButton("&Merge selected", self)
        self.merge.clicked.connect(self.merge_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.ActionRole)
        self.status = plain_label(parent=self)
        self.status.setAccessibleName("Merge proposals status")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("One name in several records, or spelled two ways (Zhilyaev / Zhylyaev):")
        )
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.busy = False
        self._generation = 0  # only the newest reading is shown
        host.follow_changes(self._on_changes)
        self.reload()

    def _on_changes(self, changes: ChangeSet | None, _initiator: object) -> None:
        """Records merged, edited, added or removed elsewhere: the proposals are read again."""
        if self.isVisible() and (changes is None or changes.touches("record")):
            self.reload()

    def reload(self) -> None:
        """Ask the core for the current proposals, on the worker thread: comparing every pair
        of names takes seconds in a large project."""
        records = self._host.project.records

        def work(_progress: Progress, _cancel: CancelFlag) -> list[MergeCandidate]:
            return records.merge_candidates()

        self.merge.setEnabled(False)
        self.busy = True
        self._generation += 1
        generation = self._generation
        self.status.setText("Looking for names spelled two ways…")
        self._host.background.start(
            "Finding merge proposals",
            work,
            lambda found: self._show(found) if generation == self._generation else None,
            lambda message: self._failed(message) if generation == self._generation else None,
            show_progress=False,
        )

    def _failed(self, message: str) -> None:
        self.busy = False
        self.candidates = []  # rows read before may be stale now: none can be merged
        self.table.clear()
        self.status.setText(f"The proposals could not be made: {message}")

    def _show(self, candidates: list[MergeCandidate]) -> None:
        self.busy = False
        self.candidates = candidates
        self.status.setText(
            f"{len(candidates)} proposal(s); merging keeps the first name, and can be undone."
            if candidates
            else "No proposals: no two names look like spellings of one."
        )
        self.table.clear()
        for index, c in enumerate(self.candidates):
            item = QTreeWidgetItem([c.first.label, _others(c), c.first.type, f"{c.score:.0f}"])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.table.addTopLevelItem(item)
        for column in range(4):
            self.table.resizeColumnToContents(column)
        self.merge.setEnabled(bool(self.candidates))

    def merge_selected(self) -> None:
        """Merge the other records of the selected row into the first (undoable)."""
        item = self.table.currentItem()
        if item is None or self.busy:  # while the list is read again its rows may be stale
            return
        chosen = self.candidates[int(item.data(0, Qt.ItemDataRole.UserRole))]
        review = self._host.project.review
        self._host.run_step(
            f"Merge {_others(chosen)} into {chosen.first.label}",
            lambda: review.merge(chosen.first.id, [o.id for o in chosen.others]),
        )
        if not self.busy:  # the change broadcast has not asked for a new reading already
            self.reload()


def _others(candidate: MergeCandidate) -> str:
    """The records to merge, by name: "Russia (7 more)", "Pavel Zhylyaev"."""
    labels = list(dict.fromkeys(o.label for o in candidate.others))
    count = len(candidate.others)
    if labels == [candidate.first.label]:
        return f"{candidate.first.label} ({count} more)"
    return ", ".join(labels) if count == len(labels) else f"{', '.join(labels)} ({count})"
