"""The welcome: when start-up shows it, and each of its choices driven through its widgets."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

import ui.app as app_module
from main import _names_project
from tests.ui.test_backup_ui import _windows  # noqa: F401 - no backups; windows closed after
from ui.app import ANNOTATOR_KEY, remember_recent, run, shows_welcome, welcome
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow
from ui.passphrase_dialog import NewProjectDialog
from ui.welcome import Welcome
from workbench.paths import SAMPLE_DIR, default_project_path
from workbench.project import Project

Dialog = TypeVar("Dialog", bound=QWidget)


@pytest.fixture
def shown(qtbot: QtBot) -> Iterator[Welcome]:
    """The welcome start-up shows, over the test's default project, active and on screen."""
    page = welcome(default_project_path())
    with qtbot.waitExposed(page):
        page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    yield page
    if isValid(page):  # a choice that opened a project closed (and deleted) it
        page.close()


def when_modal(kind: type[Dialog], handle: Callable[[Dialog], None]) -> list[Dialog]:
    """Call ``handle`` on the first modal dialog of ``kind`` to open within 10 s (closed
    5 s later if ``handle`` left it open); the list returned receives that dialog."""
    seen: list[Dialog] = []

    def poll(tries: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            seen.append(widget)
            handle(widget)
            QTimer.singleShot(5000, lambda: isValid(widget) and widget.close())  # never hang
        elif tries:
            QTimer.singleShot(20, lambda: poll(tries - 1))

    QTimer.singleShot(0, lambda: poll(500))
    return seen


def choose(path: Path) -> Callable[[QFileDialog], None]:
    """What a user does in a file dialog: pick ``path`` and confirm."""

    def pick(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(path.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None  # Qt's own dialog: offscreen has no native one
        name.setText(path.name)
        dialog.accept()

    return pick


def opened(qtbot: QtBot, path: Path) -> MainWindow:
    """The window a choice opened on ``path`` (waited for, then checked to be on screen)."""
    qtbot.waitUntil(lambda: app_module.window_for(path) is not None)
    window = app_module.window_for(path)
    assert window is not None and window.isVisible()
    return window


def closed(qtbot: QtBot, page: Welcome) -> None:
    qtbot.waitUntil(lambda: not isValid(page) or not page.isVisible())


def test_enter_imports_documents_into_the_new_default_project(
    qtbot: QtBot, shown: Welcome, testimony_file: Path
) -> None:
    default = default_project_path()
    assert not default.exists()
    assert str(default) in shown.where.text()
    assert shown.where.textFormat() == Qt.TextFormat.PlainText
    shown.name.setText("Anna K.")
    assert QApplication.focusWidget() is shown.import_button
    files = when_modal(QFileDialog, choose(testimony_file))
    batch = when_modal(ImportDialog, lambda dialog: dialog.accept())
    qtbot.keyClick(shown.import_button, Qt.Key.Key_Return)
    assert len(files) == 1 and len(batch) == 1
    window = opened(qtbot, default)
    assert QSettings().value(ANNOTATOR_KEY) == "Anna K."  # asked no more at the next start
    assert window.project.actor == "Anna K."
    qtbot.waitUntil(lambda: len(window.project.documents.list()) == 1, timeout=30_000)
    assert default.exists()
    closed(qtbot, shown)


def test_cancelling_the_file_choice_creates_nothing(qtbot: QtBot, shown: Welcome) -> None:
    files = when_modal(QFileDialog, lambda dialog: dialog.reject())
    shown.import_button.click()
    assert len(files) == 1
    assert not default_project_path().exists()
    assert app_module._windows == [] and shown.isVisible()


def test_alt_s_builds_the_sample_and_extracts_it(qtbot: QtBot, shown: Welcome) -> None:
    sample = default_project_path().with_name("sample.twb")
    qtbot.keyClick(shown, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    window = opened(qtbot, sample)
    closed(qtbot, shown)
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert len(window.project.documents.list()) == len(manifest)
    qtbot.waitUntil(lambda: not window.background.busy, timeout=120_000)
    assert window.project.records.list(status="suggested")
    assert not default_project_path().exists()


def test_open_a_project_opens_the_chosen_file(qtbot: QtBot, shown: Welcome, tmp_path: Path) -> None:
    existing = tmp_path / "study.twb"
    Project(existing).close()
    files = when_modal(QFileDialog, choose(existing))
    qtbot.keyClick(shown, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # clicks in 100 ms
    qtbot.waitUntil(lambda: len(files) == 1)
    opened(qtbot, existing.resolve())
    closed(qtbot, shown)


def test_new_project_adds_the_suffix_and_refuses_an_existing_file(
    qtbot: QtBot, shown: Welcome, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.twb"
    Project(taken).close()
    told: list[str] = []

    def name_it(path: Path) -> Callable[[NewProjectDialog], None]:
        def fill(dialog: NewProjectDialog) -> None:
            dialog.file.setText(str(path))
            qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
            if dialog.isVisible():  # refused: the dialog says why in one line
                told.append(dialog.problem.text())
                dialog.reject()

        return fill

    when_modal(NewProjectDialog, name_it(taken))
    shown.new_button.click()
    qtbot.waitUntil(lambda: len(told) == 1)
    assert "taken.twb exists already" in told[0]
    assert app_module._windows == [] and shown.isVisible()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)
    when_modal(NewProjectDialog, name_it(tmp_path / "study"))
    qtbot.keyClick(shown, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    window = opened(qtbot, (tmp_path / "study.twb").resolve())
    assert window.project.documents.list() == []
    assert not window.project.encrypted


def test_enter_in_the_recent_list_opens_that_project_and_nothing_else(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first, bogus = tmp_path / "first.twb", tmp_path / "notes.twb"
    Project(first).close()
    bogus.write_text("not a project")
    for path in (first, bogus):
        remember_recent(path)
    page = welcome(default_project_path())
    with qtbot.waitExposed(page):
        page.show()
    rows = [page.recent.item(i).text().split()[0] for i in range(page.recent.count())]
    assert rows == ["notes.twb", "first.twb"]
    files = when_modal(QFileDialog, lambda dialog: dialog.reject())
    told: list[str] = []
    when_modal(QMessageBox, lambda box: told.append(box.text()) or box.accept())
    page.recent.setFocus()
    qtbot.keyClick(page.recent, Qt.Key.Key_Return)  # notes.twb: cannot open
    qtbot.waitUntil(lambda: len(told) == 1)
    qtbot.wait(100)
    assert files == []  # Enter meant that project only, not the first choice as well
    assert page.isVisible()
    qtbot.keyClick(page.recent, Qt.Key.Key_Down)
    qtbot.keyClick(page.recent, Qt.Key.Key_Return)
    opened(qtbot, first)
    closed(qtbot, page)
    assert files == [] and len(app_module._windows) == 1


def test_a_project_that_cannot_open_keeps_the_welcome(
    qtbot: QtBot, shown: Welcome, tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.twb"
    bogus.write_text("not a project")
    when_modal(QFileDialog, choose(bogus))
    shown.open_button.click()
    box = shown.findChild(QMessageBox)
    assert box is not None and "not a Testimony Workbench project" in box.text()
    assert app_module._windows == [] and shown.isVisible()
    box.close()


def test_quit_closes_the_welcome_and_makes_no_project(qtbot: QtBot, shown: Welcome) -> None:
    qtbot.keyClick(shown, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    closed(qtbot, shown)
    assert not default_project_path().exists()


def test_the_welcome_shows_only_without_a_named_or_existing_project(tmp_path: Path) -> None:
    default = default_project_path()
    assert shows_welcome(default, named=False)
    assert not shows_welcome(default, named=True)  # --project or $WORKBENCH_PROJECT
    Project(default).close()
    assert not shows_welcome(default, named=False)  # the default project opens as before


def test_run_opens_the_welcome_and_returns_when_it_closes(qtbot: QtBot) -> None:
    shown: list[Welcome] = []

    def close_welcome(tries: int = 500) -> None:
        pages = [w for w in QApplication.topLevelWidgets() if isinstance(w, Welcome)]
        if pages and pages[0].isVisible():
            shown.append(pages[0])
            pages[0].close()
        elif tries:
            QTimer.singleShot(20, lambda: close_welcome(tries - 1))

    QTimer.singleShot(0, close_welcome)
    assert run(default_project_path(), named=False) == 0
    assert len(shown) == 1
    assert not default_project_path().exists()


def test_main_knows_whether_the_project_was_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_PROJECT")
    assert not _names_project(["gui"])
    assert _names_project(["--project", "study.twb", "gui"])
    assert _names_project(["--project=study.twb", "gui"])
    monkeypatch.setenv("WORKBENCH_PROJECT", "elsewhere.twb")
    assert _names_project(["gui"])
