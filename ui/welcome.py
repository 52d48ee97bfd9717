"""Welcome: the first window when no project is named and the default one does not exist yet.

It offers what a researcher starts with: importing documents (into the default project,
made for them), the sample project, a project file to open or to start, a team project on
a server, the recent projects; and it says where the default project lives.
``ui/app.py:run`` decides when it shows and gives it the function that opens a project's
window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.actions import PROJECTS, SUPPORTED
from ui.help_dialog import FirstHourDialog
from ui.passphrase_dialog import choose_new_project
from ui.plain import plain_label, tell, tooltip
from workbench.errors import WorkbenchError
from workbench.paths import PROJECT_SUFFIX
from workbench.project import default_actor
from workbench.sample import build_sample_project
from workbench.storage.cipher import Passphrase

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class ProjectOpener(Protocol):
    """Opens the project at a path for an annotator (messages go to the widget; a new one is
    encrypted with ``passphrase`` when given); None if it could not."""

    def __call__(
        self, path: Path, actor: str, parent: QWidget | None, passphrase: Passphrase | None = ...
    ) -> MainWindow | None: ...


SAMPLE_NAME = f"sample{PROJECT_SUFFIX}"  # the sample project, beside the default one


class Welcome(QDialog):
    """The start choices, one button each (Enter takes the first), then the recent projects;
    whichever opens a project closes the welcome, and closing it without one quits."""

    def __init__(
        self,
        opener: ProjectOpener,
        default_project: Path,
        recent: list[Path],
        actor: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Testimony Workbench")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._opener = opener
        self.default_project = default_project
        self.sample_project = default_project.with_name(SAMPLE_NAME)
        heading = plain_label("Welcome to Testimony Workbench", self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        heading.setFont(font)
        intro = plain_label(
            "Read testimonies, interviews and news reports beside the records drawn from them. "
            "Everything stays on this computer.",
            self,
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(actor, self)
        self.name.setAccessibleName("Your name or initials")
        name_row = QFormLayout()
        name_label = plain_label("Your na&me or initials, recorded with your changes:", self)
        name_label.setBuddy(self.name)
        name_row.addRow(name_label, self.name)
        choices = QVBoxLayout()
        self.import_button = self._choice(
            choices, "&Import documents…",
            "Into your default project, made for you (text, web pages, Word, PDF)",
            self.import_documents,
        )  # fmt: skip
        self.sample_button = self._choice(
            choices, "Open the &sample project",
            "Twelve fictional articles and interviews, English and Russian, to try it all on",
            self.open_sample,
        )  # fmt: skip
        self.open_button = self._choice(
            choices, "&Open a project…", "A project file (.twb) on this computer",
            self.open_existing,
        )  # fmt: skip
        self.new_button = self._choice(
            choices, "&New project…", "An empty project in a file you name", self.new_project
        )
        self.team_button = self._choice(
            choices, "Open a &team project…",
            "A project on your team's PostgreSQL server, shared with the others",
            self.open_team,
        )  # fmt: skip
        layout = QVBoxLayout(self)
        for part in (heading, intro):
            layout.addWidget(part)
        layout.addLayout(name_row)
        layout.addLayout(choices)
        self._add_recent(layout, recent)
        self.where = plain_label(
            f"Your default project: {default_project}\n"
            "It is made when you first import documents into it.",
            self,
        )
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        layout.addLayout(self._footer())
        self.resize(620, self.sizeHint().height())
        self.import_button.setDefault(True)
        self.import_button.setFocus()

    def _choice(
        self, layout: QVBoxLayout, text: str, description: str, slot: Callable[[], None]
    ) -> QCommandLinkButton:
        button = QCommandLinkButton(text, description, self)
        button.setAutoDefault(True)  # Enter takes the focused choice, and only that one
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    def _add_recent(self, layout: QVBoxLayout, recent: list[Path]) -> None:
        label = plain_label("&Recent projects" if recent else "No recent projects yet.", self)
        self.recent = QListWidget(self)
        self.recent.setAccessibleName("Recent projects")
        for path in recent:
            item = QListWidgetItem(f"{path.name}    {path.parent}", self.recent)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(tooltip(str(path)))
        self.recent.setCurrentRow(0)
        self.recent.setMaximumHeight(self.recent.sizeHintForRow(0) * 5 + 8)
        self.recent.setVisible(bool(recent))
        self.recent.itemActivated.connect(self._open_recent)
        label.setBuddy(self.recent)
        layout.addWidget(label)
        layout.addWidget(self.recent)

    def _footer(self) -> QHBoxLayout:
        guide = QPushButton("The &first hour…", self)
        guide.setToolTip("Import, extract, review, timeline, export and backups, step by step")
        guide.clicked.connect(lambda: FirstHourDialog(self).show())
        close = QPushButton("&Quit", self)
        close.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(guide)
        footer.addStretch()
        footer.addWidget(close)
        return footer

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter acts on the focused choice or recent project only: a dialog would also
        click its default choice when the recent list or the name field had it."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def actor(self) -> str:
        """The name typed, or the login name when the field is empty."""
        return self.name.text().strip() or default_actor()

    # --- the choices
    def import_documents(self) -> None:
        """Choose files, then import them into the default project (made if need be)."""
        dialog = QFileDialog(self, "Import documents", _documents_folder(), SUPPORTED)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if not dialog.exec():
            return
        window = self._open(self.default_project)
        if window is not None:
            window.document_actions.ask_and_import([Path(f) for f in dialog.selectedFiles()])

    def open_sample(self) -> None:
        """Open the sample project; the first time, build it and extract its suggestions
        in the window (in the background, with Cancel)."""
        built = not self.sample_project.exists() and self._build_sample()
        if not self.sample_project.exists():
            return
        window = self._open(self.sample_project)
        if window is not None and built:
            window.extract(all_documents=True)

    def open_existing(self) -> None:
        """Choose a project file and open it."""
        dialog = QFileDialog(self, "Open project", _documents_folder(), PROJECTS)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if dialog.exec():
            self._open(Path(dialog.selectedFiles()[0]))

    def new_project(self) -> None:
        """Name a new project file, encrypted with a passphrase or not, and open it (an
        existing file is not taken over)."""
        chosen = choose_new_project(self, _documents_folder())
        if chosen is not None:
            self._open(*chosen)

    def open_team(self) -> None:
        """Ask for a team project's address and password, and open it."""
        from ui.app import open_team_as  # noqa: PLC0415 - app imports this module

        if open_team_as(self.actor(), self) is not None:
            self.accept()

    def _open_recent(self, item: QListWidgetItem) -> None:
        self._open(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def _open(self, path: Path, passphrase: Passphrase | None = None) -> MainWindow | None:
        """Open ``path`` in its window and close the welcome; stay open if it failed."""
        if passphrase is None:
            window = self._opener(path, self.actor(), self)
        else:
            window = self._opener(path, self.actor(), self, passphrase)
        if window is not None:
            self.accept()
        return window

    def _build_sample(self) -> bool:
        """Import the sample documents into a new sample project (quick: no extraction)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            build_sample_project(self.sample_project)
        except WorkbenchError as exc:
            self.sample_project.unlink(missing_ok=True)
            tell(self, "Cannot build the sample project", str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True


def _documents_folder() -> str:
    """Where file dialogs start: the user's documents folder."""
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
