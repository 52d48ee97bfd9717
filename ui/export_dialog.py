"""ExportDialog (File → Export…): what, format, scope and options, a preview of the first
rows, then the export in the background with progress and Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.host import ExportHost
from ui.plain import message_box, plain_label, set_plain, tooltip
from ui.presentation import screen_of
from workbench.domain import STATUSES, CancelFlag, Progress, Status
from workbench.errors import WorkbenchError
from workbench.export import registry
from workbench.export.model import (
    Cell,
    ExportCancelled,
    ExportRequest,
    Selection,
    WriteOptions,
)
from workbench.export.safe_csv import cell_text

PREVIEW_ROWS = 20
REDACT_TIP = (
    'Protected records appear under their pseudonyms ("Person A"), and every way their '
    "names are written is replaced, in every format"
)
NOTHING_PROTECTED_TIP = (
    "No record is protected: protect a person (Review → Protect) to hide their name in exports"
)
REPORT_SUMMARY = (
    "Events with their quotes and sources, figures, people, places and units in the scope, "
    "and the timeline of the selection."
)
WHATS: tuple[tuple[str, str], ...] = (
    ("records", "Records (one row per passage)"),
    ("annotations", "Annotations"),
    ("timeline", "Timeline"),
    ("documents", "Documents"),
    ("codebook", "Codebook"),
    ("project", "The whole project"),
    ("report", "Report"),
)
SCOPES: tuple[tuple[str, str], ...] = (
    ("all", "Everything"),
    ("documents", "The documents selected"),
    ("filter", "The records the records panel shows"),
    ("records", "The records selected"),
    ("dossier", "The dossier of the person selected (with linked events)"),
)


@dataclass(frozen=True)
class ExportOutcome:
    """How an export ended."""

    path: Path
    rows: int
    cancelled: bool = False


class ExportDialog(QDialog):
    """Choose an export; Export asks for the file and runs it in the background."""

    def __init__(self, host: ExportHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.resize(860, 560)
        self._host = host
        form = QFormLayout()
        self.what = self._combo(WHATS, "What")
        self.format = QComboBox(self)
        self.format.setAccessibleName("Format")
        self.scope = self._combo(SCOPES, "Scope")
        self.include_suggestions = QCheckBox("Include &suggestions (not yet reviewed)", self)
        self.include_suggestions.setChecked(True)
        self.include_rejected = QCheckBox("Include &rejected items", self)
        self.bom = QCheckBox("UTF-8 with &BOM, for Excel", self)
        self.neutralise = QCheckBox("&Neutralise formulas (= + - @ become text)", self)
        self.neutralise.setChecked(True)
        self.text = QCheckBox("Include documents' full &text", self)
        self.text.setChecked(True)
        self.redact = self._redact_box()
        for label, widget in (("&What", self.what), ("&Format", self.format),
                              ("S&cope", self.scope)):  # fmt: skip
            form.addRow(label, widget)
        for box in (
            self.include_suggestions,
            self.include_rejected,
            self.bom,
            self.neutralise,
            self.text,
            self.redact,
        ):
            form.addRow("", box)
            box.toggled.connect(self.refresh)
        self.summary = plain_label(parent=self)
        self.preview = QTableWidget(self)
        self.preview.setAccessibleName("Preview of the first rows")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok, self
        )
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("&Export…")
        buttons.accepted.connect(self.choose_file_and_export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        if self._host.project.encrypted:  # what is written leaves the encryption behind
            self.unencrypted = plain_label(
                "The project is encrypted; the exported file will not be.", self
            )
            layout.addWidget(self.unencrypted)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.what.currentIndexChanged.connect(self._fill_formats)
        self.format.currentIndexChanged.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self.refresh)
        self._fill_formats()

    def _redact_box(self) -> QCheckBox:
        """Redact protected names: on by default when the project has protected records,
        greyed out (and saying why) when it has none."""
        box = QCheckBox("Re&dact protected names", self)
        protected = self._host.project.exports.redacts()
        box.setChecked(protected)
        box.setEnabled(protected)
        box.setToolTip(tooltip(REDACT_TIP if protected else NOTHING_PROTECTED_TIP))
        return box

    def _combo(self, items: tuple[tuple[str, str], ...], name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for key, text in items:
            combo.addItem(text, key)
        return combo

    # --- choices
    def _fill_formats(self) -> None:
        """The formats that can write the chosen kind."""
        what = self.what.currentData()
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt in registry.formats():
            writer = registry.writer(fmt)
            if what in writer.kinds:
                self.format.addItem(writer.label, fmt)
        self.format.setCurrentIndex(max(0, self.format.findData(current)))
        self.format.blockSignals(False)
        self.refresh()

    def selection(self) -> Selection:
        """The part of the project the dialog's scope and options describe."""
        statuses: set[Status] = {"accepted"}
        if self.include_suggestions.isChecked():
            statuses.add("suggested")
        if self.include_rejected.isChecked():
            statuses.add("rejected")
        chosen = frozenset(s for s in STATUSES if s in statuses)
        scope = self.scope.currentData()
        if scope == "documents":
            return Selection(document_ids=frozenset(self._host.selected_document_ids()),
                             statuses=chosen)  # fmt: skip
        if scope == "filter":
            return Selection(record_ids=frozenset(self._host.listed_record_ids()), statuses=chosen)
        if scope == "records":
            return Selection(record_ids=frozenset(self._host.selected_record_ids()),
                             statuses=chosen)  # fmt: skip
        if scope == "dossier":
            chosen_ids = self._host.selected_record_ids()[:1]
            try:
                dossier = self._host.project.records.dossier(chosen_ids[0]) if chosen_ids else set()
            except WorkbenchError:  # the record went meanwhile: an empty dossier
                dossier = set()
            return Selection(record_ids=frozenset(dossier), statuses=chosen)
        return Selection(statuses=chosen)

    def request(self, output: Path, *, force: bool = False) -> ExportRequest:
        """The export the dialog describes, into ``output``."""
        options = WriteOptions(neutralise=self.neutralise.isChecked(), bom=self.bom.isChecked(),
                               include_text=self.text.isChecked())  # fmt: skip
        fmt = self.format.currentData() or ""
        return ExportRequest(self.what.currentData(), fmt, output, self.selection(), options,
                             force, redact=self.redact.isChecked())  # fmt: skip

    # --- preview
    def refresh(self) -> None:
        """Show the first rows of the chosen table (the whole project and a report show
        what they hold instead)."""
        what, fmt = self.what.currentData(), self.format.currentData()
        self.export_button.setEnabled(fmt is not None)
        self.bom.setEnabled(fmt == "csv")
        self.text.setEnabled(what == "project")
        self.preview.clear()
        if fmt is None:
            set_plain(self.summary, "No format writes this yet.")
            self.preview.setRowCount(0)
            return
        data = self._host.project.exports.prepared(self.selection(), self.redact.isChecked())
        if what == "report":
            set_plain(self.summary, REPORT_SUMMARY)
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            return
        if what not in data.tables:
            names = ", ".join(t for t in data.tables if t in dict(WHATS) and t != "codebook")
            set_plain(self.summary, f"Everything in the scope: {names} and the codebook.")
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            return
        table = data.table(what)
        rows = table.head(PREVIEW_ROWS)
        self._show(table.columns, rows)
        more = "" if len(rows) < PREVIEW_ROWS else " (the first shown)"
        set_plain(self.summary, f"{len(rows)} row(s){more}; columns as other tools expect them.")

    def _show(self, columns: tuple[str, ...], rows: list[Sequence[Cell]]) -> None:
        safe, screen = self.neutralise.isChecked(), screen_of(self)  # presentation mode too
        self.preview.setColumnCount(len(columns))
        self.preview.setHorizontalHeaderLabels(list(columns))
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = screen.text(cell_text(value, safe=safe))
                self.preview.setItem(r, c, QTableWidgetItem(" ".join(text.split())[:200]))

    # --- export
    def choose_file_and_export(self) -> None:
        """Ask where to write (the file dialog asks before replacing a file), then export."""
        fmt = self.format.currentData()
        if fmt is None:
            return
        writer = registry.writer(fmt)
        project = self._host.project
        suggested = project.path.with_name(f"{project.path.stem} {self.what.currentData()}")
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", str(suggested.with_suffix(writer.extension)),
            f"{writer.label} (*{writer.extension})",
        )  # fmt: skip
        if name:
            self.start(Path(name), force=True)  # the dialog asked about an existing file

    def start(self, output: Path, *, force: bool = False) -> bool:
        """Run the export in the background (progress and Cancel); close when it started."""
        request = self.request(output, force=force)
        exports = self._host.project.exports

        def work(progress: Progress, cancel: CancelFlag) -> ExportOutcome:
            try:
                return ExportOutcome(request.output, exports.run(request, progress, cancel))
            except ExportCancelled:
                return ExportOutcome(request.output, 0, cancelled=True)

        try:
            exports.check_output(output, force=force)
        except WorkbenchError as exc:
            self._host.show_error(str(exc))
            return False
        started = self._host.background.start("Exporting", work, self._done, self._host.show_error)
        if started:
            self.accept()
        else:
            set_plain(self.summary, "Another task is running; export when it has finished.")
        return started

    def _done(self, outcome: ExportOutcome) -> None:
        window = self._host.window()
        if outcome.cancelled:
            self._host.statusBar().showMessage("Export cancelled; nothing was written", 8000)
            return
        self._host.statusBar().showMessage(
            f"Exported {outcome.rows:,} row(s) to {outcome.path}", 8000
        )
        buttons = QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close
        box = message_box(
            window, "Exported", f"Wrote {outcome.rows:,} row(s) to\n{outcome.path}", buttons,
            QMessageBox.Icon.Information,
        )  # fmt: skip
        box.button(QMessageBox.StandardButton.Open).setText("Open &folder")
        box.finished.connect(
            lambda result: (
                result == QMessageBox.StandardButton.Open
                and QDesktopServices.openUrl(QUrl.fromLocalFile(str(outcome.path.parent)))
            )
        )
        box.open()
