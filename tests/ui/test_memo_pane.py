"""The memo pane: the project's, the document's and the record's memo written in one place,
saved as undoable steps (also when the user moves on), marked where they exist, found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from ui.main_window import MainWindow
from workbench.domain import DocumentId, RecordId
from workbench.project import Project
from workbench.services.memos import MemoTarget

FIRST = "Medics <b>speak</b> 🙂\n\nOlena treated 40 wounded in Kherson.\n"
SECOND = "Hospital report\n\nThe hospital in Rostov took them in.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    first = import_text(project, tmp_path, "first.txt", FIRST).id
    import_text(project, tmp_path, "second.txt", SECOND)
    start = FIRST.index("Olena")
    project.review.annotate(first, start, start + 5, "person")
    with shown_window(qtbot, project) as win:
        activated(qtbot, win)
        yield win


def _write(win: MainWindow, qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(win.memo_pane.editor, text)


def test_a_document_memo_is_saved_marked_and_undone(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_["memo_document"].trigger()
    pane = window.memo_pane
    assert pane.target() == MemoTarget.document(DocumentId(1))
    assert pane.heading.text() == "Memo on “Medics <b>speak</b> 🙂”"
    _write(window, qtbot, "Ask the outlet who <img src='file:///etc/passwd'> is")
    assert pane.state.text() == "Unsaved changes"
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = window.project.memos.read(MemoTarget.document(DocumentId(1)))
    assert stored == "Ask the outlet who <img src='file:///etc/passwd'> is"
    model = window.document_list.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole) is None
    window.undo_stack.undo()
    assert pane.editor.toPlainText() == ""
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None


def test_moving_to_another_document_saves_what_was_written(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.open_memo("document")
    _write(window, qtbot, "Check the casualty figure")
    window.document_list.select_document(DocumentId(2))
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)  # saved once the move is done
    assert window.project.memos.read(MemoTarget.document(DocumentId(1))) == (
        "Check the casualty figure"
    )
    assert window.memo_pane.target() == MemoTarget.document(DocumentId(2))
    assert window.memo_pane.editor.toPlainText() == ""
    assert window.undo_stack.undoText() == "Write memo"


def test_project_and_record_memos_and_finding_them(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_["memo_project"].trigger()
    _write(window, qtbot, "Second source needed for every HOSPITAL claim")
    window.memo_pane.save()
    assert window.records_panel.select_record(RecordId(1))
    window.open_memo("record")
    assert window.memo_pane.heading.text() == "Memo on Olena (person)"
    _write(window, qtbot, "She moved hospital in May")
    window.memo_pane.save()
    records = window.records_panel.model
    label_index = records.index(0, 0, records.index(0, 0))
    assert records.data(label_index, Qt.ItemDataRole.DecorationRole) is not None
    window.memo_pane.find_field.setText("hospital")
    found = [window.memo_pane.results.item(i).text() for i in range(2)]
    assert found == [
        "Project — Second source needed for every HOSPITAL claim",
        "Olena — She moved hospital in May",
    ]
    window.memo_pane.show_kind("document")
    window.memo_pane.results.itemActivated.emit(window.memo_pane.results.item(1))
    assert window.memo_pane.target() == MemoTarget.record(RecordId(1))
    assert window.records_panel.current_record_id() == RecordId(1)
