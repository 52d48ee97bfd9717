"""Drawing the timeline with a QPainter: on screen, into a PNG or into an SVG alike.

Only what is in view is drawn: lanes by their vertical extent, and within each row the items
found by bisection on their drawn extents. Plain items of one colour and status are collected
into one path and drawn in one call; only open intervals (a gradient each), labels and the
selection are drawn item by item. Items out of view are counted at the edges (``edges``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from ui.timeline.edges import edge_markers, paint_markers
from ui.timeline.frame import (
    AXIS_HEIGHT,
    BAR_HEIGHT,
    HEADER_WIDTH,
    Frame,
    Style,
    item_rect,
    kind_colour,
    span_x,
)
from workbench.timeline.layout import GAP_PX, MIN_ITEM_PX, ROW_HEIGHT, LaneLayout, Row
from workbench.timeline.model import DateSpan, TimelineItem
from workbench.timeline.scale import ticks

__all__ = ["AXIS_HEIGHT", "HEADER_WIDTH", "Frame", "Style", "item_rect", "kind_colour", "paint"]

MIN_LABEL_PX = 36.0
FADE = 0.45  # share of an open interval's bar that fades out...
FADE_STEPS = 8  # ...in this many ever fainter slices

EMPTY = (
    "No dated records to show.\nRecords appear here once they have a date: run extraction, "
    "or give a record a date phrase in the record editor. Filters may hide the rest."
)


def paint(painter: QPainter, frame: Frame, style: Style, empty: str | None = None) -> int:
    """Draw one frame; returns how many item shapes were drawn. ``empty`` is the message
    shown when there is nothing to draw."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(style.font)
    painter.fillRect(QRectF(0, 0, frame.width, frame.height), style.background)
    if not frame.layout.lanes:
        painter.setPen(style.muted)
        painter.drawText(
            QRectF(20, 0, frame.width - 40, frame.height),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            empty or EMPTY,
        )
        painter.restore()
        return 0
    plot = QRectF(HEADER_WIDTH, AXIS_HEIGHT, frame.width - HEADER_WIDTH, frame.height - AXIS_HEIGHT)
    lanes = frame.layout.lanes_between(frame.scroll, frame.scroll + plot.height())
    painter.setClipRect(plot)
    _lane_backgrounds(painter, frame, style, lanes)
    _grid(painter, frame, style, plot)
    drawn = sum(_lane(painter, frame, style, lane) for lane in lanes)
    _today(painter, frame, style, plot)
    paint_markers(painter, style, edge_markers(frame, style.font))
    painter.setClipping(False)
    _axis(painter, frame, style)
    _headers(painter, frame, style, lanes)
    painter.restore()
    return drawn


def _lane_backgrounds(
    painter: QPainter, frame: Frame, style: Style, lanes: list[LaneLayout]
) -> None:
    for lane in lanes:
        if frame.layout.lanes.index(lane) % 2:
            painter.fillRect(
                QRectF(0, frame.y(lane.top), frame.width, lane.height), style.lane_shade
            )


def _grid(painter: QPainter, frame: Frame, style: Style, plot: QRectF) -> None:
    _, found = ticks(frame.view.start, frame.view.end, frame.view.pixels_per_day)
    minor, major = QPainterPath(), QPainterPath()
    for tick in found:
        x = frame.x(tick.day)
        path = major if tick.major else minor
        path.moveTo(x, plot.top())
        path.lineTo(x, plot.bottom())
    painter.setPen(QPen(style.grid, 1))
    painter.drawPath(minor)
    painter.setPen(QPen(style.muted, 1))
    painter.drawPath(major)


def _axis(painter: QPainter, frame: Frame, style: Style) -> None:
    painter.fillRect(QRectF(0, 0, frame.width, AXIS_HEIGHT), style.header)
    unit, found = ticks(frame.view.start, frame.view.end, frame.view.pixels_per_day)
    bold = QFont(style.font)
    bold.setBold(True)
    metrics = QFontMetricsF(bold)
    for tick in found:
        x = frame.x(tick.day)
        if x < HEADER_WIDTH - 1:
            continue
        painter.setPen(QPen(style.text if tick.major else style.muted, 1))
        painter.drawLine(
            QPointF(x, AXIS_HEIGHT - (10 if tick.major else 6)), QPointF(x, AXIS_HEIGHT)
        )
        painter.setFont(bold if tick.major else style.font)
        label_top = AXIS_HEIGHT - 8 - metrics.height()
        painter.drawText(QPointF(x + 3, label_top + metrics.ascent()), tick.label)
    painter.setFont(style.font)
    painter.setPen(QPen(style.muted, 1))
    painter.drawText(
        QRectF(6, 0, HEADER_WIDTH - 12, AXIS_HEIGHT),
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
        f"ticks: {unit.name}",
    )
    painter.setPen(QPen(style.grid, 1))
    painter.drawLine(QPointF(0, AXIS_HEIGHT - 0.5), QPointF(frame.width, AXIS_HEIGHT - 0.5))


def _headers(painter: QPainter, frame: Frame, style: Style, lanes: list[LaneLayout]) -> None:
    painter.setClipRect(QRectF(0, AXIS_HEIGHT, HEADER_WIDTH, frame.height - AXIS_HEIGHT))
    painter.fillRect(QRectF(0, AXIS_HEIGHT, HEADER_WIDTH, frame.height - AXIS_HEIGHT), style.header)
    metrics = QFontMetricsF(style.font)
    for lane in lanes:
        top = frame.y(lane.top)
        count = f" ({len(lane.lane.items)})"
        title = metrics.elidedText(
            lane.lane.title,
            Qt.TextElideMode.ElideRight,
            HEADER_WIDTH - 14 - metrics.horizontalAdvance(count),
        )
        painter.setPen(style.text)
        painter.drawText(QPointF(8, top + 4 + metrics.ascent()), title)
        painter.setPen(style.muted)
        painter.drawText(
            QPointF(8 + metrics.horizontalAdvance(title), top + 4 + metrics.ascent()), count
        )
        painter.setPen(QPen(style.grid, 1))
        bottom = top + lane.height - 0.5
        painter.drawLine(QPointF(0, bottom), QPointF(frame.width, bottom))
    painter.setPen(QPen(style.grid, 1))
    painter.drawLine(
        QPointF(HEADER_WIDTH - 0.5, AXIS_HEIGHT), QPointF(HEADER_WIDTH - 0.5, frame.height)
    )
    painter.setClipping(False)


def _today(painter: QPainter, frame: Frame, style: Style, plot: QRectF) -> None:
    x = frame.x(frame.today_day)
    if plot.left() <= x <= plot.right():
        pen = QPen(style.conflict, 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))


ShapeKey = tuple[str, bool]  # an item's kind and whether it is accepted: one colour and outline


@dataclass
class LaneShapes:
    """A lane's shapes gathered by colour and status, so that each group draws in one call."""

    bars: dict[ShapeKey, list[QRectF]] = field(default_factory=dict)
    fades: dict[tuple[str, bool, int], list[QRectF]] = field(default_factory=dict)  # by step
    points: dict[ShapeKey, QPainterPath] = field(default_factory=dict)
    hatched: list[QRectF] = field(default_factory=list)
    conflicts: list[tuple[TimelineItem, QRectF]] = field(default_factory=list)
    labels: list[tuple[TimelineItem, QRectF, float]] = field(default_factory=list)
    outlines: list[QRectF] = field(default_factory=list)
    drawn: int = 0

    def add_row(self, frame: Frame, row: Row, top: float, *, stale: bool) -> None:
        """The row's items in view, with bars ``top`` pixels down. In a ``stale`` row (kept
        from a closer zoom while zooming out) items overlap: those hidden under the one just
        added are skipped by bisection rather than drawn on top of each other."""
        # The hot loop of every frame: plain floats and local names.
        view = frame.view
        ppd, origin = view.pixels_per_day, HEADER_WIDTH - view.start * view.pixels_per_day
        visible = row.between(view.start, view.end)
        i, stop = visible.start, visible.stop
        items, lows = row.items, row.lo
        while i < stop:
            item = items[i]
            x0, x1 = span_x(frame, item.start, item.end)
            rect = QRectF(x0, top, x1 - x0, BAR_HEIGHT)  # every reading: hits, labels
            self.add_item(frame, item, rect)
            next_x = origin + lows[i + 1] * ppd if i + 1 < len(items) else frame.width
            if next_x - x0 >= MIN_LABEL_PX:
                self.labels.append((item, rect, next_x))
            i += 1
            if stale:
                i = max(i, bisect_left(lows, (x1 + GAP_PX - origin) / ppd))

    def add_item(self, frame: Frame, item: TimelineItem, rect: QRectF) -> None:
        """One item over all its readings in ``rect``: its main reading's shape, hatching
        if inferred, the other readings if any, and its outline if selected."""
        self.drawn += 1
        if item.record_id in frame.selected:
            self.outlines.append(rect)
        span, shape = item.date, rect
        if item.alternatives:  # the other readings are outlined apart; this is the main one
            self.conflicts.append((item, rect))
            low, high = span_x(frame, *span.days(frame.today))
            shape = QRectF(low, rect.top(), high - low, BAR_HEIGHT)
        self.add_shape((item.kind, item.status == "accepted"), span, shape)
        if item.inferred:
            self.hatched.append(shape)

    def add_shape(self, key: ShapeKey, span: DateSpan, shape: QRectF) -> None:
        """A reading as fading slices (open interval), a diamond (one day too narrow for a
        bar) or a bar."""
        if span.open_start or span.open_end:
            _fade_slices(self.fades, key, span, shape)
        elif shape.width() <= MIN_ITEM_PX + 0.5 and span.is_day:
            path = self.points.get(key)
            if path is None:
                path = self.points[key] = QPainterPath()
            path.addPolygon(_diamond(shape))
            path.closeSubpath()
        else:
            self.bars.setdefault(key, []).append(shape)


def _lane(painter: QPainter, frame: Frame, style: Style, lane: LaneLayout) -> int:
    """Draw a lane's rows and counts; returns the number of item shapes drawn."""
    shapes = LaneShapes()
    stale = frame.layout.pixels_per_day > frame.view.pixels_per_day * 1.01
    for index, row in enumerate(lane.rows):
        top = frame.y(lane.row_top(index)) + (ROW_HEIGHT - BAR_HEIGHT) / 2
        shapes.add_row(frame, row, top, stale=stale)
    _fills(painter, style, shapes)
    _points(painter, style, shapes)
    for item, rect in shapes.conflicts:
        _conflict(painter, frame, style, item, rect)
    _labels(painter, style, shapes.labels)
    _selection(painter, style, shapes.outlines)
    _bins(painter, frame, style, lane)
    return shapes.drawn


def _fills(painter: QPainter, style: Style, shapes: LaneShapes) -> None:
    """Bars, the slices of open intervals and the hatching of inferred dates: axis-aligned
    rectangles, drawn without antialiasing, which costs most of a frame's time."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for (kind, accepted), rects in shapes.bars.items():
        _outlined(painter, style, kind, accepted)
        painter.drawRects(rects)
    painter.setPen(Qt.PenStyle.NoPen)
    for (kind, accepted, step), rects in shapes.fades.items():
        fill = _fill(kind_colour(kind), accepted)
        fill.setAlpha(fill.alpha() * (FADE_STEPS + 1 - step) // (FADE_STEPS + 1))
        painter.setBrush(fill)
        painter.drawRects(rects)
    if shapes.hatched:
        painter.setBrush(QBrush(style.hatch, Qt.BrushStyle.BDiagPattern))
        painter.drawRects(shapes.hatched)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)


def _points(painter: QPainter, style: Style, shapes: LaneShapes) -> None:
    """The diamonds of single days, one path per colour and status."""
    for (kind, accepted), path in shapes.points.items():
        _outlined(painter, style, kind, accepted)
        painter.drawPath(path)


def _selection(painter: QPainter, style: Style, outlines: list[QRectF]) -> None:
    """A highlight ring around each selected item."""
    if outlines:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(style.highlight, 2.5))
        for rect in outlines:
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)


def _outlined(painter: QPainter, style: Style, kind: str, accepted: bool) -> None:
    """Pen and brush of the shapes of one type and status."""
    colour = kind_colour(kind)
    painter.setPen(_pen(colour, accepted, style))
    painter.setBrush(_fill(colour, accepted))


def _pen(colour: QColor, accepted: bool, style: Style) -> QPen:
    """Outlines darker than the fill on light backgrounds, lighter on dark ones."""
    dark = style.background.lightness() < 128
    pen = QPen(colour.lighter(150) if dark else colour.darker(130), 1.2)
    if not accepted:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _fill(colour: QColor, accepted: bool) -> QColor:
    fill = QColor(colour)
    fill.setAlpha(220 if accepted else 70)
    return fill


def _diamond(rect: QRectF) -> QPolygonF:
    c = rect.center()
    r = min(rect.height(), MIN_ITEM_PX + 2) / 2
    return QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
                      QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())])  # fmt: skip


def _conflict(
    painter: QPainter, frame: Frame, style: Style, item: TimelineItem, rect: QRectF
) -> None:
    """The other readings of a merged record's date, outlined, and a "!" before the item."""
    painter.setPen(QPen(style.conflict, 1.2, Qt.PenStyle.DotLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for alt in item.alternatives:
        x0, x1 = span_x(frame, *alt.days(frame.today))
        painter.drawRoundedRect(QRectF(x0, rect.top(), x1 - x0, rect.height()), 2, 2)
    if item.conflict:
        bold = QFont(style.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(style.conflict)
        badge = QRectF(rect.left() - 12, rect.top(), 11, rect.height())
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")
        painter.setFont(style.font)


def _fade_slices(
    fades: dict[tuple[str, bool, int], list[QRectF]],
    key: ShapeKey,
    span: DateSpan,
    rect: QRectF,
) -> None:
    """An open interval as a solid part and ``FADE_STEPS`` ever fainter slices on its open
    side(s), collected by step so that all open intervals draw in a few calls (a gradient
    each cost a third of a frame with 20,000 items)."""
    opens, ends = span.open_start, span.open_end
    if rect.width() < FADE_STEPS * 3:  # too narrow to show a fade: one faint bar
        fades.setdefault((*key, FADE_STEPS // 2), []).append(rect)
        return
    width = rect.width() * FADE / FADE_STEPS
    left, right, top, height = rect.left(), rect.right(), rect.top(), rect.height()
    solid_left = left + width * FADE_STEPS if opens else left
    solid_right = right - width * FADE_STEPS if ends else right
    if solid_right > solid_left:
        fades.setdefault((*key, 0), []).append(
            QRectF(solid_left, top, solid_right - solid_left, height)
        )
    for step in range(1, FADE_STEPS + 1):
        slices = fades.setdefault((*key, step), [])
        if ends:
            slices.append(QRectF(solid_right + (step - 1) * width, top, width, height))
        if opens:
            slices.append(QRectF(solid_left - step * width, top, width, height))


def _labels(
    painter: QPainter, style: Style, labels: list[tuple[TimelineItem, QRectF, float]]
) -> None:
    metrics = QFontMetricsF(style.font)
    for item, rect, next_x in labels:
        inside = rect.width() >= MIN_LABEL_PX + 8
        left = max(rect.left(), HEADER_WIDTH) + 4 if inside else rect.right() + 4
        room = (min(rect.right(), next_x) if inside else next_x) - left - 4
        if room < MIN_LABEL_PX - 8:
            continue
        text = ("≈ " if item.inferred else "") + item.title
        painter.setPen(style.text)
        painter.drawText(
            QPointF(left, rect.center().y() + metrics.ascent() / 2 - 1),
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, room),
        )


def _bins(painter: QPainter, frame: Frame, style: Style, lane: LaneLayout) -> None:
    if not lane.bins:
        return
    top = frame.y(lane.row_top(len(lane.rows))) + 2
    metrics = QFontMetricsF(style.font)
    painter.setPen(Qt.PenStyle.NoPen)
    fill = QColor(style.muted)
    for found in lane.bins_between(frame.view.start, frame.view.end):
        x0, x1 = frame.x(found.start), frame.x(found.end)
        rect = QRectF(x0 + 0.5, top, max(x1 - x0 - 1, 2.0), ROW_HEIGHT - 4)
        fill.setAlpha(min(60 + 12 * len(found.items), 200))
        painter.setBrush(fill)
        painter.drawRect(rect)
        text = f"+{len(found.items)}"
        if metrics.horizontalAdvance(text) + 4 <= rect.width():
            painter.setPen(style.background)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            painter.setPen(Qt.PenStyle.NoPen)
