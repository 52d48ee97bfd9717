"""Qt test set-up: settings kept out of the user's profile; shown windows over a project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from ui.main_window import MainWindow
from workbench.project import Project


@pytest.fixture(autouse=True)
def _qt_test_settings(qapp: object) -> None:
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("TestimonyWorkbenchTests")
    QCoreApplication.setApplicationName("Testimony Workbench Tests")
    QSettings().clear()


@contextmanager
def shown_window(qtbot: QtBot, project: Project) -> Iterator[MainWindow]:
    """A main window over a project, shown offscreen, closed afterwards."""
    win = MainWindow(project, remember_layout=False)
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    yield win
    win.close()


def activated(qtbot: QtBot, win: MainWindow) -> MainWindow:
    """``win``, made the active window: window shortcuts work in the active window only."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win


TextWindow = Callable[..., MainWindow]


@pytest.fixture
def text_window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[TextWindow]:
    """``text_window(name, text, **options)``: import a text file into ``project``, then open
    a shown window over it; the windows opened are closed after the test."""
    with ExitStack() as opened:

        def open_window(name: str, text: str, **options: Any) -> MainWindow:
            import_text(project, tmp_path, name, text, **options)
            return opened.enter_context(shown_window(qtbot, project))

        yield open_window
