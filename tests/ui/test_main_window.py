"""Smoke tests of the first window: documents listed, the selected text shown exactly."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import TESTIMONY
from ui.main_window import MainWindow
from ui.models.document_table_model import DocumentTableModel
from workbench.project import Project


def test_window_lists_documents_and_shows_selected_text(
    qtbot: QtBot, project: Project, testimony_file: Path, tmp_path: Path
) -> None:
    first, _ = project.documents.import_file(testimony_file)
    other = tmp_path / "other.md"
    other.write_text("# Second report\n\nDr. Olena Marchenko treated 40 wounded.\n")
    second, _ = project.documents.import_file(other)

    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    model = window.document_list.model
    assert model.rowCount() == 2
    assert window.document_view.document_id == first.id
    assert window.document_view.toPlainText() == TESTIMONY.replace("\r\n", "\n")
    assert window.document_view.isReadOnly()

    window.document_list.select_document(second.id)
    assert window.document_view.document_id == second.id
    assert "Olena Marchenko" in window.document_view.toPlainText()
    assert "Second report" in window.doc_label.text()

    window.document_list.filter.setText("second")
    assert window.document_list.proxy.rowCount() == 1


def test_document_model_passes_qt_model_tester(
    qtmodeltester: object, project: Project, testimony_file: Path
) -> None:
    project.documents.import_file(testimony_file)
    model = DocumentTableModel()
    model.set_documents(project.documents.list())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(0, 0)) == "testimony"
    assert model.data(model.index(0, 0), DocumentTableModel.DocumentIdRole) == 1


def test_empty_project_shows_placeholder(qtbot: QtBot, project: Project) -> None:
    window = MainWindow(project)
    qtbot.addWidget(window)
    assert window.document_list.model.rowCount() == 0
    assert window.document_view.toPlainText() == ""
    assert window.document_view.document_id is None
