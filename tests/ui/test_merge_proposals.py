"""Merge proposals over a real project: the list is read on the worker thread, a row merges
as one undoable step (button, Enter or double-click) and the list is read again; a failure
is told in one line."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTreeWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text, review_rows
from tests.ui.conftest import TextWindow, activated, shown_window
from ui.main_window import MainWindow
from ui.merge_proposals import MergeProposals
from workbench.changes import ChangeSet
from workbench.project import Project

REPORTS = (
    "Sergeant Pavel Zhilyaev deserted near Kherson in March.\n",
    "Pavel Zhylyaev hid in Kherson for a week.\n",
    "In Kherson, Pavel Zhylyaev found a boat.\n",
)
KHERSON_ROW = ["Kherson", "Kherson (2 more)", "place", "100", "same name"]
PAVEL_ROW = [
    "Pavel Zhilyaev",
    "Pavel Zhylyaev (2)",
    "person",
    "100",
    "same name after transliteration",
]


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    """A window over three reports: one place and one name in each, the name spelled two ways."""
    for number, text in enumerate(REPORTS):
        import_text(project, tmp_path, f"report{number}.txt", text)
    project.extraction.run()
    with shown_window(qtbot, project) as win:
        yield activated(qtbot, win)


def open_proposals(win: MainWindow) -> MergeProposals:
    """Review → Merge proposals."""
    win.actions_["proposals"].trigger()
    dialog = win.findChild(MergeProposals)
    assert dialog is not None
    return dialog


def rows(table: QTreeWidget) -> list[list[str]]:
    return [
        [item.text(column) for column in range(table.columnCount())]
        for item in (table.topLevelItem(i) for i in range(table.topLevelItemCount()))
        if item is not None
    ]


def shows(qtbot: QtBot, dialog: MergeProposals, expected: list[list[str]]) -> None:
    """Wait until the list, read on the worker thread, is ``expected``."""
    qtbot.waitUntil(lambda: not dialog.busy and rows(dialog.table) == expected)


def choose(table: QTreeWidget, row: int) -> None:
    """Make ``row`` the current and only selected row, as a click does (whatever modifier
    an earlier test's key event left behind: without a command Qt reads it)."""
    select = QItemSelectionModel.SelectionFlag.ClearAndSelect
    table.setCurrentItem(table.topLevelItem(row), 0, select)


def people(win: MainWindow) -> list[tuple[str, tuple[int, ...]]]:
    return [(r.label, r.document_ids) for r in win.project.records.list(type_name="person")]


def test_the_list_is_read_on_the_worker_thread(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    assert dialog.busy  # asked for, not yet there: the window never waited for it
    assert dialog.status.text() == "Looking for names spelled two ways…"
    assert not dialog.merge.isEnabled()
    assert rows(dialog.table) == []
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    assert dialog.status.text() == (
        "2 proposal(s); Ctrl or Shift selects several to merge at once; "
        "merging keeps the first name, and can be undone."
    )
    assert dialog.merge.isEnabled()


def test_merging_a_row_is_one_undoable_step_and_the_list_is_read_again(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    original = review_rows(window.project)
    choose(dialog.table, 1)
    qtbot.mouseClick(dialog.merge, Qt.MouseButton.LeftButton)

    assert people(window) == [("Pavel Zhilyaev", (1, 2, 3))]
    (pavel,) = window.project.records.list(type_name="person")
    assert pavel.fields["aliases"] == ["Pavel Zhylyaev"]
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Merge Pavel Zhylyaev (2) into Pavel Zhilyaev"
    shows(qtbot, dialog, [KHERSON_ROW])
    merged = review_rows(window.project)

    window.undo_stack.undo()
    assert review_rows(window.project) == original
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])  # read again after the undo too
    window.undo_stack.redo()
    assert review_rows(window.project) == merged
    shows(qtbot, dialog, [KHERSON_ROW])


def test_enter_merges_the_current_row(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    dialog.table.setFocus()
    choose(dialog.table, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    places = window.project.records.list(type_name="place")
    assert [(p.label, p.document_ids) for p in places] == [("Kherson", (1, 2, 3))]
    assert window.undo_stack.count() == 1
    shows(qtbot, dialog, [PAVEL_ROW])


def test_double_click_merges_that_row(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    table = dialog.table
    row = table.visualItemRect(table.topLevelItem(1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row)  # as a hand does
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert people(window) == [("Pavel Zhilyaev", (1, 2, 3))]
    assert len(window.project.records.list(type_name="place")) == 3  # the other row stays
    assert window.undo_stack.count() == 1
    shows(qtbot, dialog, [KHERSON_ROW])


def test_merge_without_a_chosen_row_does_nothing(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    original = review_rows(window.project)
    dialog.table.clearSelection()
    qtbot.mouseClick(dialog.merge, Qt.MouseButton.LeftButton)
    assert review_rows(window.project) == original
    assert window.undo_stack.count() == 0


def test_only_record_changes_make_the_list_be_read_again(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])
    window.apply_changes(ChangeSet().change("document", 1))
    assert not dialog.busy
    window.apply_changes(ChangeSet().change("record", 1))
    assert dialog.busy
    shows(qtbot, dialog, [KHERSON_ROW, PAVEL_ROW])


def test_no_two_names_alike_says_so(text_window: TextWindow, qtbot: QtBot) -> None:
    window = text_window("one.txt", "Pavel Zhilyaev deserted near Kherson.\n")
    window.project.extraction.run()
    dialog = open_proposals(window)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.status.text() == "No proposals: no two names look like spellings of one."
    assert rows(dialog.table) == []
    assert not dialog.merge.isEnabled()


def test_a_failure_is_told_in_one_line(
    window: MainWindow, qtbot: QtBot, project_path: Path
) -> None:
    """A damaged value in the project file: the proposals cannot be made, and the dialog
    says why in one line, with nothing to merge."""
    with sqlite3.connect(project_path) as conn:
        conn.execute("UPDATE records SET fields = '{not json' WHERE label = 'Kherson'")
    dialog = open_proposals(window)
    qtbot.waitUntil(lambda: not dialog.busy)
    message = dialog.status.text()
    assert message.startswith("The proposals could not be made: the project file is damaged")
    assert "records.fields" in message
    assert "\n" not in message
    assert rows(dialog.table) == []
    assert not dialog.merge.isEnabled()


def test_rows_read_before_a_failed_reading_cannot_be_merged(
    window: MainWindow, qtbot: QtBot, project_path: Path
) -> None:
    """The list was read, then the project changed and the next reading failed: the old
    rows go, so Enter on one cannot merge what may no longer be true."""
    dialog = open_proposals(window)
    qtbot.waitUntil(lambda: not dialog.busy and rows(dialog.table) != [])
    with sqlite3.connect(project_path) as conn:
        conn.execute("UPDATE records SET fields = '{not json' WHERE label = 'Kherson'")
    conn.close()
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert rows(dialog.table) == [] and dialog.candidates == []
    dialog.merge_selected()  # no row left to merge
    assert window.undo_stack.count() == 0
