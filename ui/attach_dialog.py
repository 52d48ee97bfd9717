"""AttachDialog: pick an existing record by typing part of its name (any document)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import ok_cancel
from ui.plain import plain_label
from ui.presentation import screen_of
from workbench.domain import RecordId, RecordInfo


def record_title(record: RecordInfo) -> str:
    """How a record is named in the list: label, type, status and how many documents."""
    documents = len(record.document_ids)
    where = f", {documents} documents" if documents > 1 else ""
    return f"{record.label}  ({record.type}, {record.status}{where})  #{record.id}"


class AttachDialog(QDialog):
    """Type-ahead over the project's records; ``record_id()`` is the one chosen."""

    def __init__(
        self, records: list[RecordInfo], passage: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach to existing record")
        self.setMinimumWidth(520)
        screen = screen_of(self)  # presentation mode: protected names as pseudonyms
        shown = screen.records(r for r in records if r.status != "rejected")
        self._by_title = {record_title(r): r.id for r in shown}
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"Passage: “{screen.text(passage[:120])}”", self))
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Type part of a name, place, unit or event")
        self.field.setAccessibleName("Record to attach to")
        completer = QCompleter(QStringListModel(sorted(self._by_title), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        layout.addWidget(self.field)
        buttons, self._ok = ok_cancel(self)
        layout.addWidget(buttons)
        self.field.textChanged.connect(lambda text: self._ok.setEnabled(text in self._by_title))
        self._ok.setEnabled(False)

    def record_id(self) -> RecordId | None:
        """The chosen record, if the text names one exactly."""
        return self._by_title.get(self.field.text())
