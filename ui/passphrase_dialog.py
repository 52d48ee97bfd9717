"""Passphrase dialogs: typing the passphrase of an encrypted project, choosing a new one, and
the New Project dialog with its "Encrypt with a passphrase" option.

Every field hides what is typed (password echo); every label is plain text; Enter accepts and
Escape cancels. A wrong passphrase is said in one line inside the dialog, which asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.plain import plain_label, set_plain
from workbench.errors import InvalidInputError
from workbench.paths import PROJECT_SUFFIX
from workbench.storage.cipher import Passphrase, PassphraseError

T = TypeVar("T")
NO_RECOVERY = (
    "There is no way to recover the project without the passphrase: if it is forgotten, "
    "everything in the project is lost."
)
PROJECTS = "Testimony Workbench projects (*.twb)"


def _secret_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def fit_to_width(dialog: QWidget, width: int) -> None:
    """Size ``dialog`` to ``width`` and the height its wrapped lines need at that width."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = max(width, dialog.width()) if dialog.isVisible() else width
    dialog.resize(width, layout.totalHeightForWidth(width))


def problem_label(parent: QWidget) -> QLabel:
    """A line that says what is wrong (hidden while nothing is)."""
    label = plain_label("", parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(highlight); font-weight: bold")
    label.hide()
    return label


class PassphraseDialog(QDialog):
    """Asks for the passphrase of one encrypted project (or backup)."""

    def __init__(self, path: Path, parent: QWidget | None = None, *, what: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypted project")
        intro = plain_label(
            what or f"{path.name} is encrypted. Type its passphrase to open it.", self
        )
        intro.setWordWrap(True)
        self.field = _secret_field(self, "Passphrase")
        label = plain_label("&Passphrase:", self)
        label.setBuddy(self.field)
        form = QFormLayout()
        form.addRow(label, self.field)
        self.problem = problem_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        fit_to_width(self, 440)
        self.field.setFocus()

    def show_problem(self, message: str) -> None:
        """Say in one line what went wrong; the field is emptied for another try."""
        set_plain(self.problem, message)
        self.problem.show()
        fit_to_width(self, self.width())  # room for the wrapped line
        self.field.clear()
        self.field.setFocus()

    def passphrase(self) -> Passphrase | None:
        """What was typed, or None when nothing was."""
        text = self.field.text()
        return Passphrase(text) if text else None


def ask_until_open(
    path: Path,
    parent: QWidget | None,
    attempt: Callable[[Passphrase], T],
    *,
    what: str = "",
) -> T | None:
    """Ask for the passphrase of ``path`` and ``attempt`` with it until it opens; a wrong one
    is said in the dialog, which asks again. None when the user cancels."""
    dialog = PassphraseDialog(path, parent, what=what)
    try:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            key = dialog.passphrase()
            if key is None:
                dialog.show_problem("Type the passphrase, or Cancel.")
                continue
            try:
                return attempt(key)
            except PassphraseError as exc:
                dialog.show_problem(str(exc))
        return None
    finally:
        dialog.deleteLater()


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, and the line that it cannot be recovered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = _secret_field(self, "New passphrase")
        self.second = _secret_field(self, "The same passphrase again")
        form = QFormLayout()
        for text, field in (("New pass&phrase:", self.first), ("The same &again:", self.second)):
            label = plain_label(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        self.warning = plain_label(NO_RECOVERY, self)
        self.warning.setWordWrap(True)
        self.problem = problem_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.problem)

    def passphrase(self) -> Passphrase | None:
        """The new passphrase, or None (with the problem said) when the two differ or are
        empty."""
        first, second = self.first.text(), self.second.text()
        problem = ""
        if not first:
            problem = "Type a passphrase."
        elif first != second:
            problem = "The two passphrases differ."
        if problem:
            set_plain(self.problem, problem)
            self.problem.show()
            fit_to_width(self.window(), self.window().width())
            self.second.clear()
            (self.first if not first else self.second).setFocus()
            return None
        self.problem.hide()
        return Passphrase(first)


class NewPassphraseDialog(QDialog):
    """Asks for a new passphrase, twice (encrypting into a new file, changing it)."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        text = plain_label(intro, self)
        text.setWordWrap(True)
        self.fields = NewPassphraseFields(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_same)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)
        fit_to_width(self, 460)
        self.key: Passphrase | None = None
        self.fields.first.setFocus()

    def _accept_if_same(self) -> None:
        try:
            self.key = self.fields.passphrase()
        except InvalidInputError as exc:
            set_plain(self.fields.problem, str(exc))
            self.fields.problem.show()
            return
        if self.key is not None:
            self.accept()


def new_passphrase(parent: QWidget | None, title: str, intro: str) -> Passphrase | None:
    """A new passphrase typed twice, or None when the user cancels."""
    dialog = NewPassphraseDialog(title, intro, parent)
    try:
        return dialog.key if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class NewProjectDialog(QDialog):
    """The file of a new project, and whether it is encrypted with a passphrase."""

    def __init__(self, folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self._folder = folder
        self.file = QLineEdit(self)
        self.file.setAccessibleName("Project file")
        self.file.setPlaceholderText(f"a new file ending in {PROJECT_SUFFIX}")
        browse = QPushButton("&Choose…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file)
        row.addWidget(browse)
        file_label = plain_label("Project &file:", self)
        file_label.setBuddy(self.file)
        form = QFormLayout()
        form.addRow(file_label, row)
        self.encrypt = QCheckBox("&Encrypt with a passphrase", self)
        self.encrypt.setToolTip(
            "The project file, its journal and its backups are unreadable without it"
        )
        self.secret = NewPassphraseFields(self)
        self.secret.setEnabled(False)
        self.encrypt.toggled.connect(self.secret.setEnabled)
        self.problem = problem_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("C&reate")
        buttons.accepted.connect(self._accept_if_ready)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.encrypt)
        layout.addWidget(self.secret)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fit_to_width(self, 520)
        self.path: Path | None = None
        self.key: Passphrase | None = None
        self.file.setFocus()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New project", self.file.text() or self._folder, PROJECTS,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if name:
            self.file.setText(name)

    def _refuse(self, message: str) -> None:
        set_plain(self.problem, message)
        self.problem.show()

    def _accept_if_ready(self) -> None:
        text = self.file.text().strip()
        if not text:
            self._refuse("Name the new project's file.")
            self.file.setFocus()
            return
        path = Path(text).expanduser()
        if path.suffix != PROJECT_SUFFIX:
            path = path.with_name(path.name + PROJECT_SUFFIX)
        if not path.is_absolute() and self._folder:
            path = Path(self._folder) / path
        if path.exists():
            self._refuse(f"{path.name} exists already: open it instead, or name a new file.")
            return
        key = None
        if self.encrypt.isChecked():
            try:
                key = self.secret.passphrase()
            except InvalidInputError as exc:
                self._refuse(str(exc))
                return
            if key is None:
                return
        self.problem.hide()
        self.path, self.key = path, key
        self.accept()


def choose_new_project(
    parent: QWidget | None, folder: str = ""
) -> tuple[Path, Passphrase | None] | None:
    """The new project's file and passphrase (None: not encrypted), or None if cancelled."""
    dialog = NewProjectDialog(folder, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.path is None:
            return None
        return dialog.path, dialog.key
    finally:
        dialog.deleteLater()
