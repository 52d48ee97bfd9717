"""DocumentView: the selected document's stored text, read-only, fast on long texts."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import QPlainTextEdit


class DocumentView(QPlainTextEdit):
    """Shows a document's text exactly as stored; later issues add highlights."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setAccessibleName("Document text")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self.document().setDocumentMargin(16)
        self.setPlaceholderText("Select a document on the left to read it here.")
        self._document_id: int | None = None

    @property
    def document_id(self) -> int | None:
        """Id of the document shown, if any."""
        return self._document_id

    def show_document(self, document_id: int | None, text: str) -> None:
        """Display a document's text (an empty string clears the view)."""
        self._document_id = document_id
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.Start)
