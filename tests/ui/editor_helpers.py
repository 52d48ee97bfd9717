"""Work in the modal record editor the window opens, from a test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.record_editor import RecordEditor

Act = Callable[[RecordEditor], None]
D = TypeVar("D", bound=QDialog)


class DialogWatch(Generic[D]):
    """Once ``win`` shows a dialog of class ``kind``, run ``act`` in it (while it is modal)
    and close it if ``act`` did not. Start it before the step that opens the dialog; ``ran``
    tells whether ``act`` ran. The timer belongs to the window, so it never outlives it."""

    def __init__(
        self, win: QWidget, kind: type[D], act: Callable[[D], None], *, tries: int = 200
    ) -> None:
        self.ran = False
        self._win, self._kind, self._act, self._tries = win, kind, act, tries
        self._timer = QTimer(win)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _look(self) -> None:
        shown = [e for e in self._win.findChildren(self._kind) if e.isVisible()]
        self._tries -= 1
        if not shown:
            if self._tries <= 0:
                self.stop()
            return
        self.stop()
        try:
            self._act(shown[0])
            self.ran = True
        finally:
            if shown[0].isVisible():
                shown[0].reject()


class EditorWatch(DialogWatch[RecordEditor]):
    """A watch for the record editor."""

    def __init__(self, win: MainWindow, act: Act, *, tries: int = 200) -> None:
        super().__init__(win, RecordEditor, act, tries=tries)


def ok_button(editor: RecordEditor) -> QPushButton:
    box = editor.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok)


def press_ok(editor: RecordEditor) -> None:
    ok = ok_button(editor)
    assert ok.isEnabled()
    ok.click()


def retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    """Select all of a line edit and type over it, as the user would."""
    line.selectAll()
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Delete)
