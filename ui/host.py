"""What a panel or dialog may ask of the window hosting it: a small Protocol, not the window.

Panels and dialogs take a host and a parent widget; they read and write through the core
(``host.project``), run long work on ``host.background``, make undoable steps with
``host.run_step``, tell the user with ``host.show_error``, and follow the change broadcast
with ``host.follow_changes``. They never reach into the window's other panels.
Controllers that own no widget of their own (backups) take only a host, and open their
dialogs over ``host.window()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar, QWidget

    from ui.background import BackgroundRunner
    from ui.document_list import DocumentList
    from workbench.changes import ChangeSet
    from workbench.domain import DocumentId, RecordId
    from workbench.project import Project
    from workbench.services.documents import ImportOptions
    from workbench.services.steps import StepResult

ChangeSlot = Callable[["ChangeSet | None", object], None]


class ProjectHost(Protocol):
    """The open project and the one worker that runs its long work."""

    @property
    def project(self) -> Project:
        """The open project (the core)."""
        ...

    @property
    def background(self) -> BackgroundRunner:
        """The one serial worker for long work and quick reads."""
        ...


class BackupHost(ProjectHost, Protocol):
    """A host for the backup controller: a window with a status bar that may be closing."""

    def window(self) -> QWidget:
        """The top-level window: the controller lives in it, its dialogs open over it."""
        ...

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name, so the window is a host as it is
        """False once the window is closing (its project is about to close)."""
        ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - Qt's name, as above
        """Where a backup made or failed is said without interrupting."""
        ...


class StepHost(ProjectHost, Protocol):
    """The project, its worker, undoable steps, errors and the change broadcast."""

    def run_step(self, text: str, step: Callable[[], StepResult | None]) -> StepResult | None:
        """Run one review step; on success it is on the undo stack."""
        ...

    def show_error(self, message: str) -> None:
        """Tell the user, in one line, why something was not done."""
        ...

    def follow_changes(self, slot: ChangeSlot) -> None:
        """Call ``slot(changes, initiator)`` after every step, undo, redo and import."""
        ...


class PassageHost(StepHost, Protocol):
    """A host that can also show a passage of a document (for search results)."""

    def show_passage(
        self, document_id: DocumentId, start: int, end: int, *, flash: bool = True
    ) -> None:
        """Open the document and select the passage [start, end) (code points)."""
        ...


class QueueHost(PassageHost, Protocol):
    """A host for the review queue: the document shown, decisions by record id, the editor."""

    @property
    def document_id(self) -> DocumentId | None:
        """The document shown (the queue walks its suggestions)."""
        ...

    def set_record_status(self, ids: list[RecordId], status: str) -> StepResult | None:
        """Accept, reject or reopen these records as one undoable step."""
        ...

    def edit_record(self, *, record_id: RecordId | None = None) -> None:
        """Open the record editor on this record."""
        ...

    def follow_document(self, slot: Callable[[DocumentId], None]) -> None:
        """Call ``slot(document_id)`` whenever another document is shown."""
        ...

    def undo_redo_actions(self) -> list[QAction]:
        """Undo and Redo, so their keys work in the queue's own window."""
        ...


class DocumentHost(StepHost, Protocol):
    """A host for the document commands: the document list, the document shown, imports."""

    def apply_changes(self, changes: ChangeSet | None = None, initiator: object = None) -> None:
        """Tell every view what changed (an import of another project)."""
        ...

    def clear_undo(self) -> None:
        """Forget the undo history (after a change no step can be written back over)."""
        ...

    @property
    def document_list(self) -> DocumentList:
        """The list of documents (its selection and the filter's listing)."""
        ...

    @property
    def document_id(self) -> DocumentId | None:
        """The document shown, if any."""
        ...

    def import_paths(self, paths: list[Path], options: ImportOptions | None = None) -> bool:
        """Import files and folders in the background; False when that could not start."""
        ...

    def window(self) -> QWidget:
        """The top-level window the commands' dialogs open over."""
        ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - Qt's name
        """Where a command's outcome is said without interrupting."""
        ...


class CodebookHost(StepHost, Protocol):
    """A host for the codebook editor: steps, their keys, and the keys the window keeps."""

    def undo_redo_actions(self) -> list[QAction]:
        """Undo and Redo, so their keys work in the editor's own window."""
        ...

    def reserved_keys(self) -> set[str]:
        """Single keys the window's own commands use."""
        ...


class MemoHost(StepHost, Protocol):
    """A host for the memo pane: it opens what a memo found is about."""

    def show_document(self, document_id: DocumentId) -> None:
        """Open a document as if chosen in the document list."""
        ...

    def reveal_record(self, record_id: RecordId) -> None:
        """Select a record and show its passage."""
        ...


class ExportHost(ProjectHost, Protocol):
    """A host for the Export dialog: what is selected where, and where to say the outcome."""

    def selected_document_ids(self) -> list[DocumentId]:
        """The documents selected in the document list."""
        ...

    def listed_record_ids(self) -> list[RecordId]:
        """The records the records panel's filter shows."""
        ...

    def selected_record_ids(self) -> list[RecordId]:
        """The records selected in the records panel."""
        ...

    def show_error(self, message: str) -> None:
        """Tell the user, in one line, why something was not done."""
        ...

    def window(self) -> QWidget:
        """The top-level window dialogs open over."""
        ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - Qt's name
        """Where an outcome is said without interrupting."""
        ...
