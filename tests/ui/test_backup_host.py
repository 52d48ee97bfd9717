"""The backup controller needs only a BackupHost (ui/host.py), not the main window: a bare
QMainWindow with the project and a worker is enough to back up and verify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow, QStatusBar, QWidget
from pytestqt.qtbot import QtBot

from ui.background import BackgroundRunner
from ui.backups import BackupController, controller_of
from ui.host import BackupHost
from ui.main_window import MainWindow
from workbench.project import Project
from workbench.storage.backup import list_backups


class ShellHost:
    """A backup host with no MainWindow: the project, a worker and a bare window."""

    def __init__(self, project: Project, shell: QMainWindow) -> None:
        self.project = project
        self.background = BackgroundRunner(shell)
        self._shell = shell

    def window(self) -> QWidget:
        return self._shell

    def isVisible(self) -> bool:  # noqa: N802 - the Protocol's Qt name
        return self._shell.isVisible()

    def statusBar(self) -> QStatusBar:  # noqa: N802 - the Protocol's Qt name
        return self._shell.statusBar()


def window_as_host(window: MainWindow) -> BackupHost:
    """Type-checked only: the main window is a BackupHost as it is."""
    return window


@pytest.fixture
def shell(qtbot: QtBot) -> Iterator[QMainWindow]:
    window = QMainWindow()
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    yield window
    window.close()


@pytest.fixture
def host(project: Project, shell: QMainWindow) -> BackupHost:
    return ShellHost(project, shell)


def test_back_up_now_on_a_host_that_is_not_the_main_window(
    qtbot: QtBot, project: Project, shell: QMainWindow, host: BackupHost
) -> None:
    controller = controller_of(host)
    assert controller.parent() is shell
    assert controller_of(host) is controller  # one controller a window
    assert controller.back_up_now()
    qtbot.waitUntil(lambda: shell.statusBar().currentMessage().startswith("Backed up to"))
    (made,) = list_backups(project.path)
    assert str(made.path) in shell.statusBar().currentMessage()


def test_verify_reports_in_the_hosts_status_bar(
    qtbot: QtBot, shell: QMainWindow, host: BackupHost
) -> None:
    assert BackupController(host).verify_now()
    qtbot.waitUntil(lambda: "Verified: all" in shell.statusBar().currentMessage())


def test_a_closing_host_makes_no_backup(
    project: Project, shell: QMainWindow, host: BackupHost
) -> None:
    shell.hide()  # what closing does before the project closes
    assert not controller_of(host).back_up_now()
    assert list_backups(project.path) == []
