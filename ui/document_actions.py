"""What the user does to whole documents: import with batch metadata, edit metadata (and
re-date what depends on the published date), rename, delete, save a copy of the project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from ui.host import DocumentHost
from ui.import_dialog import ImportDialog
from ui.metadata_dialog import MetadataDialog
from ui.plain import message_box, tell
from workbench.domain import CancelFlag, DocumentId, Progress
from workbench.errors import WorkbenchError
from workbench.importers import ImportCancelled
from workbench.paths import PROJECT_SUFFIX
from workbench.services.backups import BackupService
from workbench.services.dating import Redating
from workbench.services.project_import import ProjectImportReport
from workbench.storage.transfer import CopyCancelledError, CopyReport, copy_project

SHOWN_CHANGES = 8  # re-datings listed by name before "and N more"
COPY_COUNTS = (("documents", "document(s)"), ("annotations", "passage(s)"),
               ("records", "record(s)"), ("memos", "memo(s)"))  # fmt: skip


class DocumentActions(QObject):
    """The document commands of the File menu and the document list, as undoable steps."""

    def __init__(self, host: DocumentHost) -> None:
        super().__init__(host.window())
        self._host = host
        host.document_list.deleteRequested.connect(self.delete)
        host.document_list.renameRequested.connect(self.rename)

    # --- import
    def ask_and_import(self, paths: list[Path]) -> bool:
        """Ask for the batch's published date, outlet and source, then import."""
        files = sum(1 for p in paths if not p.is_dir())
        dialog = ImportDialog(files if files == len(paths) else 0, self._host.window())
        if dialog.exec() != ImportDialog.DialogCode.Accepted:
            return False
        return self._host.import_paths(paths, dialog.options())

    # --- metadata
    def targets(self, *, listed: bool = False) -> list[DocumentId]:
        """The documents a command acts on: the selected ones, else the one shown (or every
        listed one)."""
        documents = self._host.document_list
        if listed:
            return documents.listed_document_ids()
        shown = self._host.document_id
        return documents.selected_document_ids() or ([shown] if shown is not None else [])

    def edit_metadata(self, *, listed: bool = False) -> None:
        """Edit title, date and source of the selected documents, or of all listed ones."""
        ids = self.targets(listed=listed)
        if not ids:
            return
        docs = [self._host.project.documents.get(i) for i in ids]
        dialog = MetadataDialog(docs, self._host.window())
        if dialog.exec() == MetadataDialog.DialogCode.Accepted and dialog.values():
            self.apply_metadata(ids, dialog.values())

    def apply_metadata(
        self, ids: list[DocumentId], values: dict[str, str | None], *, ask: bool = True
    ) -> None:
        """Set metadata of documents as one undoable step. A new published date re-dates the
        suggestions whose phrase depends on it; accepted records only if the user agrees
        (``ask=False``: without asking, suggestions only)."""
        documents = self._host.project.documents
        redate_accepted = False
        if "published" in values:
            try:
                changes = documents.redatings(ids, values["published"])
            except WorkbenchError as exc:
                self._host.show_error(str(exc))
                return
            accepted = [c for c in changes if c.status == "accepted"]
            if accepted and ask:
                answer = self._ask_redate(accepted, len(changes) - len(accepted))
                if answer == QMessageBox.StandardButton.Cancel:
                    return
                redate_accepted = answer == QMessageBox.StandardButton.Yes
        self._host.run_step(
            "Edit document metadata",
            lambda: documents.update_metadata(ids, redate_accepted=redate_accepted, **values),
        )

    def _ask_redate(self, accepted: list[Redating], suggestions: int) -> QMessageBox.StandardButton:
        lines = [f"• {c.label}: {c.date_text} — {c.before} → {c.after}" for c in accepted]
        more = len(lines) - SHOWN_CHANGES
        shown = lines[:SHOWN_CHANGES] + ([f"… and {more} more"] if more > 0 else [])
        text = (
            f"The new published date changes the dates of {len(accepted)} accepted record(s):\n\n"
            + "\n".join(shown)
            + f"\n\n{suggestions} suggestion(s) are re-dated in any case. Re-date the accepted "
            "records too? Edit → Undo takes it all back."
        )
        buttons = (
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel
        )
        box = message_box(
            self._host.window(), "Re-date accepted records?", text, buttons,
            QMessageBox.Icon.Question,
        )  # fmt: skip
        box.button(QMessageBox.StandardButton.Yes).setText("&Re-date them too")
        box.button(QMessageBox.StandardButton.No).setText("&Only suggestions")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return QMessageBox.StandardButton(box.exec())

    # --- rename and delete
    def rename(self) -> None:
        """Give the document shown (or the one selected) a new title (undoable)."""
        ids = self.targets()
        if len(ids) != 1:
            self._host.statusBar().showMessage("Select one document to rename", 4000)
            return
        current = self._host.project.documents.get(ids[0]).title
        title, ok = QInputDialog.getText(
            self._host.window(), "Rename document", "Title:", QLineEdit.EchoMode.Normal, current
        )
        if ok and title.strip() and title.strip() != current:
            documents = self._host.project.documents
            self._host.run_step("Rename document", lambda: documents.rename(ids[0], title))

    def delete(self) -> None:
        """Delete the selected documents after saying what goes with them (undoable)."""
        ids = self.targets()
        if not ids:
            self._host.statusBar().showMessage("Select a document first", 4000)
            return
        documents = self._host.project.documents
        impact = documents.deletion_impact(ids)
        names = f"“{documents.get(ids[0]).title}”" if len(ids) == 1 else f"{len(ids)} documents"
        text = (
            f"Delete {names} from the project?\n\n"
            f"• {impact.annotations} highlighted passage(s) go with it\n"
            f"• {impact.records_removed} record(s) found nowhere else are deleted\n"
            f"• {impact.records_kept} record(s) keep their passages in other documents\n\n"
            "Edit → Undo brings it all back. Once deleted, its text is erased from the "
            "project file; backups made before now still hold it."
        )
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = message_box(self._host.window(), "Delete documents", text, buttons)
        box.button(QMessageBox.StandardButton.Yes).setText("&Delete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        if self._host.run_step(f"Delete {names}", lambda: documents.delete(ids)):
            self._host.statusBar().showMessage(f"Deleted {names} (Edit → Undo to restore)", 8000)

    # --- other projects
    def import_project(self) -> None:
        """Bring in a whole-project JSON export, a REFI-QDA project or codebook."""
        name, _ = QFileDialog.getOpenFileName(
            self._host.window(), "Import a project or codebook", "",
            "Projects and codebooks (*.json *.qdpx *.qdc)",
        )  # fmt: skip
        if name:
            self.import_project_file(Path(name))

    def import_project_file(self, path: Path) -> bool:
        """Import ``path`` in the background; the window follows its changes."""
        project_import = self._host.project.project_import

        def work(progress: Progress, cancel: CancelFlag) -> ProjectImportReport | None:
            try:
                return project_import.import_file(path, progress, cancel)
            except ImportCancelled:  # rolled back: nothing came in
                return None

        def done(report: ProjectImportReport | None) -> None:
            if report is None:
                self._host.statusBar().showMessage("Import cancelled; nothing came in", 8000)
                return
            # the import is no step, and may have replaced codebook entries that earlier
            # steps would write back: those steps cannot be undone any more
            self._host.clear_undo()
            self._host.apply_changes(report.changes, "import")
            self._host.statusBar().showMessage(
                f"Imported {report.documents} document(s), {report.annotations} annotation(s),"
                f" {report.records} record(s) and {report.codes} code(s) from {path.name}",
                10000,
            )
            if report.notes:
                tell(self._host.window(), "Imported, with notes", "\n".join(report.notes))

        return self._host.background.start(
            f"Importing {path.name}", work, done, self._host.show_error
        )

    # --- the project
    def save_copy(self) -> None:
        """Write a consistent copy of the project to a new file the user names (a team
        project's copy is suggested in the home folder: its name is no folder)."""
        project = self._host.project
        if project.server is None:
            folder, base = project.path.parent, project.path.stem
        else:  # the database's name, dots and all
            folder, base = Path.home(), project.path.name
        name = f"{base} copy{PROJECT_SUFFIX}"
        chosen, _ = QFileDialog.getSaveFileName(
            self._host.window(),
            "Save a copy of the project",
            str(folder / name),
            f"Workbench projects (*{PROJECT_SUFFIX})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing file is refused
        )
        if chosen:
            self.save_copy_to(Path(chosen))

    def save_copy_to(self, target: Path) -> bool:
        """Copy the project to ``target`` (a new file) and say where it went: a file at once,
        a team project in the background with progress and Cancel. False if not started."""
        if target.suffix != PROJECT_SUFFIX:
            target = target.with_name(target.name + PROJECT_SUFFIX)
        project = self._host.project
        if target.resolve() == project.path or target.exists():
            self._host.show_error(f"{target.name} already exists; choose a new file name")
            return False
        if project.server is not None:
            return self._copy_from_server(target)
        try:
            BackupService(project).back_up(target)
        except WorkbenchError as exc:
            self._host.show_error(str(exc))
            return False
        self._host.statusBar().showMessage(f"Saved a copy as {target}", 8000)
        return True

    def _copy_from_server(self, target: Path) -> bool:
        """Copy the team project on the server into the new file ``target`` on the worker
        thread; a cancelled or failed copy leaves no file."""
        engine = self._host.project.engine

        def work(progress: Progress, cancel: CancelFlag) -> CopyReport | None:
            try:
                return copy_project(engine, target, progress=progress, cancel=cancel)
            except CopyCancelledError:
                return None

        def done(report: CopyReport | None) -> None:
            if report is None:
                self._host.statusBar().showMessage("Copy cancelled; no file was written", 8000)
                return
            counts = ", ".join(f"{report.count(table)} {label}" for table, label in COPY_COUNTS)
            self._host.statusBar().showMessage(f"Saved a copy as {target}: {counts}", 15000)

        started = self._host.background.start(
            f"Saving a copy as {target.name}", work, done, self._host.show_error
        )
        if not started:
            self._host.statusBar().showMessage("Wait for the running task to finish", 5000)
        return started
