"""The compare view over a real project of three annotators: the differences it lists, one
key a decision into the reviewed layer (undoable, audited), the passage shown in the text,
and no protected name in presentation mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import activated, shown_window
from tests.ui.test_layers import TEXT, span, team_file
from ui.actions import open_compare
from ui.compare_view import CompareView
from ui.main_window import MainWindow
from ui.presentation import present_in_session
from workbench.project import Project
from workbench.services.agreement import REVIEWED


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The lead's window over the team's project."""
    with Project(team_file(tmp_path), actor="lead") as project, shown_window(qtbot, project) as win:
        yield activated(qtbot, win)
    present_in_session(False)


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> CompareView:
    window.actions_["compare"].trigger()
    found = window.findChild(CompareView)
    assert found is not None
    qtbot.waitExposed(found)
    return found


def texts(view: CompareView) -> list[list[str]]:
    table = view.table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def everything(view: CompareView) -> str:
    """Every text the view shows: title, ticks, headers, cells, buttons, state line."""
    table = view.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    ticks = [box.text() for box in view._ticks.values()]
    buttons = [button.text() for button in view._choices]
    cells = [cell for row in texts(view) for cell in row]
    return "\n".join([view.title.text(), *ticks, *headers, *cells, *buttons, view.state.text()])


def test_the_differences_of_two_annotators_in_text_order(view: CompareView) -> None:
    assert view.annotators() == ["Anna", "Boris", "Vera"]
    view._ticks["Vera"].setChecked(False)
    rows = texts(view)
    assert [r[1] for r in rows] == [
        "= agreement",
        "≠ same code, different boundaries",
        "≠ different codes",  # Anna's place inside her event, Boris's person
        "≠ different codes",  # Boris's event over Anna's second place
    ]
    assert rows[1][3:] == [
        f"person: “Іван Петренко” ({span('Іван Петренко')[0]}–{span('Іван Петренко')[1]})",
        f"person: “Петренко” ({span('Петренко')[0]}–{span('Петренко')[1]})",
    ]
    assert rows[3][3] == f"place: “Херсон” ({span('Херсон', 1)[0]}–{span('Херсон', 1)[1]})"
    assert [r[2] for r in rows] == ["", *["undecided"] * 3]
    assert view.table.currentRow() == 1  # the first undecided one
    assert "4 passages · 3 differences, 0 decided, 3 left" in view.state.text()


def test_three_annotators_and_one_missing(view: CompareView) -> None:
    rows = texts(view)
    assert rows[0][1] == "≠ only Anna, Boris"  # Vera marked the second Олена, not the first
    assert len(view._choices) == 5  # A, B, C, All, Neither
    assert [b.text() for b in view._choices][-2:] == ["All (E)", "Neither (N)"]


def test_selecting_a_difference_shows_it_in_the_text(window: MainWindow, view: CompareView) -> None:
    view._ticks["Vera"].setChecked(False)
    view.table.setCurrentCell(2, 0)
    shown = window.document_view.selected_span(snap=False)
    assert shown is not None
    assert (shown.start, shown.end) == span("leave Херсон on May 4, 2024")


def test_each_key_decides_and_undo_takes_it_back(
    window: MainWindow, view: CompareView, qtbot: QtBot
) -> None:
    view._ticks["Vera"].setChecked(False)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_B)  # Boris's boundaries
    assert texts(view)[1][2] == "✓ Boris"
    assert view.table.currentRow() == 2  # on to the next undecided one
    qtbot.keyClick(view.table, Qt.Key.Key_E)  # both codes
    qtbot.keyClick(view.table, Qt.Key.Key_N)  # neither of the last
    assert view.table.currentRow() == 3  # all decided: it stays
    assert "3 differences, 3 decided, 0 left" in view.state.text()
    qtbot.keyClick(view.table, Qt.Key.Key_A)  # a second thought: Anna's place
    assert [r[2] for r in texts(view)] == ["", "✓ Boris", "✓ both", "✓ Anna"]
    assert window.undo_stack.count() == 4
    assert window.undo_stack.undoText() == "Take Anna's version"
    drawn = {(h.author, h.start, h.end) for h in window.document_view.highlights()}
    assert (REVIEWED, *span("Петренко")) in drawn  # the reviewed layer is a layer
    assert (REVIEWED, *span("Іван Петренко")) not in drawn  # rejected: not drawn
    entries = window.project.audit.list(limit=10, text="adjudication")
    decided = [e for e in entries if e.action == "adjudication.decide"]
    assert [e.detail["accepted"] for e in decided] == [["Anna"], [], ["Anna", "Boris"], ["Boris"]]
    assert {e.actor for e in decided} == {"lead"}
    for _ in range(4):
        window.undo_stack.undo()
    assert [r[2] for r in texts(view)] == ["", *["undecided"] * 3]
    window.undo_stack.redo()
    assert texts(view)[1][2] == "✓ Boris"
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert texts(view)[1][2] == "undecided"


def test_presentation_mode_hides_protected_names(window: MainWindow, qtbot: QtBot) -> None:
    (ivan,) = [r.id for r in window.project.records.list() if r.label == "Іван Петренко"]
    window.run_step("protect", lambda: window.project.records.protect([ivan]))
    view = open_compare(window)
    assert "Петренко" in everything(view)
    window.actions_["presentation"].trigger()
    shown = everything(view)
    assert "Петренко" not in shown and "Іван" not in shown
    assert "Олена" in shown and "Херсон" in shown
    assert TEXT.index("Херсон") >= 0
