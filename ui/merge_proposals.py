"""MergeProposals: records that look like one name spelled two ways; merge one or several."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context_line import context_line
from ui.plain import plain_label, tooltip
from ui.presentation import SHOWN, Screen, screen_of
from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, Progress, RecordInfo
from workbench.services.merge_candidates import CONTEXT, MergeCandidate

if TYPE_CHECKING:
    from ui.host import StepHost

COLUMNS = ["Keep", "Merge into it", "Type", "Score", "Why"]


class MergeProposals(QDialog):
    """Extraction's alias proposals across documents; merging stays the user's decision.

    Each row says why it was proposed; the passages of the current row's records show
    below it, with their documents. Several rows (Ctrl or Shift) merge as one undoable
    step; rows that share a record become one merge.
    """

    def __init__(self, host: StepHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge proposals")
        self.resize(900, 600)
        self._host = host
        self.candidates: list[MergeCandidate] = []
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Merge proposals")
        self.table.setHeaderLabels(COLUMNS)
        self.table.setToolTip(
            "Enter or double-click merges the selected rows (undoable); "
            "Ctrl or Shift selects several"
        )
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemActivated.connect(lambda _item, _col: self.merge_selected())
        self.table.currentItemChanged.connect(self._show_passages)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.passages = QTreeWidget(self)
        self.passages.setAccessibleName("Passages of the proposal")
        self.passages.setHeaderLabels(["Record, its documents", "Passage"])
        self.passages.setUniformRowHeights(True)
        self.passages.setColumnWidth(0, 280)  # titles are elided; their tooltips are whole
        self.merge = QPushButton("&Merge selected", self)
        self.merge.clicked.connect(self.merge_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.ActionRole)
        self.status = plain_label(parent=self)
        self.status.setAccessibleName("Merge proposals status")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.passages)
        split.setSizes([320, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("One name in several records, or spelled two ways (Zhilyaev / Zhylyaev):")
        )
        layout.addWidget(split, 1)
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
        self.passages.clear()
        self.status.setText(f"The proposals could not be made: {message}")

    def _show(self, candidates: list[MergeCandidate]) -> None:
        self.busy = False
        self.candidates = candidates
        self.status.setText(
            f"{len(candidates)} proposal(s); Ctrl or Shift selects several to merge at once; "
            "merging keeps the first name, and can be undone."
            if candidates
            else "No proposals: no two names look like spellings of one."
        )
        self.table.clear()
        self.passages.clear()
        screen = screen_of(self)  # presentation mode: protected names as pseudonyms
        for index, c in enumerate(self.candidates):
            kept = screen.label(c.first.id, c.first.label)
            row = [kept, _others(c, screen), c.first.type, f"{c.score:.0f}", screen.text(c.reason)]
            item = QTreeWidgetItem(row)
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            for column, text in enumerate(row):
                item.setToolTip(column, tooltip(text))
            self.table.addTopLevelItem(item)
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)
        first = self.table.topLevelItem(0)
        if first is not None:  # chosen, its passages shown (whatever keys are held)
            self.table.setCurrentItem(first, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.merge.setEnabled(bool(self.table.selectedItems()) and not self.busy)

    def _show_passages(self, item: QTreeWidgetItem | None) -> None:
        """The current row's records: each with its documents and a passage or two."""
        self.passages.clear()
        if item is None or self.busy:
            return
        candidate = self.candidates[int(item.data(0, Qt.ItemDataRole.UserRole))]
        screen = screen_of(self)
        for role, record in zip(
            ("Keep", *["Merge"] * len(candidate.others)), candidate.records, strict=True
        ):
            self.passages.addTopLevelItem(_record_item(candidate, record, role, screen))
        self.passages.expandAll()

    def merge_selected(self) -> None:
        """Merge the selected rows, each into its first record, as one undoable step."""
        if self.busy:  # while the list is read again its rows may be stale
            return
        items = sorted(self.table.selectedItems(), key=self.table.indexOfTopLevelItem)
        chosen = [self.candidates[int(i.data(0, Qt.ItemDataRole.UserRole))] for i in items]
        if not chosen:
            return
        review = self._host.project.review
        if len(chosen) == 1:
            (one,) = chosen
            self._host.run_step(
                f"Merge {_others(one, SHOWN)} into {one.first.label}",
                lambda: review.merge(one.first.id, [o.id for o in one.others]),
            )
        else:
            groups = [(c.first.id, [o.id for o in c.others]) for c in chosen]
            self._host.run_step(
                f"Merge {len(chosen)} proposals", lambda: review.merge_groups(groups)
            )
        if not self.busy:  # the change broadcast has not asked for a new reading already
            self.reload()


def _record_item(
    candidate: MergeCandidate, record: RecordInfo, role: str, screen: Screen
) -> QTreeWidgetItem:
    """A record of a proposal and its documents; below it, a passage or two in context
    (as ``screen`` shows them)."""
    titles = [screen.text(candidate.titles.get(d, f"document {d}")) for d in record.document_ids]
    count = len(titles)
    where = f"in {count} document{'s' if count != 1 else ''}: {'; '.join(titles)}"
    label = screen.label(record.id, record.label)
    item = QTreeWidgetItem([f"{role}: {label}", where if titles else "no passages"])
    item.setToolTip(0, tooltip(label))
    item.setToolTip(1, tooltip("\n".join(titles)))
    for excerpt in candidate.excerpts.get(record.id, ()):
        title = candidate.titles.get(excerpt.document_id, f"document {excerpt.document_id}")
        title = screen.text(title)
        parts = screen.context(excerpt.before, excerpt.quote, excerpt.after, CONTEXT)
        line = context_line(*parts, CONTEXT)
        child = QTreeWidgetItem([title, line])
        child.setToolTip(0, tooltip(title))
        child.setToolTip(1, tooltip(line))
        item.addChild(child)
    return item


def _others(candidate: MergeCandidate, screen: Screen) -> str:
    """The records to merge, by name: "Russia (7 more)", "Pavel Zhylyaev"."""
    labels = list(dict.fromkeys(screen.label(o.id, o.label) for o in candidate.others))
    count = len(candidate.others)
    first = screen.label(candidate.first.id, candidate.first.label)
    if labels == [first]:
        return f"{first} ({count} more)"
    return ", ".join(labels) if count == len(labels) else f"{', '.join(labels)} ({count})"
