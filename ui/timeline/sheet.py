"""The whole timeline as one picture, for "Export view…": every lane over the time shown,
the records without a year, the colour legend and the filter summary.

The dock shows a window onto the lanes, as tall as the dock; an export shows them all: the
frame is as tall as the layout, with the stretch of time and the summary above it and the
year-unknown records and the legend below. Text is laid out once (``_place``), for the
picture's size and for painting alike, and drawn as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from ui.timeline.canvas import quantised
from ui.timeline.frame import AXIS_HEIGHT, Frame, Style, kind_colour
from ui.timeline.render import paint
from ui.timeline.year_unknown import chip_text, year_unknown_title
from workbench.domain import type_title
from workbench.timeline.layout import ROW_HEIGHT, Lane, TimelineLayout
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Viewport, to_date

MARGIN = 12.0
GAP = 8.0
SWATCH = 10.0
CHIP_TEXT_MAX = 320.0  # pixels of a year-unknown record's text before it is elided
LEGEND_NOTE = (
    "Colours name the event type. Filled: accepted; faint and dashed: suggested; hatched and "
    "≈: date inferred from context; fading end: open interval; red ! and dotted outline: "
    "sources disagree on the date; +N: items counted where too many overlap; arrows with a "
    "number at a lane's edges: its items before or after the time shown."
)


@dataclass
class Sheet:
    """What an export holds: the frame (every lane), and the text around it."""

    frame: Frame
    summary: str
    year_unknown: Sequence[TimelineItem] = ()
    year_unknown_total: int = 0
    min_height: float = 0.0
    kinds: list[str] = field(init=False)

    def __post_init__(self) -> None:
        drawn = {i.kind for lane in self.frame.layout.lanes for i in lane.lane.items}
        self.kinds = sorted(drawn | {i.kind for i in self.year_unknown})


def make_sheet(
    lanes: Sequence[Lane],
    view: Viewport,
    width: float,
    today: date,
    *,
    selected: frozenset[int] = frozenset(),
    **text: Any,
) -> Sheet:
    """A sheet of every one of ``lanes`` over ``view``'s stretch of time, ``width`` pixels
    wide; ``text`` are the Sheet's other fields (summary, year-unknown records...)."""
    layout = TimelineLayout(lanes, quantised(view.pixels_per_day))
    height = AXIS_HEIGHT + max(layout.height, 2 * ROW_HEIGHT)
    return Sheet(Frame(layout, view, 0.0, width, height, selected, today), **text)


@dataclass(frozen=True)
class _Piece:
    """One thing drawn around the frame: a text (plain, bold or muted) or a colour swatch."""

    rect: QRectF
    text: str = ""
    swatch: QColor | None = None
    bold: bool = False
    muted: bool = False


def sheet_size(sheet: Sheet, font: QFont) -> tuple[int, int]:
    """The picture's width and height in pixels."""
    _, _, bottom = _place(sheet, font)
    return int(sheet.frame.width), int(max(bottom, sheet.min_height))


def paint_sheet(painter: QPainter, sheet: Sheet, style: Style) -> None:
    """Draw the sheet from the top left of ``painter``'s device."""
    pieces, frame_top, bottom = _place(sheet, style.font)
    width = sheet.frame.width
    painter.fillRect(QRectF(0, 0, width, max(bottom, sheet.min_height)), style.background)
    bold = QFont(style.font)
    bold.setBold(True)
    for piece in pieces:
        if piece.swatch is not None:
            painter.fillRect(piece.rect, piece.swatch)
            continue
        painter.setFont(bold if piece.bold else style.font)
        painter.setPen(style.muted if piece.muted else style.text)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(piece.rect, flags, piece.text)
    painter.save()
    painter.translate(0, frame_top)
    paint(painter, sheet.frame, style)
    painter.restore()


def _place(sheet: Sheet, font: QFont) -> tuple[list[_Piece], float, float]:
    """Every piece around the frame, where the frame's top goes, and the bottom."""
    bold = QFont(font)
    bold.setBold(True)
    width = sheet.frame.width - 2 * MARGIN
    view = sheet.frame.view
    shown = f"{to_date(view.start).isoformat()} – {to_date(view.end).isoformat()}"
    pieces, y = _text([], f"Timeline, {shown}", QFontMetricsF(bold), MARGIN, width, bold=True)
    pieces, y = _text(pieces, sheet.summary, QFontMetricsF(font), y, width)
    frame_top = y + GAP
    y = frame_top + sheet.frame.height + GAP
    metrics = QFontMetricsF(font)
    if sheet.year_unknown_total:
        title = year_unknown_title(len(sheet.year_unknown), sheet.year_unknown_total)
        pieces, y = _text(pieces, title, QFontMetricsF(bold), y, width, bold=True)
        chips = [(kind_colour(i.kind), chip_text(i)) for i in sheet.year_unknown]
        pieces, y = _flow(pieces, chips, metrics, y, width)
        y += GAP
    legend = [(kind_colour(k), type_title(k)) for k in sheet.kinds]
    pieces, y = _flow(pieces, legend, metrics, y, width)
    pieces, y = _text(pieces, LEGEND_NOTE, metrics, y, width, muted=True)
    return pieces, frame_top, y + MARGIN


def _text(
    pieces: list[_Piece],
    text: str,
    metrics: QFontMetricsF,
    top: float,
    width: float,
    *,
    bold: bool = False,
    muted: bool = False,
) -> tuple[list[_Piece], float]:
    """``pieces`` and a paragraph wrapped to ``width`` at ``top``; and its bottom."""
    if not text:
        return pieces, top
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
    height = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()
    pieces.append(_Piece(QRectF(MARGIN, top, width, height + 1), text, bold=bold, muted=muted))
    return pieces, top + height + 2


def _flow(
    pieces: list[_Piece],
    entries: list[tuple[QColor, str]],
    metrics: QFontMetricsF,
    top: float,
    width: float,
) -> tuple[list[_Piece], float]:
    """``pieces`` and a swatch and a text per entry, left to right, wrapping at ``width``;
    and the bottom of the last line."""
    if not entries:
        return pieces, top
    line = metrics.height() + 4
    x, y = MARGIN, top
    for colour, whole in entries:
        text = metrics.elidedText(whole, Qt.TextElideMode.ElideRight, CHIP_TEXT_MAX)
        advance = metrics.horizontalAdvance(text) + 2
        step = SWATCH + 4 + advance + 14
        if x > MARGIN and x + step > MARGIN + width:
            x, y = MARGIN, y + line
        swatch_top = y + (line - SWATCH) / 2
        pieces.append(_Piece(QRectF(x, swatch_top, SWATCH, SWATCH), swatch=colour))
        pieces.append(_Piece(QRectF(x + SWATCH + 4, y + 2, advance, line), text))
        x += step
    return pieces, y + line
