"""Small icons drawn by the application itself (no theme is needed, none is loaded)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

MEMO_TIP = "Has a memo"
PROTECTED_TIP = "Protected: hidden in exports and in presentation mode"


def _drawn(paint: Callable[[QPainter], None]) -> QIcon:
    """A 14-pixel icon ``paint`` draws on a transparent square."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        paint(painter)
    finally:
        painter.end()
    return QIcon(pixmap)


@cache
def memo_icon() -> QIcon:
    """A folded note: marks what has a memo."""
    return _drawn(_memo)


def _memo(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("#8a6d00"), 1))
    painter.setBrush(QColor("#ffd43b"))
    painter.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 1.5, 1.5)
    for y in (5.0, 7.5, 10.0):
        painter.drawLine(QRectF(4, y, 6, 0).topLeft(), QRectF(4, y, 6, 0).topRight())


@cache
def lock_icon() -> QIcon:
    """A padlock: marks a protected record (hidden in exports and in presentation mode)."""
    return _drawn(_lock)


def _lock(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("#3b4a5a"), 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(3.5, 1.5, 7, 8), 0, 180 * 16)  # the shackle
    painter.drawLine(QRectF(3.5, 5.5, 0, 1).topLeft(), QRectF(3.5, 5.5, 0, 1).bottomLeft())
    painter.drawLine(QRectF(10.5, 5.5, 0, 1).topLeft(), QRectF(10.5, 5.5, 0, 1).bottomLeft())
    painter.setPen(QPen(QColor("#3b4a5a"), 1))
    painter.setBrush(QColor("#7a8ea3"))
    painter.drawRoundedRect(QRectF(1.5, 6.5, 11, 7), 1.5, 1.5)  # the body
    painter.setBrush(QColor("#1f2a36"))
    painter.drawEllipse(QRectF(6, 8.5, 2, 2))  # the keyhole
