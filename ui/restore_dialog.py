"""RestoreDialog: a project's backups, newest first, with when they were made and their size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.plain import tooltip
from workbench.storage.backup import BEFORE_UPGRADE, BackupInfo

KINDS = {BEFORE_UPGRADE: "Before a schema upgrade"}


def size_text(size: int) -> str:
    """A file size for people: "392 KB", "26.1 MB"."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB"
    return f"{size / 1000**3:.2f} GB"


def made_text(info: BackupInfo) -> str:
    """When a backup was made, in the computer's time zone."""
    return info.made.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class RestoreDialog(QDialog):
    """Choose a backup; the caller restores it into a new file and opens that."""

    def __init__(
        self, backups: list[BackupInfo], project: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.resize(680, 380)
        self._backups = backups
        intro = QLabel(
            f"Backups of {project.name}, newest first. The backup you choose is checked, "
            "then restored into a new file beside the project and opened in a new window. "
            "This project stays as it is.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(["Made", "Size", "Kind", "File"])
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for info in backups:
            kind = KINDS.get(info.kind, "Backup")
            item = QTreeWidgetItem([made_text(info), size_text(info.size), kind, info.path.name])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(3, tooltip(str(info.path)))
            self.table.addTopLevelItem(item)
        header = self.table.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())
        self.empty = QLabel("No backups yet: File → Back up now makes one.", self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setVisible(not backups)
        self.table.setVisible(bool(backups))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = buttons.addButton(
            "Open restored copy", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setEnabled(bool(backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
            self.table.setFocus()

    def chosen(self) -> BackupInfo | None:
        """The selected backup."""
        current = self.table.currentItem()
        row = -1 if current is None else self.table.indexOfTopLevelItem(current)
        return self._backups[row] if 0 <= row < len(self._backups) else None
