"""AgreementDialog: agreement between the annotators the user picks, over all documents or
the ones selected, as a sortable table that exports to CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.background import BackgroundRunner
from ui.models.agreement_table_model import SORT_ROLE, AgreementTableModel
from ui.plain import plain_label, set_plain
from workbench.agreement.report import AgreementCancelled, Report
from workbench.domain import CancelFlag, DocumentId, Progress
from workbench.errors import WorkbenchError
from workbench.project import Project
from workbench.services.agreement import REVIEWED, AgreementService

FILTERS = {"csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}
UNENCRYPTED = "The project is encrypted; an exported table will not be."
EXPLAINED = (
    "Agreement %: code points every annotator marks alike. Cohen's κ: the same beyond "
    "chance, for two annotators. αu: how well the passages themselves match (their "
    "boundaries too), beyond chance, for any number. 1 is full agreement, 0 what chance gives."
)


class AgreementHost(Protocol):
    """What the dialog needs of the window."""

    @property
    def project(self) -> Project: ...

    @property
    def background(self) -> BackgroundRunner: ...

    def selected_document_ids(self) -> list[DocumentId]: ...

    def show_error(self, message: str) -> None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


class AgreementDialog(QDialog):
    """Pick annotators (two or more) and documents, see the figures, export them."""

    def __init__(self, host: AgreementHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._service = AgreementService(host.project)
        self.report: Report | None = None
        self.setWindowTitle("Agreement between annotators")
        self.resize(1000, 620)
        self.annotators = QListWidget(self)
        self.annotators.setAccessibleName("Annotators to compare")
        self.annotators.setMaximumHeight(90)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Documents to compare")
        self.compute_button = QPushButton("&Compute", self)
        self.compute_button.clicked.connect(self.compute)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter the rows (a code, a document, an annotator)")
        self.filter.setClearButtonEnabled(True)
        self.model = AgreementTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = self._table()
        self.summary = plain_label("", self)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.choose_file_and_export)
        self.export_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self._lay_out(buttons)
        self._fill_choices()

    def _table(self) -> QTableView:
        table = QTableView(self)
        table.setAccessibleName("Agreement figures")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's order until asked
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((95, 170, 110, 150, 90, 95, 80, 70)):
            header.resizeSection(column, width)
        return table

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        choices = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(_buddy("&Annotators (two or more):", self.annotators))
        left.addWidget(self.annotators)
        right = QVBoxLayout()
        right.addWidget(_buddy("&Documents:", self.scope))
        right.addWidget(self.scope)
        right.addWidget(self.compute_button)
        right.addStretch(1)
        choices.addLayout(left, 2)
        choices.addLayout(right, 1)
        explained = plain_label(EXPLAINED, self)
        explained.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(explained)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        if self._host.project.encrypted:  # what is written leaves the encryption behind
            self.unencrypted = plain_label(UNENCRYPTED, self)
            layout.addWidget(self.unencrypted)
        layout.addWidget(buttons)

    def _fill_choices(self) -> None:
        """Everyone with passages, ticked but the reviewed layer (the lead's decisions, to
        compare with an annotator when asked); all documents, or the ones selected."""
        for name in self._service.annotators():
            item = QListWidgetItem(name, self.annotators)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name != REVIEWED
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.scope.addItem("All documents", None)
        selected = self._host.selected_document_ids()
        if selected:
            self.scope.addItem(f"The {len(selected)} document(s) selected", selected)

    def chosen_annotators(self) -> list[str]:
        """The annotators ticked, in the list's order."""
        items = (self.annotators.item(i) for i in range(self.annotators.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def compute(self) -> bool:
        """Compute the table in the background (progress and Cancel on a large project)."""
        names = self.chosen_annotators()
        if len(names) < 2:
            everyone = self.annotators.count()
            set_plain(self.summary, "Tick two annotators or more to compare them." if everyone
                      > 1 else "Agreement needs two annotators or more with passages: this "
                      "project has " + ("one." if everyone else "none."))  # fmt: skip
            return False
        documents: Sequence[DocumentId] | None = self.scope.currentData()
        service = self._service

        def work(progress: Progress, cancel: CancelFlag) -> Report | None:
            try:
                return service.compute(names, documents, progress=progress, cancel=cancel)
            except AgreementCancelled:
                return None

        started = self._host.background.start("Computing agreement", work, self._computed,
                                              self._failed)  # fmt: skip
        if started:
            self.compute_button.setEnabled(False)
            set_plain(self.summary, "Computing…")
        else:
            set_plain(self.summary, "Another task is running; compute when it has finished.")
        return started

    def _computed(self, report: Report | None) -> None:
        self.compute_button.setEnabled(True)
        if report is None:
            set_plain(self.summary, "Stopped; nothing was computed.")
            return
        self.report = report
        self.model.set_report(report)
        self.export_button.setEnabled(True)
        who = " + ".join(report.annotators)
        set_plain(self.summary, f"{who} over {report.documents:,} document(s) with passages; "
                  f"{len(report.rows):,} rows. Hover over n/a for the reason.")  # fmt: skip

    def _failed(self, message: str) -> None:
        self.compute_button.setEnabled(True)
        set_plain(self.summary, "Not computed.")
        self._host.show_error(message)

    def choose_file_and_export(self) -> None:
        """Ask where to write (the file dialog asks before replacing a file), then write."""
        if self.report is None:
            return
        project = self._host.project.path
        suggested = project.with_name(f"{project.stem} agreement.csv")
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export the agreement table", str(suggested), ";;".join(FILTERS.values())
        )
        if name:
            path = Path(name)
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in FILTERS:  # no known extension typed: the filter chosen names it
                fmt = "xlsx" if chosen == FILTERS["xlsx"] else "csv"
                path = path.with_name(f"{path.name}.{fmt}")
            self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the table to ``path`` in the background (replacing a file there)."""
        report, service = self.report, self._service
        if report is None:
            return

        def work(_progress: Progress, _cancel: CancelFlag) -> Any:
            return service.write(report, fmt, path, force=True)

        def done(rows: int) -> None:
            message = f"Wrote {rows:,} row(s) to {path}"
            set_plain(self.summary, message)
            self._host.statusBar().showMessage(message, 8000)

        try:
            self._host.project.exports.check_output(path, force=True)
        except WorkbenchError as exc:
            self._host.show_error(str(exc))
            return
        self._host.background.start("Exporting the agreement table", work, done,
                                    self._host.show_error)  # fmt: skip


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A label whose mnemonic moves the focus to ``widget``."""
    label = QLabel(text, widget.parentWidget())
    label.setBuddy(widget)
    return label
