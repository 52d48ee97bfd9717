"""The window's menus and shortcuts: one action per user step, tooltips naming the keys."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QMessageBox

from ui.audit_dialog import AuditLogDialog
from ui.backups import controller_of
from ui.merge_proposals import MergeProposals
from ui.palette import apply_palette, saved_dark
from ui.plain import tell
from ui.shortcuts_dialog import ShortcutsDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# Redo on every desktop: Ctrl+Shift+Z, and Ctrl+Y where that is not another step (macOS).
REDO_KEYS = ("Ctrl+Shift+Z",) if sys.platform == "darwin" else ("Ctrl+Shift+Z", "Ctrl+Y")


def platform_keys(standard: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's bindings of a standard key (they differ between desktops)."""
    return QKeySequence.keyBindings(standard)


def standard_keys(standard: QKeySequence.StandardKey, *extra: str) -> list[QKeySequence]:
    """The platform's keys for a standard step, then ``extra`` ones it lacks, each once: a
    key bound twice, even to one action, is ambiguous and does nothing."""
    keys: list[QKeySequence] = []
    for key in [*platform_keys(standard), *(QKeySequence(k) for k in extra)]:
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys


def _set_keys(action: QAction, keys: list[QKeySequence], tip: str) -> None:
    """Bind ``keys`` in the whole window and name the first in the tooltip."""
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    native = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
    action.setToolTip(f"{tip} ({native})" if native else tip)
    action.setStatusTip(action.toolTip())


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[..., object],
    shortcut: str | list[QKeySequence] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(shortcut)] if isinstance(shortcut, str) else list(shortcut or [])
    _set_keys(action, keys, tip or text.replace("&", ""))
    action.triggered.connect(slot)
    return action


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """Create the menus of ``window`` and return its actions by name."""
    actions: dict[str, QAction] = {}
    bar = window.menuBar()

    file_menu = bar.addMenu("&File")
    actions["new"] = _action(window, "&New project…", lambda: _new_project(window), "Ctrl+N")
    actions["open"] = _action(window, "&Open project…", lambda: _open_project(window), "Ctrl+O")
    file_menu.addActions([actions["new"], actions["open"]])
    recent = file_menu.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    file_menu.addSeparator()
    actions["import_files"] = _action(
        window,
        "&Import files…",
        lambda: _import_files(window),
        "Ctrl+I",
        "Import txt, md, html, docx or pdf files",
    )
    actions["import_folder"] = _action(
        window,
        "Import &folder…",
        lambda: _import_folder(window),
        "Ctrl+Shift+I",
        "Import every supported file in a folder and its subfolders",
    )
    actions["quit"] = _action(window, "&Quit", window.close, "Ctrl+Q")
    actions["metadata"] = _action(
        window,
        "Document &metadata…",
        window.edit_metadata,
        "Ctrl+Shift+M",
        "Title, published date and source of the selected documents",
    )
    actions["metadata_listed"] = _action(
        window,
        "Metadata of all &listed documents…",
        lambda: window.edit_metadata(listed=True),
        tip="Set the date, source or outlet of every document the filter shows",
    )
    file_menu.addActions(
        [
            actions["import_files"],
            actions["import_folder"],
            actions["metadata"],
            actions["metadata_listed"],
        ]
    )
    file_menu.addSeparator()
    backups = controller_of(window)
    actions["back_up"] = _action(
        window,
        "&Back up now",
        backups.back_up_now,
        "Ctrl+Shift+B",
        "Copy the project into its backups folder beside it",
    )
    actions["restore"] = _action(
        window,
        "Restore from bac&kup…",
        backups.restore_chosen,
        tip="Open a restored copy of one of this project's backups in a new window",
    )
    actions["verify"] = _action(
        window,
        "&Verify project",
        backups.verify_now,
        tip="Check the project file for damage: its pages, index, texts, quotes and evidence",
    )
    actions["backups_keep"] = _action(
        window,
        "Backups to keep…",
        backups.choose_keep,
        tip="How many backups each project keeps; older ones are deleted",
    )
    file_menu.addActions(
        [actions["back_up"], actions["restore"], actions["verify"], actions["backups_keep"]]
    )
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setIconText("Undo")  # the text names the step; the shortcuts page names the action
    _set_keys(undo, standard_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"), "Undo")
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setIconText("Redo")
    _set_keys(redo, standard_keys(QKeySequence.StandardKey.Redo, *REDO_KEYS), "Redo")
    edit_menu.addActions([undo, redo])
    edit_menu.addSeparator()
    actions["find"] = _action(window, "&Find in document…", window.find_bar.open, "Ctrl+F")
    edit_menu.addAction(actions["find"])
    actions["search"] = _action(
        window, "&Search all documents…", lambda: _open_search(window), "Ctrl+Shift+F"
    )
    edit_menu.addAction(actions["search"])
    actions["undo"], actions["redo"] = undo, redo

    annotate_menu = bar.addMenu("&Annotate")
    for code in window.codes.values():
        key = code.shortcut
        action = _action(
            window,
            code.label,
            lambda _=False, name=code.name: window.annotate(
                name, snap=not window.document_view.exact_selection
            ),
            key,
            f"Annotate the selected passage as {code.label}",
        )
        actions[f"annotate:{code.name}"] = action
        annotate_menu.addAction(action)

    annotate_menu.addSeparator()
    actions["attach"] = _action(
        window,
        "Attach to &existing record…",
        window.attach_chosen,
        "Ctrl+L",
        "Link the selected passage to a person, place or event that already exists",
    )
    annotate_menu.addAction(actions["attach"])

    review_menu = bar.addMenu("&Review")
    actions["extract"] = _action(
        window,
        "E&xtract suggestions from this document",
        lambda: window.extract(all_documents=False),
        "Ctrl+E",
    )
    actions["extract_all"] = _action(
        window,
        "Extract suggestions from &all documents",
        lambda: window.extract(all_documents=True),
        "Ctrl+Shift+E",
    )
    actions["queue"] = _action(
        window,
        "Review &queue…",
        window.open_review_queue,
        "Ctrl+R",
        "Walk this document's suggestions one by one",
    )
    actions["proposals"] = _action(
        window,
        "Merge &proposals…",
        lambda: MergeProposals(window, window).open(),
        "Ctrl+M",
        "Records across documents that look like one name spelled two ways",
    )
    review_menu.addActions(
        [actions["extract"], actions["extract_all"], actions["queue"], actions["proposals"]]
    )
    review_menu.addSeparator()
    for name, text, key, slot in (
        ("accept", "&Accept", "A", lambda: window.set_status("accepted")),
        ("reject", "&Reject", "R", lambda: window.set_status("rejected")),
        ("reopen", "Back to &suggested", "S", lambda: window.set_status("suggested")),
        ("edit", "&Edit…", "E", window.edit_record),
        ("note", "&Note…", "N", window.note_record),
        ("merge", "&Merge selected records", "M", window.merge_records),
        ("split", "S&plit the selected passage off", "P", window.split_record),
        ("delete", "&Delete", "Del", window.delete_records),
    ):
        actions[name] = _action(window, text, slot, key)
        review_menu.addAction(actions[name])
    review_menu.addSeparator()
    bulk = review_menu.addMenu("Accept all suggestions in this document")
    for code in window.codes.values():
        if code.is_record_type:
            bulk.addAction(
                _action(
                    window,
                    f"{code.label}s",
                    lambda _=False, n=code.name: window.bulk_status("accepted", type_name=n),
                )
            )
    review_menu.addAction(
        _action(
            window,
            "Accept suggestions with confidence ≥ 0.85",
            lambda: window.bulk_status("accepted", min_confidence=0.85),
        )
    )
    review_menu.addAction(
        _action(
            window,
            "Reject suggestions with confidence < 0.5",
            lambda: window.bulk_status("rejected", max_confidence=0.5),
        )
    )

    view_menu = bar.addMenu("&View")
    for dock in window.findChildren(QDockWidget):
        toggle = dock.toggleViewAction()
        if dock.objectName() == "timelineDock":
            _set_keys(toggle, [QKeySequence("Ctrl+Shift+T")], "Show or hide the timeline")
            actions["timeline"] = toggle
        view_menu.addAction(toggle)
    view_menu.addSeparator()
    actions["audit"] = _action(
        window,
        "&Audit log…",
        lambda: _open_audit_log(window),
        "Ctrl+Shift+L",
        "Who changed what and when in this project",
    )
    view_menu.addAction(actions["audit"])
    actions["dark"] = _action(window, "&Dark palette", apply_palette, "Ctrl+Shift+D")
    actions["dark"].setCheckable(True)
    actions["dark"].setChecked(saved_dark())
    view_menu.addAction(actions["dark"])

    help_menu = bar.addMenu("&Help")
    actions["shortcuts"] = _action(
        window,
        "&Keyboard shortcuts",
        lambda: ShortcutsDialog(window).show(),
        standard_keys(QKeySequence.StandardKey.HelpContents, "F1"),
        "Every keyboard shortcut of this window, menu by menu",
    )
    help_menu.addAction(actions["shortcuts"])
    help_menu.addAction(_action(window, "&About Testimony Workbench", lambda: _about(window)))

    window.document_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.document_view.customContextMenuRequested.connect(
        lambda pos: _context_menu(window, annotate_menu, pos)
    )
    return actions


SUPPORTED = "Documents (*.txt *.md *.markdown *.html *.htm *.docx *.pdf)"


def _open_search(window: MainWindow) -> None:
    window.search_dock.show()
    window.search_dock.raise_()
    window.search_panel.field.setFocus()
    window.search_panel.field.selectAll()


PROJECTS = "Testimony Workbench projects (*.twb)"


def _new_project(window: MainWindow) -> None:
    from ui.app import open_window  # noqa: PLC0415 - app imports this module

    name, _ = QFileDialog.getSaveFileName(window, "New project", "", PROJECTS)
    if name:
        path = Path(name).with_suffix(".twb")
        if path.exists():
            tell(window, "New project", f"{path.name} exists; open it instead.")
            return
        open_window(path, window.project.actor, window)


def _open_project(window: MainWindow) -> None:
    from ui.app import open_window  # noqa: PLC0415

    name, _ = QFileDialog.getOpenFileName(window, "Open project", "", PROJECTS)
    if name:
        open_window(Path(name), window.project.actor, window)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    from ui.app import open_window, recent_projects  # noqa: PLC0415

    menu.clear()
    for path in recent_projects():
        menu.addAction(str(path), partial(open_window, path, window.project.actor, window))
    if menu.isEmpty():
        menu.addAction("No recent projects").setEnabled(False)


def _import_files(window: MainWindow) -> None:
    names, _ = QFileDialog.getOpenFileNames(window, "Import documents", "", SUPPORTED)
    if names:
        window.import_paths([Path(n) for n in names])


def _import_folder(window: MainWindow) -> None:
    folder = QFileDialog.getExistingDirectory(window, "Import a folder of documents")
    if folder:
        window.import_paths([Path(folder)])


def _context_menu(window: MainWindow, annotate_menu: QMenu, pos: QPoint) -> None:
    """Right-click in the text: annotate the selection, or attach it to a record."""
    menu = window.document_view.createStandardContextMenu()
    menu.addSeparator()
    annotate = menu.addMenu("Annotate as")
    annotate.addActions(
        [a for a in annotate_menu.actions() if a is not window.actions_.get("attach")]
    )
    menu.addAction(window.actions_["attach"])
    record_id = window.records_panel.current_record_id()
    if record_id is not None:
        menu.addAction("Attach to the selected record", lambda: window.attach(record_id))
    menu.exec(window.document_view.viewport().mapToGlobal(pos))


def _about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        "About Testimony Workbench",
        "Testimony Workbench turns testimonies, interviews and news reports into evidence "
        "records, offline. Nothing leaves this computer unless you export it.",
    )


def _open_audit_log(window: MainWindow) -> None:
    """The audit log, kept current by the window's change broadcast while it is open."""
    dialog = AuditLogDialog(window.project, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.changesApplied.connect(dialog.reload)
    dialog.open()
