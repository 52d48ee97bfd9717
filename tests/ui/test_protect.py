"""Protecting records from the window, on a real project: the Review menu's keys and the
records panel's right-click menu on one or several records, the lock and what it says,
undo and redo from the window's stack, and the record editor's Protected box."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TextWindow, activated
from tests.ui.editor_helpers import EditorWatch, press_ok, retype
from ui.icons import PROTECTED_TIP, lock_icon, memo_icon
from ui.main_window import MainWindow
from ui.models.record_tree_model import RecordTreeModel
from ui.record_editor import RecordEditor
from workbench.domain import RecordId

TEXT = (
    "Daniil Alfyorov 🙂 left the 47th Tank Division in late March.\n"
    "His mother wrote: «Алфёрова не хотела, чтобы Алфёров воевал». 🇺🇦\n"
    "Alfyorov crossed into Kazakhstan on May 4, 2024.\n"
)
DECORATION = Qt.ItemDataRole.DecorationRole
DESCRIPTION = Qt.ItemDataRole.AccessibleDescriptionRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def annotate(win: MainWindow, phrase: str, type_name: str) -> RecordId:
    """A record made from the first ``phrase`` of the text (one undoable step)."""
    doc_id = win.document_id
    assert doc_id is not None
    start = win.document_view.stored_text.index(phrase)
    result = win.run_step(
        "Annotate",
        lambda: win.project.review.annotate(doc_id, start, start + len(phrase), type_name),
    )
    assert result is not None
    return RecordId(result.record_ids[0])


@pytest.fixture
def window(text_window: TextWindow, qtbot: QtBot) -> MainWindow:
    win = activated(qtbot, text_window("testimony.txt", TEXT, published="2024-05-20"))
    annotate(win, "Daniil Alfyorov", "person")
    annotate(win, "Kazakhstan", "place")
    win.undo_stack.clear()
    return win


def record_id(win: MainWindow, label: str) -> RecordId:
    (found,) = [r.id for r in win.project.records.list() if r.label == label]
    return found


def index(win: MainWindow, rid: RecordId) -> QModelIndex:
    found = win.records_panel.model.index_of(rid)
    assert found.isValid()
    return found


def shows_lock(win: MainWindow, rid: RecordId) -> bool:
    """Whether the records panel marks the record protected: the lock, and the words."""
    at = index(win, rid)
    icon = at.data(DECORATION)
    locked = isinstance(icon, QIcon) and icon.cacheKey() == lock_icon().cacheKey()
    described = at.data(DESCRIPTION) == PROTECTED_TIP
    told = PROTECTED_TIP in str(at.data(TOOLTIP))
    read = str(at.data(Qt.ItemDataRole.AccessibleTextRole)).endswith(", protected")
    assert locked == described == told == read, "the lock and what it says disagree"
    return locked


def select(win: MainWindow, *ids: RecordId) -> None:
    """Select records in the panel, the panel having the focus (as the keys want it)."""
    panel = win.records_panel
    assert panel.select_record(ids[0])
    selection = panel.tree.selectionModel()
    rows = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    for rid in ids[1:]:
        selection.select(index(win, rid), rows)
    panel.tree.setFocus()
    assert set(panel.selected_record_ids()) == set(ids)


def protected(win: MainWindow, rid: RecordId) -> bool:
    return win.project.records.get(rid).protected


def test_protect_from_the_panel_shows_the_lock_and_undo_takes_it_away(
    window: MainWindow,
) -> None:
    person = record_id(window, "Daniil Alfyorov")
    assert not shows_lock(window, person)
    select(window, person)
    window.actions_["protect"].trigger()
    assert protected(window, person)
    assert window.project.records.get(person).pseudonym == "Person A"
    assert shows_lock(window, person)
    assert "Protected 1 record" in window.statusBar().currentMessage()
    assert window.undo_stack.undoText() == "Protect 1 record"

    window.actions_["undo"].trigger()
    assert not protected(window, person)
    assert not shows_lock(window, person)
    window.actions_["redo"].trigger()
    assert protected(window, person)
    assert shows_lock(window, person)


def test_the_key_protects_several_records_as_one_step_and_unprotect_releases_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    person, place = record_id(window, "Daniil Alfyorov"), record_id(window, "Kazakhstan")
    select(window, person, place)
    qtbot.keyClick(
        window.records_panel.tree,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert protected(window, person) and protected(window, place)
    assert window.undo_stack.count() == 1
    assert {window.project.records.get(r).pseudonym for r in (person, place)} == {
        "Person A",
        "Place A",
    }
    window.actions_["unprotect"].trigger()
    assert not protected(window, person) and not protected(window, place)
    assert not shows_lock(window, person) and not shows_lock(window, place)
    window.actions_["undo"].trigger()  # the release undone: both protected again
    assert shows_lock(window, person) and shows_lock(window, place)


def test_protect_with_nothing_selected_says_so_and_changes_nothing(window: MainWindow) -> None:
    window.document_list.table.setFocus()  # neither the records panel nor the text
    window.actions_["protect"].trigger()
    assert window.statusBar().currentMessage() == "Select a record first"
    assert not any(r.protected for r in window.project.records.list())
    assert window.undo_stack.count() == 0


def in_menu(qtbot: QtBot, act: Callable[[QMenu], None]) -> list[str]:
    """Once a right-click menu is shown, note its entries and let ``act`` work in it."""
    seen: list[str] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, look)
            return
        seen.extend(a.text().replace("&", "") for a in menu.actions() if a.text())
        act(menu)

    QTimer.singleShot(10, look)
    return seen


def entry(menu: QMenu, text: str) -> None:
    (action,) = [a for a in menu.actions() if a.text().replace("&", "") == text]
    menu.close()
    action.trigger()


def right_click(window: MainWindow, rid: RecordId) -> None:
    tree = window.records_panel.tree
    tree.customContextMenuRequested.emit(tree.visualRect(index(window, rid)).center())


def test_the_panel_menu_offers_protect_or_unprotect_as_the_records_are(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = record_id(window, "Daniil Alfyorov")
    select(window, person)
    seen = in_menu(qtbot, lambda menu: entry(menu, "Protect"))
    right_click(window, person)
    assert "Protect" in seen and "Unprotect" not in seen
    assert protected(window, person) and shows_lock(window, person)

    seen = in_menu(qtbot, lambda menu: entry(menu, "Unprotect"))
    right_click(window, person)
    assert "Unprotect" in seen and "Protect" not in seen
    assert not protected(window, person)
    assert window.undo_stack.count() == 2


def edit(win: MainWindow, rid: RecordId, act: Callable[[RecordEditor], None]) -> None:
    select(win, rid)
    watch = EditorWatch(win, act)
    win.actions_["edit"].trigger()
    assert watch.ran, "the record editor did not open"


def test_the_editor_protects_with_its_box_and_one_undo_takes_back_all_of_ok(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = record_id(window, "Daniil Alfyorov")
    seen: dict[str, object] = {}

    def protect_and_rename(editor: RecordEditor) -> None:
        seen["unchecked"] = not editor.protected.isChecked()
        seen["tip"] = editor.protected.accessibleDescription()
        editor.protected.setChecked(True)
        retype(qtbot, editor.label, "Daniil Alfyorov (deserter)")
        press_ok(editor)

    edit(window, person, protect_and_rename)
    assert seen == {"unchecked": True, "tip": PROTECTED_TIP}
    record = window.project.records.get(person)
    assert (record.protected, record.label) == (True, "Daniil Alfyorov (deserter)")
    assert shows_lock(window, person)
    assert window.undo_stack.count() == 1  # one OK, one undo
    window.actions_["undo"].trigger()
    record = window.project.records.get(person)
    assert (record.protected, record.label) == (False, "Daniil Alfyorov")

    def release(editor: RecordEditor) -> None:
        seen["checked"] = editor.protected.isChecked()
        editor.protected.setChecked(False)
        press_ok(editor)

    window.actions_["redo"].trigger()
    edit(window, person, release)
    assert seen["checked"] is True
    assert not protected(window, person)
    assert window.undo_stack.undoText() == "Unprotect 1 record"


def test_a_protected_record_with_a_memo_shows_the_lock_and_its_memo_in_the_tooltip(
    window: MainWindow,
) -> None:
    person = record_id(window, "Daniil Alfyorov")
    window.run_step("Note", lambda: window.project.review.edit(person, note="Met in Almaty"))
    assert index(window, person).data(DECORATION).cacheKey() == memo_icon().cacheKey()
    window.run_step("Protect", lambda: window.project.records.protect([person]))
    assert shows_lock(window, person)
    assert "Met in Almaty" in str(index(window, person).data(TOOLTIP))
    model = window.records_panel.model
    assert model.data(index(window, person), RecordTreeModel.RecordIdRole) == person


def test_an_editor_ok_that_does_nothing_leaves_no_empty_step(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = record_id(window, "Daniil Alfyorov")

    def gone_meanwhile(editor: RecordEditor) -> None:
        window.project.review.delete([person])  # elsewhere (the command line, say)
        editor.protected.setChecked(True)
        retype(qtbot, editor.label, "Daniil A.")
        press_ok(editor)

    edit(window, person, gone_meanwhile)
    assert window.undo_stack.count() == 0
    assert not window.actions_["undo"].isEnabled() and not window.actions_["redo"].isEnabled()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and all(b.text().startswith("no record") for b in boxes)
