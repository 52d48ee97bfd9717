"""Starting the desktop application on a project file."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from ui.main_window import MainWindow
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


def run(project_path: Path, *, screenshot: Path | None = None) -> int:
    """Open the main window on ``project_path``; with ``screenshot``, save it and exit."""
    app = application()
    actor = annotator_name(ask=screenshot is None)
    try:
        project = Project(project_path, actor=actor)
    except WorkbenchError as exc:
        QMessageBox.critical(None, "Cannot open project", str(exc))
        return 1
    window = MainWindow(project, remember_layout=screenshot is None)
    window.show()
    if screenshot is not None:
        app.processEvents()
        ok = window.grab().save(str(screenshot))
        window.close()
        project.close()
        return 0 if ok else 1
    QTimer.singleShot(0, window.raise_)
    code = app.exec()
    project.close()
    return code
