"""Help pages: the first-hour guide (our text, shown as plain text) and About with the version."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.plain import message_box
from workbench.paths import RESOURCES, default_project_path

DISTRIBUTION = "testimony-workbench"  # the [project] name in pyproject.toml
FIRST_HOUR = RESOURCES / "help" / "first-hour.txt"
COLUMNS = 86  # the guide's widest line, which the dialog shows unwrapped


def app_version() -> str:
    """The installed distribution's version ("0.1.0"), or say it is not installed."""
    from importlib import metadata  # noqa: PLC0415 - 20 ms, only when About is opened

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def about_text(default_project: Path | None = None) -> str:
    """What the About box says: the version, what the program does, what it runs on, and
    where the default project lives."""
    default = default_project or default_project_path()
    return (
        f"Testimony Workbench {app_version()}\n\n"
        "Turns testimonies, interviews and news reports into evidence records, offline. "
        "Nothing leaves this computer unless you export it.\n\n"
        f"Default project: {default}\n"
        f"Qt {qVersion()}, Python {platform.python_version()}"
    )


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the About box (plain text), modal to ``parent`` without blocking it."""
    box = message_box(
        parent, "About Testimony Workbench", about_text(), icon=QMessageBox.Icon.Information
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def first_hour_text() -> str:
    """The first-hour guide, as written in resources/help."""
    return FIRST_HOUR.read_text(encoding="utf-8")


class FirstHourDialog(QDialog):
    """The first-hour guide: import, extract, review, timeline, export, backups, as plain
    text in a read-only view (nothing in it is rendered as HTML or Markdown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The first hour")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The first hour")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(first_hour_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        columns = self.text.fontMetrics().horizontalAdvance("M" * COLUMNS)
        scroll_bar = self.text.verticalScrollBar().sizeHint().width()
        self.resize(columns + scroll_bar + 60, 640)
