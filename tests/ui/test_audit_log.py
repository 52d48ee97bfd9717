"""The audit log window: entries newest first, paged as it scrolls, filtered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TextWindow
from ui.audit_dialog import AuditLogDialog
from ui.main_window import MainWindow
from ui.models.audit_table_model import PAGE
from workbench.services.audit import audit


@pytest.fixture
def window(text_window: TextWindow) -> MainWindow:
    return text_window("a.txt", "🙂 Ivan left Kharkiv in late March.\n")


def test_the_log_shows_who_did_what_newest_first(window: MainWindow, qtbot: QtBot) -> None:
    doc = window.document_id or 0
    window.run_step("Annotate", lambda: window.project.review.annotate(doc, 2, 6, "person"))
    dialog = AuditLogDialog(window.project, window)
    qtbot.addWidget(dialog)
    model = dialog.model
    cells = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert cells[0][1:4] == ["tester", "annotation.create", f"annotation {cells[0][3].split()[1]}"]
    assert [row[2] for row in cells] == [
        "annotation.create", "record.create", "document.import", "codebook.load"
    ]  # fmt: skip
    assert "label: Ivan" in " ".join(row[4] for row in cells)
    dialog.filter.setText("import")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.entry(0).action == "document.import"


def test_the_log_is_read_a_page_at_a_time(
    window: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    with window.project.write_connection() as conn:
        for i in range(PAGE + 50):
            audit(conn, "olena", "record.note", "record", i, note=f"note {i}")
    dialog = AuditLogDialog(window.project, window)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == PAGE and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE + 50 + 2  # and the import and codebook entries
    assert not model.canFetchMore(QModelIndex())
    assert model.entry(0).detail == {"note": f"note {PAGE + 49}"}
    qtmodeltester.check(model)
