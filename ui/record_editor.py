"""RecordEditor: label, type, fields, date phrase (read live into EDTF and bounds) and note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ui.dialogs import ok_cancel
from ui.icons import PROTECTED_TIP, lock_icon
from ui.plain import plain_label, tooltip
from ui.presentation import screen_of
from workbench.domain import CodeInfo, RecordInfo
from workbench.extraction.events import EVENT_TYPES
from workbench.services.review import ReviewService

if TYPE_CHECKING:
    from workbench.extraction.dates import FuzzyDate


SCREENED_NOTE = "Presentation mode: the fields showing protected names are read-only"


class RecordEditor(QDialog):
    """Edit one record; ``changes()`` gives the keyword arguments for ``review.edit`` and
    ``protection()`` whether to protect or release it.

    In presentation mode a text holding a protected name (the label of a protected record
    is its pseudonym) is shown as the screen shows it, read-only, and never written back.
    """

    def __init__(
        self,
        record: RecordInfo,
        types: list[CodeInfo],
        review: ReviewService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        screen = screen_of(self)
        self.setWindowTitle(f"Edit record — {screen.label(record.id, record.label)}")
        self.setMinimumWidth(520)
        self._record = record
        self._review = review
        self._screened: set[QLineEdit | QPlainTextEdit] = set()  # shown screened: not saved
        form = QFormLayout(self)
        self.label = self._line("Label", record.label, screen.label(record.id, record.label))
        form.addRow("&Label", self.label)
        self.protected = self._protection(record)
        form.addRow("", self.protected)
        self.type = QComboBox(self)
        self.type.setAccessibleName("Record type")
        for code in types:
            self.type.addItem(code.label, code.name)
        self.type.setCurrentIndex(max(0, self.type.findData(record.type)))
        form.addRow("&Type", self.type)
        self.event_type = QComboBox(self)
        for key, text in EVENT_TYPES.items():
            self.event_type.addItem(text, key)
        self.event_type.setCurrentIndex(
            max(0, self.event_type.findData(record.fields.get("event_type", "other")))
        )
        form.addRow("&Event type", self.event_type)
        self.event_type.setVisible(record.type == "event")
        form.labelForField(self.event_type).setVisible(record.type == "event")
        self.fields: dict[str, QLineEdit] = {}
        self._numbers: set[str] = set()
        own = next((c for c in types if c.name == record.type), None)
        for name, kind in own.fields if own else ():  # the codebook's, not a list here
            if kind == "number":
                self._numbers.add(name)
            value = "" if (stored := record.fields.get(name)) is None else str(stored)
            self.fields[name] = self._line(name, value, screen.text(value))
            form.addRow(name.capitalize(), self.fields[name])
        phrase = record.date_text or ""
        self.date = self._line("Date as written", phrase, screen.text(phrase))
        self.date.setPlaceholderText("e.g. late March 2024, since the fall of 2022")
        self.date_reading = plain_label(parent=self)
        self.date_reading.setWordWrap(True)
        self._reading: FuzzyDate | None = None  # how the phrase reads now
        self.date.textChanged.connect(self._on_date_changed)
        form.addRow("&Date", self.date)
        form.addRow("", self.date_reading)
        self.note = QPlainTextEdit(screen.text(record.note), self)
        self.note.setAccessibleName("Note")
        self._screen(self.note, record.note)
        self.note.setMaximumHeight(90)
        form.addRow("&Note", self.note)
        if self._screened:
            form.addRow("", plain_label(SCREENED_NOTE, self))
        buttons, self._ok = ok_cancel(self)
        form.addRow(buttons)
        self._on_date_changed(self.date.text())

    def _protection(self, record: RecordInfo) -> QCheckBox:
        box = QCheckBox("&Protected", self)
        box.setIcon(lock_icon())
        box.setChecked(record.protected)
        box.setToolTip(tooltip(PROTECTED_TIP))
        box.setAccessibleDescription(PROTECTED_TIP)
        return box

    def _line(self, name: str, stored: str, shown: str) -> QLineEdit:
        """A line edit showing ``shown`` for ``stored`` (read-only when they differ)."""
        edit = QLineEdit(shown, self)
        edit.setAccessibleName(name)
        self._screen(edit, stored)
        return edit

    def _screen(self, edit: QLineEdit | QPlainTextEdit, stored: str) -> None:
        """A field shown otherwise than stored (presentation mode) is read-only."""
        shown = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
        if shown != stored:
            edit.setReadOnly(True)
            edit.setToolTip("Presentation mode hides a name here: switch it off (F5) to edit")
            self._screened.add(edit)

    def protection(self) -> bool | None:
        """True to protect the record, False to release it, None to leave it as it is."""
        checked = self.protected.isChecked()
        return None if checked == self._record.protected else checked

    def _on_date_changed(self, phrase: str) -> None:
        """Show how the phrase reads, as the user types; refuse OK for an unreadable phrase."""
        if not phrase.strip():
            self.date_reading.setText("No date")
            self._ok.setEnabled(True)
            return
        parsed = self._review.preview_date(self._record.id, phrase)
        self._reading = parsed
        if parsed is None:
            self.date_reading.setText("Not readable as a date")
            self._ok.setEnabled(False)
            return
        bounds = f"{parsed.earliest or '…'} to {parsed.latest or '…'}"
        inferred = " · inferred" if parsed.inferred else ""
        self.date_reading.setText(f"EDTF {parsed.edtf} · {bounds} · {parsed.precision}{inferred}")
        self._ok.setEnabled(True)

    def _reads_anew(self) -> bool:
        """The unchanged phrase reads differently than stored (the document got a published
        date since): OK stores the reading shown."""
        record, reading = self._record, self._reading
        if reading is None or not self.date.text().strip():
            return False
        return _bounds(reading) != (record.date_earliest, record.date_latest, record.date_edtf)

    def changes(self) -> dict[str, Any]:
        """What differs from the record, as ``review.edit`` keyword arguments."""
        record = self._record
        out: dict[str, Any] = {}
        if self.label not in self._screened and self.label.text().strip() != record.label:
            out["label"] = self.label.text().strip()
        if self.type.currentData() != record.type:
            out["type_name"] = self.type.currentData()
        fields = dict(record.fields)
        for name, edit in self.fields.items():
            if edit not in self._screened:
                fields[name] = _value(edit.text(), number=name in self._numbers)
        shown = record.fields.get("event_type", "other")  # what the combo opened on
        if record.type == "event" and self.event_type.currentData() != shown:
            fields["event_type"] = self.event_type.currentData()
            fields["event_type_label"] = self.event_type.currentText()
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        if fields != dict(record.fields):
            out["fields"] = fields
        date_changed = self.date.text().strip() != (record.date_text or "")
        if self.date not in self._screened and (date_changed or self._reads_anew()):
            out["date_text"] = self.date.text().strip()
        if self.note not in self._screened and self.note.toPlainText() != record.note:
            out["note"] = self.note.toPlainText()
        return out


def _bounds(reading: FuzzyDate) -> tuple[str | None, str | None, str]:
    earliest = reading.earliest.isoformat() if reading.earliest else None
    latest = reading.latest.isoformat() if reading.latest else None
    return earliest, latest, reading.edtf


def _value(text: str, *, number: bool) -> Any:
    """A number field's numbers stay numbers ("1,501" -> 1501.0); other text stays text."""
    text = text.strip()
    if not number:
        return text or None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text or None
