"""Qt test set-up: settings kept out of the user's profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from pytestqt.qtbot import QtBot

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
