"""Starting the desktop application on a project file."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.main_window import MainWindow
from workbench.errors import WorkbenchError
from workbench.project import Project


def application() -> QApplication:
    """The QApplication, created once with the names QSettings uses."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QCoreApplication.setOrganizationName("TestimonyWorkbench")
        QCoreApplication.setApplicationName("Testimony Workbench")
        app = QApplication(sys.argv[:1])
    return app


def run(project_path: Path, *, screenshot: Path | None = None) -> int:
    """Open the main window on ``project_path``; with ``screenshot``, save it and exit."""
    app = application()
    try:
        project = Project(project_path)
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
