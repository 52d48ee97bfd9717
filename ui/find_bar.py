"""FindBar: find in the document (Ctrl+F); Enter for the next hit, Shift+Enter the previous."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ui.document_view import DocumentView
from workbench.domain import Span


class FindBar(QWidget):
    """A search field over a DocumentView; matches are found in the stored text (code points)."""

    def __init__(self, view: DocumentView, parent: Any = None) -> None:
        super().__init__(parent)
        self._view = view
        self._hits: list[Span] = []
        self._current = -1
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in document")
        self.field.setAccessibleName("Find in document")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.count = QLabel(self)
        previous = _button(self, "↑", "Previous match (Shift+Enter)")
        following = _button(self, "↓", "Next match (Enter)")
        close = _button(self, "✕", "Close (Esc)")
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.field, self.count, previous, following, close):
            layout.addWidget(widget)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.hide)
        self.hide()

    def open(self) -> None:
        """Show the bar with the field focused (and the selected text as the query)."""
        selected = self._view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def hits(self) -> list[Span]:
        """Code-point spans of the current query in the document."""
        return list(self._hits)

    def _search(self, query: str) -> None:
        text, hidden = self._view.stored_text, self._view.hidden_spans()
        found = (Span(*m.span()) for m in re.finditer(re.escape(query), text, re.IGNORECASE))
        # in presentation mode a masked name is found nowhere: a hit would point it out
        self._hits = [s for s in found if not any(s.overlaps(h) for h in hidden)] if query else []
        self._current = -1
        self.count.setText(f"{len(self._hits)} match(es)" if query else "")
        if self._hits:
            self.step(1)

    def step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) match, wrapping around."""
        if not self._hits:
            return
        self._current = (self._current + direction) % len(self._hits)
        hit = self._hits[self._current]
        self._view.reveal(hit.start, hit.end, flash=False)
        self.count.setText(f"{self._current + 1} of {len(self._hits)}")

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        is_enter = (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if is_enter:
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step(-1 if shift else 1)
            return True
        return super().eventFilter(watched, event)


def _button(parent: QWidget, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    return button
