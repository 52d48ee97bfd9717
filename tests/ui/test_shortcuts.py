"""Keyboard shortcuts of the window: none ambiguous, none dead, redo by keys, the Help page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

import ui.actions
from tests.ui.conftest import TextWindow, activated
from ui.main_window import MainWindow
from ui.shortcuts_dialog import ShortcutsDialog

TEXT = "Daniil Alfyorov left the 47th Tank Division and crossed into Kazakhstan.\n"
WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def report_window(qtbot: QtBot, text_window: TextWindow) -> MainWindow:
    """A shown, active window over a project with one short report."""
    return activated(qtbot, text_window("report.txt", TEXT))


@pytest.fixture
def window(qtbot: QtBot, text_window: TextWindow) -> MainWindow:
    return report_window(qtbot, text_window)


def annotate(win: MainWindow, phrase: str, code: str) -> None:
    start = TEXT.index(phrase)
    win.document_view.reveal(start, start + len(phrase), flash=False)
    win.actions_[f"annotate:{code}"].trigger()


def labels(win: MainWindow) -> list[str]:
    return sorted(r.label for r in win.project.records.list())


# --- what the checks walk


def reachable_menus(win: MainWindow) -> list[QMenu]:
    """Menus of the menu bar and their submenus (a menu elsewhere is never shown by keys)."""
    found: list[QMenu] = []
    pending = list(win.menuBar().actions())
    while pending:
        menu = pending.pop().menu()
        if isinstance(menu, QMenu) and menu not in found:
            found.append(menu)
            pending += menu.actions()
    return found


def every_action(win: MainWindow) -> list[QAction]:
    """The window's actions and those of its menus, once each."""
    actions = {id(a): a for a in win.findChildren(QAction)}
    for menu in reachable_menus(win):
        actions.update({id(a): a for a in menu.actions()})
    return list(actions.values())


def scope(win: MainWindow, action: QAction) -> list[QWidget] | None:
    """Where an action's keys work: None for the whole window, else the widgets it is on;
    an empty list when nowhere (dead)."""
    menus = reachable_menus(win)
    on: list[QWidget] = []
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            reachable = owner in menus
        else:
            reachable = isinstance(owner, QWidget) and (owner is win or win.isAncestorOf(owner))
        if reachable:
            on.append(owner)  # type: ignore[arg-type]
    if on and (action.shortcutContext() in WINDOW_WIDE or any(isinstance(w, QMenu) for w in on)):
        return None
    return on


def overlap(win: MainWindow, first: QAction, second: QAction) -> bool:
    """Whether the keys of two actions can be live at once (one widget inside the other)."""
    a, b = scope(win, first), scope(win, second)
    if a is None or b is None:
        return True
    return any(x is y or x.isAncestorOf(y) or y.isAncestorOf(x) for x in a for y in b)


def ambiguous(win: MainWindow) -> list[str]:
    """Keys bound twice among enabled, reachable actions whose scopes overlap."""
    bindings = [
        (key.toString(), action)
        for action in every_action(win)
        if action.isEnabled() and scope(win, action) != []
        for key in action.shortcuts()
    ]
    problems = []
    for index, (key, action) in enumerate(bindings):
        for other_key, other in bindings[index + 1 :]:
            if key == other_key and (other is action or overlap(win, action, other)):
                problems.append(f"{key}: {action.iconText()!r} and {other.iconText()!r}")
    return problems


def dead(win: MainWindow) -> list[str]:
    """Actions with keys that no reachable widget or menu carries: their keys do nothing."""
    return [
        f"{action.iconText()!r} ({action.shortcut().toString()})"
        for action in every_action(win)
        if action.shortcuts() and scope(win, action) == []
    ]


# --- the checks


def test_no_shortcut_is_ambiguous_or_dead(window: MainWindow) -> None:
    annotate(window, "Daniil Alfyorov", "person")
    annotate(window, "Kazakhstan", "place")
    window.undo_stack.undo()  # undo and redo both enabled
    assert window.actions_["undo"].isEnabled() and window.actions_["redo"].isEnabled()
    assert ambiguous(window) == []
    assert dead(window) == []


def test_the_checks_catch_a_dead_and_an_ambiguous_shortcut(window: MainWindow) -> None:
    twice = QAction("Twice", window)
    twice.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Shift+Z")])
    window.menuBar().actions()[0].menu().addAction(twice)  # type: ignore[union-attr]
    clash = QAction("Clash", window)
    clash.setShortcut(QKeySequence("Ctrl+F"))
    window.addAction(clash)
    nowhere = QAction("Nowhere", window)
    nowhere.setShortcut(QKeySequence("Ctrl+Alt+J"))
    QMenu(window).addAction(nowhere)  # a menu the menu bar never shows
    problems = ambiguous(window)
    assert "Ctrl+Shift+Z: 'Twice' and 'Twice'" in problems
    assert any(p.startswith("Ctrl+F:") and "'Clash'" in p for p in problems)
    assert dead(window) == ["'Nowhere' (Ctrl+Alt+J)"]


CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.mark.parametrize(
    "platform_redo",
    [None, ["Ctrl+Shift+Z"], ["Ctrl+Y", "Ctrl+Shift+Z"]],
    ids=["this platform", "gnome and kde", "windows"],
)
def test_ctrl_shift_z_and_ctrl_y_redo(
    qtbot: QtBot,
    text_window: TextWindow,
    monkeypatch: pytest.MonkeyPatch,
    platform_redo: list[str] | None,
) -> None:
    if platform_redo is not None:  # the desktop's own Redo keys differ from this platform's
        redo = QKeySequence.StandardKey.Redo
        original = ui.actions.platform_keys
        monkeypatch.setattr(
            ui.actions,
            "platform_keys",
            lambda k: [QKeySequence(s) for s in platform_redo] if k == redo else original(k),
        )
    win = report_window(qtbot, text_window)  # built with the keys patched above
    keys = [k.toString() for k in win.actions_["redo"].shortcuts()]
    assert keys.count("Ctrl+Shift+Z") == 1 and keys.count("Ctrl+Y") == 1
    annotate(win, "Daniil Alfyorov", "person")
    win.document_view.setFocus()
    for key, modifiers in ((Qt.Key.Key_Z, CTRL | SHIFT), (Qt.Key.Key_Y, CTRL)):
        qtbot.keyClick(win, Qt.Key.Key_Z, CTRL)
        assert labels(win) == []
        qtbot.keyClick(win, key, modifiers)
        assert labels(win) == ["Daniil Alfyorov"], QKeySequence(key | modifiers).toString()
    assert ambiguous(win) == []


# --- Help → Keyboard shortcuts


def open_page(win: MainWindow, qtbot: QtBot) -> ShortcutsDialog:
    win.actions_["shortcuts"].trigger()
    page = win.findChild(ShortcutsDialog)
    assert page is not None
    qtbot.waitUntil(page.isVisible)
    return page


def test_the_shortcuts_page_lists_undo_redo_and_the_annotate_keys(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = open_page(window, qtbot)
    rows = page.rows()
    native = QKeySequence.SequenceFormat.NativeText
    undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(native)
    assert any(r[:2] == ("Edit", "Undo") and undo in r[2] for r in rows)
    redo = next(r for r in rows if r[:2] == ("Edit", "Redo"))
    assert "Ctrl+Shift+Z" in redo[2] and "Ctrl+Y" in redo[2]
    for code in window.codes.values():
        if code.shortcut:
            assert ("Annotate", code.label, code.shortcut) in rows
    assert all("&" not in command for _, command, _ in rows)
    places = list(dict.fromkeys(r[0] for r in rows))
    assert places[:4] == ["File", "Edit", "Annotate", "Review"]  # menu-bar order
    assert "Timeline" in places  # keys of the timeline panel, outside the menus
    page.filter.setText("redo")
    assert [r[1] for r in page.rows()] == ["Redo"]


def test_a_new_action_with_keys_appears_on_the_page_by_itself(
    window: MainWindow, qtbot: QtBot
) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    assert isinstance(help_menu, QMenu)
    extra = QAction("&Frobnicate the && rest", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+K"))
    help_menu.addAction(extra)
    rows = open_page(window, qtbot).rows()
    assert ("Help", "Frobnicate the & rest", "Ctrl+Alt+K") in rows
