"""RecordsPanel and RecordTreeModel: grouping, styling, filters, in-place updates, signals."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from ui.models.record_rows import CONFIDENCE, DATE, EVIDENCE, STATUS
from ui.models.record_tree_model import RecordTreeModel
from ui.records_panel import RecordsPanel
from workbench.domain import RecordInfo
from workbench.paths import DEFAULT_CODEBOOK

M = RecordTreeModel


def rec(record_id: int, record_type: str = "person", label: str = "", **fields: Any) -> RecordInfo:
    """A record with plausible defaults; ``fields`` override any of them."""
    values: dict[str, Any] = {
        "status": "suggested",
        "origin": "model",
        "confidence": 0.5,
        "note": "",
        "date_text": None,
        "date_edtf": None,
        "date_earliest": None,
        "date_latest": None,
        "created_by": "tester",
        "created_at": datetime(2024, 5, 1, 12, 0),
        "evidence_count": 1,
        "document_ids": (1,),
    }
    values.update(fields)
    return RecordInfo(record_id, record_type, label or f"Record {record_id}", **values)


SAMPLE = [
    rec(1, "person", "Olena Marchenko", status="accepted", confidence=0.92, evidence_count=4),
    rec(2, "person", "Andriy Kovalenko", confidence=0.75, evidence_count=2, document_ids=(1, 3)),
    rec(3, "person", "Yelena", status="rejected", confidence=None),
    rec(4, "weapon", "Grad rockets", status="rejected", document_ids=(4,)),
    rec(5, "place", "Kyiv", status="accepted", confidence=0.1),
    rec(6, "artifact", "Helmet"),
    rec(
        7,
        "event",
        "Shelling of the hospital",
        date_text="early March 2022",
        date_edtf="2022-03~",
        date_earliest="2022-03-01",
        date_latest="2022-03-10",
    ),
    rec(8, "figure", "40 wounded"),
    rec(9, "organization", "Red Cross", status="accepted"),
]


@pytest.fixture
def panel(qtbot: QtBot, qtmodeltester: Any) -> RecordsPanel:
    """A shown panel with the sample records, its model under pytest-qt's model tester."""
    widget = RecordsPanel()
    qtbot.addWidget(widget)
    widget.model.set_type_order(DEFAULT_TYPES)  # what the window takes from the codebook
    qtmodeltester.check(widget.model, force_py=True)  # asserts on every later change
    widget.set_records(SAMPLE, current_document_id=1)
    widget.resize(700, 400)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


DEFAULT_TYPES = [
    entry["name"]
    for entry in json.loads(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))["entries"]
    if entry["kind"] == "record_type"
]


def groups(model: RecordTreeModel) -> list[str]:
    """The type rows as shown."""
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def labels(model: RecordTreeModel, group_row: int) -> list[str]:
    """The record labels under one type row."""
    parent = model.index(group_row, 0)
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def cell(model: RecordTreeModel, record_id: int, column: int = 0, role: int = 0) -> Any:
    """Data of one record's cell."""
    return model.index_of(record_id, column).data(role)


def test_types_in_fixed_order_with_counts(panel: RecordsPanel) -> None:
    model = panel.model
    assert groups(model) == [
        "Person (3)",
        "Place (1)",
        "Organization (1)",
        "Event (1)",
        "Figure (1)",
        "Artifact (1)",
        "Weapon (1)",
    ]
    assert labels(model, 0) == ["Olena Marchenko", "Andriy Kovalenko", "Yelena"]
    assert model.index(0, 0).data(M.RecordIdRole) is None
    assert model.index(0, 0).data(M.TypeRole) == "person"
    assert model.index(0, 0).flags() & Qt.ItemFlag.ItemIsSelectable == Qt.ItemFlag.NoItemFlags
    assert all(panel.tree.isExpanded(model.index(row, 0)) for row in range(model.rowCount()))
    assert [panel.type_filter.itemData(i) for i in range(panel.type_filter.count())] == [
        "",
        "person",
        "place",
        "organization",
        "event",
        "figure",
        "artifact",
        "weapon",
    ]


def test_cells_and_roles(panel: RecordsPanel) -> None:
    model = panel.model
    assert cell(model, 1, CONFIDENCE) == "0.92"
    assert cell(model, 3, CONFIDENCE) == ""
    assert cell(model, 1, CONFIDENCE, M.ConfidenceRole) == pytest.approx(0.92)
    assert cell(model, 3, 0, M.ConfidenceRole) is None
    assert cell(model, 1, EVIDENCE) == "4"
    assert cell(model, 2, EVIDENCE) == "2 · 2 docs"
    assert cell(model, 4, EVIDENCE) == "1 · 1 doc"  # evidence only in another document
    assert cell(model, 2, 0, M.OtherDocumentsRole) == (3,)
    assert cell(model, 1, 0, M.OtherDocumentsRole) == ()
    assert (cell(model, 2, 0, M.StatusRole), cell(model, 2, 0, M.TypeRole)) == (
        "suggested",
        "person",
    )
    assert cell(model, 7, DATE) == "early March 2022"
    tip = cell(model, 7, DATE, Qt.ItemDataRole.ToolTipRole)
    assert "2022-03~" in tip and "2022-03-01" in tip and "2022-03-10" in tip
    assert cell(model, 7, EVIDENCE, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_status_styling_follows_the_palette(panel: RecordsPanel) -> None:
    model = panel.model
    font = Qt.ItemDataRole.FontRole
    assert cell(model, 2, 0, font).italic()
    assert cell(model, 1, 0, font) is None
    assert cell(model, 3, STATUS, font).strikeOut()
    assert cell(model, 1, 0, Qt.ItemDataRole.ForegroundRole) is None
    assert isinstance(model.index(0, 0).data(font), QFont) and model.index(0, 0).data(font).bold()
    for text, base in (("#000000", "#ffffff"), ("#eeeeee", "#1e1e1e")):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Text, QColor(text))
        palette.setColor(QPalette.ColorRole.Base, QColor(base))
        panel.tree.setPalette(palette)  # the panel restyles on the palette change
        muted = cell(model, 3, 0, Qt.ItemDataRole.ForegroundRole).color().lightness()
        low, high = sorted((QColor(text).lightness(), QColor(base).lightness()))
        assert low + 40 < muted < high - 40  # grey, yet readable on either background


def test_text_filter_keeps_groups_of_matches(panel: RecordsPanel) -> None:
    panel.filter.setText("  KO ")
    assert groups(panel.model) == ["Person (2 of 3)"]
    assert labels(panel.model, 0) == ["Olena Marchenko", "Andriy Kovalenko"]
    assert panel.tree.isExpanded(panel.model.index(0, 0))
    panel.filter.setText("person")  # type names are not labels
    assert panel.model.rowCount() == 0
    panel.filter.clear()
    assert panel.model.rowCount() == 7
    assert all(panel.tree.isExpanded(panel.model.index(r, 0)) for r in range(7))


def test_status_and_type_filters(panel: RecordsPanel) -> None:
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("rejected"))
    assert groups(panel.model) == ["Person (1 of 3)", "Weapon (1)"]
    panel.type_filter.setCurrentIndex(panel.type_filter.findData("person"))
    assert groups(panel.model) == ["Person (1 of 3)"]
    panel.status_filter.setCurrentIndex(0)
    assert labels(panel.model, 0) == ["Olena Marchenko", "Andriy Kovalenko", "Yelena"]
    panel.filter.setText("zzz")
    assert panel.model.rowCount() == 0


def test_collapsed_group_stays_collapsed_across_filters(panel: RecordsPanel) -> None:
    panel.tree.collapse(panel.model.index(0, 0))
    panel.filter.setText("grad")
    panel.filter.clear()
    assert not panel.tree.isExpanded(panel.model.index(0, 0))
    assert panel.tree.isExpanded(panel.model.index(1, 0))


def test_sort_confidence_numerically_within_types(panel: RecordsPanel) -> None:
    more = [rec(20, label="Ten", confidence=0.10), rec(21, label="Nine", confidence=0.9)]
    panel.update_records(more)
    panel.tree.sortByColumn(CONFIDENCE, Qt.SortOrder.DescendingOrder)
    assert labels(panel.model, 0) == [
        "Olena Marchenko",
        "Nine",
        "Andriy Kovalenko",
        "Ten",
        "Yelena",
    ]
    assert groups(panel.model)[0] == "Person (5)"  # type rows keep their order
    panel.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert labels(panel.model, 0)[-2:] == ["Ten", "Nine"]  # back to arrival order


def test_update_keeps_selection_on_changed_record(panel: RecordsPanel, qtbot: QtBot) -> None:
    panel.tree.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)  # so accepting moves the row
    assert panel.select_record(2)
    with qtbot.assertNotEmitted(panel.selectionChanged):
        panel.update_records([rec(2, "person", "Andriy Kovalenko", status="accepted")])
    assert panel.selected_record_ids() == [2]
    assert panel.current_record_id() == 2
    assert cell(panel.model, 2, STATUS) == "accepted"
    assert labels(panel.model, 0) == ["Olena Marchenko", "Andriy Kovalenko", "Yelena"]
    panel.update_records([rec(2, "place", "Andriy Kovalenko", status="accepted")])  # new type
    assert panel.selected_record_ids() == [2]
    assert groups(panel.model)[:2] == ["Person (2)", "Place (2)"]


def test_update_inserts_and_hides(panel: RecordsPanel) -> None:
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("suggested"))
    panel.update_records(
        [rec(30, "vehicle", "Tank"), rec(31, "vehicle", "Truck", status="accepted")]
    )
    assert groups(panel.model)[-1] == "Vehicle (1 of 2)"
    assert panel.tree.isExpanded(panel.model.index(panel.model.rowCount() - 1, 0))
    assert panel.type_filter.findData("vehicle") > 0
    panel.update_records([rec(8, "figure", "40 wounded", status="rejected")])  # no longer shown
    assert "Figure (1)" not in groups(panel.model)
    panel.update_records([*SAMPLE[:3]], complete=True)
    panel.clear_filters()
    assert groups(panel.model) == ["Person (3)"]


def test_bulk_update_keeps_selection(panel: RecordsPanel) -> None:
    panel.update_records([rec(100 + i, "place") for i in range(60)])
    panel.select_record(105)
    panel.update_records([rec(100 + i, "place", status="accepted") for i in range(60)])
    assert panel.selected_record_ids() == [105]
    assert cell(panel.model, 105, STATUS) == "accepted"


def test_remove_records(panel: RecordsPanel, qtbot: QtBot) -> None:
    panel.select_record(4)
    with qtbot.waitSignal(panel.selectionChanged) as blocker:
        panel.remove_records([1, 3, 4, 999])
    assert blocker.args == [[]]
    assert labels(panel.model, 0) == ["Andriy Kovalenko"]
    assert "Weapon (1)" not in groups(panel.model)
    assert panel.type_filter.findData("weapon") == -1
    assert not panel.model.index_of(1).isValid()


def test_select_record_clears_hiding_filters(panel: RecordsPanel, qtbot: QtBot) -> None:
    panel.filter.setText("olena")
    with qtbot.waitSignal(panel.selectionChanged) as blocker:
        assert panel.select_record(9)
    assert blocker.args == [[9]]
    assert panel.filter.text() == ""
    assert panel.tree.currentIndex() == panel.model.index_of(9)
    assert not panel.select_record(12345)
    panel.tree.selectionModel().select(
        panel.model.index_of(1),
        panel.tree.selectionModel().SelectionFlag.Select
        | panel.tree.selectionModel().SelectionFlag.Rows,
    )
    assert panel.selected_record_ids() == [1, 9]


def test_click_and_enter_activate_records(panel: RecordsPanel, qtbot: QtBot) -> None:
    tree = panel.tree
    index = panel.model.index_of(5)
    with qtbot.waitSignal(panel.recordActivated) as blocker:
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
        )
    assert blocker.args == [5]
    assert panel.selected_record_ids() == [5]
    tree.setFocus()
    tree.setCurrentIndex(panel.model.index_of(7))
    with qtbot.waitSignal(panel.recordActivated) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args == [7]
    group = panel.model.index(0, 0)
    with qtbot.assertNotEmitted(panel.recordActivated):
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(group).center()
        )


@pytest.mark.parametrize("page_size", [500, 2])  # 2: person records cross the exposed rows
def test_model_passes_qt_cpp_tester(qtbot: QtBot, qtlog: Any, page_size: int) -> None:
    model = RecordTreeModel(page_size=page_size)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_records(SAMPLE, 1)
    model.set_filter("e")
    model.sort(CONFIDENCE, Qt.SortOrder.DescendingOrder)
    model.update_records([rec(2, status="accepted", confidence=0.99), rec(40, "ship")])
    model.remove_records([1, 40])
    model.set_filter()
    assert model.record(QModelIndex()) is None
    assert not [r for r in qtlog.records if "FAIL" in r.message], tester


# A type with more records than a page exposes the first page, then more as the view nears them.


def people(count: int, start: int = 100) -> list[RecordInfo]:
    """``count`` person records labelled Name 000, Name 001, ... in arrival order."""
    return [rec(start + i, "person", f"Name {i:03d}") for i in range(count)]


def test_model_exposes_a_page_then_more(qtmodeltester: Any) -> None:
    model = RecordTreeModel(page_size=5)
    qtmodeltester.check(model, force_py=True)
    model.set_records(people(12), 1)
    group = model.index(0, 0)
    assert group.data() == "Person (12)"  # the type row counts every match
    assert (model.rowCount(group), model.unexposed(group), model.matches("person")) == (5, 7, 12)
    assert not model.index_of(105).isValid()  # row 5: not exposed yet
    model.show_more(group)
    assert model.rowCount(group) == 10  # as many again, at least a page
    model.show_more(group)
    assert (model.rowCount(group), model.unexposed(group)) == (12, 0)
    model.set_filter("name 01")
    assert labels(model, 0) == ["Name 010", "Name 011"]
    model.set_filter()
    assert model.rowCount(model.index(0, 0)) == 5  # a new filter starts from a page again
    assert model.reveal(108).row() == 8
    assert model.rowCount(model.index(0, 0)) == 9
    assert not model.reveal(99999).isValid()


def test_updates_beyond_the_exposed_rows(qtmodeltester: Any) -> None:
    model = RecordTreeModel(page_size=5)
    qtmodeltester.check(model, force_py=True)
    model.set_records(people(8), 1)
    model.update_records([rec(200, "person", "Late")])  # arrives last, after unexposed rows
    group = model.index(0, 0)
    assert (group.data(), model.rowCount(group)) == ("Person (9)", 5)
    model.sort(0)  # by label: Late, Name 000, ...
    assert labels(model, 0)[0] == "Late"
    model.update_records([rec(107, "person", "Aaron")])  # from the unexposed rows to the top
    assert labels(model, 0) == ["Aaron", "Late", "Name 000", "Name 001", "Name 002", "Name 003"]
    model.remove_records([107, 200, 100, 101])  # exposed rows go; the rest tops up to a page
    assert labels(model, 0) == ["Name 002", "Name 003", "Name 004", "Name 005", "Name 006"]
    model.remove_records([102, 103, 104, 105, 106])
    assert model.rowCount() == 0


def test_selected_record_stays_exposed(qtbot: QtBot) -> None:
    panel = RecordsPanel()
    qtbot.addWidget(panel)
    panel.model.page_size = 5
    panel.set_records(people(40), 1)
    assert panel.select_record(130)  # beyond the first page: exposed to be selected
    assert panel.current_record_id() == 130
    panel.filter.setText("name")  # a new filter exposes a page again, and the selection
    assert panel.selected_record_ids() == [130]
    assert panel.tree.currentIndex() == panel.model.index_of(130)
    panel.tree.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # now row 9
    panel.update_records([rec(130, "person", "Name (renamed)")])  # sorts last, still selected
    assert panel.selected_record_ids() == [130]
    assert panel.model.index_of(130).row() == panel.model.matches("person") - 1


def test_scrolling_exposes_more_rows(qtbot: QtBot) -> None:
    panel = RecordsPanel()
    qtbot.addWidget(panel)
    panel.model.page_size = 5
    panel.set_records(people(300), 1)
    panel.resize(400, 200)
    with qtbot.waitExposed(panel):
        panel.show()
    group = panel.model.index(0, 0)
    qtbot.waitUntil(lambda: panel.model.rowCount(group) > 5)  # the viewport is filled first
    exposed = panel.model.rowCount(group)
    assert exposed < 300
    bar = panel.tree.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: panel.model.rowCount(group) > exposed)
    panel.tree.collapse(group)  # a folded type exposes nothing more
    exposed = panel.model.rowCount(group)
    qtbot.waitUntil(lambda: not panel._more.isActive())  # the check the fold set off has run
    assert panel.model.rowCount(group) == exposed


def test_select_all_selects_unexposed_records(qtbot: QtBot) -> None:
    panel = RecordsPanel()
    qtbot.addWidget(panel)
    panel.model.page_size = 5
    panel.set_records([*people(30), rec(1, "place", "Kyiv")], 1)
    with qtbot.waitExposed(panel):
        panel.show()
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert sorted(panel.selected_record_ids()) == [1, *range(100, 130)]
