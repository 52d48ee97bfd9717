"""Records without a year ("March 10" in an undated document) are listed under the lanes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from tests.ui.test_timeline import ITEMS, TODAY, shown_panel
from ui.main_window import MainWindow
from ui.timeline.panel import TimelinePanel
from workbench.domain import Span
from workbench.project import Project
from workbench.timeline.model import DateSpan, Passage, TimelineItem, make_item, sort_key


def year_unknown(record_id: int, text: str, edtf: str, document: int, **kw: str) -> TimelineItem:
    return make_item(
        record_id=record_id,
        record_type="event",
        label=kw.get("label", f"Crossed the border ({text})"),
        status="accepted",
        date=DateSpan(text, edtf, None, None),
        today=TODAY,
        event_type=kw.get("event_type", "border_crossing"),
        passages=(Passage(100 + record_id, document, f"Undated {document}", 0, 5, "quote"),),
    )


UNKNOWN = [
    year_unknown(21, "late May", "XXXX-05-21/XXXX-05-31", 7),
    year_unknown(22, "March 10", "XXXX-03-10", 7),
    year_unknown(23, "in March", "XXXX-03", 8, event_type="detention"),
]


@pytest.fixture
def panel(qtbot: QtBot) -> TimelinePanel:
    return shown_panel(qtbot, sorted([*ITEMS, *UNKNOWN], key=sort_key), 1100, 420)


def test_they_are_listed_with_a_count_in_month_order_and_summed_up(panel: TimelinePanel) -> None:
    strip = panel.year_unknown
    assert strip.isVisible() and strip.title.text() == "Year unknown (3)"
    assert strip.record_ids() == [23, 22, 21]  # March, March 10, late May
    assert strip.list.item(1).text() == "March 10 · Crossed the border (March 10)"
    assert panel.state.text() == (
        "5 dated, 3 without a year — set the published date of 2 documents"
    )
    # none of them is drawn on the axis, and they do not move the fit
    assert all(panel.canvas.item_rects(i.record_id) == [] for i in UNKNOWN)
    assert len(panel.shown_items()) == len(ITEMS)
    assert panel.canvas.view.start > TODAY.replace(year=2020).toordinal()


def test_filters_apply_to_them_and_a_date_range_leaves_them_out(panel: TimelinePanel) -> None:
    panel.event_type.setCurrentIndex(panel.event_type.findData("detention"))
    assert [i.record_id for i in panel.year_unknown_items()] == [23]
    assert panel.year_unknown.title.text() == "Year unknown (1 of 3)"
    assert panel.state.text().startswith("Showing 1 of 5 dated, 1 of 3 without a year — "
                                         "set the published date of 1 document — ")  # fmt: skip
    panel.clear_filters()
    panel.date_from.setText("2024")
    panel.date_from.editingFinished.emit()
    assert panel.year_unknown_items() == [] and panel.year_unknown.isVisible()
    assert panel.year_unknown.title.text() == "Year unknown (0 of 3)"


def test_the_strip_is_drawn_and_hidden_when_there_are_none(
    panel: TimelinePanel, qtbot: QtBot
) -> None:
    image = panel.grab().toImage()
    strip = panel.year_unknown.geometry()
    assert strip.height() > 10 and strip.bottom() < panel.state.geometry().top()
    first = panel.year_unknown.list.visualItemRect(panel.year_unknown.list.item(0))
    where = panel.year_unknown.list.viewport().mapTo(panel, first.topLeft())
    row = [image.pixelColor(where.x() + x, where.y() + first.height() // 2) for x in range(60)]
    assert len({c.name() for c in row}) > 2  # a colour square and text, not an empty row
    plain = shown_panel(qtbot, list(ITEMS), 900, 300)
    assert not plain.year_unknown.isVisible()
    assert plain.state.text() == "Showing all 5 dated records"


def test_clicking_one_activates_its_record(panel: TimelinePanel, qtbot: QtBot) -> None:
    view = panel.year_unknown.list
    rect = view.visualItemRect(view.item(1))
    with qtbot.waitSignal(panel.recordActivated) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [22]
    panel.set_selected([21])
    assert [e.data(Qt.ItemDataRole.UserRole) for e in view.selectedItems()] == [21]


def test_labels_are_shown_as_written(qtbot: QtBot) -> None:
    hostile = "<b>Ivan</b> <img src='file:///etc/passwd'>"
    crafted = year_unknown(30, "March 10", "XXXX-03-10", 7, label=hostile)
    widget = shown_panel(qtbot, [*ITEMS, crafted], 900, 300)
    entry = widget.year_unknown.list.item(0)
    assert entry.text() == f"March 10 · {hostile}"
    tip = entry.toolTip()
    assert "<img" not in tip and "&lt;img src=" in tip and "year unknown" in tip


# --- in the window, over a project


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    import_text(project, tmp_path, "dated.txt", "Pavel deserted on May 4, 2024.\n",
                published="2024-05-20")  # fmt: skip
    import_text(project, tmp_path, "undated.txt", "Ivan crossed the border on March 10.\n")
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading)
        yield win


def test_a_year_less_date_in_an_undated_document_is_listed_and_opens_its_passage(
    window: MainWindow, qtbot: QtBot
) -> None:
    project = window.project
    dated, undated = project.documents.list()
    text = project.documents.text(undated.id)
    start, end = text.index("Ivan"), text.index(" on")
    record = window.run_step(
        "Annotate", lambda: project.review.annotate(undated.id, start, end, "event")
    )
    assert record is not None
    window.run_step("Edit", lambda: project.review.edit(record.record_ids[0], date_text="March 10"))
    strip = window.timeline.year_unknown
    assert strip.record_ids() == list(record.record_ids) and strip.isVisible()
    assert "1 without a year — set the published date of 1 document" in window.timeline.state.text()
    window.document_list.select_document(dated.id)
    view = strip.list
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(0)).center())  # fmt: skip
    assert window.document_id == undated.id
    assert window.document_view.selected_span(snap=False) == Span(start, end)
    assert window.records_panel.current_record_id() == record.record_ids[0]
    # as the summary says: once its document has a published date, it is placed on the axis
    window.run_step(
        "Edit document metadata",
        lambda: project.documents.update_metadata(
            [undated.id], redate_accepted=True, published="2024-05-20"
        ),
    )
    qtbot.waitUntil(lambda: not window.timeline.loading and not strip.isVisible())
    (placed,) = [i for i in window.timeline.shown_items() if i.record_id == record.record_ids[0]]
    assert (placed.date.edtf, placed.year_unknown) == ("2024-03-10", False)
