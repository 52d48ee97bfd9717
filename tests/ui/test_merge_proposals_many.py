"""Merge proposals with the text in front of the user: each row says why, the current row's
records show their documents and passages, lone first names across documents rank last,
and several rows merge as one undoable step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text, review_rows
from tests.ui.conftest import activated, shown_window
from tests.ui.test_merge_proposals import REPORTS, choose, open_proposals, shows
from ui.main_window import MainWindow
from workbench.project import Project

SOLDIER = "The soldier Dmitry said the unit left Bakhmut in late March.\n"
DOCTOR = "At the hospital, Dr. Dmitri treated the wounded for three weeks.\n"
ROWS = [
    ["Kherson", "Kherson (2 more)", "place", "100", "same name"],
    ["Pavel Zhilyaev", "Pavel Zhylyaev (2)", "person", "100", "same name after transliteration"],
    # A soldier and a doctor: first names that fold to the same letters rank last.
    [
        "Dmitry",
        "Dmitri",
        "person",
        "40",
        "same name after transliteration; lone first name in different documents",
    ],
]


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    for number, text in enumerate((*REPORTS, SOLDIER, DOCTOR)):
        import_text(project, tmp_path, f"report{number}.txt", text, title=f"report {number}")
    project.extraction.run()
    with shown_window(qtbot, project) as win:
        yield activated(qtbot, win)


def tree(widget: QTreeWidget) -> list[list[str]]:
    """Every row of a tree, children indented under their parent, as the user reads it."""
    lines = []
    for top in range(widget.topLevelItemCount()):
        item = widget.topLevelItem(top)
        assert item is not None
        lines.append([item.text(c) for c in range(widget.columnCount())])
        for child in range(item.childCount()):
            below = item.child(child)
            lines.append(["  " + below.text(0), below.text(1)])
    return lines


def test_the_current_row_shows_its_records_passages(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, ROWS)
    assert tree(dialog.passages)[:2] == [  # the first row is current at once
        ["Keep: Kherson", "in 1 document: report 0"],
        ["  report 0", "Sergeant Pavel Zhilyaev deserted near [Kherson] in March. "],
    ]
    choose(dialog.table, 2)
    assert tree(dialog.passages) == [
        ["Keep: Dmitry", "in 1 document: report 3"],
        ["  report 3", "The soldier [Dmitry] said the unit left Bakhmut in late Marc…"],
        ["Merge: Dmitri", "in 1 document: report 4"],
        ["  report 4", "At the hospital, Dr. [Dmitri] treated the wounded for three weeks. "],
    ]


def test_several_rows_merge_as_one_undoable_step(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, ROWS)
    original = review_rows(window.project)
    table = dialog.table
    for row, modifier in (
        (0, Qt.KeyboardModifier.NoModifier),
        (1, Qt.KeyboardModifier.ControlModifier),
    ):
        place = table.visualItemRect(table.topLevelItem(row)).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, place)
    assert [table.indexOfTopLevelItem(i) for i in table.selectedItems()] == [0, 1]
    qtbot.mouseClick(dialog.merge, Qt.MouseButton.LeftButton)

    records = window.project.records.list()
    kherson = [r.document_ids for r in records if r.label == "Kherson"]
    assert kherson == [(1, 2, 3)]
    assert [(r.label, r.document_ids) for r in records if r.type == "person"] == [
        ("Pavel Zhilyaev", (1, 2, 3)),
        ("Dmitry", (4,)),  # the row left unselected
        ("Dmitri", (5,)),
    ]
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Merge 2 proposals"
    shows(qtbot, dialog, ROWS[2:])
    merged = review_rows(window.project)
    window.undo_stack.undo()
    assert review_rows(window.project) == original
    shows(qtbot, dialog, ROWS)
    window.undo_stack.redo()
    assert review_rows(window.project) == merged


def test_nothing_selected_merges_nothing(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_proposals(window)
    shows(qtbot, dialog, ROWS)
    assert dialog.merge.isEnabled()
    dialog.table.clearSelection()
    assert not dialog.merge.isEnabled()
    dialog.merge_selected()
    assert window.undo_stack.count() == 0
