"""ImportDialog: what the user knows about a batch of files before it is imported."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QWidget

from ui.dialogs import ok_cancel
from ui.plain import plain_label, set_plain
from workbench.services.documents import ImportOptions


class ImportDialog(QDialog):
    """Published date, outlet and source once for the whole batch; by default the published
    date of each file is read from its dateline or byline."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {count} file(s)" if count else "Import a folder")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        intro = plain_label(
            "Year-less dates in the texts (“March 10”, “last August”) are read against each "
            "document's published date. Leave a field empty when the files differ.",
            self,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.detect = QCheckBox("&Detect the published date from each text", self)
        self.detect.setToolTip(
            "A date on the dateline or byline in the first lines, e.g. “21 September 2023”"
        )
        self.detect.setChecked(True)
        self.published = QLineEdit(self)
        self.published.setPlaceholderText("YYYY-MM-DD, for every file (wins over detection)")
        self.outlet = QLineEdit(self)
        self.outlet.setPlaceholderText("e.g. Mediazona")
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("URL or reference")
        form.addRow("", self.detect)
        for label, field in (
            ("&Published", self.published),
            ("&Outlet", self.outlet),
            ("&Source", self.source),
        ):
            field.setAccessibleName(label.replace("&", ""))
            form.addRow(label, field)
        self.problem = plain_label(parent=self)
        form.addRow("", self.problem)
        buttons, self._ok = ok_cancel(self)
        form.addRow(buttons)
        self.published.textChanged.connect(self._check)

    def _check(self) -> None:
        problem = ""
        text = self.published.text().strip()
        if text:
            try:
                date.fromisoformat(text)
            except ValueError:
                problem = "The published date must be YYYY-MM-DD."
        set_plain(self.problem, problem)
        self._ok.setEnabled(not problem)

    def options(self) -> ImportOptions:
        """The batch's options (empty fields leave each file's own metadata)."""
        return ImportOptions(
            published=self.published.text().strip() or None,
            outlet=self.outlet.text().strip() or None,
            source=self.source.text().strip() or None,
            detect_published=self.detect.isChecked(),
        )
