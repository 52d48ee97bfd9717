"""The Agreement dialog: annotators and documents chosen, figures as plain text, sorted by
value, exported through the file dialog."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.agreement_dialog import FILTERS, UNENCRYPTED, AgreementDialog
from ui.main_window import MainWindow
from workbench.agreement.report import COLUMNS
from workbench.project import Project
from workbench.storage.cipher import Passphrase

TEXT = "🙂 Олена saw <b>Іван</b> leave Херсон; 🙂 then Олена left Херсон too.\n"
SECOND = "Nothing but Mariupol here.\n"


def _annotate(
    project: Project, actor: str, document_id: int, text: str, phrases: list[str]
) -> None:
    project.actor = actor
    for phrase in phrases:
        code, word = phrase.split(":")
        start = text.index(word)
        project.review.annotate(document_id, start, start + len(word), code)


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> MainWindow:
    first = import_text(project, tmp_path, "one.txt", TEXT, title="<i>Херсон</i> 🙂")
    second = import_text(project, tmp_path, "two.txt", SECOND)
    _annotate(project, "Anna", first.id, TEXT, ["person:Олена", "place:Херсон"])
    _annotate(project, "Boris", first.id, TEXT, ["person:Олена", "person:<b>Іван</b>"])
    _annotate(project, "Clara", second.id, SECOND, ["place:Mariupol"])
    with shown_window(qtbot, project) as win:
        yield win


def _computed(dialog: AgreementDialog, qtbot: QtBot) -> None:
    assert dialog.compute()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.compute_button.isEnabled())


def _cells(dialog: AgreementDialog) -> list[list[str]]:
    proxy = dialog.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount())]
            for r in range(proxy.rowCount())]  # fmt: skip


def test_the_figures_show_as_plain_text_and_sort_by_value(
    window: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    dialog = AgreementDialog(window, window)
    qtbot.addWidget(dialog)
    assert dialog.chosen_annotators() == ["Anna", "Boris", "Clara"]
    dialog.annotators.item(2).setCheckState(Qt.CheckState.Unchecked)
    _computed(dialog, qtbot)
    cells = _cells(dialog)
    assert cells[0][:5] == ["Corpus", "1 document(s)", "(all codes)", "Anna + Boris",
                            f"{2 * len(TEXT)}"]  # fmt: skip
    assert ["Document 1", "<i>Херсон</i> 🙂", "person", "Anna + Boris"] in [c[:4] for c in cells]
    place = next(c for c in cells if c[:3] == ["Document 1", "<i>Херсон</i> 🙂", "place"])
    assert place[6:8] == ["0.000", "-0.172"]  # Anna alone marked it: a unit in a gap
    quiet = next(c for c in cells if c[0] == "Document 2")
    assert quiet[5:8] == ["n/a", "n/a", "n/a"]
    index = dialog.proxy.index(cells.index(quiet), 7)
    assert "no passages" in index.data(Qt.ItemDataRole.ToolTipRole)
    dialog.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    values = [c[7] for c in _cells(dialog)]
    numbers = [float(v) for v in values if v != "n/a"]
    assert numbers == sorted(numbers, reverse=True) and values[-1] == "n/a"
    qtmodeltester.check(dialog.model)


def test_three_annotators_and_the_documents_selected(window: MainWindow, qtbot: QtBot) -> None:
    window.document_list.select_document(2)
    dialog = AgreementDialog(window, window)
    qtbot.addWidget(dialog)
    assert dialog.scope.count() == 2
    dialog.scope.setCurrentIndex(1)
    _computed(dialog, qtbot)
    cells = _cells(dialog)
    assert {c[0] for c in cells} == {"Corpus", "Document 2"}
    assert cells[0][3] == "Anna + Boris + Clara" and cells[0][6] == "n/a"
    assert "Anna + Clara" in {c[3] for c in cells}


def test_one_annotator_ticked_says_why(window: MainWindow, qtbot: QtBot) -> None:
    dialog = AgreementDialog(window, window)
    qtbot.addWidget(dialog)
    for row in (1, 2):
        dialog.annotators.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.compute()
    assert dialog.summary.text() == "Tick two annotators or more to compare them."
    assert not dialog.export_button.isEnabled()


def test_the_table_exports_as_csv_and_xlsx(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AgreementDialog(window, window)
    qtbot.addWidget(dialog)
    _computed(dialog, qtbot)
    out = tmp_path / "agreement.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), FILTERS["csv"]))
    dialog.choose_file_and_export()
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("Wrote"))
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(_cells(dialog)) + 1
    typed = tmp_path / "agreement"  # no extension typed: the filter chosen names the format
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(typed), FILTERS["xlsx"]))
    dialog.choose_file_and_export()
    qtbot.waitUntil(lambda: dialog.summary.text().endswith("agreement.xlsx"))
    sheet = openpyxl.load_workbook(typed.with_suffix(".xlsx"), read_only=True)["Agreement"]
    assert next(sheet.iter_rows(values_only=True)) == COLUMNS


def test_the_menu_opens_the_dialog_and_computes(window: MainWindow, qtbot: QtBot) -> None:
    action = window.actions_["agreement"]
    assert action.shortcut().toString() == "Ctrl+Shift+G"
    action.trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.report.annotators == ("Anna", "Boris", "Clara")
    dialog.close()


def test_an_encrypted_project_says_the_export_is_not(qtbot: QtBot, tmp_path: Path) -> None:
    with Project(tmp_path / "secret.twb", passphrase=Passphrase("correct horse")) as project:
        import_text(project, tmp_path, "one.txt", SECOND)
        with shown_window(qtbot, project) as window:
            dialog = AgreementDialog(window, window)
            qtbot.addWidget(dialog)
            assert dialog.unencrypted.text() == UNENCRYPTED
            assert dialog.unencrypted.textFormat() == Qt.TextFormat.PlainText
            assert not dialog.compute()  # nobody has passages: it says so
            assert "this project has none" in dialog.summary.text()
