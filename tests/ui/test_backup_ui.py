"""Backups in the window: back up now, restore into a new window, recovery when opening fails."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

import ui.app as app_module
from tests.core.backup_helpers import count, fill, smash_index, tamper
from ui.app import open_window
from ui.backups import BackupController, controller_of, saved_keep
from ui.main_window import MainWindow
from ui.restore_dialog import RestoreDialog, made_text
from workbench.project import Project
from workbench.services.backups import BackupService
from workbench.storage.backup import BackupInfo, backups_folder, list_backups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(project_path: Path, testimony_file: Path) -> Path:
    return fill(project_path, testimony_file)


@pytest.fixture(autouse=True)
def _windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Automatic backups wait for the test to ask; every window opened is closed after it."""
    monkeypatch.setattr(BackupController, "OPEN_DELAY_MS", 3_600_000)
    yield
    for window in list(app_module._windows):
        window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert app_module._windows == []


def _backups(path: Path, *stamps: str) -> list[BackupInfo]:
    """Back up a closed project once for each UTC time ``YYYYmmdd-HHMMSS``."""
    made = []
    with Project(path) as project:
        for stamp in stamps:
            when = datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            made.append(BackupService(project, clock=lambda w=when: w).back_up())
    return made


def _when_modal(handle: Callable[[QApplication], bool]) -> None:
    """Call ``handle`` on the modal dialog as soon as one is open (it returns True when done)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not handle(widget):  # type: ignore[arg-type]
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _salvage_when_asked(asked: list[str]) -> None:
    """Choose "Salvage into a new file" in the next message box (plain text), noting what
    it asked."""

    def reply(box: object) -> bool:
        if not isinstance(box, QMessageBox):
            return False
        assert box.textFormat() == Qt.TextFormat.PlainText
        asked.append(box.text())
        button = next((b for b in box.buttons() if b.text() == "Salvage into a new file"), None)
        (button or box.buttons()[0]).click()
        return True

    _when_modal(reply)


def _opened(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(path, "tester")
    assert window is not None  # shown by open_window: wait until it is on screen
    qtbot.waitUntil(lambda: bool(window.windowHandle() and window.windowHandle().isExposed()))
    return window


def test_back_up_now_says_where_in_the_status_bar(qtbot: QtBot, filled: Path) -> None:
    window = _opened(qtbot, filled)
    window.actions_["back_up"].trigger()
    qtbot.waitUntil(lambda: len(list_backups(filled)) == 1)
    (made,) = list_backups(filled)
    assert made.path.parent == backups_folder(filled)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Backed up to {made.path}")


def test_a_backup_is_made_after_opening_then_after_changes(
    qtbot: QtBot, filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BackupController, "OPEN_DELAY_MS", 0)
    monkeypatch.setattr(BackupController, "CHECK_MS", 30)
    window = _opened(qtbot, filled)
    controller = controller_of(window)
    controller.service.every = timedelta(0)
    qtbot.waitUntil(lambda: len(list_backups(filled)) == 1)
    # the file exists before the worker's result reaches the window: wait for the message
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backup saved: "))
    qtbot.wait(200)
    assert len(list_backups(filled)) == 1  # nothing changed: no more
    window.project.documents.update_metadata([1], outlet="Radio")
    qtbot.waitUntil(lambda: len(list_backups(filled)) == 2)
    assert count(list_backups(filled)[0].path, "audit_log") == count(filled, "audit_log")


def test_how_many_backups_to_keep_is_a_window_setting(qtbot: QtBot, filled: Path) -> None:
    window = _opened(qtbot, filled)
    assert (saved_keep(), controller_of(window).service.keep) == (None, 10)

    def answer(dialog: object) -> bool:
        if not isinstance(dialog, QInputDialog):
            return False
        dialog.setIntValue(3)
        dialog.accept()
        return True

    _when_modal(answer)
    window.actions_["backups_keep"].trigger()
    assert (saved_keep(), controller_of(window).service.keep) == (3, 3)
    for _ in range(4):
        controller_of(window).service.back_up()
    assert len(list_backups(filled)) == 3


def test_restore_lists_backups_newest_first_and_opens_a_copy_in_a_new_window(
    qtbot: QtBot, filled: Path
) -> None:
    older, newer = _backups(filled, "20250301-090000", "20250302-100000")
    window = _opened(qtbot, filled)
    window.project.review.delete([r.id for r in window.project.records.list()])
    seen: list[list[str]] = []

    def choose(dialog: object) -> bool:
        if not isinstance(dialog, RestoreDialog):
            return False
        table = dialog.table
        rows = [table.topLevelItem(i) for i in range(table.topLevelItemCount())]
        seen.extend([item.text(c) for c in range(4)] for item in rows if item is not None)
        table.setCurrentItem(table.topLevelItem(1))
        dialog.open_button.click()
        return True

    _when_modal(choose)
    window.actions_["restore"].trigger()
    assert seen == [
        [made_text(newer), f"{round(newer.size / 1000)} KB", "Backup", newer.path.name],
        [made_text(older), f"{round(older.size / 1000)} KB", "Backup", older.path.name],
    ]
    qtbot.waitUntil(lambda: len(app_module._windows) == 2)
    restored = app_module._windows[1]
    assert restored.project.path == filled.with_name("project-restored-20250301-090000.twb")
    assert len(restored.project.records.list()) == 1
    assert window.project.records.list() == []  # the open project is left as it is
    assert "Opened the restored copy" in window.statusBar().currentMessage()


def test_the_restore_dialog_renders(qtbot: QtBot, filled: Path, tmp_path: Path) -> None:
    backups = _backups(filled, "20250301-090000", "20250301-093000", "20250302-100000")
    dialog = RestoreDialog(list(reversed(backups)), filled)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    assert dialog.chosen() == backups[-1]
    image = tmp_path / "restore-dialog.png"
    assert dialog.grab().save(str(image))
    empty = RestoreDialog([], filled)
    qtbot.addWidget(empty)
    assert not empty.open_button.isEnabled()
    assert empty.chosen() is None


def test_opening_an_open_project_raises_its_window(qtbot: QtBot, filled: Path) -> None:
    window = _opened(qtbot, filled)
    again = open_window(Path(str(filled).replace("project.twb", "./project.twb")), "tester")
    assert again is window
    assert len(app_module._windows) == 1
    assert window.findChild(QMessageBox) is None


def test_a_project_open_in_another_program_is_refused_with_who_has_it(
    qtbot: QtBot, filled: Path, tmp_path: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom workbench.project import Project\n"
         "p = Project(sys.argv[1]); print('ready', flush=True); time.sleep(60)", str(filled)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        window = _opened(qtbot, fill(tmp_path / "other.twb", tmp_path / "testimony.txt"))
        assert open_window(filled, "tester", window) is None
        box = window.findChild(QMessageBox)
        assert box is not None
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert re.fullmatch(
            rf"project\.twb is open in Testimony Workbench \(pid {holder.pid} .*\); "
            "close it there first",
            box.text(),
        )
        assert not list_backups(filled)  # not offered a backup: it is not damaged
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("answer", ["Open restored copy", "Cancel"])
def test_a_damaged_project_is_offered_its_newest_good_backup(
    qtbot: QtBot, filled: Path, answer: str
) -> None:
    good, bad = _backups(filled, "20250301-090000", "20250302-100000")
    smash_index(bad.path)
    filled.write_bytes(b"\0" * 4096)  # the disk lost the file's first page
    asked: list[str] = []

    def reply(box: object) -> bool:
        if not isinstance(box, QMessageBox):
            return False
        assert box.textFormat() == Qt.TextFormat.PlainText
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == answer).click()
        return True

    _when_modal(reply)
    window = open_window(filled, "tester")
    assert asked == [
        f"{filled} is not a Testimony Workbench project (not an SQLite database). "
        f"Open a copy restored from its backup of {made_text(good)}?"
    ]
    restored = filled.with_name("project-restored-20250301-090000.twb")
    if answer == "Cancel":
        assert window is None
        assert not restored.exists()
        return
    assert window is not None
    assert window.project.path == restored
    assert len(window.project.records.list()) == 1
    assert filled.read_bytes() == b"\0" * 4096  # the damaged file is left for inspection


def test_a_damaged_project_without_backups_is_offered_a_salvage(qtbot: QtBot, filled: Path) -> None:
    smash_index(filled)
    with sqlite3.connect(filled) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_log_at'"
        ).fetchone()
    conn.close()
    with filled.open("r+b") as fh:  # garbage where an index page was: quick_check sees it
        fh.seek((root - 1) * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 1024)
    before = filled.read_bytes()
    asked: list[str] = []
    _salvage_when_asked(asked)
    window = open_window(filled, "tester")
    assert asked and "There is no backup" in asked[0]
    assert window is not None
    assert "-salvaged-" in window.project.path.name
    assert len(window.project.records.list()) == 1
    assert filled.read_bytes() == before  # the damaged file is left for inspection


def test_a_crafted_project_is_explained_in_one_line_and_its_trigger_never_runs(
    qtbot: QtBot, filled: Path
) -> None:
    """A trigger that copies quotes away; a copy of the file as its only backup is no good
    backup either. What can be read is salvaged into a file of our schema."""
    tamper(
        filled,
        "CREATE TABLE loot (quote TEXT)",
        "CREATE TRIGGER steal AFTER INSERT ON annotations "
        "BEGIN INSERT INTO loot VALUES (new.quote); END",
    )
    folder = backups_folder(filled)
    folder.mkdir()
    (folder / "project-20250301-090000.twb").write_bytes(filled.read_bytes())
    asked: list[str] = []
    _salvage_when_asked(asked)
    window = open_window(filled, "tester")
    assert len(asked) == 1 and "\n" not in asked[0]
    assert f"{filled} has a trigger 'steal' that Testimony Workbench does not create" in asked[0]
    assert "There is no backup" in asked[0]
    assert window is not None and "-salvaged-" in window.project.path.name
    assert count(filled, "loot") == 0 and len(window.project.records.list()) == 1


def test_verify_project_from_the_file_menu(qtbot: QtBot, filled: Path) -> None:
    window = _opened(qtbot, filled)
    window.actions_["verify"].trigger()
    qtbot.waitUntil(lambda: "Verified: all" in window.statusBar().currentMessage())
    with sqlite3.connect(filled) as conn:  # a quote that no longer matches its span
        conn.execute("UPDATE annotations SET quote = 'forged' WHERE id = 1")
    conn.close()
    window.actions_["verify"].trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None)
    box = window.findChild(QMessageBox)
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert "checks found problems" in box.text()
    assert "annotation 1" in box.detailedText()
