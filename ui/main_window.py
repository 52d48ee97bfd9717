"""MainWindow: documents, the document under review and its records, with undoable review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.actions import build_actions, refresh_code_actions
from ui.attach_dialog import AttachDialog
from ui.background import BackgroundRunner
from ui.document_actions import DocumentActions
from ui.document_list import DocumentList
from ui.document_view import DocumentView
from ui.drawn_writers import register_drawn_writers
from ui.find_bar import FindBar
from ui.host import ChangeSlot
from ui.layers_bar import LayersBar
from ui.memo_pane import MemoPane
from ui.plain import tell
from ui.presentation import Presentation, screen_of, screen_steps
from ui.record_editor import RecordEditor
from ui.record_targets import focused_record, focused_records
from ui.records_panel import RecordsPanel
from ui.review_queue import ReviewQueue
from ui.search_panel import SearchPanel
from ui.selection_toolbar import SelectionToolbar
from ui.shown_document import ShownDocument
from ui.team_watch import TeamWatch
from ui.timeline.panel import TimelinePanel
from ui.undo import StepCommand
from workbench.changes import ChangeSet
from workbench.domain import (
    AnnotationId,
    CancelFlag,
    DocumentId,
    DocumentInfo,
    Progress,
    RecordId,
    RecordInfo,
)
from workbench.errors import RecordChangedError, WorkbenchError
from workbench.project import Project
from workbench.services.document_rows import DocumentRows
from workbench.services.documents import ImportOptions, ImportReport
from workbench.services.extraction import ExtractionReport, describe_counts
from workbench.services.memos import MemoKind
from workbench.services.steps import StepResult

STATE_VERSION = 3


class MainWindow(QMainWindow):
    """The workbench window over one open project."""

    documentShown = Signal(int)  # noqa: N815 - Qt signal naming; after its records are shown
    # The one broadcast of the change contract: (ChangeSet or None for "anything", initiator)
    # once after every action, undo, redo, import and extraction; each view refreshes only
    # what the changes name.
    changesApplied = Signal(object, object)  # noqa: N815

    def __init__(self, project: Project, *, remember_layout: bool = True) -> None:
        super().__init__()
        self.project = project
        self._remember_layout = remember_layout
        self.codes = {c.name: c for c in project.codebook.list()}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.presentation = Presentation(project, self)  # View → Presentation mode
        self.changesApplied.connect(self.presentation.follow)  # first: views draw with it
        self.changesApplied.connect(lambda changes, _initiator: self.refresh(changes))
        self.retitle()
        self.resize(1400, 860)

        self.document_rows = DocumentRows(project)
        self.shown = ShownDocument(self.document_rows)  # this document's rows, as last read
        self._screen = self.presentation.screen  # as the shown rows were screened
        self.document_view = DocumentView(self)
        self.find_bar = FindBar(self.document_view, self)
        centre = QWidget(self)
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.document_view)
        self.document_view.setMinimumWidth(44 * self.document_view.fontMetrics().averageCharWidth())
        self.setCentralWidget(centre)
        self.document_list = DocumentList(self)
        self.records_panel = RecordsPanel(self)
        self.records_panel.model.set_type_order(  # the codebook's order: data, not code
            [c.name for c in project.codebook.list() if c.kind == "record_type"]
        )
        documents_dock = self._dock(
            "documents", "Documents", self.document_list, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        records_dock = self._dock(
            "records", "Records", self.records_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self._status_labels()

        self.resizeDocks([documents_dock, records_dock], [360, 380], Qt.Orientation.Horizontal)
        self.background = BackgroundRunner(self)
        self._bottom_docks()
        self.layers_bar = LayersBar(self, centre)  # each annotator's work as a layer
        layout.insertWidget(1, self.layers_bar)
        self.last_import: ImportReport | None = None
        self._review_queue: ReviewQueue | None = None
        self.setAcceptDrops(True)
        register_drawn_writers()  # the report's picture, its PDF, timeline pictures
        self.document_actions = DocumentActions(self)
        self.actions_ = build_actions(self)
        self.selection_toolbar = SelectionToolbar(self)
        self.document_list.documentSelected.connect(self.open_document)
        self.document_view.highlightClicked.connect(self._on_highlight_clicked)
        self.records_panel.recordActivated.connect(self.reveal_record)
        self.records_panel.selectionChanged.connect(self._on_records_selected)
        self.timeline.recordActivated.connect(self._on_timeline_activated)
        self.documentShown.connect(self._follow_for_memos)
        self.records_panel.tree.selectionModel().currentChanged.connect(self._follow_for_memos)
        if remember_layout:
            self._restore_layout()
        self.reload_documents()
        # others' commits to a team project refresh the window (ui/team_watch.py)
        self.team = TeamWatch(self) if project.server is not None else None

    def _status_labels(self) -> None:
        """The document's description and the count of documents, in the status bar."""
        self.doc_label = QLabel(self)
        self.doc_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count_label = QLabel(self)
        self.statusBar().addWidget(self.doc_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)

    def _bottom_docks(self) -> None:
        """The timeline, with corpus search and memos as tabs beside it."""
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.search_panel = SearchPanel(self, self)
        self.search_dock = self._dock("search", "Search all documents", self.search_panel, bottom)
        load = self.presentation.timeline_loader(self.project.timeline.items)
        self.timeline = TimelinePanel(load, self)
        self.timeline.export_redaction = self.project.exports.picture_redaction
        timeline_dock = self._dock("timeline", "Timeline", self.timeline, bottom)
        self.memo_pane = MemoPane(self, self)
        self.memo_dock = self._dock("memos", "Memos", self.memo_pane, bottom)
        self.tabifyDockWidget(timeline_dock, self.search_dock)
        self.tabifyDockWidget(timeline_dock, self.memo_dock)
        timeline_dock.raise_()
        self.search_dock.hide()
        self.resizeDocks([timeline_dock], [300], Qt.Orientation.Vertical)

    def _dock(self, name: str, title: str, widget: object, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)  # type: ignore[arg-type]
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable  # or View's toggle is greyed out
        )
        self.addDockWidget(area, dock)
        return dock

    # --- documents
    @property
    def document_id(self) -> DocumentId | None:
        """The document under review."""
        return self.document_view.document_id

    def reload_documents(self) -> None:
        """Re-read the document list; open the first document if none is shown."""
        docs = self.project.documents.list()
        self.document_list.set_documents(docs, self.project.memos.documents_with_memos())
        self.count_label.setText(f"{len(docs)} document(s)")
        if docs and self.document_id is None:
            self.document_list.select_document(docs[0].id)

    def open_document(self, document_id: DocumentId) -> None:
        """Show a document with its highlights and records."""
        if document_id == self.document_id:
            return
        info = self.project.documents.get(document_id)
        text = self.project.documents.text(document_id)
        records = self._read_document(document_id)
        self.document_view.show_document(document_id, text, self.shown.highlights(self.codes))
        self.records_panel.set_records(records, document_id)
        self._show_info(info)
        self.documentShown.emit(document_id)

    def _read_document(self, document_id: DocumentId | None) -> list[RecordInfo]:
        """Read a document's records and passages whole (None: none shown); its records."""
        self._screen = self.presentation.screen
        if document_id is None:
            self.shown.load(None, [], [])
            return []
        records = self.project.records.list(document_id=document_id)
        self.shown.load(document_id, records, self.project.annotations.for_document(document_id))
        return records

    def follow_changes(self, slot: ChangeSlot) -> None:
        """Call ``slot(changes, initiator)`` after every change (``ui.host.StepHost``)."""
        self.changesApplied.connect(slot)

    def apply_changes(self, changes: ChangeSet | None = None, initiator: object = None) -> None:
        """Tell every view what a step changed (``None``: anything), once."""
        self.changesApplied.emit(changes, initiator)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Redraw what a change touched (``None``: anything): the document list's counts and
        titles, this document's label, highlights and records, and the timeline's items.

        A step's records and passages are read back by id and patched in place
        (``ui/shown_document.py``); anything else, or too much at once, reads all again."""
        if changes is not None and not changes:
            return
        # an added document changes no title the timeline shows; an edited or removed one may
        documents_changed = changes is None or bool(
            changes.changed["document"] | changes.removed["document"]
        )
        if changes is not None and self.document_id in changes.removed["document"]:
            self._close_document()  # the next one listed opens below
        codes_changed = changes is None or changes.touches("code")
        if codes_changed:
            self.reload_codebook()
        patch = None
        # a new screen (presentation mode) may read every label anew: all is read again
        if not (codes_changed or changes is None or changes.touches("document")) and (
            self.presentation.screen is self._screen
        ):
            patch = self.shown.patch(changes, self.codes)
        if patch is None or patch.documents is None or changes is None or changes.touches("memo"):
            self.reload_documents()  # counts, titles and memo marks in the list
        elif patch.documents:
            self.document_list.set_counts(self.document_rows.review_counts(patch.documents))
        if self.document_id is not None:
            if documents_changed:
                self._show_info(self.project.documents.get(self.document_id))
            if patch is None:
                records = self._read_document(self.document_id)
                self.document_view.set_highlights(self.shown.highlights(self.codes))
                self.records_panel.update_records(records, complete=True)  # drops the removed
            else:
                self.document_view.patch_highlights(patch.highlights, patch.gone_passages)
                self.records_panel.remove_records(patch.gone_records)
                self.records_panel.update_records(patch.records)
        if documents_changed:  # titles name lanes and hover cards
            self.timeline.invalidate()
        elif changes is not None and changes.touches("record"):
            self.timeline.invalidate(changes.ids("record"))

    def retitle(self) -> None:
        """The title bar: the project's name, as presentation mode screens it (a file may be
        named after a person it protects)."""
        name = self.presentation.screen.text(_title(self.project))
        self.setWindowTitle(f"{name}[*] — Testimony Workbench")

    def reload_codebook(self) -> None:
        """Take the codebook's entries, order, colours and keys again (it was edited)."""
        codes = self.project.codebook.list()
        if list(self.codes.values()) == codes:
            return
        self.codes = {c.name: c for c in codes}
        self.records_panel.model.set_type_order([c.name for c in codes if c.is_record_type])
        refresh_code_actions(self)
        self.selection_toolbar.rebuild()
        self.timeline.invalidate()

    def reserved_keys(self) -> set[str]:
        """Single keys the window's own commands use (a code cannot take them)."""
        return {
            key.toString()
            for name, action in self.actions_.items()
            if not name.startswith("annotate:")
            for key in action.shortcuts()
            if key.count() == 1 and "+" not in key.toString()
        }

    def _close_document(self) -> None:
        """Show no document: the one shown is gone."""
        self._read_document(None)
        self.document_view.show_document(None, "")
        self.records_panel.set_records([], None)
        self.doc_label.clear()

    # --- long work in the background
    def import_paths(self, paths: list[Path], options: ImportOptions | None = None) -> bool:
        """Import files and folders off the UI thread; refusals are listed when it ends."""
        documents = self.project.documents

        def work(progress: Progress, cancel: CancelFlag) -> ImportReport:
            return documents.import_paths(paths, options, progress=progress, cancel=cancel)

        return self.background.start(
            "Importing documents", work, self._on_imported, self.show_error
        )

    def extract(self, *, all_documents: bool = False) -> bool:
        """Run extraction on this document (or all) in worker processes, one per core as
        memory allows; this window, which owns the project, stores each piece's suggestions
        as they arrive.

        Processes, not threads: spaCy holds the interpreter lock for 100 ms and more at a
        time, which would freeze the window.
        """
        from workbench.services.extraction_feed import ExtractionFeed  # noqa: PLC0415
        from workbench.services.extraction_processes import COMMAND, worker_count  # noqa: PLC0415

        ids = None if all_documents or self.document_id is None else [self.document_id]
        try:
            wanted = self.project.extraction.document_ids(ids)
            feed = ExtractionFeed(self.project.extraction, wanted, worker_count(len(wanted)))
        except WorkbenchError as exc:
            self.show_error(str(exc))
            return False
        return self.background.start_process(
            "Extracting suggestions",
            COMMAND,
            feed,
            self._on_extracted,
            self.show_error,
        )

    def _on_imported(self, report: ImportReport) -> None:
        self.last_import = report
        self.apply_changes(report.changes, "import")
        if report.imported:
            self.document_list.select_document(report.imported[-1].id)
        summary = f"Imported {len(report.imported)} document(s)"
        if report.cancelled:
            summary += " (stopped before the end)"
        self.statusBar().showMessage(summary, 8000)
        if report.refused or report.notes:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self)
            lines = [f"{r.path.name}: {r.message}" for r in report.refused]
            lines += [f"{n.path.name}: note: {n.message}" for n in report.notes]
            box.setInformativeText(f"{len(report.refused)} file(s) were not imported.")
            box.setDetailedText("\n".join(lines))
            box.open()  # not modal: the work goes on

    def _on_extracted(self, report: ExtractionReport) -> None:
        counts = describe_counts(report.added)
        stopped = " (stopped before the end)" if report.cancelled else ""
        self.statusBar().showMessage(f"Suggested {counts}{stopped}", 8000)
        self.apply_changes(report.changes, "extraction")  # what the owner stored

    def show_error(self, message: str) -> None:
        """Tell the user why something was not done (one line, never a traceback)."""
        tell(self, "Not done", message)

    def _hint(self, message: str) -> None:
        """Say briefly in the status bar why a step did nothing (a selection is missing)."""
        self.statusBar().showMessage(message, 3000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.document_actions.ask_and_import(paths):
            event.acceptProposedAction()

    # --- steps (each one service call, pushed as an undoable command)
    def run_step(self, text: str, step: Callable[[], StepResult | None]) -> StepResult | None:
        """Run a step; on success push it on the undo stack, else explain why not."""
        try:
            result = step()
        except WorkbenchError as exc:
            if isinstance(exc, RecordChangedError):  # the views read those records again
                self.apply_changes(ChangeSet().change("record", *exc.record_ids))
            self.show_error(str(exc))
            return None
        if result is None:
            self._hint("Nothing to do")
            return None
        self.undo_stack.push(
            StepCommand(
                text, self.project.steps, result, self.apply_changes, on_failed=self._step_failed
            )
        )
        if self.presentation.active:  # the Edit menu names the step as the screen shows it
            screen_steps(self.undo_stack, self.presentation.screen)
        return result

    def annotate(self, code_name: str, *, snap: bool = True) -> None:
        """Annotate the selected passage with a record type or code."""
        span = self.document_view.selected_span(snap=snap)
        if span is None or self.document_id is None:
            self._hint("Select a passage first")
            return
        doc_id = self.document_id
        code = self.codes[code_name]
        result = self.run_step(
            f"Annotate as {code.label}",
            lambda: self.project.review.annotate(doc_id, span.start, span.end, code_name),
        )
        if result is not None and result.record_ids:
            self.records_panel.select_record(result.record_ids[0])

    def attach(self, record_id: RecordId) -> None:
        """Link the selected passage to an existing record."""
        span = self.document_view.selected_span()
        if span is None or self.document_id is None:
            self._hint("Select a passage first")
            return
        doc_id = self.document_id
        self.run_step(
            "Attach passage",
            lambda: self.project.review.attach(doc_id, span.start, span.end, record_id),
        )

    def attach_chosen(self) -> None:
        """Attach the selected passage to a record picked by typing its name."""
        span = self.document_view.selected_span()
        if span is None:
            self._hint("Select a passage first")
            return
        passage = self.document_view.stored_text[span.start : span.end]
        dialog = AttachDialog(self.project.records.list(), passage, self)
        accepted = dialog.exec() == AttachDialog.DialogCode.Accepted
        if accepted and (record_id := dialog.record_id()) is not None:
            self.attach(record_id)

    def set_status(self, status: str) -> None:
        """Accept or reject the records the user is looking at (as Del picks them: the
        highlight under the text cursor, or the records panel's selection while it has
        the focus), never a leftover selection elsewhere."""
        ids = focused_records(self)
        if not ids:
            self._hint("Select a record first")
            return
        self.set_record_status(ids, status)

    def set_record_status(self, ids: list[RecordId], status: str) -> StepResult | None:
        """Accept, reject or reopen these records as one undoable step."""
        verb = {"accepted": "Accept", "rejected": "Reject", "suggested": "Reopen"}[status]
        return self.run_step(
            f"{verb} {_count(ids)}", lambda: self.project.review.set_status(ids, status)
        )

    def protect(self, *, protected: bool = True) -> None:
        """Protect (or release) the records the user is looking at, as Del picks them."""
        ids = focused_records(self)
        if not ids:
            self._hint("Select a record first")
            return
        self.protect_records(ids, protected=protected)

    def protect_records(self, ids: list[RecordId], *, protected: bool = True) -> None:
        """Protect or release these records as one undoable step, and say what that means."""
        verb = "Protect" if protected else "Unprotect"
        records, chosen = self.project.records, list[int](ids)
        if self.run_step(f"{verb} {_count(ids)}", lambda: records.protect(chosen, protected)):
            meaning = "hidden in exports and in presentation mode" if protected else "shown again"
            self.statusBar().showMessage(f"{verb}ed {_count(ids)}: {meaning}", 8000)

    def _current_record(self, record_id: RecordId | None = None) -> RecordInfo | None:
        """A record (by default the one the user is looking at: see ``focused_record``) as
        stored now; None (and a hint) if none."""
        if record_id is None:
            record_id = focused_record(self)
        if record_id is None:
            self._hint("Select a record first")
            return None
        return self.project.records.get(record_id)

    def edit_record(self, *, record_id: RecordId | None = None) -> None:
        """Open the record editor on a record (by default the one the user is looking at);
        its changes are one undoable step."""
        record = self._current_record(record_id)
        if record is None:
            return
        types = [c for c in self.codes.values() if c.is_record_type]
        editor = RecordEditor(record, types, self.project.review, self)
        if editor.exec() != RecordEditor.DialogCode.Accepted:
            return
        changes, protect = editor.changes(), editor.protection()
        both = bool(changes) and protect is not None
        if both:
            self.undo_stack.beginMacro("Edit record")  # one undo for the editor's OK
        if changes:
            self.run_step(
                "Edit record",  # refused when another annotator wrote it since it was read
                lambda: self.project.review.edit(record.id, seen=record.version, **changes),
            )
        if protect is not None:
            self.protect_records([record.id], protected=protect)
        if both:
            self.undo_stack.endMacro()
            macro = self.undo_stack.command(self.undo_stack.index() - 1)
            if macro is not None and macro.childCount() == 0:  # neither step was done
                macro.setObsolete(True)  # undone, an obsolete command leaves the stack
                self.undo_stack.undo()

    def note_record(self) -> None:
        """Write the memo of the record the user is looking at, in the memo pane."""
        record = self._current_record()
        if record is None:
            return
        self.memo_pane.set_context(self.document_id, record.id)
        self.open_memo("record")

    def open_memo(self, kind: MemoKind) -> None:
        """Show the memo pane on the project's, the document's or the record's memo, with
        the keyboard in it."""
        self.memo_dock.show()
        self.memo_dock.raise_()
        self.memo_pane.show_kind(kind)
        self.memo_pane.editor.setFocus()

    def clear_undo(self) -> None:
        """Forget the undo history (``DocumentHost``): a project import is no step."""
        self.undo_stack.clear()

    def selected_document_ids(self) -> list[DocumentId]:
        """The documents selected in the document list (``ExportHost``)."""
        return self.document_list.selected_document_ids()

    def listed_record_ids(self) -> list[RecordId]:
        """The records the records panel's filter shows (``ExportHost``)."""
        return self.records_panel.model.matching_ids()

    def selected_record_ids(self) -> list[RecordId]:
        """The records selected in the records panel (``ExportHost``)."""
        return self.records_panel.selected_record_ids()

    def show_document(self, document_id: DocumentId) -> None:
        """Open a document as if chosen in the document list."""
        self.document_list.select_document(document_id)

    def _step_failed(self, message: str, undo: bool) -> None:
        """An undo or redo could not be written: say why and put the stack back where the
        project is (after the stack has finished its own step)."""
        QTimer.singleShot(0, self.undo_stack.undo if undo else self.undo_stack.redo)
        self.show_error(message)

    def _show_info(self, info: DocumentInfo) -> None:
        parts = [info.title, info.published or "no date", info.outlet or info.source or ""]
        parts += [f"{info.chars:,} characters", f"language {info.language or 'unknown'}"]
        self.doc_label.setTextFormat(Qt.TextFormat.PlainText)  # a title is the file's words
        self.doc_label.setText(screen_of(self).text("  ·  ".join(p for p in parts if p)))

    def open_review_queue(self) -> ReviewQueue:
        """Walk this document's suggestions one by one (one queue per window, raised)."""
        if self._review_queue is None:
            self._review_queue = ReviewQueue(self, self)
        self._review_queue.show()
        self._review_queue.raise_()
        self._review_queue.activateWindow()
        return self._review_queue

    def split_record(self) -> None:
        """Move the selected passage's evidence of a record into a new record: the record of
        the highlight the selection lies in, or the records panel's current one while the
        panel has the focus."""
        record_id = focused_record(self)
        span = self.document_view.selected_span(snap=False)
        if record_id is None or span is None or self.document_id is None:
            self._hint("Select a record and one of its passages to split")
            return
        doc_id, review = self.document_id, self.project.review
        self.run_step(
            "Split record", lambda: review.split_passage(record_id, doc_id, span.start, span.end)
        )

    def delete_records(self) -> None:
        """Delete the records the user is looking at (the highlight under the text cursor, or
        the records panel's selection while it has the focus) and the passages that support
        nothing else; say what went."""
        ids = focused_records(self)
        if not ids:
            self._hint("Select a record first")
            return
        record = self.project.records.get(ids[0])
        label = screen_of(self).label(record.id, record.label) if len(ids) == 1 else _count(ids)
        if self.run_step(f"Delete {_count(ids)}", lambda: self.project.review.delete(ids)):
            self.statusBar().showMessage(f"Deleted {label} (Edit → Undo to restore)", 8000)

    def merge_records(self) -> None:
        """Merge the records the user is looking at (the records panel's selection while it
        has the focus, or the highlights a text selection covers) into the first one."""
        ids = focused_records(self)
        if len(ids) < 2:
            self._hint("Select two or more records of one type to merge")
            return
        self.run_step(f"Merge {_count(ids)}", lambda: self.project.review.merge(ids[0], ids[1:]))

    def bulk_status(self, status: str, **filters: object) -> None:
        """Accept or reject every suggestion of this document matching the filters."""
        doc_id = self.document_id
        verb = "Accept" if status == "accepted" else "Reject"
        self.run_step(
            f"{verb} all matching suggestions",
            lambda: self.project.review.bulk_status(status, document_id=doc_id, **filters),  # type: ignore[arg-type]
        )

    # --- selection between views
    def show_passage(
        self, document_id: DocumentId, start: int, end: int, *, flash: bool = True
    ) -> None:
        """Open a document if it is not the one shown, then select (and flash) [start, end)."""
        if document_id != self.document_id:
            self.document_list.select_document(document_id)
        self.document_view.reveal(start, end, flash=flash)

    def follow_document(self, slot: Callable[[DocumentId], None]) -> None:
        """Call ``slot(document_id)`` whenever another document is shown (``QueueHost``)."""
        self.documentShown.connect(slot)

    def undo_redo_actions(self) -> list[QAction]:
        """Undo and Redo, for windows of their own that want the same keys."""
        return [self.actions_["undo"], self.actions_["redo"]]

    def reveal_record(self, record_id: RecordId) -> None:
        """Show a record's first passage: in this document if it has one, else where it is."""
        passages = self.project.annotations.for_record(record_id)
        here = [a for a in passages if a.document_id == self.document_id]
        target = here[0] if here else (passages[0] if passages else None)
        if target is None:
            return
        elsewhere = target.document_id != self.document_id
        self.show_passage(target.document_id, target.start, target.end)
        if elsewhere:
            self.records_panel.select_record(record_id)  # the panel now lists that document's

    def _on_highlight_clicked(self, annotation_id: AnnotationId) -> None:
        for h in self.document_view.highlights():
            if h.annotation_id == annotation_id and h.record_ids:
                self.records_panel.select_record(h.record_ids[0])
                return

    def _follow_for_memos(self, *_args: object) -> None:
        self.memo_pane.set_context(self.document_id, self.records_panel.current_record_id())

    def _on_records_selected(self, record_ids: list[RecordId]) -> None:
        self.document_view.emphasise(set(record_ids))
        self.timeline.set_selected(record_ids)

    def _on_timeline_activated(self, record_id: RecordId) -> None:
        """An item clicked on the timeline: its passage in the document, its record selected."""
        self.reveal_record(record_id)
        self.records_panel.select_record(record_id)

    def _on_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    # --- layout
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("mainWindow/state")
        if isinstance(state, QByteArray):
            self.restoreState(state, STATE_VERSION)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.team is not None:
            self.team.stop()
        self.background.cancel()
        self.background.wait()
        if self._remember_layout:
            settings = QSettings()
            settings.setValue("mainWindow/geometry", self.saveGeometry())
            settings.setValue("mainWindow/state", self.saveState(STATE_VERSION))
        super().closeEvent(event)


def _title(project: Project) -> str:
    """The project's name in the title bar: a team project's database and host (it has no
    file), else the file's name."""
    return project.location if project.server is not None else project.path.name


def _count(ids: list[RecordId]) -> str:
    return "1 record" if len(ids) == 1 else f"{len(ids)} records"
