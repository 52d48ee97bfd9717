"""MetadataDialog: title, published date and source of one document, or of several at once."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from ui.dialogs import ok_cancel
from workbench.domain import DocumentInfo


class MetadataDialog(QDialog):
    """Edit metadata; with several documents, only the fields filled in are changed."""

    def __init__(self, documents: list[DocumentInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs = documents
        single = len(documents) == 1
        self.setWindowTitle(
            "Document metadata" if single else f"Metadata of {len(documents)} documents"
        )
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        first = documents[0]
        self.title = QLineEdit(first.title if single else "", self)
        self.title.setEnabled(single)
        self.published = QLineEdit(first.published or "" if single else "", self)
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.source = QLineEdit(first.source or "" if single else "", self)
        self.source.setPlaceholderText("URL or reference")
        self.outlet = QLineEdit(first.outlet or "" if single else "", self)
        for label, field in (
            ("&Title", self.title),
            ("&Published", self.published),
            ("&Source", self.source),
            ("&Outlet", self.outlet),
        ):
            field.setAccessibleName(label.replace("&", ""))
            form.addRow(label, field)
        self.problem = QLabel(self)
        form.addRow("", self.problem)
        buttons, self._ok = ok_cancel(self)
        form.addRow(buttons)
        self.published.textChanged.connect(self._check)
        self.title.textChanged.connect(self._check)

    def _check(self) -> None:
        problem = ""
        if self.published.text().strip():
            try:
                date.fromisoformat(self.published.text().strip())
            except ValueError:
                problem = "The published date must be YYYY-MM-DD."
        if self.title.isEnabled() and not self.title.text().strip():
            problem = "A document needs a title."
        self.problem.setText(problem)
        self._ok.setEnabled(not problem)

    def values(self) -> dict[str, str | None]:
        """The fields to set: all of them for one document, the filled ones for several."""
        single = len(self._docs) == 1
        out: dict[str, str | None] = {}
        for key, field in (
            ("title", self.title),
            ("published", self.published),
            ("source", self.source),
            ("outlet", self.outlet),
        ):
            text = field.text().strip()
            if key == "title" and not single:
                continue
            if single or text:
                out[key] = text or None
        if single:
            first = self._docs[0]
            out = {k: v for k, v in out.items() if v != getattr(first, k)}
        return out
