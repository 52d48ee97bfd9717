"""BackupController: the window's backups, made by the core on the window's worker thread.

One backup a few seconds after the project opens (if it changed since its newest backup),
one after changes are ``BackupService.every`` old (checked each minute, one indexed read),
and File → Back up now. File → Restore from backup… opens a restored copy in a new window;
the open project is never overwritten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QInputDialog

from ui.passphrase_dialog import PassphraseDialog
from ui.plain import tell
from ui.restore_dialog import RestoreDialog
from workbench.services.backups import BackupService
from workbench.storage.backup import MAX_KEEP, BackupInfo, BackupPassphraseError
from workbench.storage.cipher import Passphrase
from workbench.storage.restore import Restored, restore_backup
from workbench.storage.verify import Check

if TYPE_CHECKING:
    from ui.host import BackupHost

log = logging.getLogger(__name__)
KEEP_KEY = "backups/keep"


def saved_keep() -> int | None:
    """The number of backups to keep set in the window's settings, if one was set."""
    value = QSettings().value(KEEP_KEY)
    try:
        keep = int(str(value))
    except ValueError:
        return None
    return keep if 1 <= keep <= MAX_KEEP else None


class BackupController(QObject):
    """Makes the window's backups through ``BackupService``, never with SQL of its own.

    It asks of the window only what ``BackupHost`` names: the project, the worker, the
    status bar, whether it is closing, and the window itself for dialogs."""

    OPEN_DELAY_MS = 3000  # the on-open backup waits until the window has painted
    CHECK_MS = 60_000

    def __init__(self, host: BackupHost) -> None:
        super().__init__(host.window())
        self.setObjectName("backups")
        self._host = host
        self.service = BackupService(host.project, keep=saved_keep())
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.timeout.connect(lambda: self._run(self.service.on_open, self._made))
        self._check_timer = QTimer(self)
        self._check_timer.timeout.connect(lambda: self._run(self.service.tick, self._made))

    def start(self) -> None:
        """Start the automatic backups (the one on open, then the periodic checks)."""
        self._open_timer.start(self.OPEN_DELAY_MS)
        self._check_timer.start(self.CHECK_MS)

    def _run(
        self,
        step: Callable[[], Any],
        on_done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> bool:
        """Run ``step()`` on the window's worker thread, queued behind any running job."""
        if not self._host.isVisible():  # closing: the project is about to close
            return False
        return self._host.background.start(
            "Backing up",
            lambda _progress, _cancel: step(),
            on_done,
            failed or self._automatic_failed,
            show_progress=False,
        )

    def _made(self, info: BackupInfo | None) -> None:
        if info is not None:
            self._host.statusBar().showMessage(f"Backup saved: {info.path}", 8000)

    def _failed(self, title: str) -> Callable[[str], None]:
        """Show a failed step's one line under ``title``."""

        def show(message: str) -> None:
            tell(self._host.window(), title, message)

        return show

    def _automatic_failed(self, message: str) -> None:
        log.warning("automatic backup failed: %s", message)
        self._host.statusBar().showMessage(f"Automatic backup failed: {message}", 15000)

    def back_up_now(self) -> bool:
        """File → Back up now: a backup into the backups folder; the status bar says where."""
        return self._run(
            self.service.back_up,
            lambda info: self._host.statusBar().showMessage(f"Backed up to {info.path}", 15000),
            self._failed("Back up"),
        )

    def verify_now(self) -> bool:
        """File → Verify project: every check of ``workbench verify``, then what it found."""
        return self._host.background.start(
            "Verifying the project",
            lambda _progress, _cancel: self.service.verify(),
            self._verified,
            self._failed("Verify project"),
        )

    def _verified(self, checks: list[Check]) -> None:
        failed = [c for c in checks if c.problems]
        if not failed:
            self._host.statusBar().showMessage(f"Verified: all {len(checks)} checks passed", 15000)
            return
        box = tell(
            self._host.window(),
            "Verify project",
            f"{len(failed)} of {len(checks)} checks found problems; restore from a backup "
            "(File → Restore from backup…) or salvage the project ('workbench salvage').",
        )
        box.setDetailedText("\n".join(p for c in failed for p in c.problems))

    def restore_chosen(self) -> None:
        """File → Restore from backup…: pick a backup; its restored copy opens in a new window."""
        project = self._host.project.path
        dialog = RestoreDialog(self.service.list(), project, self._host.window())
        if dialog.exec() != RestoreDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if chosen is not None:
            self.restore(chosen)

    def restore(self, backup: BackupInfo, key: Passphrase | None = None) -> bool:
        """Check ``backup`` and restore it into a new file beside the project, then open it.
        An encrypted project's backup is opened with its passphrase, or with ``key``: one
        made before the passphrase was changed asks for the one it had then."""
        project = self._host.project
        chosen = key or project.key

        def work(_progress: object, _cancel: object) -> Restored | None:
            try:
                return restore_backup(backup.path, project.path, key=chosen)  # encrypted alike
            except BackupPassphraseError:
                if chosen is None:
                    raise
                return None  # its passphrase is another: ask for it

        def done(restored: Restored | None) -> None:
            if restored is None:
                self._ask_for_passphrase(backup, again=key is not None)
            else:
                self._restored(restored, chosen)

        started = self._host.background.start(
            "Restoring backup", work, done, self._failed("Restore from backup")
        )
        if not started:
            self._host.statusBar().showMessage("Wait for the running task to finish", 5000)
        return started

    def _ask_for_passphrase(self, backup: BackupInfo, *, again: bool) -> None:
        """Ask for the passphrase ``backup`` was made with, then restore it with that."""
        dialog = PassphraseDialog(
            backup.path,
            self._host.window(),
            what=f"{backup.path.name} does not open with the project's passphrase: it was "
            "made before the passphrase was changed. Type the passphrase it had then.",
        )
        if again:
            dialog.show_problem("That passphrase does not open it either.")
        try:
            accepted = dialog.exec() == PassphraseDialog.DialogCode.Accepted
            key = dialog.passphrase()
        finally:
            dialog.deleteLater()
        if accepted and key is not None:
            self.restore(backup, key)

    def _restored(self, restored: Restored, key: Passphrase | None) -> None:
        from ui.app import open_window  # noqa: PLC0415 - app imports the window, which imports this

        opened = open_window(restored.path, self._host.project.actor, self._host.window(), key)
        if opened is not None:
            self._host.statusBar().showMessage(
                f"Opened the restored copy {restored.path} in a new window", 15000
            )

    def choose_keep(self) -> None:
        """File → Backups to keep…: how many rolling backups each project keeps."""
        keep, ok = QInputDialog.getInt(
            self._host.window(),
            "Backups to keep",
            "Rolling backups kept for each project:",
            self.service.keep,
            1,
            MAX_KEEP,
        )
        if ok:
            QSettings().setValue(KEEP_KEY, keep)
            self.service.keep = keep


def controller_of(host: BackupHost) -> BackupController:
    """The window's backup controller (made on first use)."""
    found = host.window().findChild(BackupController)
    return found if isinstance(found, BackupController) else BackupController(host)
