"""ReviewQueue: walk a document's suggestions one by one from the keyboard, passage in context."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.presentation import screen_of
from workbench.domain import RecordId, Span, type_title

if TYPE_CHECKING:
    from ui.host import QueueHost

CONTEXT = 220  # characters shown on each side of the passage


class ReviewQueue(QDialog):
    """A: accept, R: reject, S or →: skip, ←: back, E: edit, Esc: close. Each step undoable.

    Skip and Back stop at the ends of the queue (no wrap: going round would show the first
    item again as if it were new); the last item says "end of queue".
    """

    def __init__(self, host: QueueHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review suggestions")
        self.resize(720, 420)
        self._host = host
        self._text = ""  # the shown document's text, read once per reload (names masked)
        self._items: list[tuple[RecordId, Span]] = []  # record, its first passage here
        self._position = 0
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.passage = QTextBrowser(self)
        self.passage.setAccessibleName("Passage in context")
        self.progress = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.passage, 1)
        buttons = QHBoxLayout()
        self._keys: dict[int, Callable[[], None]] = {}
        self._buttons: dict[str, QPushButton] = {}
        for text, key, slot in (
            ("Accept", Qt.Key.Key_A, lambda: self.decide("accepted")),
            ("Reject", Qt.Key.Key_R, lambda: self.decide("rejected")),
            ("Skip", Qt.Key.Key_S, lambda: self.step(1)),
            ("Back", Qt.Key.Key_Left, lambda: self.step(-1)),
            ("Edit…", Qt.Key.Key_E, self._edit),
        ):
            name = QKeySequence(key).toString()
            button = QPushButton(f"{text}  ({name})", self)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self._buttons[text] = button
            self._keys[key] = slot
        self._keys[Qt.Key.Key_Right] = lambda: self.step(1)
        self.passage.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        layout.addLayout(buttons)
        # The queue is not modal: the user may undo, redo or open another document meanwhile.
        host.follow_changes(self._on_project_changed)  # steps, undo, redo, extraction
        host.follow_document(self._on_project_changed)
        self.addActions(host.undo_redo_actions())  # their keys work here too

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = self._keys.get(event.key())
        if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            action()
            return
        super().keyPressEvent(event)

    def reload(self) -> None:
        """Collect the suggested records of the document shown, in text order; stay on the
        current one, or go to the first that came back (an undone decision, a new document)."""
        doc_id, project = self._host.document_id, self._host.project
        before, current = {item[0] for item in self._items}, self.current()
        self._items = [] if doc_id is None else project.records.suggestions_in(doc_id)
        screen = screen_of(self)
        text = "" if doc_id is None else project.documents.text(doc_id)
        self._text = screen.mask(text, utf16=False)  # as presentation mode shows it
        title = "" if doc_id is None else f": {screen.text(project.documents.get(doc_id).title)}"
        self.setWindowTitle(f"Review suggestions{title}")
        ids = [item[0] for item in self._items]
        back = [index for index, record_id in enumerate(ids) if record_id not in before]
        if back:
            self._position = back[0]
        elif current in ids:
            self._position = ids.index(current)
        self._position = min(self._position, max(0, len(self._items) - 1))
        self._show()

    def current(self) -> RecordId | None:
        """The record under review."""
        return self._items[self._position][0] if self._items else None

    def decide(self, status: str) -> None:
        """Accept or reject the record under review (by its id, whatever the records panel
        shows) as one undoable step; the queue reloads from the stack and shows the next."""
        record_id = self.current()
        if record_id is not None:
            self._host.set_record_status([record_id], status)

    def step(self, by: int) -> None:
        """Skip forward or go back, stopping at the first and the last item (not ``move``:
        that places the dialog on the screen)."""
        position = max(0, min(self._position + by, len(self._items) - 1))
        if self._items and position != self._position:
            self._position = position
            self._show()

    def _edit(self) -> None:
        record_id = self.current()
        if record_id is not None:
            self._host.edit_record(record_id=record_id)
            self._show()

    def _on_project_changed(self, *_args: object) -> None:
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Read the queue again when it comes back: the project moved on while it was hidden."""
        super().showEvent(event)
        self.reload()

    def _show(self) -> None:
        last = len(self._items) - 1
        self._buttons["Back"].setEnabled(self._position > 0)
        self._buttons["Skip"].setEnabled(self._position < last)
        if not self._items:
            self.heading.setText("No suggestions left in this document.")
            self.passage.clear()
            self.progress.setText("")
            return
        record_id, span = self._items[self._position]
        start, end = span.start, span.end
        record = screen_of(self).record(self._host.project.records.get(record_id))
        confidence = f" · confidence {record.confidence:.2f}" if record.confidence else ""
        date = f" · {record.date_text} ({record.date_edtf})" if record.date_text else ""
        self.heading.setText(f"{type_title(record.type)}: {record.label}{confidence}{date}")
        text = self._text
        before = html.escape(text[max(0, start - CONTEXT) : start])
        passage = html.escape(text[start:end])
        after = html.escape(text[end : end + CONTEXT])
        self.passage.setHtml(
            f"<p style='white-space: pre-wrap'>…{before}<b><u>{passage}</u></b>{after}…</p>"
        )
        at_end = " · end of queue" if self._position == last else ""
        self.progress.setText(f"{self._position + 1} of {len(self._items)}{at_end}")
        doc_id = self._host.document_id
        if doc_id is not None:
            self._host.show_passage(doc_id, start, end, flash=False)
