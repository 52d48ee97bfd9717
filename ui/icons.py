"""Small icons drawn by the application itself (no theme is needed, none is loaded)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

MEMO_TIP = "Has a memo"


@cache
def memo_icon() -> QIcon:
    """A folded note: marks what has a memo."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#8a6d00"), 1))
    painter.setBrush(QColor("#ffd43b"))
    painter.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 1.5, 1.5)
    for y in (5.0, 7.5, 10.0):
        painter.drawLine(QRectF(4, y, 6, 0).topLeft(), QRectF(4, y, 6, 0).topRight())
    painter.end()
    return QIcon(pixmap)
