"""Starting the desktop application on a project file, or on a team project on a server."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from ui.backups import controller_of
from ui.main_window import MainWindow
from ui.palette import apply_palette, saved_dark
from ui.passphrase_dialog import ask_until_open
from ui.plain import message_box, tell
from ui.restore_dialog import made_text
from ui.team_dialog import ask_team_project, open_server_project, remember_team, without_password
from ui.welcome import Welcome
from workbench.errors import DamagedProjectError, ProjectError, WorkbenchError
from workbench.project import Project, default_actor
from workbench.services.codebook import seed_codebook
from workbench.storage.backup import BackupInfo
from workbench.storage.cipher import Passphrase, PassphraseError, may_be_encrypted
from workbench.storage.lock import ProjectLockedError
from workbench.storage.postgres import is_server
from workbench.storage.restore import newest_good_backup, restore_backup
from workbench.storage.salvage import salvage, salvage_path


def application() -> QApplication:
    """The QApplication, created once with the names QSettings uses."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QCoreApplication.setOrganizationName("TestimonyWorkbench")
        QCoreApplication.setApplicationName("Testimony Workbench")
        app = QApplication(sys.argv[:1])
    return app


ANNOTATOR_KEY = "annotator"


def annotator_name(*, ask: bool) -> str:
    """The annotator's name from the settings; asked once, on first run."""
    settings = QSettings()
    name = settings.value(ANNOTATOR_KEY)
    if isinstance(name, str) and name.strip():
        return name.strip()
    if ask:
        name, ok = QInputDialog.getText(
            None,
            "Welcome to Testimony Workbench",
            "Your name or initials, recorded with every annotation you make:",
            text=default_actor(),
        )
        if ok and name.strip():
            settings.setValue(ANNOTATOR_KEY, name.strip())
            return str(name.strip())
    return default_actor()


RECENT_KEY = "recentProjects"
RECENT_MAX = 8
_windows: list[MainWindow] = []  # open windows, kept alive by the application


def remember_recent(path: Path) -> None:
    """Put a project first in the recent list (QSettings)."""
    settings = QSettings()
    recent = [p for p in _as_list(settings.value(RECENT_KEY)) if p != str(path)]
    settings.setValue(RECENT_KEY, [str(path), *recent][:RECENT_MAX])


def recent_projects() -> list[Path]:
    """Recently opened projects that still exist, newest first."""
    return [Path(p) for p in _as_list(QSettings().value(RECENT_KEY)) if Path(p).exists()]


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _open_project(
    path: Path, actor: str, parent: QWidget | None, passphrase: Passphrase | None = None
) -> Project | None:
    """The project at ``path``, or None once the user has been told why it cannot be opened.

    A project that is damaged or otherwise refused (not one locked by another program) is
    offered its newest good backup, restored into a new file beside it. An encrypted one
    (or a new one with ``passphrase``) opens with its passphrase, asked for in a dialog that
    says when it is wrong and asks again.
    """
    if passphrase is None and may_be_encrypted(path.expanduser()):
        return _open_encrypted(path, actor, parent)
    try:
        return Project(path, actor=actor, passphrase=passphrase)
    except ProjectLockedError as exc:
        tell(parent, "Cannot open project", str(exc))
    except ProjectError as exc:
        return _open_from_backup(path, actor, exc, parent)
    except WorkbenchError as exc:
        tell(parent, "Cannot open project", str(exc))
    return None


def _open_encrypted(path: Path, actor: str, parent: QWidget | None) -> Project | None:
    """An encrypted project, opened once its passphrase is typed (None: cancelled, or the
    user was told why it cannot be opened). Refused with the right passphrase (damaged, of
    a schema we do not make), it is offered its newest good backup or a salvage, as a plain
    project is, read and written with that passphrase."""

    def attempt(key: Passphrase) -> Project | tuple[ProjectError, Passphrase]:
        try:
            return Project(path, actor=actor, passphrase=key)
        except (PassphraseError, ProjectLockedError):
            raise  # the dialog asks again; the lock is told below
        except ProjectError as exc:
            return exc, key

    try:
        opened = ask_until_open(path, parent, attempt)
    except WorkbenchError as exc:
        tell(parent, "Cannot open project", str(exc))
        return None
    if opened is None or isinstance(opened, Project):
        return opened
    error, key = opened
    return _open_from_backup(path, actor, error, parent, key)


def _newest_good_backup(path: Path, key: Passphrase | None) -> BackupInfo | None:
    """Check the backups of ``path``, newest first, under a busy cursor."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return newest_good_backup(path.expanduser().absolute(), key)
    finally:
        QGuiApplication.restoreOverrideCursor()


def _open_from_backup(
    path: Path,
    actor: str,
    error: ProjectError,
    parent: QWidget | None,
    key: Passphrase | None = None,
) -> Project | None:
    """Offer a project that failed to open its newest good backup, restored as a new file;
    a damaged project without one is offered a salvage of what can still be read. ``key``:
    the project's passphrase, its backups' and the new file's."""
    backup = _newest_good_backup(path, key)
    if backup is None:
        if isinstance(error, DamagedProjectError):
            return _open_salvaged(path, actor, error, parent, key)
        tell(parent, "Cannot open project", str(error))
        return None
    question = _ask(
        parent,
        f"{str(error).rstrip('.')}. Open a copy restored from its backup of {made_text(backup)}?",
        "Open restored copy",
    )
    if not question:
        return None
    try:
        restored = restore_backup(backup.path, path, key=key)
        return Project(restored.path, actor=actor, passphrase=key)
    except WorkbenchError as exc:
        tell(parent, "Cannot restore backup", str(exc))
        return None


def _open_salvaged(
    path: Path,
    actor: str,
    error: DamagedProjectError,
    parent: QWidget | None,
    key: Passphrase | None = None,
) -> Project | None:
    """Copy what can still be read of a damaged project into a new file and open that."""
    target = salvage_path(path)
    if not _ask(
        parent,
        f"{str(error).rstrip('.')}. There is no backup. Copy what can still be read into "
        f"{target.name} and open that? The damaged file is left as it is.",
        "Salvage into a new file",
    ):
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        report = salvage(path, target, seed=lambda conn: seed_codebook(conn, actor), key=key)
        project = Project(target, actor=actor, passphrase=key)
    except WorkbenchError as exc:
        tell(parent, "Cannot salvage project", str(exc))
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()
    if not report.complete:
        tell(parent, "Salvaged with losses", report.summary())
    return project


def _ask(parent: QWidget | None, text: str, action: str) -> bool:
    """A warning with one action and Cancel, as plain text; True if the action was chosen."""
    question = message_box(parent, "Cannot open project", text, QMessageBox.StandardButton.Cancel)
    button = question.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    question.setDefaultButton(button)
    question.exec()
    return question.clickedButton() is button


def window_for(path: Path | str) -> MainWindow | None:
    """The window of this process that has the project at ``path`` (a file or a server
    address) open, if one has."""
    if isinstance(path, str):
        address = without_password(path)
        return next((w for w in _windows if _address_of(w.project) == address), None)
    resolved = path.expanduser().resolve()
    return next(
        (w for w in _windows if w.project.server is None and w.project.path == resolved), None
    )


def _address_of(project: Project) -> str | None:
    """A server project's address without its password (None for a file)."""
    if project.server is None:
        return None
    return without_password(project.server.render_as_string(hide_password=False))


def _open_server(address: str, actor: str, parent: QWidget | None) -> Project | None:
    """The team project at ``address``: opened at once when the address, PGPASSWORD or
    ~/.pgpass let it in, else through the Open Team Project dialog, which says why and asks
    (None: cancelled)."""
    try:
        return open_server_project(address, actor, None)
    except WorkbenchError as exc:
        return ask_team_project(parent, actor, address, str(exc))


def open_window(
    path: Path | str,
    actor: str,
    parent: QWidget | None = None,
    passphrase: Passphrase | None = None,
) -> MainWindow | None:
    """Open a project in a new window (or raise the window that has it open already); a
    project that cannot be opened is explained. ``passphrase``: the project is (or a new one
    is created) encrypted with it; an encrypted project opened without it asks for it.
    ``path`` may be a ``postgresql://`` address: its password is asked in a dialog when
    needed."""
    existing = window_for(path)
    if existing is not None:
        _bring_forward(existing)
        return existing
    if isinstance(path, str):
        project = _open_server(path, actor, parent)
    else:
        project = _open_project(path, actor, parent, passphrase)
    if project is None:
        return None
    return show_project(project)


def open_team_window(actor: str, parent: QWidget | None = None) -> MainWindow | None:
    """File → Open Team Project…: the dialog, then the project's window."""
    project = ask_team_project(parent, actor)
    if project is None:
        return None
    address = _address_of(project)
    existing = window_for(address) if address is not None else None
    if existing is not None:  # open here already: one window a project
        project.close()
        _bring_forward(existing)
        return existing
    return show_project(project)


def _bring_forward(window: MainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()


def show_project(project: Project) -> MainWindow:
    """A new window on the open ``project`` (closed with it), remembered as recent; a file
    project's automatic backups start (a server's administrator backs up the server)."""
    window = MainWindow(project)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda _object=None: project.close())
    _windows.append(window)
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    window.show()
    address = _address_of(project)
    if address is not None:
        remember_team(address)
    else:
        remember_recent(project.path)
        controller_of(window).start()
    return window


def _mark(phase: str) -> None:
    """When a start-up phase ended, for benchmarks/startup_bench.py (WORKBENCH_PAINT_TIME)."""
    if os.environ.get("WORKBENCH_PAINT_TIME"):
        sys.stdout.write(f"{phase.replace(' ', '_')} {time.time():.6f}\n")
        sys.stdout.flush()


def open_as(
    path: Path | str,
    actor: str,
    parent: QWidget | None = None,
    passphrase: Passphrase | None = None,
) -> MainWindow | None:
    """``open_window`` for the name given in the welcome, remembered for next time."""
    QSettings().setValue(ANNOTATOR_KEY, actor)
    return open_window(path, actor, parent, passphrase)


def open_team_as(actor: str, parent: QWidget | None = None) -> MainWindow | None:
    """``open_team_window`` for the name given in the welcome, remembered for next time."""
    QSettings().setValue(ANNOTATOR_KEY, actor)
    return open_team_window(actor, parent)


def welcome(default_project: Path) -> Welcome:
    """The welcome window: its choices open projects through ``open_as``."""
    return Welcome(open_as, default_project, recent_projects(), annotator_name(ask=False))


def shows_welcome(project_path: Path | str, *, named: bool) -> bool:
    """Whether start-up opens the welcome instead of a project: when none was named (no
    --project, no $WORKBENCH_PROJECT) and the default project does not exist yet."""
    return not named and not (is_server(project_path) or Path(project_path).exists())


def run(project_path: Path | str, *, screenshot: Path | None = None, named: bool = True) -> int:
    """Open the main window on ``project_path`` (or the welcome, see ``shows_welcome``);
    with ``screenshot``, save the window and exit."""
    app = application()
    apply_palette(saved_dark())
    if (
        screenshot is None
        and isinstance(project_path, Path)
        and shows_welcome(project_path, named=named)
    ):
        welcome(project_path).show()
        return app.exec()
    actor = annotator_name(ask=screenshot is None)
    if screenshot is None:
        return 1 if open_window(project_path, actor) is None else app.exec()
    _mark("application")
    if isinstance(project_path, str):
        project = _open_server(project_path, actor, None)
    else:
        project = _open_project(project_path, actor, None)
    if project is None:
        return 1
    _mark("project opened")
    window = MainWindow(project, remember_layout=False)
    _mark("window built")
    window.show()
    app.processEvents()
    deadline = time.monotonic() + 10
    while window.timeline.loading and time.monotonic() < deadline:  # read on a worker thread
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    image = window.grab()
    _mark("painted")
    ok = image.save(str(screenshot))
    window.close()
    project.close()
    return 0 if ok else 1
