"""The record editor's OK on a record written since the editor read it: refused in one line,
nothing pushed on the undo stack, the other write standing (on a file: another step of the
same window, the stale state a team project's editor has when an annotator saves first)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TextWindow
from tests.ui.editor_helpers import press_ok, retype
from tests.ui.test_record_editor import edit, record
from ui.main_window import MainWindow
from ui.record_editor import RecordEditor

TEXT = "Свідчення 🙂: Dr. Olena Marchenko treated the wounded in Kherson in late March.\n"


def _shown(window: MainWindow, text: str) -> bool:
    model = window.records_panel.tree.model()
    flags = Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchContains
    return bool(model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, -1, flags))


@pytest.fixture
def window(text_window: TextWindow) -> MainWindow:
    win = text_window("ward.txt", TEXT, published="2024-05-20")
    doc = win.project.documents.list()[0].id
    start = TEXT.index("Olena Marchenko")
    win.project.review.annotate(doc, start, start + len("Olena Marchenko"), "person")
    win.apply_changes()
    return win


def test_ok_on_a_record_written_since_it_was_read_is_refused_and_not_pushed(
    window: MainWindow, qtbot: QtBot
) -> None:
    olena = record(window, "person", "Olena")

    def change(editor: RecordEditor) -> None:
        retype(qtbot, editor.label, "Olena M.")
        window.project.review.edit(olena.id, label="Olena (ward)")  # another's save, meanwhile
        press_ok(editor)

    edit(window, olena.id, change)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)))
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == (
        "another annotator changed “Olena (ward)” since you read it: nothing was changed; "
        "it has been reloaded"
    )
    assert window.project.records.get(olena.id).label == "Olena (ward)"
    assert window.undo_stack.count() == 0  # the refused step is not on the stack
    assert _shown(window, "Olena (ward)")  # the records panel read it again
    box.close()

    def again(editor: RecordEditor) -> None:  # read again, the edit passes and is undoable
        retype(qtbot, editor.label, "Olena M.")
        press_ok(editor)

    edit(window, olena.id, again)
    assert window.project.records.get(olena.id).label == "Olena M."
    window.undo_stack.undo()
    assert window.project.records.get(olena.id).label == "Olena (ward)"
    window.undo_stack.redo()
    assert window.project.records.get(olena.id).label == "Olena M."
