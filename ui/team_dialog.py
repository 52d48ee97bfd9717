"""File → Open Team Project…: the address of a project on a PostgreSQL server and its
password, tried in the dialog; each failure is one line there, to correct and try again.

The password is never stored: the recent team projects (QSettings) keep the address without
it. Left empty, the driver's own ``PGPASSWORD`` and ``~/.pgpass`` give it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import URL

from ui.passphrase_dialog import fit_to_width, problem_label
from ui.plain import plain_label, set_plain
from workbench.errors import WorkbenchError
from workbench.project import Project
from workbench.storage.postgres import is_server, server_url

RECENT_TEAM_KEY = "recentTeamProjects"
RECENT_MAX = 8
HELP = (
    "The project's address on its server, as its administrator gave it: "
    "postgresql://user@host:port/database (the port may be left out: 5432). "
    "Leave the password empty when PGPASSWORD or ~/.pgpass gives it; it is never saved."
)

Opener = Callable[[str, str | None], Project]


def without_password(address: str) -> str:
    """``address`` with any password taken out (what may be remembered or shown)."""
    try:
        url = server_url(address)
    except WorkbenchError:
        return address
    kept = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string(hide_password=False)
    if "?" not in kept:
        return kept
    head, query = kept.split("?", 1)
    return f"{head}?{query.replace('%2F', '/')}"  # a socket folder reads as a path


def remember_team(address: str) -> None:
    """Put a team project first in the recent list, never with its password."""
    kept = without_password(address)
    settings = QSettings()
    recent = [a for a in _as_list(settings.value(RECENT_TEAM_KEY)) if a != kept]
    settings.setValue(RECENT_TEAM_KEY, [kept, *recent][:RECENT_MAX])


def recent_team_projects() -> list[str]:
    """The team projects opened lately (addresses without passwords), newest first."""
    return _as_list(QSettings().value(RECENT_TEAM_KEY))


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def open_server_project(address: str, actor: str, password: str | None) -> Project:
    """The project at ``address``; ``password`` (None: the address's, or libpq's files')."""
    return Project(address, actor=actor, password=lambda: password or None)


class TeamDialog(QDialog):
    """Ask for a team project's address and password until it opens (``project``) or the
    user cancels."""

    def __init__(
        self,
        parent: QWidget | None,
        actor: str,
        address: str | None = None,
        error: str | None = None,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Team Project")
        self._actor = actor
        self._opener = opener or (lambda a, p: open_server_project(a, actor, p))
        self.project: Project | None = None
        self.address = QComboBox(self)
        self.address.setEditable(True)
        self.address.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.address.addItems(recent_team_projects())
        self.address.setEditText(without_password(address) if address else "")
        self.address.setMinimumContentsLength(48)
        line = self.address.lineEdit()
        if line is not None:
            line.setPlaceholderText("postgresql://user@host/database")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from PGPASSWORD or ~/.pgpass when empty")
        form = QFormLayout()
        form.addRow("Address:", self.address)
        form.addRow("Password:", self.password)
        help_label = plain_label(HELP, self)
        help_label.setWordWrap(True)
        self.error = problem_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.try_open)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_label)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_to_width(self, 560)
        if error:
            self.show_error(error)
        (self.password if address else self.address).setFocus()

    def show_error(self, message: str) -> None:
        """Say why the project did not open, in one line."""
        set_plain(self.error, message.splitlines()[0] if message else "")
        self.error.setVisible(bool(message))
        fit_to_width(self, self.width())  # room for the wrapped line

    def try_open(self) -> bool:
        """Open the project the fields name; on failure say why and stay open."""
        address = self.address.currentText().strip()
        if not address:
            self.show_error("type the project's postgresql:// address")
            return False
        if not is_server(address):
            self.show_error(
                "the address begins with postgresql:// "
                "(a project file opens with File → Open project…)"
            )
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.project = self._opener(address, self.password.text() or None)
        except WorkbenchError as exc:
            self.show_error(str(exc))
            self.password.selectAll()
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        remember_team(address)
        self.password.clear()
        self.accept()
        return True


def ask_team_project(
    parent: QWidget | None, actor: str, address: str | None = None, error: str | None = None
) -> Project | None:
    """The team project the user opens in the dialog (None: cancelled)."""
    dialog = TeamDialog(parent, actor, address, error)
    dialog.exec()
    return dialog.project
