"""TimelinePanel: the timeline dock's toolbar, filters, canvas, the records without a year,
and the summary line."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui.plain import escape, plain_label, set_plain, tell
from ui.timeline.canvas import TimelineCanvas
from ui.timeline.edges import EARLIER, LATER
from ui.timeline.export import write_sheet
from ui.timeline.frame import HEADER_WIDTH, Style, kind_colour
from ui.timeline.sheet import make_sheet
from ui.timeline.year_unknown import YearUnknownStrip
from workbench.domain import type_title
from workbench.errors import WorkbenchError
from workbench.timeline.filters import TimelineFilter, parse_bound, summary_line
from workbench.timeline.layout import LANE_MODES, build_lanes
from workbench.timeline.model import TimelineItem, sort_key
from workbench.timeline.scale import Viewport

ANY = "__any__"
FREEZE_FROM = 5000  # items


class _Relay(QObject):
    """Carries a reading's result from the worker thread to the panel's thread."""

    loaded = Signal(object, int)


class PictureRedaction(Protocol):
    """Protected names replaced in an exported picture (``ExportService.picture_redaction``)."""

    def items(self, items: Iterable[TimelineItem]) -> list[TimelineItem]: ...

    def text(self, text: str) -> str: ...


class TimelinePanel(QWidget):
    """Lanes of dated records with zoom, filters and export; emits the record clicked."""

    recordActivated = Signal(int)  # noqa: N815 - Qt signal naming
    selectionChanged = Signal(list)  # noqa: N815 - Qt signal naming

    def __init__(
        self, load: Callable[..., list[TimelineItem]], parent: QWidget | None = None
    ) -> None:
        """``load()`` reads every dated record; ``load(record_ids=...)`` only those records
        (and the records linked to them)."""
        super().__init__(parent)
        self._load = load
        # the redaction an exported picture passes through (the window gives the project's)
        self.export_redaction: Callable[[], PictureRedaction | None] = lambda: None
        self._items: list[TimelineItem] = []  # dated, then year-unknown (``sort_key``)
        self._year_unknown: list[TimelineItem] = []  # those passing the filter
        self._summary = ""
        self._filter = TimelineFilter()
        self._only: frozenset[int] | None = None  # the records of the annotators shown
        self._only_words = ""  # and who they are, for the state line
        self._dirty = True
        self._fitted = False
        self._generation = 0
        self._reading: int | None = None
        self._relay = _Relay(self)
        self._relay.loaded.connect(self._on_loaded)
        self.canvas = TimelineCanvas(self)
        self.canvas.itemActivated.connect(self.recordActivated)
        self.canvas.selectionChanged.connect(self.selectionChanged)
        self.year_unknown = YearUnknownStrip(self)
        self.year_unknown.recordActivated.connect(self._on_year_unknown_activated)
        self.lanes = self._lanes_combo()
        self.actions_: dict[str, QAction] = {}
        bar = self._toolbar()
        self.record_type = self._combo("Record type", "All record types")
        self.event_type = self._combo("Event type", "All event types")
        self.document = self._combo("Document", "All documents")
        self.person = self._combo("Person", "All people")
        self.date_from = self._bound("From", "From (2022-03)")
        self.date_to = self._bound("To", "To (2024)")
        self.clear = QPushButton("Clear filters", self)
        self.clear.setToolTip("Show every dated record that is not rejected")
        self.clear.clicked.connect(self.clear_filters)
        self.state = self._state_label()
        self.legend = self._legend()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(bar)
        layout.addWidget(self._filters_bar())
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.year_unknown)
        layout.addLayout(self._footer())

    def _lanes_combo(self) -> QComboBox:
        """The lane mode, as last chosen."""
        lanes = QComboBox(self)
        lanes.setAccessibleName("Lanes")
        lanes.setToolTip("Group the timeline into lanes by person, document, type or place")
        for key, title in LANE_MODES.items():
            lanes.addItem(f"Lanes: {title.lower()}", key)
        saved = str(QSettings().value("timeline/lanes", "event_type"))
        lanes.setCurrentIndex(max(0, lanes.findData(saved)))
        lanes.currentIndexChanged.connect(self._on_lanes_changed)
        return lanes

    def _toolbar(self) -> QToolBar:
        """Lanes, what is shown, zoom and export."""
        bar = QToolBar(self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(self.lanes)
        self._action(bar, "suggested", "Suggestions", self._on_filter_changed,
                     tip="Show suggested records (drawn fainter)", checkable=True)  # fmt: skip
        self._action(bar, "rejected", "Rejected", self._on_filter_changed,
                     tip="Show rejected records too", checkable=True)  # fmt: skip
        self.actions_["suggested"].setChecked(True)
        bar.addSeparator()
        self._action(bar, "zoom_in", "Zoom in", lambda: self.canvas.zoom_by(1.25), "+")
        self._action(bar, "zoom_out", "Zoom out", lambda: self.canvas.zoom_by(0.8), "-")
        self._action(bar, "fit_all", "Fit all", self.canvas.fit_all, "0",
                     tip="Fit where the items are; far-off ones are counted at the lanes' "
                     "edges")  # fmt: skip
        self._action(bar, "fit_everything", "Whole range", self.canvas.fit_everything, "Home",
                     tip="Fit every item, far-off ones included")  # fmt: skip
        self._action(bar, "fit_selection", "Fit selection", self.canvas.fit_selection, "F")
        self._action(None, "earlier", "Bring earlier items into view",
                     lambda: self.canvas.bring_into_view(EARLIER), "Ctrl+Left")  # fmt: skip
        self._action(None, "later", "Bring later items into view",
                     lambda: self.canvas.bring_into_view(LATER), "Ctrl+Right")  # fmt: skip
        bar.addSeparator()
        whole = ("Save the whole timeline over the time shown (every lane, the records without a"
                 " year, the legend and the filters) as a PNG or SVG image")  # fmt: skip
        self._action(bar, "export", "Export view…", self.export_dialog, "Ctrl+Shift+X", tip=whole)
        return bar

    def _filters_bar(self) -> QToolBar:
        """The filters, in a tool bar: at a narrow width the ones that do not fit move to
        its extension menu (»), so the dock never holds the window wider than it is."""
        bar = QToolBar("Filters", self)
        for widget in (self.record_type, self.event_type, self.document, self.person,
                       self.date_from, self.date_to, self.clear):  # fmt: skip
            bar.addWidget(widget)
        return bar

    def _state_label(self) -> QLabel:
        """The filter state line: it names documents and people, so it is plain text."""
        state = plain_label(parent=self)
        state.setAccessibleName("Timeline filter state")
        state.setWordWrap(True)  # a long filter never holds the dock wide
        state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return state

    def _legend(self) -> QLabel:
        """Coloured squares naming the event types; what each way of drawing means."""
        legend = QLabel(self)
        legend.setTextFormat(Qt.TextFormat.RichText)  # coloured squares; names escaped
        legend.setAccessibleName("Timeline colours")
        legend.setWordWrap(True)
        legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        legend.setToolTip(
            "Colours name the event type. Filled: accepted; faint and dashed: suggested; "
            "hatched and ≈: date inferred from context; fading end: open interval; "
            "red ! and dotted outline: sources disagree on the date; +N: items counted, "
            "zoom in to see them."
        )
        return legend

    def _footer(self) -> QHBoxLayout:
        """The summary and the legend side by side, each wrapping when the dock is narrow."""
        footer = QHBoxLayout()
        footer.setContentsMargins(4, 0, 4, 0)
        footer.addWidget(self.state, 1)
        footer.addWidget(self.legend, 1)
        return footer

    def _action(
        self,
        bar: QToolBar | None,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: str | None = None,
        *,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setCheckable(checkable)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        label = tip or text
        action.setToolTip(f"{label} ({shortcut})" if shortcut else label)
        action.triggered.connect(slot)
        if bar is not None:
            bar.addAction(action)
        self.addAction(action)
        self.actions_[name] = action
        return action

    def _combo(self, name: str, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(f"Show only one {name.lower()}")
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.addItem(everything, ANY)
        combo.currentIndexChanged.connect(self._on_filter_changed)
        return combo

    def _bound(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(f"Dates {name.lower()}")
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(130)
        edit.setToolTip(f"{name} this date: a year (2022), a month (2022-03) or a day (2022-03-21)")
        edit.editingFinished.connect(self._on_filter_changed)
        return edit

    # --- content
    def invalidate(self, record_ids: Collection[int] | None = None) -> None:
        """Records changed (these, or any when None): update now if shown, else when shown.

        A few changed records are read again on their own; re-reading every dated record
        takes most of a second in a project with 20,000 of them, so that happens on a
        worker thread while the old items stay on screen.
        """
        if record_ids is not None and not self._dirty and not self.loading and self.isVisible():
            self.update_records(record_ids)
            return
        self._dirty = True
        if self.isVisible():
            self.reload_in_background()

    @property
    def loading(self) -> bool:
        """Whether a reading of the dated records is under way."""
        return self._reading is not None

    def reload_in_background(self) -> None:
        """Read every dated record on a worker thread; the items are shown when it ends."""
        self._generation += 1
        generation = self._generation
        self._dirty = False
        self._reading = generation
        self.canvas.loading = not self._items
        load, relay = self._load, self._relay

        def read() -> None:
            try:
                found: object = load()
            except Exception as exc:  # noqa: BLE001 - reported in the panel, never raised
                found = exc
            with contextlib.suppress(RuntimeError):  # the panel was closed meanwhile
                relay.loaded.emit(found, generation)

        QThreadPool.globalInstance().start(read)

    def _on_loaded(self, found: object, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reading is under way
        self._reading = None
        if isinstance(found, Exception):
            self.canvas.loading = False
            self._say(f"The timeline could not be read: {found}")
            return
        self._show_items(found)  # type: ignore[arg-type]

    def reload(self) -> None:
        """Read the dated records again now and redraw, keeping the zoom."""
        self._generation += 1  # a reading under way is outdated
        self._reading = None
        self._dirty = False
        self._show_items(self._load())

    def _show_items(self, items: list[TimelineItem]) -> None:
        self._items = items
        if len(self._items) >= FREEZE_FROM:
            # Tens of thousands of long-lived items: the cyclic collector walked them all now
            # and then and stalled a frame for up to 150 ms. Keep it off what lives now (still
            # freed when unreferenced). Only the young generations are collected first: a
            # full collection here took 135 ms on the UI thread.
            gc.collect(1)
            gc.freeze()
        self.canvas.loading = False
        self._fill_choices()
        self._apply(fit=not self._fitted)

    def update_records(self, record_ids: Collection[int]) -> None:
        """Read some records again (they may have gained, changed or lost their date)."""
        if not record_ids:
            return
        fresh = self._load(record_ids=record_ids)
        gone = set(record_ids) | {i.record_id for i in fresh}
        kept = [i for i in self._items if i.record_id not in gone]
        self._items = sorted(kept + fresh, key=sort_key)
        self._fill_choices()
        self._apply(fit=not self._fitted)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.reload_in_background()

    def set_selected(self, record_ids: Sequence[int]) -> None:
        """Highlight records selected elsewhere and bring the first into view."""
        self.canvas.set_selected(record_ids, reveal=True)
        self.year_unknown.set_selected(record_ids)

    def _on_year_unknown_activated(self, record_id: int) -> None:
        self.canvas.set_selected([record_id])
        self.selectionChanged.emit([record_id])
        self.recordActivated.emit(record_id)

    def lane_mode(self) -> str:
        """How lanes are grouped: "person", "document", "event_type" or "place"."""
        return str(self.lanes.currentData())

    def set_lane_mode(self, mode: str) -> None:
        """Group lanes by "person", "document", "event_type" or "place"."""
        self.lanes.setCurrentIndex(self.lanes.findData(mode))

    def shown_items(self) -> list[TimelineItem]:
        """Items on the axis passing the filter."""
        return [i for i in self._items if not i.year_unknown and self._passes(i)]

    def set_annotator_records(self, record_ids: frozenset[int] | None, words: str = "") -> None:
        """Show only these records (those the annotators shown worked on; None: everyone's),
        named by ``words`` ("annotator: Anna") in the state line. Clear filters leaves it:
        the window's annotator choice sets it."""
        if (record_ids, words) != (self._only, self._only_words):
            self._only, self._only_words = record_ids, words
            self._apply(fit=False)

    def _passes(self, item: TimelineItem) -> bool:
        return self._filter.matches(item) and (self._only is None or item.record_id in self._only)

    def year_unknown_items(self) -> list[TimelineItem]:
        """Items whose year is unknown passing the filter (listed under the lanes)."""
        return list(self._year_unknown)

    # --- filters
    def _fill_choices(self) -> None:
        record_types = sorted({i.record_type for i in self._items})
        event_types = sorted({i.event_type for i in self._items if i.event_type})
        documents = sorted({d for i in self._items for d in i.documents}, key=lambda d: d[1])
        persons = sorted({p for i in self._items for p in i.persons}, key=str.casefold)
        self._refill(self.record_type, [(t, t) for t in record_types])
        self._refill(self.event_type, [(type_title(t), t) for t in event_types])
        self._refill(self.document, [(title, doc_id) for doc_id, title in documents])
        self._refill(self.person, [(p, p) for p in persons])

    def _refill(self, combo: QComboBox, entries: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in entries:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _on_lanes_changed(self) -> None:
        QSettings().setValue("timeline/lanes", self.lane_mode())
        self._apply(fit=False)

    def _on_filter_changed(self) -> None:
        try:
            low = parse_bound(self.date_from.text(), end=False)
            high = parse_bound(self.date_to.text(), end=True)
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        statuses = {"accepted"}
        if self.actions_["suggested"].isChecked():
            statuses.add("suggested")
        if self.actions_["rejected"].isChecked():
            statuses.add("rejected")

        def chosen(combo: QComboBox) -> frozenset[Any]:
            data = combo.currentData()
            return frozenset() if data == ANY else frozenset({data})

        self._filter = TimelineFilter(
            record_types=chosen(self.record_type),
            event_types=chosen(self.event_type),
            document_ids=chosen(self.document),
            persons=chosen(self.person),
            statuses=frozenset(statuses),
            date_from=low,
            date_to=high,
        )
        self._apply(fit=False)

    def clear_filters(self) -> None:
        """Back to every dated record that is not rejected."""
        for combo in (self.record_type, self.event_type, self.document, self.person):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.date_from.clear()
        self.date_to.clear()
        self.actions_["suggested"].setChecked(True)
        self.actions_["rejected"].setChecked(False)
        self._filter = TimelineFilter()
        self._apply(fit=False)

    def _apply(self, *, fit: bool) -> None:
        shown: list[TimelineItem] = []
        self._year_unknown = []
        unknown_total = 0
        for item in self._items:  # one pass: 20,000 items
            unknown = item.year_unknown
            unknown_total += unknown
            if self._passes(item):
                (self._year_unknown if unknown else shown).append(item)
        self.canvas.set_lanes(build_lanes(shown, self.lane_mode()), fit=fit and bool(shown))
        self._fitted = self._fitted or (fit and bool(shown))
        self.year_unknown.set_items(self._year_unknown, unknown_total)
        titles = {d: t for i in self._items for d, t in i.documents}
        chosen = self._filter.describe(titles)
        words = "; ".join(w for w in (chosen, self._only_words) if w)
        totals = (len(self._items) - unknown_total, unknown_total)
        self._summary = summary_line(shown, self._year_unknown, totals, words)
        self._say(self._summary)
        self.clear.setEnabled(bool(chosen))
        kinds = sorted({i.kind for i in shown} | {i.kind for i in self._year_unknown})
        self.legend.setText(
            "  ".join(
                f"<span style='color:{kind_colour(k).name()}'>■</span>&nbsp;{escape(type_title(k))}"
                for k in kinds[:14]
            )
            + (" …" if len(kinds) > 14 else "")
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        """Show the state line as written (it names documents and people); errors in red."""
        set_plain(self.state, text)
        style = "color: #d62728" if error else ""
        if self.state.styleSheet() != style:  # a new style sheet re-polishes the label
            self.state.setStyleSheet(style)

    # --- export
    def export_dialog(self) -> None:
        """Ask where to save the whole timeline as PNG or SVG."""
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export timeline", "timeline.png", "PNG image (*.png);;SVG image (*.svg)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".svg" if "svg" in chosen.lower() else ".png")
        try:
            self.export_view(path)
        except WorkbenchError as exc:
            tell(self, "Not exported", str(exc))

    def export_view(self, path: Path, width: int | None = None, height: int | None = None) -> None:
        """Save the whole timeline over the stretch of time shown: every lane (not only those
        scrolled into the dock), the records without a year, the legend and the summary, at
        ``width`` pixels (default: the width on screen) and at least ``height``."""
        fmt = path.suffix.lower().lstrip(".")
        lanes, unknown, summary = self.canvas.lanes(), self._year_unknown, self._summary
        redaction = self.export_redaction()
        if redaction is not None:  # protected records under their pseudonyms
            lanes = build_lanes(redaction.items(self.shown_items()), self.lane_mode())
            unknown, summary = redaction.items(unknown), redaction.text(summary)
        shown = self.canvas.view
        width = width or self.canvas.viewport().width()
        plot = max(1.0, width - HEADER_WIDTH)
        view = Viewport(shown.start, shown.pixels_per_day * plot / shown.width, plot)
        sheet = make_sheet(
            lanes,
            view,
            float(width),
            self.canvas.today,
            selected=frozenset(self.canvas.selected()),
            summary=summary,
            year_unknown=unknown,
            year_unknown_total=sum(1 for i in self._items if i.year_unknown),
            min_height=float(height or 0),
        )
        write_sheet(sheet, Style.from_palette(self.palette(), self.font()), fmt, path)
