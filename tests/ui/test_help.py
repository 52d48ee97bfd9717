"""The Help menu: keyboard shortcuts (F1), the first-hour guide as plain text, About with
the installed version."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import activated, shown_window
from ui.help_dialog import FIRST_HOUR, FirstHourDialog, about_text, first_hour_text
from ui.main_window import MainWindow
from ui.shortcuts_dialog import ShortcutsDialog
from ui.welcome import Welcome
from workbench.paths import RESOURCES
from workbench.project import Project


@pytest.fixture
def window(qtbot: QtBot, project: Project) -> Iterator[MainWindow]:
    with shown_window(qtbot, project) as shown:
        yield activated(qtbot, shown)


def help_entries(window: MainWindow) -> list[str]:
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    return [a.text() for a in help_menu.actions()]


def test_the_help_menu_has_shortcuts_the_first_hour_and_about(window: MainWindow) -> None:
    assert help_entries(window) == [
        "&Keyboard shortcuts",
        "The &first hour…",
        "&About Testimony Workbench",
    ]


def test_f1_opens_the_keyboard_shortcuts(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None)


def test_the_first_hour_is_our_guide_as_read_only_plain_text(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.actions_["first_hour"].trigger()
    guide = window.findChild(FirstHourDialog)
    assert guide is not None
    qtbot.waitUntil(guide.isVisible)
    assert guide.text.isReadOnly()
    assert guide.text.toPlainText() == first_hour_text()
    text = first_hour_text()
    for step in ("1. Import", "2. Extract", "3. Review", "4. Timeline", "5. Export", "6. Backups"):
        assert step in text
    for key in ("A   accept", "R   reject", "E   edit the record", "Ctrl+Shift+T", "Ctrl+Shift+B"):
        assert key in text
    assert max(len(line) for line in text.splitlines()) <= 86  # shown unwrapped
    guide.close()


def test_about_names_the_installed_version_as_plain_text(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_["about"].trigger()
    box = window.findChild(QMessageBox)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert box.textFormat() == Qt.TextFormat.PlainText
    installed = version("testimony-workbench")
    assert box.text().startswith(f"Testimony Workbench {installed}\n")
    assert box.text() == about_text()
    box.close()


def test_the_welcome_opens_the_first_hour_by_its_mnemonic(qtbot: QtBot, tmp_path: Path) -> None:
    page = Welcome(lambda *_: None, tmp_path / "default.twb", [], "tester")
    qtbot.addWidget(page)
    with qtbot.waitExposed(page):
        page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.findChild(FirstHourDialog) is not None)


def test_the_guide_is_found_where_the_package_is_installed(tmp_path: Path) -> None:
    """Read from the installed package's resources, not from the working folder: the
    bundled codebook and sample are found the same way."""
    code = "import ui.help_dialog as h; h.first_hour_text(); print(h.FIRST_HOUR)"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    assert Path(found.stdout.strip()) == FIRST_HOUR == RESOURCES / "help" / "first-hour.txt"
