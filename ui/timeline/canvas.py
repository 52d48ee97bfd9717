"""TimelineCanvas: the scrollable, zoomable drawing of the lanes, with hover cards and clicks.

A QAbstractScrollArea painting only what is in view (see ``ui.timeline.render``), rather than
a QGraphicsScene of 20,000 items: the layout (rows and counts) is Qt-free and computed once
per zoom step, panning only moves the window over it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from ui.timeline.cards import bin_card, item_card, marker_card
from ui.timeline.edges import EARLIER, LATER, EdgeMarker, edge_markers
from ui.timeline.frame import AXIS_HEIGHT, HEADER_WIDTH, Frame, Style, item_rect
from ui.timeline.render import paint
from workbench.timeline.extent import dense_extent, full_extent
from workbench.timeline.layout import Hit, Lane, LayoutBuilder, TimelineLayout
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Viewport

CONTROL = Qt.KeyboardModifier.ControlModifier
ZOOM_STEP = 1.25
SETTLE_MS = 150  # rows are recomputed once zooming pauses this long
BUILD_SLICE_S = 0.006  # ...placing lanes for about this long per turn of the event loop
DRAG_THRESHOLD = 4


def quantised(pixels_per_day: float) -> float:
    """The zoom the layout is computed at: the half-octave step at or below the real zoom,
    so rows stay valid (items never drawn narrower than the room kept for them)."""
    return float(2 ** (math.floor(math.log2(pixels_per_day) * 2) / 2))


class TimelineCanvas(QAbstractScrollArea):
    """The lanes and items; wheel zooms around the cursor, dragging pans, keys do both."""

    itemActivated = Signal(int)  # noqa: N815 - Qt signal naming; the record id clicked
    selectionChanged = Signal(list)  # noqa: N815 - Qt signal naming; record ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.today = date.today()  # where open intervals without a known end stop
        self.view = Viewport(start=self.today.toordinal() - 3650.0, pixels_per_day=0.1, width=600)
        self.last_paint_ms = 0.0
        self.drawn = 0
        self._lanes: list[Lane] = []
        self._layout: TimelineLayout | None = None
        self._selected: frozenset[int] = frozenset()
        self.loading = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._builder: LayoutBuilder | None = None
        self._build = QTimer(self)  # places a few lanes per turn of the event loop
        self._build.setInterval(0)
        self._build.timeout.connect(self._build_step)
        self._press: QPoint | None = None
        self._last: QPoint | None = None
        self._dragged = False

    # --- content
    def set_lanes(self, lanes: list[Lane], *, fit: bool = False) -> None:
        """Show these lanes; ``fit`` zooms to where their items are (``fit_all``)."""
        self._lanes = lanes
        self._layout = None
        self._stop_building()
        if fit:
            self.fit_all()
        self._update_scroll_range()
        self.viewport().update()

    def lanes(self) -> list[Lane]:
        """The lanes shown."""
        return self._lanes

    def layout_now(self) -> TimelineLayout:
        """The layout at the current zoom step (computed when the step changes)."""
        step = quantised(self.view.pixels_per_day)
        if self._layout is None or self._layout.pixels_per_day != step:
            self._stop_building()
            self._layout = TimelineLayout(self._lanes, step)
            self._update_scroll_range()
        return self._layout

    def _layout_while_zooming(self) -> TimelineLayout:
        """The layout to paint: while the zoom keeps changing, the previous step's rows stay
        (recomputing 20,000 items on every wheel notch would stall each frame); once zooming
        pauses they are recomputed a few lanes per turn of the event loop."""
        if self._layout is None:
            return self.layout_now()
        step = quantised(self.view.pixels_per_day)
        building = self._builder is not None and self._builder.pixels_per_day == step
        if self._layout.pixels_per_day != step and not building and not self._settle.isActive():
            self._settle.start()
        return self._layout

    def _on_settled(self) -> None:
        step = quantised(self.view.pixels_per_day)
        if self._layout is None or self._layout.pixels_per_day != step:
            self._builder = LayoutBuilder(self._lanes, step)
            self._build.start()

    def _build_step(self) -> None:
        if self._builder is None:
            self._build.stop()
            return
        done = self._builder.step(BUILD_SLICE_S)
        if done is not None:
            self._stop_building()
            self._layout = done
            self._update_scroll_range()
            self.viewport().update()

    def _stop_building(self) -> None:
        self._builder = None
        self._build.stop()

    def frame(
        self, width: float | None = None, height: float | None = None, *, settled: bool = True
    ) -> Frame:
        """What a paint draws now (at another size for exports); ``settled=False`` may keep
        the rows of the previous zoom step while zooming."""
        return Frame(
            self.layout_now() if settled else self._layout_while_zooming(),
            self.view,
            float(self.verticalScrollBar().value()),
            float(width if width is not None else self.viewport().width()),
            float(height if height is not None else self.viewport().height()),
            self._selected,
            self.today,
        )

    def items(self) -> list[TimelineItem]:
        """Every item shown, once each."""
        return list({id(i): i for lane in self._lanes for i in lane.items}.values())

    # --- selection
    def selected(self) -> list[int]:
        """The selected record ids."""
        return sorted(self._selected)

    def set_selected(self, record_ids: Sequence[int], *, reveal: bool = False) -> None:
        """Highlight records (no signal); ``reveal`` brings the first into view."""
        self._selected = frozenset(record_ids)
        if reveal and record_ids:
            self.reveal(record_ids[0])
        self.viewport().update()

    def reveal(self, record_id: int) -> None:
        """Scroll to a record's item without changing the zoom, if it is shown."""
        item = next((i for i in self.items() if i.record_id == record_id), None)
        if item is None:
            return
        if item.end < self.view.start or item.start > self.view.end:
            self.view.pan(self.view.x((item.start + item.end) / 2) - self.view.width / 2)
        places = self.layout_now().where(record_id)
        if places:
            lane, row = places[0]
            top = lane.row_top(row)
            bar = self.verticalScrollBar()
            visible = self.viewport().height() - AXIS_HEIGHT
            if not bar.value() <= top <= bar.value() + visible - 20:
                bar.setValue(int(max(0.0, top - visible / 3)))
        self.viewport().update()

    def item_rects(self, record_id: int) -> list[QRectF]:
        """Where a record's item is drawn, in viewport coordinates (one per lane)."""
        frame = self.frame()
        return [
            item_rect(frame, row_item, lane.row_top(row))
            for lane, row in self.layout_now().where(record_id)
            for row_item in lane.rows[row].items
            if row_item.record_id == record_id
        ]

    # --- view
    def fit_all(self) -> None:
        """Zoom to where the items are: far-off ones are left out of view and counted at the
        edges (``workbench.timeline.extent``), so that one outlier does not squeeze the rest."""
        self._fit_extent(dense_extent(self.items()))

    def fit_everything(self) -> None:
        """Zoom to show every item, far-off ones included."""
        self._fit_extent(full_extent(self.items()))

    def bring_into_view(self, side: int) -> None:
        """Widen the view to take in every lane's items before it (``side`` EARLIER) or
        after it (LATER)."""
        start, end = self.view.start, self.view.end
        self._take_in([i for lane in self._lanes for i in lane.outside_items(side, start, end)])

    def _take_in(self, items: list[TimelineItem]) -> None:
        """Widen the view to take in ``items`` as well as what it shows."""
        found = full_extent(items)
        if found is not None:
            self.fit(min(self.view.start, found[0]), max(self.view.end, found[1]))

    def _fit_extent(self, extent: tuple[float, float] | None) -> None:
        if extent is not None:
            self.fit(*extent)

    def fit_selection(self) -> None:
        """Zoom to the selected items (all of them if none is selected)."""
        chosen = [i for i in self.items() if i.record_id in self._selected]
        if not chosen:
            self.fit_all()
            return
        self.fit(min(i.start for i in chosen), max(i.end for i in chosen))
        self.reveal(chosen[0].record_id)

    def fit(self, start: float, end: float) -> None:
        """Show ``[start, end)``, with its rows at once (one jump, not a run of zoom steps)."""
        self.view.width = max(1.0, self.viewport().width() - HEADER_WIDTH)
        self.view.fit(start, end)
        if self._lanes:
            self.layout_now()
        self.viewport().update()

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out around a plot x (default: the middle)."""
        self.view.zoom(factor, self.view.width / 2 if anchor_x is None else anchor_x)
        if self._builder is not None:  # rows for a zoom already left behind
            self._stop_building()
        self._settle.start()  # (re)started by every zoom step: recompute once they pause
        self._update_scroll_range()
        self.viewport().update()

    def pan_by(self, dx: float) -> None:
        """Pan by ``dx`` pixels (positive: later)."""
        self.view.pan(dx)
        self.viewport().update()

    def _update_scroll_range(self) -> None:
        height = self._layout.height if self._layout is not None else 0.0
        visible = self.viewport().height() - AXIS_HEIGHT
        bar = self.verticalScrollBar()
        bar.setRange(0, int(max(0.0, height - visible)))
        bar.setPageStep(int(max(1.0, visible)))
        bar.setSingleStep(18)

    # --- events
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        started = time.perf_counter()
        painter = QPainter(self.viewport())
        style = Style.from_palette(self.palette(), self.font())
        frame = self.frame(settled=False)
        if self.loading:
            frame.layout = TimelineLayout([], frame.layout.pixels_per_day)
        try:
            self.drawn = paint(
                painter, frame, style, empty="Reading dated records…" if self.loading else None
            )
        finally:
            painter.end()  # an active painter left behind would break every later paint
        self.last_paint_ms = (time.perf_counter() - started) * 1000

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        old = self.view.width
        self.view.width = max(1.0, self.viewport().width() - HEADER_WIDTH)
        if old > 1 and abs(old - self.view.width) > 0.5:
            # keep the same stretch of time in view as the plot grows or shrinks
            self.view.pixels_per_day *= self.view.width / old
        self._update_scroll_range()
        super().resizeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - (delta.y() or delta.x()) // 2)
        elif delta.x() and abs(delta.x()) > abs(delta.y()):
            self.pan_by(-delta.x())
        elif delta.y():
            self.zoom_by(ZOOM_STEP ** (delta.y() / 120), event.position().x() - HEADER_WIDTH)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by(1.0 + event.value(), event.position().x() - HEADER_WIDTH)
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._last = event.position().toPoint()
            self._dragged = False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._press is not None and self._last is not None:
            if (pos - self._press).manhattanLength() > DRAG_THRESHOLD:
                self._dragged = True
            if self._dragged:
                self.pan_by(self._last.x() - pos.x())
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + self._last.y() - pos.y())
            self._last = pos
            return
        self._hover(pos)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.viewport().unsetCursor()
        if self._press is not None and not self._dragged:
            self.click_at(event.position(), event.modifiers())
        self._press = self._last = None

    def click_at(self, pos: QPointF, modifiers: Qt.KeyboardModifier | None = None) -> None:
        """Select the item at a viewport point (Ctrl adds or removes), zoom into a count, or
        bring the items an edge marker counts into view."""
        marker = self.marker_at(pos)
        if marker is not None:
            self._take_in(marker.items(self.view))
            return
        hit = self._hit(pos)
        add = modifiers is not None and bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if hit is not None and hit.bin is not None:
            self.fit(hit.bin.start, hit.bin.end)
            return
        if hit is None or hit.item is None:
            if not add and self._selected:
                self._selected = frozenset()
                self.selectionChanged.emit([])
                self.viewport().update()
            return
        record_id = hit.item.record_id
        if add:
            self._selected = self._selected ^ {record_id}
        else:
            self._selected = frozenset({record_id})
        self.viewport().update()
        self.selectionChanged.emit(sorted(self._selected))
        if not add:
            self.itemActivated.emit(record_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        step = self.view.width / 8
        bar = self.verticalScrollBar()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and event.modifiers() & CONTROL:
            self.bring_into_view(EARLIER if key == Qt.Key.Key_Left else LATER)
        elif key == Qt.Key.Key_Left:
            self.pan_by(-step)
        elif key == Qt.Key.Key_Right:
            self.pan_by(step)
        elif key == Qt.Key.Key_Up:
            bar.setValue(bar.value() - bar.singleStep())
        elif key == Qt.Key.Key_Down:
            bar.setValue(bar.value() + bar.singleStep())
        elif key == Qt.Key.Key_0:
            self.fit_all()
        elif key == Qt.Key.Key_Home:
            self.fit_everything()
        elif key == Qt.Key.Key_F:
            self.fit_selection()
        else:
            super().keyPressEvent(event)

    # --- hover card
    def _hit(self, pos: QPointF) -> Hit | None:
        if pos.x() < HEADER_WIDTH or pos.y() < AXIS_HEIGHT:
            return None
        layout = self._layout or self.layout_now()  # what is drawn, even while zooming
        day = self.view.day(pos.x() - HEADER_WIDTH)
        return layout.hit(day, pos.y() - AXIS_HEIGHT + self.verticalScrollBar().value())

    def marker_at(self, pos: QPointF) -> EdgeMarker | None:
        """The edge marker at a viewport point, if any."""
        markers = edge_markers(self.frame(settled=False), self.font())
        return next((m for m in markers if m.rect.contains(pos)), None)

    def card_at(self, pos: QPointF) -> str:
        """The hover card (rich text) for what is at a viewport point, or ""."""
        marker = self.marker_at(pos)
        if marker is not None:
            return marker_card(marker.items(self.view), marker.side, marker.lane.lane.title)
        hit = self._hit(pos)
        if hit is None:
            return ""
        if hit.item is not None:
            return item_card(hit.item)
        if hit.bin is not None:
            return bin_card(hit.bin)
        return ""

    def _hover(self, pos: QPoint) -> None:
        card = self.card_at(QPointF(pos))
        if card:
            QToolTip.showText(self.viewport().mapToGlobal(pos), card, self.viewport())
        else:
            QToolTip.hideText()
