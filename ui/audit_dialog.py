"""AuditLogDialog: who changed what and when, newest first, filterable (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.audit_table_model import AuditTableModel
from workbench.project import Project


class AuditLogDialog(QDialog):
    """The project's audit log: every import, extraction, annotation and review step."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Audit log — {project.path.name}")
        self.resize(900, 520)
        audit = project.audit
        self.model = AuditTableModel(
            lambda before, limit, text: audit.list(before_id=before, limit=limit, text=text),
            self,
        )
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by annotator or action (e.g. merge, import)")
        self.filter.setAccessibleName("Filter the audit log")
        self.filter.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(lambda: self.model.set_filter(self.filter.text()))
        self.filter.textChanged.connect(lambda _text: self._debounce.start())
        self.table = QTableView(self)
        self.table.setAccessibleName("Audit log entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 110, 150, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every change to this project, newest first (times are local):"))
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.model.set_filter("")

    def reload(self, *_changes: object) -> None:
        """Read the log again (a step was made, undone or redone while the dialog is open)."""
        if self.isVisible():
            self.model.set_filter(self.filter.text())
