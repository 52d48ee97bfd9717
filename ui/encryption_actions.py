"""File → "Encrypt into new file…" and "Change passphrase…": the window's side of encrypted
projects (the work runs on the window's database worker; the core does it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.passphrase_dialog import PROJECTS, ask_until_open, new_passphrase
from ui.plain import message_box, tell
from workbench.domain import CancelFlag, Progress
from workbench.errors import WorkbenchError
from workbench.paths import PROJECT_SUFFIX
from workbench.storage.cipher import Passphrase, wrong_passphrase
from workbench.storage.encrypt import EncryptedCopy, encrypt_copy, plaintext_files
from workbench.storage.encrypt import remove_plaintext as remove_plain_files
from workbench.storage.lock import ProjectLock

if TYPE_CHECKING:
    from ui.main_window import MainWindow

NOT_A_GUARANTEE = (
    "On SSDs and copy-on-write file systems, overwriting a file does not guarantee that its "
    "old contents are gone from the disk."
)


def encrypt_into_new_file(window: MainWindow) -> None:
    """Write the (plain) project encrypted with a new passphrase into a file the user names,
    then offer to open it and to remove the plain original."""
    project = window.project
    if project.encrypted:
        tell(window, "Encrypt into new file", f"{project.path.name} is encrypted already.")
        return
    suggested = project.path.with_name(f"{project.path.stem} encrypted{PROJECT_SUFFIX}")
    name, _ = QFileDialog.getSaveFileName(window, "Encrypt into new file", str(suggested), PROJECTS)
    if not name:
        return
    target = Path(name)
    if target.suffix != PROJECT_SUFFIX:
        target = target.with_name(target.name + PROJECT_SUFFIX)
    if target.exists():
        tell(window, "Encrypt into new file", f"{target.name} exists; choose a new file name.")
        return
    key = new_passphrase(
        window,
        "Encrypt into new file",
        f"{target.name} will hold {project.path.name} encrypted with this passphrase.",
    )
    if key is None:
        return

    def work(_progress: Progress, _cancel: CancelFlag) -> EncryptedCopy:
        return encrypt_copy(project.path, target, key)

    window.background.start(
        "Encrypting the project",
        work,
        lambda copy: _after_encrypting(window, copy, key),
        window.show_error,
    )


def _after_encrypting(window: MainWindow, copy: EncryptedCopy, key: Passphrase) -> None:
    """Say where the encrypted copy is and that the plain original is still there; open the
    copy, removing the original (overwritten with zeros) if the user chooses."""
    original = window.project.path
    others = len(plaintext_files(original)) - 1
    kept = f", with {others} plain backup or journal file(s)," if others > 0 else ""
    box = message_box(
        window,
        "Encrypted",
        f"Encrypted into {copy.path.name}. The plain original {original.name}{kept} still "
        f"exists and can be read by anyone with the file.\n\nRemove it: overwrite it with "
        f"zeros and delete it, then work in the encrypted copy? {NOT_A_GUARANTEE}",
        QMessageBox.StandardButton.NoButton,
        QMessageBox.Icon.Question,
    )
    remove = box.addButton("&Remove the original, open the copy", QMessageBox.ButtonRole.AcceptRole)
    open_copy = box.addButton("&Open the copy, keep both", QMessageBox.ButtonRole.ActionRole)
    box.addButton("&Close", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_copy)
    box.exec()
    chosen = box.clickedButton()
    if chosen is remove:
        remove_plaintext(window, copy.path, key)
    elif chosen is open_copy:
        from ui.app import open_window  # noqa: PLC0415 - app imports the window

        open_window(copy.path, window.project.actor, window, key)


def remove_plaintext(window: MainWindow, encrypted: Path, key: Passphrase) -> None:
    """Close the window's plain project, overwrite it and its plain backups with zeros and
    delete them, and open the encrypted copy in its place."""
    from ui.app import open_window  # noqa: PLC0415 - app imports the window

    project = window.project
    if not window.close():
        return
    project.close()
    try:
        lock = ProjectLock.acquire(project.path, app="Testimony Workbench")
    except WorkbenchError as exc:  # said in one line; the copy still opens
        tell(None, "Plain original kept", str(exc))
    else:
        try:
            remove_plain_files(project.path)
        except WorkbenchError as exc:
            tell(None, "Plain original not removed", str(exc))
        finally:
            lock.release()
    open_window(encrypted, project.actor, None, key)


def change_passphrase(window: MainWindow) -> None:
    """Check the current passphrase, then re-encrypt the project under a new one."""
    project = window.project
    if project.key is None:
        tell(
            window,
            "Change passphrase",
            f"{project.path.name} is not encrypted: use File → Encrypt into new file.",
        )
        return
    current = project.key

    def check(key: Passphrase) -> Passphrase:
        if key != current:
            raise wrong_passphrase(project.path)
        return key

    if (
        ask_until_open(
            project.path, window, check, what=f"Type the current passphrase of {project.path.name}."
        )
        is None
    ):
        return
    new = new_passphrase(
        window,
        "Change passphrase",
        f"The new passphrase of {project.path.name}. Backups made before keep the current one.",
    )
    if new is None:
        return

    def work(_progress: Progress, _cancel: CancelFlag) -> None:
        project.change_passphrase(new)

    window.background.start(
        "Changing the passphrase",
        work,
        lambda _result: window.statusBar().showMessage("Passphrase changed", 8000),
        window.show_error,
    )
