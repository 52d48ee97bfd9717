"""RecordsPanel: the project's records by type, filterable by label, status and type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.models.record_rows import CONFIDENCE, DATE, EVIDENCE, LABEL, STATUS, STATUSES
from ui.models.record_tree_model import RecordTreeModel
from ui.presentation import screen_of
from workbench.domain import DocumentId, RecordId, RecordInfo, type_title

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_APPEARANCE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)


class RecordsPanel(QWidget):
    """A filter row over a tree of records grouped by type; emits the ids the user picks.

    The model exposes a page of each type's records at first; when the last exposed row of a
    type scrolls near the viewport, the panel asks for more, so a filter or sort on 100,000
    records lays out a few thousand rows, not all of them.
    """

    recordActivated = Signal(int)  # noqa: N815 - Qt signal naming
    selectionChanged = Signal(list)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = RecordTreeModel(self)
        self._collapsed: set[str] = set()  # types the user folded; kept folded across filters
        self._selection: list[RecordId] = []
        self._more = QTimer(self)  # one check for rows to expose after a burst of changes
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._show_more_in_view)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter records")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter records by label")
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Filter records by status")
        self.status_filter.addItem("All statuses", "")
        for status in STATUSES:
            self.status_filter.addItem(status.capitalize(), status)
        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName("Filter records by type")
        self.type_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type_filter.addItem("All types", "")

        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Records")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAnimated(False)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # the window's
        self._set_up_header()
        self.model.set_appearance(self.tree.palette(), self.tree.font())

        self.filter.textChanged.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.type_filter.currentIndexChanged.connect(self._apply_filter)
        self.tree.clicked.connect(self._on_activated)
        self.tree.installEventFilter(self)
        self.tree.viewport().installEventFilter(self)
        self.tree.collapsed.connect(lambda index: self._collapsed.add(self._type_of(index)))
        self.tree.expanded.connect(lambda index: self._collapsed.discard(self._type_of(index)))
        self.tree.selectionModel().selectionChanged.connect(self._emit_selection)
        self.model.modelReset.connect(self._expand_groups)
        self.model.layoutChanged.connect(lambda *_: self._expand_groups())
        self.model.rowsInserted.connect(
            lambda parent, *_: None if parent.isValid() else self._expand_groups()
        )
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.rowsRemoved):
            signal.connect(self._emit_selection)
        for signal in (
            self.model.modelReset,
            self.model.layoutChanged,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.tree.expanded,
            self.tree.verticalScrollBar().valueChanged,
        ):
            signal.connect(self._check_for_more)

        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.type_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.tree)

    def set_records(
        self, records: Iterable[RecordInfo], current_document_id: DocumentId | None
    ) -> None:
        """Show these records (as presentation mode shows them); evidence in documents other
        than the current one is pointed out."""
        self.model.set_records(screen_of(self).records(records), current_document_id)
        self._refresh_types()

    def update_records(self, records: Iterable[RecordInfo], *, complete: bool = False) -> None:
        """Add or refresh records in place, keeping the selection (``complete``: drop the rest)."""
        self.model.update_records(screen_of(self).records(records), complete=complete)
        self._refresh_types()

    def set_annotator_records(self, record_ids: frozenset[int] | None) -> None:
        """Show only the records these ids name: those the annotators shown worked on (None:
        everyone's). The window's annotator choice sets it; clearing filters leaves it."""
        self.model.set_only(record_ids)

    def remove_records(self, ids: Iterable[int]) -> None:
        """Take records out of the tree."""
        self.model.remove_records(ids)
        self._refresh_types()

    def select_record(self, record_id: int) -> bool:
        """Select a record and scroll to it, clearing filters that hide it; False if unknown."""
        if not self.model.has_record(record_id):
            return False
        if self.model.record(self.model.reveal(record_id)) is None:
            self.clear_filters()
        index = self.model.reveal(record_id)
        if self.model.record(index) is None:  # an annotator it is not by is shown alone
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        flags |= QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def selected_record_ids(self) -> list[RecordId]:
        """Ids of the selected records, in tree order."""
        rows = self.tree.selectionModel().selectedRows()
        rows.sort(key=lambda index: (index.parent().row(), index.row()))
        ids = (index.data(RecordTreeModel.RecordIdRole) for index in rows)
        return [record_id for record_id in ids if record_id is not None]

    def current_record_id(self) -> RecordId | None:
        """Id of the record with the keyboard focus, or None (none, or a type row)."""
        record = self.model.record(self.tree.currentIndex())
        return record.id if record else None

    def clear_filters(self) -> None:
        """Show every record again."""
        for widget in (self.filter, self.status_filter, self.type_filter):
            widget.blockSignals(True)
        self.filter.clear()
        self.status_filter.setCurrentIndex(0)
        self.type_filter.setCurrentIndex(0)
        for widget in (self.filter, self.status_filter, self.type_filter):
            widget.blockSignals(False)
        self._apply_filter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter on a record activates it; the tree's palette and font restyle the statuses."""
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_label_column()
            self._check_for_more()
        if watched is not self.tree:
            return super().eventFilter(watched, event)
        if event.type() in _APPEARANCE_EVENTS:  # light/dark theme, zoomed font, style sheet
            self.model.set_appearance(self.tree.palette(), self.tree.font())
        elif isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.matches(QKeySequence.StandardKey.SelectAll):
                self.model.show_all()  # select all means all, not the rows exposed so far
            elif event.key() in _ENTER_KEYS and self.current_record_id() is not None:
                self._on_activated(self.tree.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _set_up_header(self) -> None:
        header = self.tree.header()
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        pad = 3 * self.style().pixelMetric(self.style().PixelMetric.PM_HeaderMargin)
        for column, sample in (
            (STATUS, "suggested"),
            (CONFIDENCE, "Confidence"),
            (EVIDENCE, "888 · 88 docs"),
            (DATE, "early March 2022"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + pad + 16)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Label") + pad)
        header.sectionResized.connect(self._on_section_resized)
        header.setSortIndicatorClearable(True)  # a third click goes back to arrival order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)

    def _on_section_resized(self, column: int, *_sizes: int) -> None:
        if column != LABEL:  # the label column takes what the others leave
            self._fit_label_column()

    def _fit_label_column(self) -> None:
        """Give the label what the other columns leave, but never less than ~28 characters."""
        header = self.tree.header()
        others = sum(header.sectionSize(column) for column in range(1, header.count()))
        least = 28 * self.fontMetrics().averageCharWidth()
        header.resizeSection(LABEL, max(least, self.tree.viewport().width() - others))

    def _apply_filter(self) -> None:
        self.model.set_filter(
            self.filter.text(), self.status_filter.currentData(), self.type_filter.currentData()
        )

    def _refresh_types(self) -> None:
        """List the loaded types in the type filter, keeping the choice while it exists."""
        types = self.model.types()
        if types == [self.type_filter.itemData(i) for i in range(1, self.type_filter.count())]:
            return
        chosen = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        while self.type_filter.count() > 1:
            self.type_filter.removeItem(1)
        for record_type in types:
            self.type_filter.addItem(type_title(record_type), record_type)
        self.type_filter.setCurrentIndex(max(0, self.type_filter.findData(chosen)))
        self.type_filter.blockSignals(False)
        self._apply_filter()

    def _expand_groups(self) -> None:
        """Unfold every type row the user has not folded (type rows come back after filters)."""
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if self._type_of(index) not in self._collapsed:
                self.tree.expand(index)

    def _check_for_more(self, *_args: object) -> None:
        """Look for rows to expose once the current changes are handled (and laid out)."""
        self._more.start()

    def _show_more_in_view(self) -> None:
        """Expose more rows of each unfolded type whose last exposed row is in or near view."""
        height = self.tree.viewport().height()
        for row in range(self.model.rowCount()):
            group = self.model.index(row, 0)
            if not self.model.unexposed(group) or not self.tree.isExpanded(group):
                continue
            last = self.tree.visualRect(self.model.index(self.model.rowCount(group) - 1, 0, group))
            if last.isValid() and -last.height() <= last.top() < 2 * height:  # or a page below
                self.model.show_more(group)

    def _type_of(self, index: QModelIndex) -> str:
        return str(index.data(RecordTreeModel.TypeRole))

    def _on_activated(self, index: QModelIndex) -> None:
        record = self.model.record(index)
        if record is not None:
            self.recordActivated.emit(record.id)

    def _emit_selection(self, *_args: object) -> None:
        ids = self.selected_record_ids()
        if ids != self._selection:
            self._selection = ids
            self.selectionChanged.emit(ids)
