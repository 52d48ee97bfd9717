"""MemoPane: write the memo of the project, the document shown or the record selected, and
find a phrase in every memo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.host import MemoHost
from ui.plain import plain_label, set_plain, tooltip
from ui.presentation import screen_of
from workbench.changes import ChangeSet
from workbench.domain import DocumentId, RecordId
from workbench.errors import WorkbenchError
from workbench.services.memos import MemoHit, MemoKind, MemoTarget

KINDS: tuple[tuple[MemoKind, str], ...] = (
    ("project", "&Project"),
    ("document", "D&ocument"),
    ("record", "Re&cord"),
)


class MemoPane(QWidget):
    """One memo at a time; switching what it is about saves what was written (one step)."""

    def __init__(self, host: MemoHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._document: DocumentId | None = None
        self._record: RecordId | None = None
        self._kind: MemoKind = "document"
        self._saved = ""  # the memo as stored, to tell unsaved edits
        self._hits: list[MemoHit] = []
        self.heading = plain_label(parent=self)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Memo")
        self.editor.setPlaceholderText("Write a memo: questions, doubts, what to check next")
        self.editor.textChanged.connect(self._show_state)
        self.save_button = QPushButton("&Save memo", self)
        self.save_button.setToolTip(
            tooltip("Save the memo (Ctrl+Return); Edit → Undo takes it back")
        )
        self.save_button.clicked.connect(self.save)
        QShortcut(
            QKeySequence("Ctrl+Return"), self.editor, self.save,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )  # fmt: skip
        self.state = plain_label(parent=self)
        self.find_field = QLineEdit(self)
        self.find_field.setPlaceholderText("Find in all memos")
        self.find_field.setAccessibleName("Find in all memos")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.textChanged.connect(self.search)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Memos found")
        self.results.itemActivated.connect(self._open_hit)
        self._layout(self._kind_buttons())
        host.follow_changes(self._on_changes)
        self._load()

    def _kind_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.kinds = QButtonGroup(self)
        for number, (_, text) in enumerate(KINDS):
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.kinds.addButton(button, number)
            row.addWidget(button)
        self.kinds.button(1).setChecked(True)
        self.kinds.idClicked.connect(lambda number: self.show_kind(KINDS[number][0]))
        row.addWidget(self.heading, 1)
        return row

    def _layout(self, kinds: QHBoxLayout) -> None:
        writing = QWidget(self)
        column = QVBoxLayout(writing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(kinds)
        column.addWidget(self.editor, 1)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.save_button)
        column.addLayout(row)
        finding = QWidget(self)
        found = QVBoxLayout(finding)
        found.setContentsMargins(0, 0, 0, 0)
        found.addWidget(self.find_field)
        found.addWidget(self.results, 1)
        splitter = QSplitter(self)
        splitter.addWidget(writing)
        splitter.addWidget(finding)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    # --- what the memo is about
    def target(self) -> MemoTarget | None:
        """The memo shown: the project's, the document's or the record's (None: nothing
        selected of that kind)."""
        if self._kind == "project":
            return MemoTarget.project()
        if self._kind == "document":
            return MemoTarget.document(self._document) if self._document is not None else None
        return MemoTarget.record(self._record) if self._record is not None else None

    def set_context(self, document_id: DocumentId | None, record_id: RecordId | None) -> None:
        """The document shown and the record selected changed: follow them (saving first)."""
        if (document_id, record_id) == (self._document, self._record):
            return
        if self.editor.toPlainText() != self._saved:  # after the step that moved the window
            QTimer.singleShot(0, self._save_unsaved(self.target(), self.editor.toPlainText()))
        self._document, self._record = document_id, record_id
        self._load()

    def _save_unsaved(self, target: MemoTarget | None, text: str) -> Callable[[], None]:
        """Saving what was written for ``target``, once the current step has finished (an
        undo may be what moved the window on)."""

        def save() -> None:
            if target is not None:  # a record gone meanwhile is one line from run_step
                memos = self._host.project.memos
                self._host.run_step("Write memo", lambda: memos.write(target, text))

        return save

    def show_kind(self, kind: MemoKind) -> None:
        """Show the project's, the document's or the record's memo (saving first)."""
        self.save()
        self._kind = kind
        self.kinds.button([k for k, _ in KINDS].index(kind)).setChecked(True)
        self._load()

    def _load(self) -> None:
        target = self.target()
        self.editor.setEnabled(target is not None)
        text = ""
        if target is not None:
            try:
                text = self._host.project.memos.read(target)
            except WorkbenchError:  # gone meanwhile: nothing to show
                target = None
        shown = screen_of(self).text(text)  # presentation mode: names hidden, not editable
        self.editor.setReadOnly(shown != text)
        self._saved = shown
        self.editor.blockSignals(True)
        self.editor.setPlainText(shown)
        self.editor.blockSignals(False)
        set_plain(self.heading, screen_of(self).text(self._title(target)))
        self._show_state()

    def _title(self, target: MemoTarget | None) -> str:
        project = self._host.project
        if target is None:
            return f"No {self._kind} selected"
        if target.kind == "project":
            return f"Memo on the project {project.path.stem}"
        if target.kind == "document":
            return f"Memo on “{project.documents.get(DocumentId(target.id or 0)).title}”"
        record = project.records.get(RecordId(target.id or 0))
        return f"Memo on {screen_of(self).label(record.id, record.label)} ({record.type})"

    def _show_state(self) -> None:
        unsaved = self.editor.toPlainText() != self._saved
        set_plain(self.state, "Unsaved changes" if unsaved else "")
        self.save_button.setEnabled(unsaved)

    # --- writing
    def save(self) -> None:
        """Store what was written, as one undoable step (nothing when nothing changed)."""
        target, text = self.target(), self.editor.toPlainText()
        if target is None or text == self._saved:
            return
        memos = self._host.project.memos
        self._saved = text  # the broadcast that follows must not reload over it
        if self._host.run_step("Write memo", lambda: memos.write(target, text)) is None:
            try:
                self._saved = memos.read(target)
            except WorkbenchError:  # what it was about is gone: nothing to keep
                self._saved = ""
        self._show_state()

    def _on_changes(self, changes: ChangeSet | None, _initiator: object) -> None:
        touched = changes is None or any(
            changes.touches(kind) for kind in ("memo", "record", "document")
        )
        if touched and self.editor.toPlainText() == self._saved:
            self._load()  # undo, redo, or a change elsewhere; unsaved writing is kept
        if touched and self.find_field.text().strip():
            self.search(self.find_field.text())

    # --- finding
    def search(self, phrase: str) -> None:
        """List every memo containing the phrase."""
        self._hits = self._host.project.memos.search(phrase)
        self.results.clear()
        for number, hit in enumerate(self._hits):
            line = screen_of(self).text(f"{hit.title} — {hit.snippet}")
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setToolTip(tooltip(line))
            self.results.addItem(item)

    def _open_hit(self, item: QListWidgetItem) -> None:
        hit = self._hits[int(item.data(Qt.ItemDataRole.UserRole))]
        self.save()
        if hit.target.kind == "document" and hit.target.id is not None:
            self._host.show_document(DocumentId(hit.target.id))
        elif hit.target.kind == "record" and hit.target.id is not None:
            self._host.reveal_record(RecordId(hit.target.id))
            self._record = RecordId(hit.target.id)
        self.show_kind(hit.target.kind)
