"""File → Merge project… (another annotator's copy, merged in the background with progress
and Cancel) and Review → Merge conflicts… (the lead keeps ours or takes theirs, one key a
conflict, each decision undoable from the window's Edit menu)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.plain import message_box, plain_label, set_plain, tooltip
from ui.presentation import screen_of
from workbench.errors import WorkbenchError
from workbench.services.merge_conflicts import Choice, ConflictInfo, ConflictService
from workbench.services.merge_projects import MergeCancelledError, MergeReport, merge_project
from workbench.services.merge_source import MergePassphraseError
from workbench.storage.cipher import Passphrase

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from ui.background import BackgroundRunner
    from ui.host import ChangeSlot
    from workbench.changes import ChangeSet
    from workbench.domain import CancelFlag, Progress
    from workbench.project import Project
    from workbench.services.steps import StepResult

PROJECTS = "Testimony Workbench projects (*.twb)"
FIELD_NAMES = {"label": "Label", "type": "Type", "status": "Status", "date": "Date",
               "note": "Note", "fields": "Fields"}  # fmt: skip
HIDDEN = "(hidden in presentation mode)"
COLUMNS = ("Record", "Field", "Here (ours)", "In the copy (theirs)", "From")


class MergeHost(Protocol):
    """What merging asks of the window."""

    @property
    def project(self) -> Project: ...
    @property
    def background(self) -> BackgroundRunner: ...
    @property
    def undo_stack(self) -> QUndoStack: ...
    def apply_changes(self, changes: ChangeSet | None = None, initiator: object = None) -> None: ...
    def follow_changes(self, slot: ChangeSlot) -> None: ...
    def clear_undo(self) -> None: ...
    def show_error(self, message: str) -> None: ...
    def undo_redo_actions(self) -> list[QAction]: ...
    def window(self) -> QWidget: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


class _NeedsPassphrase:
    """The copy is encrypted and the passphrase tried does not open it."""

    def __init__(self, message: str) -> None:
        self.message = message


def choose_and_merge(host: MergeHost) -> None:
    """Ask for the copy to merge (the window's own lock keeps the project safe while a file
    dialog looks at files), then merge it; a team project's copies are looked for from the
    home folder (its name is no folder)."""
    project = host.project
    folder = project.path.parent if project.server is None else Path.home()
    name, _ = QFileDialog.getOpenFileName(
        host.window(), "Merge a copy of this project", str(folder), PROJECTS
    )
    if name:
        merge_file(host, Path(name))


def merge_file(host: MergeHost, path: Path, passphrase: Passphrase | None = None) -> bool:
    """Merge ``path`` on the worker thread with progress and Cancel; then say what came in
    and open the conflicts if any wait. False when another job is running."""
    project = host.project

    def work(progress: Progress, cancel: CancelFlag) -> MergeReport | _NeedsPassphrase | None:
        try:
            return merge_project(
                project, path, passphrase=passphrase, progress=progress, cancel=cancel
            )
        except MergeCancelledError:  # rolled back: nothing came in
            return None
        except MergePassphraseError as exc:
            return _NeedsPassphrase(str(exc))

    def done(report: MergeReport | _NeedsPassphrase | None) -> None:
        if report is None:
            host.statusBar().showMessage("Merge cancelled; nothing came in", 8000)
            return
        if isinstance(report, _NeedsPassphrase):
            asked = _ask_passphrase(host, path, report.message)
            if asked is not None:
                merge_file(host, path, asked)
            return
        _merged(host, report)

    return host.background.start(f"Merging {path.name}", work, done, host.show_error)


def _ask_passphrase(host: MergeHost, path: Path, why: str) -> Passphrase | None:
    text, ok = QInputDialog.getText(
        host.window(), "Passphrase", f"{why}\n\nPassphrase of {path.name}:",
        QLineEdit.EchoMode.Password,
    )  # fmt: skip
    if not ok or not text:
        return None
    try:
        return Passphrase(text)
    except WorkbenchError as exc:
        host.show_error(str(exc))
        return None


def report_text(report: MergeReport) -> str:
    """What a merge brought in, a line a kind."""
    lines = [
        f"Documents: {report.documents}",
        f"Passages: {report.annotations}",
        f"Records: {report.records} new, {report.updated} updated from the copy",
        f"Links: {report.links}    Codes: {report.codes}    Memos: {report.memos}",
    ]
    if report.evidence:
        lines.insert(3, f"Passages added to records both hold: {report.evidence}")
    if report.protected:
        lines.append(f"Protected as in the copy: {report.protected}")
    if report.actors:
        lines.append(f"Annotators of the copy: {', '.join(report.actors)}")
    lines.append(f"New conflicts for the lead: {report.conflicts}")
    return "\n".join(lines)


def _merged(host: MergeHost, report: MergeReport) -> None:
    # the merge is no step and may add codebook entries that earlier steps would write
    # back over: those steps cannot be undone any more
    if report.changes:
        host.clear_undo()
        host.apply_changes(report.changes, "merge")
    title = (
        f"Nothing new in {report.source}"
        if report.added_nothing and not report.conflicts
        else f"Merged {report.source}"
    )
    host.statusBar().showMessage(title, 10000)
    text = f"{title}.\n\n{report_text(report)}"
    box = message_box(host.window(), title, text, icon=QMessageBox.Icon.Information)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    if ConflictService(host.project).count_open():
        open_conflicts(host)


def open_conflicts(host: MergeHost) -> ConflictsDialog:
    """The conflicts list, one per window, brought back if it is open."""
    dialog = host.window().findChild(ConflictsDialog)
    if dialog is None:
        dialog = ConflictsDialog(host, host.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reload()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class DecisionCommand(QUndoCommand):
    """One decision on a conflict: the first redo only refreshes (it ran before the push),
    undo reopens it with the record as it was, a later redo decides it again."""

    def __init__(
        self,
        text: str,
        result: StepResult,
        *,
        conflicts: ConflictService,
        conflict_id: int,
        choice: Choice,
        on_change: Callable[[ChangeSet], None],
        on_failed: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self._conflicts, self._id, self._choice = conflicts, conflict_id, choice
        self._result: StepResult = result
        self._on_change, self._on_failed = on_change, on_failed
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._on_change(self._result.changes)
            return
        try:
            self._result = self._conflicts.decide(self._id, self._choice)
        except WorkbenchError as exc:
            self._on_failed(str(exc))
            return
        self._on_change(self._result.changes)

    def undo(self) -> None:
        try:
            changes = self._conflicts.reopen(self._id, self._result.before, self._result.after)
        except WorkbenchError as exc:
            self._on_failed(str(exc))
            return
        self._on_change(changes)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):  # a date: the phrase as written, else its bounds
        phrase, edtf, earliest, latest = value
        return phrase or edtf or (f"{earliest} – {latest}" if earliest or latest else "—")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value) if str(value) else "(empty)"


class ConflictsDialog(QDialog):
    """The open conflicts: the record, the field, our value and the copy's; O keeps ours,
    T takes theirs, and the next conflict is selected."""

    def __init__(self, host: MergeHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._conflicts = ConflictService(host.project)
        self._shown: list[ConflictInfo] = []
        self.setWindowTitle("Merge conflicts")
        self.resize(900, 420)
        self._summary = plain_label("", self)
        self._summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.ours_button = QPushButton("Keep &ours  (O)", self)
        self.theirs_button = QPushButton("Take &theirs  (T)", self)
        self.ours_button.clicked.connect(lambda: self.decide("ours"))
        self.theirs_button.clicked.connect(lambda: self.decide("theirs"))
        for key, choice in (("O", "ours"), ("T", "theirs")):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, c=choice: self.decide(c))
            self.addAction(action)
        self.addActions(host.undo_redo_actions())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ours_button)
        buttons.addWidget(self.theirs_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        host.follow_changes(self._on_changes)  # a method: Qt disconnects it with the dialog

    def _on_changes(self, _changes: object, _initiator: object) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the open conflicts again, staying on the same row number."""
        row = max(self.table.currentRow(), 0)
        try:
            self._shown = self._conflicts.list()
        except WorkbenchError as exc:
            self._host.show_error(str(exc))
            return
        screen = screen_of(self)
        self.table.setRowCount(len(self._shown))
        for index, conflict in enumerate(self._shown):
            label = screen.label(conflict.record_id, conflict.record_label)
            ours, theirs = _shown(conflict.ours), _shown(conflict.theirs)
            if conflict.field == "label" and screen.pseudonym(conflict.record_id):
                ours = theirs = HIDDEN  # both name the protected person, one maybe unknown
            elif conflict.field in ("label", "note"):
                ours, theirs = screen.text(ours), screen.text(theirs)
            source = conflict.source + (f" ({conflict.source_actors})"
                                        if conflict.source_actors else "")  # fmt: skip
            cells = (f"{label} · {conflict.record_type}", FIELD_NAMES[conflict.field], ours,
                     theirs, source)  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip(text))
                self.table.setItem(index, column, item)
        for column, width in enumerate((220, 70, 220, 220)):
            self.table.setColumnWidth(column, width)
        count = len(self._shown)
        set_plain(
            self._summary,
            f"{count} conflict(s): records edited differently here and in a merged copy. "
            "O keeps ours, T takes theirs; Edit → Undo takes a decision back."
            if count
            else "No conflicts wait: every merged record agrees or has been decided.",
        )
        self.ours_button.setEnabled(bool(count))
        self.theirs_button.setEnabled(bool(count))
        if count:
            self.table.selectRow(min(row, count - 1))

    def current(self) -> ConflictInfo | None:
        """The conflict of the selected row."""
        row = self.table.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def decide(self, choice: Choice) -> None:
        """Keep ours or take theirs for the selected conflict, as one undoable step."""
        conflict = self.current()
        if conflict is None:
            return
        try:
            result = self._conflicts.decide(conflict.id, choice)
        except WorkbenchError as exc:
            self._host.show_error(str(exc))
            return
        verb = "Keep ours" if choice == "ours" else "Take theirs"
        field = FIELD_NAMES[conflict.field].lower()
        command = DecisionCommand(
            f"{verb}: {field} of record {conflict.record_id}", result,
            conflicts=self._conflicts, conflict_id=conflict.id, choice=choice,
            on_change=self._host.apply_changes, on_failed=self._host.show_error,
        )  # fmt: skip
        self._host.undo_stack.push(command)
