"""File → Export…: what, format, scope, options, a preview, and the export in the background."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from ui.export_dialog import ExportDialog
from ui.main_window import MainWindow
from workbench.domain import RecordId
from workbench.project import Project

HOSTILE = "=cmd|' /C calc'!A0"
TEXT = f"Olena 🙂 treated 40 wounded in Kherson.\n{HOSTILE} was on the wall.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    for phrase, code in (("Olena", "person"), ("Kherson", "place"), (HOSTILE, "abuse")):
        start = TEXT.index(phrase)
        project.review.annotate(doc, start, start + len(phrase), code)
    project.review.set_status([RecordId(2)], "rejected")
    with shown_window(qtbot, project) as win:
        activated(qtbot, win)
        yield win


@pytest.fixture
def dialog(window: MainWindow, qtbot: QtBot) -> ExportDialog:
    window.actions_["export"].trigger()
    found = window.findChild(ExportDialog)
    assert found is not None
    qtbot.waitExposed(found)
    return found


def _column(dialog: ExportDialog, name: str) -> list[str]:
    headers = [dialog.preview.horizontalHeaderItem(c).text()  # type: ignore[union-attr]
               for c in range(dialog.preview.columnCount())]  # fmt: skip
    column = headers.index(name)
    return [dialog.preview.item(r, column).text()  # type: ignore[union-attr]
            for r in range(dialog.preview.rowCount())]  # fmt: skip


def test_the_preview_follows_what_scope_and_options(
    window: MainWindow, dialog: ExportDialog
) -> None:
    assert dialog.format.currentData() == "csv"
    assert _column(dialog, "label") == ["Olena"]  # rejected left out by default
    dialog.include_rejected.setChecked(True)
    assert _column(dialog, "label") == ["Olena", "Kherson"]
    dialog.what.setCurrentIndex(dialog.what.findData("annotations"))
    assert "'" + HOSTILE in _column(dialog, "quote")  # neutralised, shown as plain text
    dialog.neutralise.setChecked(False)
    assert HOSTILE in _column(dialog, "quote")
    window.records_panel.select_record(RecordId(1))
    dialog.what.setCurrentIndex(dialog.what.findData("records"))
    dialog.scope.setCurrentIndex(dialog.scope.findData("records"))
    assert _column(dialog, "label") == ["Olena"]


def test_export_writes_in_the_background_and_offers_the_folder(
    window: MainWindow, dialog: ExportDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "records.csv"
    out.parent.mkdir()
    dialog.bom.setChecked(True)
    assert dialog.start(out)
    qtbot.waitUntil(lambda: out.exists() and not window.background.busy)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["label"] for r in csv.DictReader(fh)] == ["Olena"]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)))
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == f"Wrote 1 row(s) to\n{out}"
    assert box.button(QMessageBox.StandardButton.Open).text() == "Open &folder"
    box.button(QMessageBox.StandardButton.Close).click()
    assert window.statusBar().currentMessage() == f"Exported 1 row(s) to {out}"


def test_an_existing_file_is_not_replaced_unasked(
    window: MainWindow, dialog: ExportDialog, tmp_path: Path
) -> None:
    out = tmp_path / "mine.csv"
    out.write_text("mine\n")
    assert not dialog.start(out)
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text().endswith("exists; choose another name or replace it")
    assert out.read_text() == "mine\n"


def test_a_kind_no_format_writes_says_so(dialog: ExportDialog) -> None:
    dialog.what.setCurrentIndex(dialog.what.findData("codebook"))
    assert dialog.format.count() >= 1 and dialog.export_button.isEnabled()
    assert _column(dialog, "name")[:2] == ["person", "place"]


def test_the_whole_project_says_what_it_holds(dialog: ExportDialog) -> None:
    dialog.what.setCurrentIndex(dialog.what.findData("project"))
    assert dialog.format.findData("json") >= 0
    assert dialog.summary.text() == (
        "Everything in the scope: records, annotations, timeline, documents and the codebook."
    )
    assert dialog.preview.rowCount() == 0 and dialog.text.isEnabled()
