"""The window's menus and shortcuts: one action per user step, tooltips naming the keys."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMenu, QWidget

from ui.audit_dialog import AuditLogDialog
from ui.backups import controller_of
from ui.encryption_actions import change_passphrase, encrypt_into_new_file
from ui.help_dialog import FirstHourDialog, show_about
from ui.merge_dialog import choose_and_merge, open_conflicts
from ui.merge_proposals import MergeProposals
from ui.palette import apply_palette, saved_dark
from ui.passphrase_dialog import choose_new_project
from ui.presentation import (
    PRESENTATION_TIP,
    present_in_session,
    presenting_in_session,
    screen_steps,
)
from ui.shortcuts_dialog import ShortcutsDialog

if TYPE_CHECKING:
    from ui.compare_view import CompareView
    from ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)

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


@dataclass(frozen=True)
class MenuEntry:
    """One entry of a menu: its name among the window's actions ("" for none), its text,
    what it does, its keys and its tooltip (the text when none)."""

    name: str
    text: str
    slot: Callable[..., object]
    keys: str | list[QKeySequence] | None = None
    tip: str = ""


SEPARATOR = None  # a line between groups of entries


def _add_entries(
    window: MainWindow, menu: QMenu, entries: Sequence[MenuEntry | None]
) -> dict[str, QAction]:
    """Add ``entries`` to ``menu`` in order (``SEPARATOR`` for a line); returns the named
    actions by name."""
    named: dict[str, QAction] = {}
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        action = _action(window, entry.text, entry.slot, entry.keys, entry.tip)
        menu.addAction(action)
        if entry.name:
            named[entry.name] = action
    return named


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """Create the menus of ``window`` and return its actions by name."""
    return (
        _file_menu(window)
        | _edit_menu(window)
        | _annotate_menu(window)
        | _review_menu(window)
        | _view_menu(window)
        | _help_menu(window)
    )


def _file_menu(window: MainWindow) -> dict[str, QAction]:
    """File: projects, imports, document metadata, backups, quit."""
    menu = window.menuBar().addMenu("&File")
    projects = [
        MenuEntry("new", "&New project…", lambda: _new_project(window), "Ctrl+N"),
        MenuEntry("open", "&Open project…", lambda: _open_project(window), "Ctrl+O"),
        MenuEntry("open_team", "Open &team project…", lambda: _open_team_project(window),
                  tip="Open a project kept on a PostgreSQL server, shared with your team"),
    ]  # fmt: skip
    actions = _add_entries(window, menu, projects)
    recent = menu.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    documents_ui = window.document_actions
    documents = [
        MenuEntry("import_files", "&Import files…", lambda: _import_files(window), "Ctrl+I",
                  "Import txt, md, html, docx or pdf files"),
        MenuEntry("import_folder", "Import &folder…", lambda: _import_folder(window),
                  "Ctrl+Shift+I", "Import every supported file in a folder and its subfolders"),
        MenuEntry("metadata", "Document &metadata…", documents_ui.edit_metadata,
                  "Ctrl+Shift+M", "Title, published date and source of the selected documents"),
        MenuEntry("metadata_listed", "Metadata of all &listed documents…",
                  lambda: documents_ui.edit_metadata(listed=True),
                  tip="Set the date, source or outlet of every document the filter shows"),
        MenuEntry("rename_document", "Re&name document…", documents_ui.rename,
                  tip="Give the selected document a new title (F2 in the document list)"),
        MenuEntry("delete_document", "&Delete documents…", documents_ui.delete,
                  tip="Delete the selected documents with their passages (Del in the document "
                  "list); records found in other documents stay"),
        SEPARATOR,
        MenuEntry("import_project", "Import a pro&ject or codebook…",
                  documents_ui.import_project,
                  tip="A whole-project JSON export, a REFI-QDA project (.qdpx) or codebook "
                  "(.qdc) from QualCoder, ATLAS.ti, MAXQDA or NVivo"),
        MenuEntry("merge_project", "Mer&ge project…", lambda: choose_and_merge(window),
                  tip="Bring in another annotator's copy of this project; records edited "
                  "differently in both wait in Review → Merge conflicts"),
        MenuEntry("export", "&Export…", lambda: _open_export(window), "Ctrl+Alt+E",
                  "Records, annotations, the timeline, documents, the codebook, the whole "
                  "project or a report, as CSV, XLSX, JSON, REFI-QDA…"),
        MenuEntry("save_copy", "Save a &copy as…", documents_ui.save_copy, "Ctrl+Shift+S",
                  "Write a copy of the whole project to a new file"),
        MenuEntry("encrypt", "Encr&ypt into new file…", lambda: encrypt_into_new_file(window),
                  tip="Write the project encrypted with a passphrase into a new file"),
        MenuEntry("passphrase", "Change pass&phrase…", lambda: change_passphrase(window),
                  tip="Choose a new passphrase for this encrypted project"),
    ]  # fmt: skip
    backups = controller_of(window)
    safety = [
        MenuEntry("back_up", "&Back up now", backups.back_up_now, "Ctrl+Shift+B",
                  "Copy the project into its backups folder beside it"),
        MenuEntry("restore", "Restore from bac&kup…", backups.restore_chosen,
                  tip="Open a restored copy of one of this project's backups in a new window"),
        MenuEntry("verify", "&Verify project", backups.verify_now,
                  tip="Check the project file for damage: its pages, index, texts, quotes "
                  "and evidence"),
        MenuEntry("backups_keep", "Backups to keep…", backups.choose_keep,
                  tip="How many backups each project keeps; older ones are deleted"),
    ]  # fmt: skip
    quit_ = [MenuEntry("quit", "&Quit", window.close, "Ctrl+Q")]
    entries = [SEPARATOR, *documents, SEPARATOR, *safety, SEPARATOR, *quit_]
    actions |= _add_entries(window, menu, entries)
    if window.project.server is not None:
        _disable_file_things(actions)
    return actions


# What works on project files only, and why, on a team project (a database on a server).
SERVER_BACKUP = (
    "The server's administrator backs up a team project (pg_dump); "
    "Save a copy as… copies it into a project file"
)
_FILE_THINGS = {
    "back_up": SERVER_BACKUP,
    "restore": SERVER_BACKUP,
    "backups_keep": SERVER_BACKUP,
    "verify": "The server checks its own database; Verify checks project files",
    "encrypt": "A team project is protected by its server and the network (TLS), "
    "not by a passphrase",
    "passphrase": "A team project has no passphrase: its password is the server's",
}


def _disable_file_things(actions: dict[str, QAction]) -> None:
    """Disable what only a project file has, each saying why in its tooltip."""
    for name, why in _FILE_THINGS.items():
        action = actions[name]
        action.setEnabled(False)
        action.setToolTip(why)
        action.setStatusTip(why)


def _edit_menu(window: MainWindow) -> dict[str, QAction]:
    """Edit: undo and redo (named by the step they undo), find and search, memos, the
    codebook."""
    menu = window.menuBar().addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    _stack_keys(undo, "Undo", standard_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    _stack_keys(redo, "Redo", standard_keys(QKeySequence.StandardKey.Redo, *REDO_KEYS))
    menu.addActions([undo, redo])
    finding = [
        SEPARATOR,
        MenuEntry("find", "&Find in document…", window.find_bar.open, "Ctrl+F"),
        MenuEntry("search", "&Search all documents…", lambda: _open_search(window),
                  "Ctrl+Shift+F"),
        SEPARATOR,
        MenuEntry("memo_document", "&Memo on this document", lambda: window.open_memo("document"),
                  "Ctrl+Shift+O", "Write the memo of the document shown (in the Memos pane)"),
        MenuEntry("memo_project", "Memo on the &project", lambda: window.open_memo("project"),
                  "Ctrl+Shift+P", "Write the project's memo: questions, doubts, what to check"),
        SEPARATOR,
        MenuEntry("codebook", "&Codebook…", lambda: _open_codebook(window), "Ctrl+Shift+K",
                  "Add, rename, recolour, reorder, nest, merge or delete record types and codes"),
    ]  # fmt: skip
    return _add_entries(window, menu, finding) | {"undo": undo, "redo": redo}


def _stack_keys(action: QAction, name: str, keys: list[QKeySequence]) -> None:
    """Keys for the undo stack's Undo or Redo, whose text names the step it undoes."""
    action.setIconText(name)  # the shortcuts page names the action, not the step
    _set_keys(action, keys, name)


def _annotate_menu(window: MainWindow) -> dict[str, QAction]:
    """Annotate: one entry a code (its key), then attach; also the text's right-click menu."""
    menu = window.menuBar().addMenu("&Annotate")
    menu.setObjectName("annotate")
    attach = MenuEntry(
        "attach",
        "Attach to &existing record…",
        window.attach_chosen,
        "Ctrl+L",
        "Link the selected passage to a person, place or event that already exists",
    )
    window.document_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.document_view.customContextMenuRequested.connect(
        lambda pos: _context_menu(window, menu, pos)
    )
    named = _add_entries(window, menu, [attach])
    return _code_entries(window, menu, before=named["attach"]) | named


REVIEW_KEYS = frozenset("ARSENMP")  # the Review menu's single keys (a decision, edit, note…)


def _code_entries(window: MainWindow, menu: QMenu, *, before: QAction) -> dict[str, QAction]:
    """One Annotate entry a codebook entry, in codebook order, above ``before``."""
    named: dict[str, QAction] = {}
    taken = (
        {key.upper() for key in window.reserved_keys()} if hasattr(window, "actions_") else set()
    )
    for code in window.codes.values():
        # a key an imported codebook gave that the window's own commands use stays theirs
        key = code.shortcut if (code.shortcut or "").upper() not in taken else None
        action = _action(
            window,
            code.label,
            lambda _=False, name=code.name: window.annotate(
                name, snap=not window.document_view.exact_selection
            ),
            key,
            f"Annotate the selected passage as {code.label}",
        )
        menu.insertAction(before, action)
        named[f"annotate:{code.name}"] = action
    menu.insertSeparator(before)
    return named


def refresh_code_actions(window: MainWindow) -> None:
    """Rebuild the Annotate entries after the codebook changed (names, keys, order)."""
    menu = window.menuBar().findChild(QMenu, "annotate")
    assert menu is not None  # made with the window
    for name in [n for n in window.actions_ if n.startswith("annotate:")]:
        action = window.actions_.pop(name)
        menu.removeAction(action)
        action.deleteLater()
    for action in menu.actions():
        if action.isSeparator():
            menu.removeAction(action)
    window.actions_.update(_code_entries(window, menu, before=window.actions_["attach"]))


def _review_menu(window: MainWindow) -> dict[str, QAction]:
    """Review: extraction and the review windows, one key a decision, bulk decisions."""
    menu = window.menuBar().addMenu("&Review")
    review = [
        MenuEntry("extract", "E&xtract suggestions from this document",
                  lambda: window.extract(all_documents=False), "Ctrl+E"),
        MenuEntry("extract_all", "Extract suggestions from &all documents",
                  lambda: window.extract(all_documents=True), "Ctrl+Shift+E"),
        MenuEntry("queue", "Review &queue…", window.open_review_queue, "Ctrl+R",
                  "Walk this document's suggestions one by one"),
        MenuEntry("proposals", "Merge &proposals…", lambda: MergeProposals(window, window).open(),
                  "Ctrl+M", "Records across documents that look like one name spelled two ways"),
        MenuEntry("agreement", "A&greement…", lambda: _open_agreement(window), "Ctrl+Shift+G",
                  "Agreement between annotators: percentage, Cohen's kappa, Krippendorff's αu"),
        MenuEntry("conflicts", "Merge co&nflicts…", lambda: open_conflicts(window),
                  tip="Records a merged copy edited otherwise: keep ours or take theirs"),
        MenuEntry("compare", "&Compare annotators…", lambda: open_compare(window),
                  "Ctrl+Shift+C", "This document's passages by two or more annotators, difference "
                  "by difference, to decide into the reviewed layer"),
        SEPARATOR,
        MenuEntry("accept", "&Accept", lambda: window.set_status("accepted"), "A"),
        MenuEntry("reject", "&Reject", lambda: window.set_status("rejected"), "R"),
        MenuEntry("reopen", "Back to &suggested", lambda: window.set_status("suggested"), "S"),
        MenuEntry("edit", "&Edit…", window.edit_record, "E"),
        MenuEntry("note", "&Memo on the record", window.note_record, "N"),
        MenuEntry("merge", "&Merge selected records", window.merge_records, "M"),
        MenuEntry("split", "S&plit the selected passage off", window.split_record, "P"),
        MenuEntry("delete", "&Delete", window.delete_records, "Del"),
        SEPARATOR,
        MenuEntry("protect", "Pro&tect", window.protect, "Ctrl+Shift+H",
                  "Protect the selected records: hidden in exports and in presentation mode"),
        MenuEntry("unprotect", "&Unprotect", lambda: window.protect(protected=False),
                  tip="Show the selected records' names in exports and presentation mode again"),
        SEPARATOR,
    ]  # fmt: skip
    actions = _add_entries(window, menu, review)
    tree = window.records_panel.tree
    tree.customContextMenuRequested.connect(lambda pos: _records_menu(window, actions, pos))
    bulk = menu.addMenu("Accept all suggestions in this document")
    _fill_bulk(window, bulk)
    bulk.aboutToShow.connect(lambda: _fill_bulk(window, bulk))  # the codebook may have changed
    by_confidence = [
        MenuEntry("", "Accept suggestions with confidence ≥ 0.85",
                  lambda: window.bulk_status("accepted", min_confidence=0.85)),
        MenuEntry("", "Reject suggestions with confidence < 0.5",
                  lambda: window.bulk_status("rejected", max_confidence=0.5)),
    ]  # fmt: skip
    _add_entries(window, menu, by_confidence)
    return actions


def _fill_bulk(window: MainWindow, bulk: QMenu) -> None:
    """One entry a record type, as the codebook has them now."""
    for action in bulk.actions():
        bulk.removeAction(action)
        action.deleteLater()
    by_type = [
        MenuEntry("", f"{code.label}s",
                  lambda _=False, n=code.name: window.bulk_status("accepted", type_name=n))
        for code in window.codes.values()
        if code.is_record_type
    ]  # fmt: skip
    _add_entries(window, bulk, by_type)


def _view_menu(window: MainWindow) -> dict[str, QAction]:
    """View: show or hide each panel, the audit log, the dark palette, presentation mode."""
    menu = window.menuBar().addMenu("&View")
    actions: dict[str, QAction] = {}
    for dock in window.findChildren(QDockWidget):
        toggle = dock.toggleViewAction()
        if dock.objectName() == "timelineDock":
            _set_keys(toggle, [QKeySequence("Ctrl+Shift+T")], "Show or hide the timeline")
            actions["timeline"] = toggle
        menu.addAction(toggle)
    entries = [
        SEPARATOR,
        MenuEntry("audit", "&Audit log…", lambda: _open_audit_log(window), "Ctrl+Shift+L",
                  "Who changed what and when in this project"),
        MenuEntry("dark", "&Dark palette", apply_palette, "Ctrl+Shift+D"),
        MenuEntry("presentation", "&Presentation mode", lambda on: _present(window, on), "F5",
                  PRESENTATION_TIP),
    ]  # fmt: skip
    actions |= _add_entries(window, menu, entries)
    actions["dark"].setCheckable(True)
    actions["dark"].setChecked(saved_dark())
    actions["presentation"].setCheckable(True)  # off at start: the session's choice only
    if presenting_in_session():  # a window opened while presenting presents at once
        window.presentation.set_active(True)
        actions["presentation"].setChecked(True)
        window.retitle()
    window.presentation.changed.connect(lambda: _screen_changed(window))
    return actions


def _present(window: MainWindow, on: bool) -> None:
    """Presentation mode on or off, in this window and every other one (the screen is
    shared whole): every view draws again as the new screen shows."""
    present_in_session(on)
    window.presentation.set_active(on)
    _screen_changed(window, timeline=False)
    window.apply_changes(None, window.presentation)  # everything else, the timeline too
    said = "on: protected names hidden on screen" if on else "off: names shown"
    window.statusBar().showMessage(f"Presentation mode {said}", 5000)
    for other in QApplication.topLevelWidgets():
        if isinstance(other, type(window)) and other.actions_["presentation"].isChecked() != on:
            other.actions_["presentation"].trigger()


def _screen_changed(window: MainWindow, *, timeline: bool = True) -> None:
    """Redraw what the change broadcast does not: the text, search results, the Edit menu's
    step names and (once the step's own refresh is done) every timeline item."""
    window.document_view.screen_changed()
    window.search_panel.screen_changed()
    window.retitle()
    screen_steps(window.undo_stack, window.presentation.screen)
    if timeline:  # items naming a newly hidden person are not among the records changed
        QTimer.singleShot(0, window.timeline, window.timeline.invalidate)


def _records_menu(window: MainWindow, actions: dict[str, QAction], pos: QPoint) -> None:
    """Right-click in the records panel: the review steps on its selection, and protection
    (protect what is not protected yet, unprotect what is)."""
    panel = window.records_panel
    panel.tree.setFocus()  # the steps act on the panel's selection while it has the focus
    ids = panel.selected_record_ids()
    if not ids:
        return
    protected = {record.protected for i in ids if (record := panel.model.record_of(i))}
    menu = QMenu(panel)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    names = ["accept", "reject", "reopen", "edit", "note", "merge", "delete"]
    menu.addActions([actions[name] for name in names])
    menu.addSeparator()
    if False in protected:
        menu.addAction(actions["protect"])
    if True in protected:
        menu.addAction(actions["unprotect"])
    menu.exec(panel.tree.viewport().mapToGlobal(pos))


def _help_menu(window: MainWindow) -> dict[str, QAction]:
    """Help: the keyboard shortcuts, the first-hour guide and About (with the version)."""
    menu = window.menuBar().addMenu("&Help")
    entries = [
        MenuEntry("shortcuts", "&Keyboard shortcuts", lambda: ShortcutsDialog(window).show(),
                  standard_keys(QKeySequence.StandardKey.HelpContents, "F1"),
                  "Every keyboard shortcut of this window, menu by menu"),
        MenuEntry("first_hour", "The &first hour…", lambda: FirstHourDialog(window).show(),
                  tip="Import, extract, review, timeline, export and backups, step by step"),
        MenuEntry("about", "&About Testimony Workbench", lambda: show_about(window)),
    ]  # fmt: skip
    return _add_entries(window, menu, entries)


SUPPORTED = "Documents (*.txt *.md *.markdown *.html *.htm *.docx *.pdf)"


def _open_search(window: MainWindow) -> None:
    window.search_dock.show()
    window.search_dock.raise_()
    window.search_panel.field.setFocus()
    window.search_panel.field.selectAll()


PROJECTS = "Testimony Workbench projects (*.twb)"


def _new_project(window: MainWindow) -> None:
    from ui.app import open_window  # noqa: PLC0415 - app imports this module

    chosen = choose_new_project(window, str(window.project.path.parent))
    if chosen is not None:
        path, passphrase = chosen
        open_window(path, window.project.actor, window, passphrase)


def _open_project(window: MainWindow) -> None:
    from ui.app import open_window  # noqa: PLC0415

    name, _ = QFileDialog.getOpenFileName(window, "Open project", "", PROJECTS)
    if name:
        open_window(Path(name), window.project.actor, window)


def _open_team_project(window: MainWindow) -> None:
    from ui.app import open_team_window  # noqa: PLC0415

    open_team_window(window.project.actor, window)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    from ui.app import open_window, recent_projects  # noqa: PLC0415
    from ui.team_dialog import recent_team_projects  # noqa: PLC0415

    menu.clear()
    for path in recent_projects():
        menu.addAction(str(path), partial(open_window, path, window.project.actor, window))
    for address in recent_team_projects():  # never with a password
        menu.addAction(address, partial(open_window, address, window.project.actor, window))
    if menu.isEmpty():
        menu.addAction("No recent projects").setEnabled(False)


def _import_files(window: MainWindow) -> None:
    names, _ = QFileDialog.getOpenFileNames(window, "Import documents", "", SUPPORTED)
    if names:
        window.document_actions.ask_and_import([Path(n) for n in names])


def _import_folder(window: MainWindow) -> None:
    folder = QFileDialog.getExistingDirectory(window, "Import a folder of documents")
    if folder:
        window.document_actions.ask_and_import([Path(folder)])


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


def _open_export(window: MainWindow) -> None:
    """The Export dialog, over the window."""
    from ui.export_dialog import ExportDialog  # noqa: PLC0415 - opened rarely

    dialog = ExportDialog(window, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _open_agreement(window: MainWindow) -> None:
    """The Agreement dialog over the window, computing at once for everyone."""
    from ui.agreement_dialog import AgreementDialog  # noqa: PLC0415 - opened rarely

    dialog = AgreementDialog(window, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.compute()


def open_compare(window: MainWindow) -> CompareView:
    """The compare view of the document shown; one per window, brought back if it is open."""
    from ui.compare_view import CompareView  # noqa: PLC0415 - opened rarely

    return _bring_up(window, CompareView, lambda: CompareView(window, window))


def _open_codebook(window: MainWindow) -> None:
    """The codebook editor; one per window, brought back if it is open."""
    from ui.codebook_editor import CodebookEditor  # noqa: PLC0415 - opened rarely

    _bring_up(window, CodebookEditor, lambda: CodebookEditor(window, window))


def _bring_up(window: MainWindow, kind: type[W], make: Callable[[], W]) -> W:
    """The window's one ``kind`` of window (made if it has none), shown in front."""
    found = window.findChild(kind)
    if found is None:
        found = make()
        found.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    found.show()
    found.raise_()
    found.activateWindow()
    return found


def _open_audit_log(window: MainWindow) -> None:
    """The audit log, kept current by the window's change broadcast while it is open."""
    dialog = AuditLogDialog(window.project, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.changesApplied.connect(dialog.reload)
    dialog.open()
