"""MainWindow: documents on the left, the selected document's text in the centre."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSizePolicy, QSplitter

from ui.document_list import DocumentList
from ui.document_view import DocumentView
from workbench.project import Project


class MainWindow(QMainWindow):
    """The workbench window over one open project."""

    def __init__(self, project: Project, *, remember_layout: bool = True) -> None:
        super().__init__()
        self.project = project
        self._remember_layout = remember_layout
        self.setWindowTitle(f"{project.path.name} — Testimony Workbench")
        self.resize(1280, 800)

        self.document_list = DocumentList(self)
        self.document_view = DocumentView(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.document_list)
        self.splitter.addWidget(self.document_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([440, 840])
        self.setCentralWidget(self.splitter)

        self.doc_label = QLabel(self)
        self.doc_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count_label = QLabel(self)
        self.statusBar().addWidget(self.doc_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self._build_menus()
        self.document_list.documentSelected.connect(self._on_document_selected)
        if remember_layout:
            self._restore_layout()
        self.reload_documents()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Testimony Workbench", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def reload_documents(self) -> None:
        """Re-read the document list and select the first document if none is shown."""
        docs = self.project.documents.list()
        self.document_list.set_documents(docs)
        self.count_label.setText(f"{len(docs)} document(s)")
        if docs and self.document_view.document_id is None:
            self.document_list.select_document(docs[0].id)

    def _on_document_selected(self, document_id: int) -> None:
        info = self.project.documents.get(document_id)
        self.document_view.show_document(document_id, self.project.documents.text(document_id))
        parts = [info.title, info.published or "no date", info.outlet or info.source or ""]
        parts += [f"{info.chars:,} characters", f"language {info.language or 'unknown'}"]
        self.doc_label.setText("  ·  ".join(p for p in parts if p))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Testimony Workbench",
            "Testimony Workbench turns testimonies, interviews and news reports into "
            "evidence records, offline. Nothing leaves this computer unless you export it.",
        )

    def _restore_layout(self) -> None:
        settings = QSettings()
        state = settings.value("mainWindow/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._remember_layout:
            settings = QSettings()
            settings.setValue("mainWindow/splitter", self.splitter.saveState())
            settings.setValue("mainWindow/geometry", self.saveGeometry())
        super().closeEvent(event)
