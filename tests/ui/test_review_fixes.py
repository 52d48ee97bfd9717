"""Review steps act on the record the user is looking at: the queue's record by id, Del on
the highlight under the cursor or the focused panel's selection, never a leftover one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from ui import main_window
from ui.main_window import MainWindow
from ui.review_queue import ReviewQueue
from workbench.domain import RecordId, RecordInfo
from workbench.project import Project
from workbench.services.memos import MemoTarget

FIRST = "Daniil Alfyorov left the 47th Tank Division and crossed into Kazakhstan.\n"
SECOND = "Dr. Olena Marchenko treated 40 wounded in Kherson, the report said.\n"


@dataclass
class Ids:
    first: int
    second: int
    daniil: int
    kazakhstan: int
    olena: int
    kherson: int


def _record(project: Project, document_id: int, text: str, phrase: str, code: str) -> int:
    start = text.index(phrase)
    return project.review.annotate(document_id, start, start + len(phrase), code).record_ids[0]


@pytest.fixture
def ids(project: Project, tmp_path: Path) -> Ids:
    """Two documents; the second one's two records are suggestions."""
    docs = []
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND)):
        docs.append(import_text(project, tmp_path, name, text).id)
    made = Ids(
        docs[0],
        docs[1],
        _record(project, docs[0], FIRST, "Daniil Alfyorov", "person"),
        _record(project, docs[0], FIRST, "Kazakhstan", "place"),
        _record(project, docs[1], SECOND, "Olena Marchenko", "person"),
        _record(project, docs[1], SECOND, "Kherson", "place"),
    )
    project.review.set_status([made.olena, made.kherson], "suggested")
    return made


@pytest.fixture
def window(qtbot: QtBot, project: Project, ids: Ids) -> Iterator[MainWindow]:
    with shown_window(qtbot, project) as win:
        activated(qtbot, win)  # Del is a window shortcut
        assert win.document_id == ids.first
        yield win


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The records the record editor was opened on; the editor (modal) is a stand-in that
    closes at once."""
    records: list[int] = []

    class Editor:
        DialogCode = QDialog.DialogCode

        def __init__(self, record: RecordInfo, *_args: object) -> None:
            records.append(record.id)

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(main_window, "RecordEditor", Editor)
    return records


def status(win: MainWindow, record_id: int) -> str:
    return win.project.records.get(record_id).status


def alive(win: MainWindow) -> set[int]:
    return {r.id for r in win.project.records.list()}


def caret(win: MainWindow, text: str, phrase: str, offset: int = 0) -> None:
    """Put the text cursor (no selection) inside ``phrase`` and give the text the focus."""
    cursor = QTextCursor(win.document_view.document())
    cursor.setPosition(win.document_view.offsets.to_utf16(text.index(phrase) + offset))
    win.document_view.setTextCursor(cursor)
    win.document_view.setFocus()


# --- the review queue


def open_queue(win: MainWindow, qtbot: QtBot) -> ReviewQueue:
    """Open the review queue; keys go to it once it is the active window."""
    queue = win.open_review_queue()
    qtbot.addWidget(queue)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is queue)
    return queue


def test_the_queue_decides_for_its_own_record_after_a_document_switch(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    queue = open_queue(window, qtbot)
    assert queue.current() is None  # the first document has no suggestions
    window.document_list.select_document(ids.second)  # the queue stays open meanwhile
    assert window.records_panel.select_record(ids.kherson)
    assert queue.current() == ids.olena
    assert "second" in queue.windowTitle()

    qtbot.keyClick(queue, Qt.Key.Key_A)
    assert status(window, ids.olena) == "accepted"
    assert status(window, ids.kherson) == "suggested"  # the panel's record is untouched
    assert window.records_panel.selected_record_ids() == [ids.kherson]
    assert (queue.current(), queue.progress.text()) == (ids.kherson, "1 of 1 · end of queue")

    window.undo_stack.undo()  # the decision comes back into the queue, and is shown
    assert status(window, ids.olena) == "suggested"
    assert (queue.current(), queue.progress.text()) == (ids.olena, "1 of 2")
    window.undo_stack.redo()
    assert (queue.current(), queue.progress.text()) == (ids.kherson, "1 of 1 · end of queue")


def test_the_queue_edits_its_own_record(
    window: MainWindow, ids: Ids, qtbot: QtBot, opened: list[int]
) -> None:
    window.document_list.select_document(ids.second)
    queue = open_queue(window, qtbot)
    window.records_panel.select_record(ids.kherson)
    qtbot.keyClick(queue, Qt.Key.Key_E)
    assert opened == [ids.olena]
    window.records_panel.tree.setFocus()
    window.actions_["edit"].trigger()  # Review → Edit: the panel's current record
    assert opened == [ids.olena, ids.kherson]


def test_one_queue_per_window_reread_when_shown_again(window: MainWindow, ids: Ids) -> None:
    queue = window.open_review_queue()
    queue.close()
    window.document_list.select_document(ids.second)
    assert window.open_review_queue() is queue
    assert queue.current() == ids.olena


# --- Del


def test_del_in_the_text_deletes_the_highlight_under_the_cursor(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    window.records_panel.select_record(ids.kazakhstan)  # left selected in the panel
    caret(window, FIRST, "Daniil Alfyorov", 3)
    qtbot.keyClick(window.document_view, Qt.Key.Key_Delete)
    assert ids.daniil not in alive(window)
    assert ids.kazakhstan in alive(window)
    assert window.statusBar().currentMessage().startswith("Deleted Daniil Alfyorov")
    window.undo_stack.undo()
    assert ids.daniil in alive(window)


def test_del_in_the_text_away_from_highlights_deletes_nothing(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    window.records_panel.select_record(ids.kazakhstan)
    caret(window, FIRST, "Tank Division")
    before = alive(window)
    qtbot.keyClick(window.document_view, Qt.Key.Key_Delete)
    assert alive(window) == before
    assert window.statusBar().currentMessage() == "Select a record first"


def test_del_after_the_queue_closes_deletes_nothing_left_selected(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    window.document_list.select_document(ids.second)
    queue = open_queue(window, qtbot)
    qtbot.keyClick(queue, Qt.Key.Key_A)
    queue.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.records_panel.select_record(ids.kherson)
    window.document_list.setFocus()  # the records panel does not have the focus
    before = alive(window)
    qtbot.keyClick(window.document_list, Qt.Key.Key_Delete)
    assert alive(window) == before
    assert window.statusBar().currentMessage() == "Select a record first"


def test_del_in_the_focused_records_panel_deletes_its_selection(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    caret(window, FIRST, "Daniil Alfyorov")  # the cursor elsewhere does not count
    window.records_panel.select_record(ids.kazakhstan)
    window.records_panel.tree.setFocus()
    qtbot.keyClick(window.records_panel.tree, Qt.Key.Key_Delete)
    assert alive(window) == {ids.daniil, ids.olena, ids.kherson}


def test_del_on_a_selection_over_whole_highlights_deletes_their_records(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    window.document_view.selectAll()
    window.document_view.setFocus()
    qtbot.keyClick(window.document_view, Qt.Key.Key_Delete)
    assert alive(window) == {ids.olena, ids.kherson}
    assert window.statusBar().currentMessage().startswith("Deleted 2 records")


def test_reject_in_the_text_rejects_the_highlight_under_the_cursor(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    """R (like A and S) acts on what the user looks at, as Del does, not on the panel's
    leftover selection."""
    window.records_panel.select_record(ids.kazakhstan)  # left selected in the panel
    before = status(window, ids.kazakhstan)
    caret(window, FIRST, "Daniil Alfyorov", 3)
    qtbot.keyClick(window.document_view, Qt.Key.Key_R)
    assert status(window, ids.daniil) == "rejected"
    assert status(window, ids.kazakhstan) == before
    caret(window, FIRST, "Tank Division")  # away from any highlight: nothing to decide
    qtbot.keyClick(window.document_view, Qt.Key.Key_A)
    assert window.statusBar().currentMessage() == "Select a record first"


# --- E, N, M and P act on what the user looks at too


def test_edit_in_the_text_edits_the_highlight_under_the_cursor(
    window: MainWindow, ids: Ids, qtbot: QtBot, opened: list[int]
) -> None:
    window.records_panel.select_record(ids.kazakhstan)  # left current in the panel
    caret(window, FIRST, "Daniil Alfyorov", 3)
    qtbot.keyClick(window.document_view, Qt.Key.Key_E)
    assert opened == [ids.daniil]
    caret(window, FIRST, "Tank Division")  # away from any highlight: nothing to edit
    qtbot.keyClick(window.document_view, Qt.Key.Key_E)
    assert opened == [ids.daniil]
    assert window.statusBar().currentMessage() == "Select a record first"
    window.document_list.setFocus()  # neither the text nor the records panel
    window.actions_["edit"].trigger()
    assert opened == [ids.daniil]


def test_n_in_the_text_writes_the_memo_of_the_highlight_under_the_cursor(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    window.records_panel.select_record(ids.kazakhstan)  # left current in the panel
    caret(window, FIRST, "Daniil Alfyorov", 3)
    qtbot.keyClick(window.document_view, Qt.Key.Key_N)
    pane = window.memo_pane
    assert pane.target() == MemoTarget.record(RecordId(ids.daniil))
    assert window.focusWidget() is pane.editor
    qtbot.keyClicks(pane.editor, "met him at the border")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.project.records.get(ids.daniil).note == "met him at the border"
    assert window.project.records.get(ids.kazakhstan).note == ""
    window.undo_stack.undo()
    assert window.project.records.get(ids.daniil).note == ""
    assert pane.editor.toPlainText() == ""


def test_merge_outside_the_records_panel_merges_nothing_left_selected(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    division = FIRST.index("47th Tank Division")
    window.document_view.reveal(division, division + len("47th Tank Division"), flash=False)
    window.annotate("person", snap=False)  # a second person in this document
    panel = window.records_panel
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for record in window.project.records.list(type_name="person", document_id=ids.first):
        panel.tree.selectionModel().select(panel.model.reveal(record.id), flags)
    assert len(panel.selected_record_ids()) == 2  # a leftover selection that could merge
    before = alive(window)
    caret(window, FIRST, "crossed")
    qtbot.keyClick(window.document_view, Qt.Key.Key_M)
    assert alive(window) == before
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_M)  # in the panel, its selection merges
    assert len(alive(window)) == len(before) - 1


def test_split_in_the_text_splits_the_record_of_the_selected_highlight(
    window: MainWindow, ids: Ids, qtbot: QtBot
) -> None:
    division = FIRST.index("47th Tank Division")
    window.document_view.reveal(division, division + len("47th Tank Division"), flash=False)
    window.attach(ids.daniil)  # Daniil's second passage
    window.records_panel.select_record(ids.kazakhstan)  # left current in the panel
    window.document_view.reveal(division, division + len("47th Tank Division"), flash=False)
    window.document_view.setFocus()
    qtbot.keyClick(window.document_view, Qt.Key.Key_P)
    assert [a.quote for a in window.project.annotations.for_record(ids.daniil)] == [
        "Daniil Alfyorov"
    ]
    assert len(window.project.annotations.for_record(ids.kazakhstan)) == 1
    assert len(alive(window)) == 5
