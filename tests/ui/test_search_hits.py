"""The search panel's hits over a real project: whole words, check boxes and their count, a
confirmation that names what will be made, and one undoable step for the checked hits (one
record for all of them by default, one per hit on request); rows keep the text's spaces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from tests.conftest import import_text, review_rows
from tests.ui.conftest import activated, shown_window
from ui.main_window import MainWindow
from ui.search_panel import SearchPanel
from workbench.project import Project

WARD = (
    "He was hospitalized in March. The hospital was shelled;\n"
    "🙂hospital🙂 staff and the Hospital's doctors stayed.\n"
)
CITY = "Night shift at the  hospital\n\twas  quiet. Госпиталь закрыли.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    import_text(project, tmp_path, "ward.txt", WARD)
    import_text(project, tmp_path, "city.txt", CITY)
    with shown_window(qtbot, project) as win:
        yield activated(qtbot, win)


def search(qtbot: QtBot, panel: SearchPanel, query: str) -> None:
    """Type the query and press Enter; wait for the list, read on the worker thread."""
    panel.field.setText(query)
    panel.count.clear()
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.count.text() != "")


def items(panel: SearchPanel) -> list[QTreeWidgetItem]:
    found = (panel.results.topLevelItem(i) for i in range(panel.results.topLevelItemCount()))
    return [item for item in found if item is not None]


def rows(panel: SearchPanel) -> list[tuple[str, str, bool]]:
    """Each hit as the user sees it: document, passage, checked."""
    return [
        (item.text(0), item.text(1), item.checkState(0) == Qt.CheckState.Checked)
        for item in items(panel)
    ]


def answer(panel: SearchPanel, button: QMessageBox.StandardButton) -> str:
    """The confirmation's text, after answering it with ``button``."""
    box = panel.confirmation
    assert box is not None and box.isVisible()
    text = box.text()
    box.button(button).click()
    return text


@pytest.fixture
def panel(window: MainWindow, qtbot: QtBot) -> SearchPanel:
    window.actions_["search"].trigger()
    search(qtbot, window.search_panel, "hospital")
    return window.search_panel


def test_whole_words_by_default_every_hit_checked(panel: SearchPanel, qtbot: QtBot) -> None:
    assert panel.whole_words.isChecked()
    assert [h.document_id for h in panel.hits] == [1, 1, 1, 2]  # not "hospitalized"
    assert [checked for *_, checked in rows(panel)] == [True] * 4
    assert panel.count.text() == "4 of 4 hits checked"
    assert panel.check_all.checkState() == Qt.CheckState.Checked
    panel.whole_words.click()  # the list is read again
    qtbot.waitUntil(lambda: panel.count.text() == "5 of 5 hits checked")
    assert rows(panel)[0][1] == (
        "He was [hospital]ized in March. The hospital was shelled; 🙂hospital🙂 staff an…"
    )


def test_rows_keep_the_text_s_spaces(panel: SearchPanel, qtbot: QtBot) -> None:
    assert rows(panel)[3][1] == "Night shift at the  [hospital]  was  quiet. Госпиталь закрыли. "
    assert rows(panel)[1][1] == (
        "He was hospitalized in March. The hospital was shelled; 🙂[hospital]🙂 staff and the "
        "Hospital's doctors stayed. "
    )
    search(qtbot, panel, "госпиталь")
    assert [passage for _title, passage, _checked in rows(panel)] == [
        "Night shift at the  hospital  was  quiet. [Госпиталь] закрыли. "
    ]


def test_check_boxes_all_and_none(panel: SearchPanel, qtbot: QtBot) -> None:
    results = panel.results
    results.setFocus()
    results.setCurrentItem(items(panel)[1])
    qtbot.keyClick(results, Qt.Key.Key_Space)  # the current hit's box, from the keyboard
    assert [checked for *_, checked in rows(panel)] == [True, False, True, True]
    assert panel.count.text() == "3 of 4 hits checked"
    assert panel.check_all.checkState() == Qt.CheckState.PartiallyChecked
    panel.check_all.click()  # some checked: check all
    assert panel.count.text() == "4 of 4 hits checked"
    assert panel.check_all.checkState() == Qt.CheckState.Checked
    panel.check_all.click()  # all checked: none
    assert [checked for *_, checked in rows(panel)] == [False] * 4
    assert panel.count.text() == "0 of 4 hits checked"
    assert panel.check_all.checkState() == Qt.CheckState.Unchecked
    assert not panel.annotate_all.isEnabled()
    items(panel)[3].setCheckState(0, Qt.CheckState.Checked)
    assert panel.annotate_all.isEnabled()
    assert panel.checked_hits() == [panel.hits[3]]


def test_checked_hits_become_one_record_in_one_step(window: MainWindow, panel: SearchPanel) -> None:
    items(panel)[0].setCheckState(0, Qt.CheckState.Unchecked)
    panel.code.setCurrentIndex(panel.code.findData("place"))
    assert panel.per_hit.isEnabled() and not panel.per_hit.isChecked()
    original = review_rows(window.project)
    panel.annotate_all.click()
    assert review_rows(window.project) == original  # asked first
    assert answer(panel, QMessageBox.StandardButton.Ok) == (
        "Annotate 3 passages in 2 documents?\n\n"
        "This makes one new Place record “hospital” with all of them as its evidence."
    )
    (record,) = window.project.records.list()
    assert (record.label, record.type, record.evidence_count) == ("hospital", "place", 3)
    quotes = [(a.document_id, a.start) for a in window.project.annotations.for_record(record.id)]
    assert quotes == [(h.document_id, h.start) for h in panel.hits[1:]]
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Annotate 3 hits as one Place “hospital”"
    window.undo_stack.undo()
    assert review_rows(window.project) == original


def test_one_record_per_hit_on_request(window: MainWindow, panel: SearchPanel) -> None:
    panel.code.setCurrentIndex(panel.code.findData("place"))
    panel.per_hit.click()
    panel.annotate_all.click()
    assert answer(panel, QMessageBox.StandardButton.Ok) == (
        "Annotate 4 passages in 2 documents?\n\nThis makes 4 new Place records, one per passage."
    )
    labels = [r.label for r in window.project.records.list(type_name="place")]
    assert labels == ["hospital", "hospital", "Hospital", "hospital"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.project.records.list() == []


def test_a_code_makes_annotations_only(window: MainWindow, panel: SearchPanel) -> None:
    panel.code.setCurrentIndex(panel.code.findData("abuse"))
    assert not panel.per_hit.isEnabled()  # a code makes no record
    panel.annotate_all.click()
    assert answer(panel, QMessageBox.StandardButton.Ok) == (
        "Annotate 4 passages in 2 documents?\n\n"
        "This makes 4 annotations with the code “Abuse / punishment” (no records)."
    )
    assert window.project.records.list() == []
    documents = [d.id for d in window.project.documents.list()]
    coded = [a.code for d in documents for a in window.project.annotations.for_document(d)]
    assert coded == ["abuse"] * 4


def test_cancelling_the_confirmation_changes_nothing(
    window: MainWindow, panel: SearchPanel
) -> None:
    original = review_rows(window.project)
    panel.annotate_all.click()
    answer(panel, QMessageBox.StandardButton.Cancel)
    assert review_rows(window.project) == original
    assert window.undo_stack.count() == 0
    assert panel.confirmation is None
