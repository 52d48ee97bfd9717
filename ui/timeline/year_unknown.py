"""YearUnknownStrip: the records whose year could not be worked out, listed under the lanes.

"March 10" in a document without a published date has no place on the axis (EDTF
``XXXX-03-10``, no bounds). Rather than leave the timeline without a trace, such records are
listed here in month order, with their count, as the phrase as written and the record's
short title; clicking one opens its passage like an item on the axis.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from ui.plain import plain_label, set_plain, tooltip
from ui.timeline.cards import item_card
from ui.timeline.frame import kind_colour
from workbench.timeline.model import TimelineItem

RECORD = Qt.ItemDataRole.UserRole


def chip_text(item: TimelineItem) -> str:
    """What a year-unknown record is listed as: "March 10 · Border crossing · Ivan"."""
    return f"{item.date.text or item.date.edtf or ''} · {item.title}"


def year_unknown_title(shown: int, total: int) -> str:
    """ "Year unknown (28)", or "(4 of 28)" while a filter hides some."""
    count = f"{shown:,}" if shown == total else f"{shown:,} of {total:,}"
    return f"Year unknown ({count})"


class YearUnknownStrip(QWidget):
    """A row under the lanes: "Year unknown (28)" and the records, scrolling sideways."""

    recordActivated = Signal(int)  # noqa: N815 - Qt signal naming; the record id clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Year unknown")
        self.title = plain_label(parent=self)
        self.title.setToolTip(
            tooltip(
                'Records dated without a year ("March 10") in documents with no published '
                "date: they have no place on the axis until the year is known."
            )
        )
        self.list = QListWidget(self)
        self.list.setAccessibleName("Records whose year is unknown")
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        self.list.setFixedHeight(
            self.list.fontMetrics().height()
            + 14
            + self.list.horizontalScrollBar().sizeHint().height()
        )
        self.list.itemClicked.connect(self._on_activated)
        self.list.itemActivated.connect(self._on_activated)
        self._icons: dict[tuple[str, bool], QIcon] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.hide()

    def set_items(self, shown: Sequence[TimelineItem], total: int) -> None:
        """List ``shown`` (the year-unknown records passing the filter) of ``total``; the
        strip hides when the project has none."""
        self.setVisible(total > 0)
        set_plain(self.title, year_unknown_title(len(shown), total))
        self.list.clear()
        for item in shown:
            entry = QListWidgetItem(self._icon(item), chip_text(item))
            entry.setData(RECORD, item.record_id)
            entry.setToolTip(item_card(item))  # a rich card made on purpose, its text escaped
            self.list.addItem(entry)

    def record_ids(self) -> list[int]:
        """The records listed, in order."""
        return [int(self.list.item(row).data(RECORD)) for row in range(self.list.count())]

    def set_selected(self, record_ids: Sequence[int]) -> None:
        """Select the listed records among ``record_ids`` (no signal) and show the first."""
        wanted = set(record_ids)
        first: QListWidgetItem | None = None
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            entry = self.list.item(row)
            chosen = int(entry.data(RECORD)) in wanted
            entry.setSelected(chosen)
            first = first or (entry if chosen else None)
        self.list.blockSignals(False)
        if first is not None:
            self.list.scrollToItem(first)

    def _on_activated(self, entry: QListWidgetItem) -> None:
        self.recordActivated.emit(int(entry.data(RECORD)))

    def _icon(self, item: TimelineItem) -> QIcon:
        """A square of the item's colour, faint for a suggestion (as on the axis)."""
        key = (item.kind, item.status == "accepted")
        icon = self._icons.get(key)
        if icon is None:
            colour = QColor(kind_colour(item.kind))
            colour.setAlpha(220 if key[1] else 90)
            pixmap = QPixmap(10, 10)
            pixmap.fill(colour)
            icon = self._icons[key] = QIcon(pixmap)
        return icon
