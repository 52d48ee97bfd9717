"""What the timeline draws and where: colours, the frame of a paint, and item geometry.

Shared by the painter (``render``), the edge markers (``edges``) and the canvas's hit tests,
so that what is clicked is what was drawn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPalette

from workbench.timeline.layout import MIN_ITEM_PX, ROW_HEIGHT, TimelineLayout
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Viewport

HEADER_WIDTH = 170.0
AXIS_HEIGHT = 30.0
BAR_HEIGHT = ROW_HEIGHT - 6.0

# Distinct, colour-blind-friendlier hues (Okabe–Ito and Tol), readable on light and dark.
HUES = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
    "#882255", "#117733", "#AA4499", "#999933", "#44AA99", "#6699CC",
)  # fmt: skip


def kind_colour(kind: str) -> QColor:
    """A stable colour for an event or record type ("other" is grey)."""
    if kind in ("other", "event"):
        return QColor("#7f7f7f")
    digest = hashlib.blake2s(kind.encode("utf-8"), digest_size=2).digest()
    return QColor(HUES[int.from_bytes(digest, "big") % len(HUES)])


@dataclass
class Style:
    """Colours and fonts taken from a palette once per paint."""

    background: QColor
    lane_shade: QColor
    grid: QColor
    text: QColor
    muted: QColor
    header: QColor
    highlight: QColor
    hatch: QColor
    conflict: QColor = field(default_factory=lambda: QColor("#d62728"))
    font: QFont = field(default_factory=QFont)

    @classmethod
    def from_palette(cls, palette: QPalette, font: QFont) -> Style:
        """Readable in the light and the dark palette alike."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        shade = QColor(text)
        shade.setAlpha(14)
        grid = QColor(text)
        grid.setAlpha(40)
        muted = QColor(text)
        muted.setAlpha(150)
        hatch = QColor(text)
        hatch.setAlpha(80)
        return cls(
            background=base,
            lane_shade=shade,
            grid=grid,
            text=text,
            muted=muted,
            header=palette.color(QPalette.ColorRole.Window),
            highlight=palette.color(QPalette.ColorRole.Highlight),
            hatch=hatch,
            font=font,
        )


@dataclass
class Frame:
    """What to draw and where: the layout, the time window and the vertical scroll."""

    layout: TimelineLayout
    view: Viewport
    scroll: float
    width: float
    height: float
    selected: frozenset[int] = frozenset()
    today: date = field(default_factory=date.today)  # where open intervals without an end stop

    @property
    def today_day(self) -> float:
        """Today as a day number, where the today line is drawn."""
        return float(self.today.toordinal())

    def x(self, day: float) -> float:
        """Widget x of a day number."""
        return HEADER_WIDTH + self.view.x(day)

    def y(self, layout_y: float) -> float:
        """Widget y of a layout y."""
        return AXIS_HEIGHT + layout_y - self.scroll


def span_x(frame: Frame, start: float, end: float) -> tuple[float, float]:
    """Widget x of the ends of ``[start, end)``, widened about its centre to the minimum
    width of a shape."""
    x0, x1 = frame.x(start), frame.x(end)
    if x1 - x0 < MIN_ITEM_PX:
        centre = (x0 + x1) / 2
        x0, x1 = centre - MIN_ITEM_PX / 2, centre + MIN_ITEM_PX / 2
    return x0, x1


def item_rect(frame: Frame, item: TimelineItem, row_top: float) -> QRectF:
    """The box over all of an item's readings, in widget coordinates."""
    x0, x1 = span_x(frame, item.start, item.end)
    top = frame.y(row_top) + (ROW_HEIGHT - BAR_HEIGHT) / 2
    return QRectF(x0, top, x1 - x0, BAR_HEIGHT)
