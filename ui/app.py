"""Starting the desktop application on a project file."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from ui.main_window import MainWindow
from ui.palette import apply_palette, saved_dark
from workbench.errors import WorkbenchError
from workbench.project import Project, default_actor


def application() -> QApplication:
    """The QApplication, created once with the names QSettings uses."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QCoreApplication.setOrganizationName("TestimonyWorkbench")
        QCoreApplication.setApplicationName("Testimony Workbench")
        app = QApplication(sys.argv[:1])
    return app


def annotator_name(*, ask: bool) -> str:
    """The annotator's name from the settings; asked once, on first run."""
    settings = QSettings()
    name = settings.value("annotator")
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
            settings.setValue("annotator", name.strip())
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


def _open_project(path: Path, actor: str, parent: QWidget | None) -> Project | None:
    """The project at ``path``, or None once the user has been told why it cannot be opened."""
    try:
        return Project(path, actor=actor)
    except WorkbenchError as exc:
        QMessageBox.critical(parent, "Cannot open project", str(exc))
        return None


def open_window(path: Path, actor: str, parent: QWidget | None = None) -> MainWindow | None:
    """Open a project in a new window; a project that cannot be opened is explained."""
    project = _open_project(path, actor, parent)
    if project is None:
        return None
    window = MainWindow(project)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda _object=None: project.close())
    _windows.append(window)
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    remember_recent(project.path)
    window.show()
    return window


def run(project_path: Path, *, screenshot: Path | None = None) -> int:
    """Open the main window on ``project_path``; with ``screenshot``, save it and exit."""
    app = application()
    apply_palette(saved_dark())
    actor = annotator_name(ask=screenshot is None)
    if screenshot is None:
        return 1 if open_window(project_path, actor) is None else app.exec()
    project = _open_project(project_path, actor, None)
    if project is None:
        return 1
    window = MainWindow(project, remember_layout=False)
    window.show()
    app.processEvents()
    deadline = time.monotonic() + 10
    while window.timeline.loading and time.monotonic() < deadline:  # read on a worker thread
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    image = window.grab()
    if os.environ.get("WORKBENCH_PAINT_TIME"):  # for benchmarks/startup_bench.py
        sys.stdout.write(f"painted {time.time():.6f}\n")
        sys.stdout.flush()
    ok = image.save(str(screenshot))
    window.close()
    project.close()
    return 0 if ok else 1
