"""SelectionToolbar: a small bar beside a fresh selection, one button per record type and code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton

from ui.plain import tooltip

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class SelectionToolbar(QFrame):
    """Floats over the text after a mouse selection; a click annotates, Esc hides it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window.document_view.viewport())
        self._window = window
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}
        self.rebuild()
        self.hide()
        window.document_view.selectionChanged.connect(self._on_selection_changed)

    def rebuild(self) -> None:
        """One button per record type, then one per code, as the codebook has them now."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        codes = self._window.codes.values()
        for code in sorted(codes, key=lambda c: not c.is_record_type):  # types first
            button = QToolButton(self)
            button.setText(code.label.split(" /")[0])
            key = f" ({code.shortcut})" if code.shortcut else ""
            button.setToolTip(tooltip(f"Annotate as {code.label}{key}"))
            button.setAccessibleName(f"Annotate as {code.label}")
            colour = QColor(code.colour)
            style = "solid" if code.is_record_type else "dotted"
            button.setStyleSheet(f"QToolButton {{ border-bottom: 3px {style} {colour.name()}; }}")
            button.clicked.connect(lambda _=False, name=code.name: self._annotate(name))
            self._layout.addWidget(button)
            self.buttons[code.name] = button

    def show_at(self, point: QPoint) -> None:
        """Show just below ``point`` (viewport coordinates), kept inside the viewport."""
        self.adjustSize()
        parent = self.parentWidget()
        if parent is None:
            return
        viewport = parent.rect()
        x = min(max(0, point.x()), max(0, viewport.width() - self.width()))
        y = point.y() + 6
        if y + self.height() > viewport.height():
            y = max(0, point.y() - self.height() - 24)
        self.move(x, y)
        self.show()
        self.raise_()

    def _on_selection_changed(self) -> None:
        view = self._window.document_view
        if not view.textCursor().hasSelection():
            self.hide()
            return
        if view.underMouse() or view.viewport().underMouse():
            rect = view.cursorRect(view.textCursor())
            self.show_at(rect.bottomLeft())

    def _annotate(self, name: str) -> None:
        self.hide()
        self._window.annotate(name, snap=not self._window.document_view.exact_selection)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
