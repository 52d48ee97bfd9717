"""Encrypted projects in the window: the New Project dialog's passphrase, the passphrase
dialog that asks again after a wrong one, the export dialog's line, and File → "Encrypt into
new file…" and "Change passphrase…"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

import ui.app as app_module
from tests.conftest import import_text
from tests.ui import test_welcome
from tests.ui.test_backup_ui import _windows  # noqa: F401 - no backups; windows closed after
from tests.ui.test_welcome import choose, opened, when_modal
from ui.app import open_window
from ui.backups import controller_of
from ui.export_dialog import ExportDialog
from ui.passphrase_dialog import (
    NO_RECOVERY,
    NewPassphraseDialog,
    NewProjectDialog,
    PassphraseDialog,
)
from ui.welcome import Welcome
from workbench.project import Project
from workbench.services.backups import BackupService
from workbench.storage.cipher import Passphrase, PassphraseError

shown = test_welcome.shown  # the fixture: the welcome, shown and active
SECRET = "correct horse battery staple"
SENTENCE = "Oksana Hrytsenko treated the deserters in the cellar below the bakery."


def _encrypted(tmp_path: Path, name: str = "secret.twb") -> Path:
    path = tmp_path / name
    with Project(path, passphrase=Passphrase(SECRET)) as project:
        import_text(project, tmp_path, "account.txt", SENTENCE + "\n")
    return path


def _type_twice(qtbot: QtBot, secret: str) -> Callable[[NewPassphraseDialog], None]:
    def fill(dialog: NewPassphraseDialog) -> None:
        qtbot.keyClicks(dialog.fields.first, secret)
        qtbot.keyClicks(dialog.fields.second, secret)
        qtbot.keyClick(dialog.fields.second, Qt.Key.Key_Return)

    return fill


def test_the_new_project_dialog_makes_an_encrypted_project(
    qtbot: QtBot, shown: Welcome, tmp_path: Path
) -> None:
    path = tmp_path / "border crossings"
    seen: list[str] = []

    def fill(dialog: NewProjectDialog) -> None:
        labels = dialog.findChildren(QLabel)
        seen.append(str(any(label.text() == NO_RECOVERY for label in labels)))
        seen.append(str(all(lb.textFormat() == Qt.TextFormat.PlainText for lb in labels)))
        dialog.file.setText(str(path))
        qtbot.keyClick(dialog.encrypt, Qt.Key.Key_Space)  # the box, from the keyboard
        seen.append(str(dialog.encrypt.isChecked() and dialog.secret.isEnabled()))
        qtbot.keyClicks(dialog.secret.first, SECRET)
        qtbot.keyClicks(dialog.secret.second, SECRET + "!")
        qtbot.keyClick(dialog.secret.second, Qt.Key.Key_Return)
        seen.append(dialog.secret.problem.text())  # refused: the two differ
        seen.append(str(dialog.secret.first.echoMode() == dialog.secret.first.EchoMode.Password))
        qtbot.keyClicks(dialog.secret.second, SECRET)
        qtbot.keyClick(dialog.secret.second, Qt.Key.Key_Return)

    when_modal(NewProjectDialog, fill)
    shown.new_button.click()
    window = opened(qtbot, (tmp_path / "border crossings.twb").resolve())
    assert seen == ["True", "True", "True", "The two passphrases differ.", "True"]
    assert window.project.encrypted
    assert not window.project.path.read_bytes().startswith(b"SQLite format 3")


def test_a_wrong_passphrase_is_said_and_asked_again(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    problems: list[str] = []

    def answer(dialog: PassphraseDialog) -> None:
        assert dialog.field.echoMode() == dialog.field.EchoMode.Password
        qtbot.keyClicks(dialog.field, "not it")

        def again() -> None:
            problems.append(dialog.problem.text())
            assert dialog.field.text() == ""  # emptied for another try
            qtbot.keyClicks(dialog.field, SECRET)
            qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

        QTimer.singleShot(0, again)  # runs once the dialog asks again
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    when_modal(PassphraseDialog, answer)
    window = open_window(path, "tester")
    assert problems == ["secret.twb: wrong passphrase (or not a Testimony Workbench project)"]
    assert window is not None and window.project.encrypted
    assert [d.title for d in window.project.documents.list()] == ["account"]


def test_cancel_leaves_the_project_closed(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    before = path.read_bytes()
    when_modal(PassphraseDialog, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert open_window(path, "tester") is None
    assert app_module._windows == []
    assert path.read_bytes() == before


def test_the_export_dialog_says_the_export_is_not_encrypted(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    window = open_window(path, "tester", passphrase=Passphrase(SECRET))
    assert window is not None
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.unencrypted.text() == "The project is encrypted; the exported file will not be."
    assert dialog.unencrypted.textFormat() == Qt.TextFormat.PlainText
    plain = open_window(tmp_path / "plain.twb", "tester")
    assert plain is not None
    other = ExportDialog(plain)
    qtbot.addWidget(other)
    assert not hasattr(other, "unencrypted")


def test_change_passphrase_from_the_file_menu(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    window = open_window(path, "tester", passphrase=Passphrase(SECRET))
    assert window is not None
    when_modal(PassphraseDialog, lambda d: (qtbot.keyClicks(d.field, SECRET), d.accept()))
    when_modal(NewPassphraseDialog, _type_twice(qtbot, "a new one"))
    window.actions_["passphrase"].trigger()  # File → Change passphrase…
    qtbot.waitUntil(lambda: window.project.key == Passphrase("a new one"), timeout=20_000)
    qtbot.waitUntil(lambda: not window.background.busy)
    assert [d.title for d in window.project.documents.list()] == ["account"]
    window.close()
    app_module._windows.clear()
    window.project.close()
    try:
        Project(path, passphrase=Passphrase(SECRET))
    except PassphraseError as exc:
        assert "wrong passphrase" in str(exc)
    else:
        raise AssertionError("the old passphrase still opens the project")


def test_encrypt_into_a_new_file_and_remove_the_plain_original(
    qtbot: QtBot, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.twb"
    with Project(plain) as project:
        import_text(project, tmp_path, "account.txt", SENTENCE + "\n")
    window = open_window(plain, "tester")
    assert window is not None
    target = tmp_path / "locked.twb"
    asked: list[str] = []

    def remove(box: QMessageBox) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if "Remove" in b.text()).click()

    when_modal(QFileDialog, choose(target))
    when_modal(NewPassphraseDialog, _type_twice(qtbot, SECRET))
    when_modal(QMessageBox, remove)
    window.actions_["encrypt"].trigger()  # File → Encrypt into new file…
    qtbot.waitUntil(lambda: app_module.window_for(target) is not None, timeout=20_000)
    assert "The plain original plain.twb" in asked[0] and "overwrite it with zeros" in asked[0]
    assert not plain.exists()
    encrypted = app_module.window_for(target)
    assert encrypted is not None and encrypted.project.encrypted
    assert [d.title for d in encrypted.project.documents.list()] == ["account"]
    assert b"Hrytsenko" not in target.read_bytes()


def test_a_backup_of_an_encrypted_project_restores_encrypted(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    window = open_window(path, "tester", passphrase=Passphrase(SECRET))
    assert window is not None
    controller = controller_of(window)
    backup = controller.service.back_up()
    assert b"Hrytsenko" not in backup.path.read_bytes()
    assert controller.restore(backup)
    qtbot.waitUntil(lambda: len(app_module._windows) == 2, timeout=20_000)
    restored = app_module._windows[1]
    assert restored.project.encrypted and restored.project.path != window.project.path
    assert [d.title for d in restored.project.documents.list()] == ["account"]
    assert b"Hrytsenko" not in restored.project.path.read_bytes()


def test_a_backup_made_before_the_passphrase_changed_asks_for_the_one_it_had(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The backup keeps its old passphrase: the window asks for it (again after a wrong
    one) and opens the restored copy with it, where it said "wrong passphrase" before."""
    path = _encrypted(tmp_path)
    with Project(path, passphrase=Passphrase(SECRET)) as project:
        backup = BackupService(project).back_up()
        project.change_passphrase(Passphrase("a new one"))
    window = open_window(path, "tester", passphrase=Passphrase("a new one"))
    assert window is not None
    asked: list[str] = []
    typed = iter(["not this one either", SECRET])

    def answer() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, PassphraseDialog):
            asked.append(widget.problem.text() if widget.problem.isVisible() else "")
            qtbot.keyClicks(widget.field, next(typed))
            qtbot.keyClick(widget.field, Qt.Key.Key_Return)
            if len(asked) == 2:
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    assert controller_of(window).restore(backup)
    qtbot.waitUntil(lambda: len(app_module._windows) == 2, timeout=30_000)
    assert asked == ["", "That passphrase does not open it either."]
    restored = app_module._windows[1]
    assert restored.project.encrypted and restored.project.path != path
    assert [d.title for d in restored.project.documents.list()] == ["account"]
    assert b"Hrytsenko" not in restored.project.path.read_bytes()


def _damaged(tmp_path: Path, *, backed_up: bool) -> Path:
    """An encrypted project (with a backup made before) whose middle page the disk garbled:
    the passphrase is right, the integrity check fails."""
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=Passphrase(SECRET)) as project:
        for n in range(12):
            import_text(project, tmp_path, f"account {n}.txt", (SENTENCE + " ") * 60 + str(n))
        if backed_up:
            BackupService(project).back_up()
    page = path.stat().st_size // 4096 // 2
    with path.open("r+b") as fh:
        fh.seek((page - 1) * 4096 + 100)
        fh.write(b"\xde" * 100)
    return path


def _type_passphrase_then(qtbot: QtBot, button: str, asked: list[str]) -> None:
    """Type the passphrase when asked, then choose ``button`` in the message box that
    follows (noting what it said)."""
    typed: list[bool] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, PassphraseDialog) and not typed:
            typed.append(True)
            qtbot.keyClicks(widget.field, SECRET)
            qtbot.keyClick(widget.field, Qt.Key.Key_Return)
        elif isinstance(widget, QMessageBox):
            assert widget.textFormat() == Qt.TextFormat.PlainText
            asked.append(widget.text())
            chosen = [b for b in widget.buttons() if b.text() == button]
            (chosen or widget.buttons())[0].click()  # a box without the choice: closed
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_a_damaged_encrypted_project_is_offered_its_backup_read_with_its_passphrase(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """It was told "Cannot open project" only: the backup offer needs the passphrase."""
    path = _damaged(tmp_path, backed_up=True)
    before = path.read_bytes()
    asked: list[str] = []
    _type_passphrase_then(qtbot, "Open restored copy", asked)
    window = open_window(path, "tester")
    assert len(asked) == 1 and "Open a copy restored from its backup" in asked[0]
    assert window is not None and window.project.path != path
    assert window.project.encrypted
    assert len(window.project.documents.list()) == 12
    assert b"Hrytsenko" not in window.project.path.read_bytes()
    assert path.read_bytes() == before  # the damaged file is left for inspection


def test_a_damaged_encrypted_project_without_backups_is_salvaged_encrypted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _damaged(tmp_path, backed_up=False)
    asked: list[str] = []
    _type_passphrase_then(qtbot, "Salvage into a new file", asked)
    window = open_window(path, "tester")
    assert len(asked) == 1 and "There is no backup" in asked[0]
    assert window is not None and "-salvaged-" in window.project.path.name
    assert window.project.encrypted
    assert window.project.documents.list()  # what could be read came over
    salvaged = window.project.path.read_bytes()
    assert b"Hrytsenko" not in salvaged and not salvaged.startswith(b"SQLite format 3")
