"""Edge markers: how many of a lane's items lie before or after the view, at its edges.

A fit leaves far-off items out of view (``workbench.timeline.extent``), and so do zooming
and panning: each lane counts them in a small marker at the left or right edge of the plot,
in its first row, so that nothing leaves the timeline without a trace. Clicking a marker
brings its items into view (the canvas), as Ctrl+Left and Ctrl+Right do for every lane.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from ui.timeline.frame import AXIS_HEIGHT, HEADER_WIDTH, Frame, Style
from workbench.timeline.layout import ROW_HEIGHT, LaneLayout
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Viewport

EARLIER, LATER = -1, 1
MARKER_HEIGHT = 14.0
ARROW = 4.0  # half the height of the arrowhead, and its depth
PAD = 4.0


@dataclass(frozen=True)
class EdgeMarker:
    """A count of one lane's items before (``side`` EARLIER) or after the view."""

    lane: LaneLayout
    side: int
    count: int
    rect: QRectF  # in widget coordinates

    def items(self, view: Viewport) -> list[TimelineItem]:
        """The items counted."""
        return self.lane.lane.outside_items(self.side, view.start, view.end)


def edge_markers(frame: Frame, font: QFont) -> list[EdgeMarker]:
    """The markers of the lanes in view, where they are drawn."""
    metrics = QFontMetricsF(font)
    view = frame.view
    found = []
    for lane in frame.layout.lanes_between(frame.scroll, frame.scroll + frame.height - AXIS_HEIGHT):
        before, after = lane.lane.outside(view.start, view.end)
        middle = frame.y(lane.row_top(0)) + ROW_HEIGHT / 2
        for side, count in ((EARLIER, before), (LATER, after)):
            if not count:
                continue
            width = metrics.horizontalAdvance(f"{count:,}") + ARROW + 3 * PAD
            left = HEADER_WIDTH + 2 if side == EARLIER else frame.width - width - 2
            rect = QRectF(left, middle - MARKER_HEIGHT / 2, width, MARKER_HEIGHT)
            found.append(EdgeMarker(lane, side, count, rect))
    return found


def paint_markers(painter: QPainter, style: Style, markers: list[EdgeMarker]) -> None:
    """Each marker as a rounded tag: an arrowhead pointing off the view, and the count."""
    for marker in markers:
        rect = marker.rect
        painter.setPen(QPen(style.muted, 1))
        painter.setBrush(style.header)
        painter.drawRoundedRect(rect, 4, 4)
        middle = rect.center().y()
        if marker.side == EARLIER:
            tip = rect.left() + PAD
            base = tip + ARROW
            text = QRectF(base, rect.top(), rect.right() - base, rect.height())
        else:
            tip = rect.right() - PAD
            base = tip - ARROW
            text = QRectF(rect.left(), rect.top(), base - rect.left(), rect.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.text)
        head = [QPointF(tip, middle), QPointF(base, middle - ARROW), QPointF(base, middle + ARROW)]
        painter.drawPolygon(QPolygonF(head))
        painter.setPen(style.text)
        painter.drawText(text, Qt.AlignmentFlag.AlignCenter, f"{marker.count:,}")
