"""The timeline dock: placement, lanes, click-through, selection, filters, counts, export."""

from __future__ import annotations

import csv
import re
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QThreadPool
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from main import main as app_main
from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.main_window import MainWindow
from ui.timeline.canvas import TimelineCanvas, quantised
from ui.timeline.panel import TimelinePanel
from ui.timeline.render import HEADER_WIDTH
from workbench.domain import Span
from workbench.project import Project
from workbench.timeline.layout import MAX_ROWS, MIN_ITEM_PX
from workbench.timeline.model import DateSpan, Passage, TimelineItem, make_item

TODAY = date(2026, 11, 23)
PASSAGE = Passage(1, 1, "Kherson surgeon", 0, 12, "In late March")


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def dated(
    record_id: int, text: str, edtf: str, low: str | None, high: str | None, **kw: object
) -> TimelineItem:
    return make_item(
        record_id=record_id,
        record_type="event",
        label=str(kw.pop("label", text)),
        status=str(kw.pop("status", "accepted")),
        date=DateSpan(text, edtf, d(low) if low else None, d(high) if high else None),
        today=TODAY,
        passages=(PASSAGE,),
        **kw,  # type: ignore[arg-type]
    )


ITEMS = [
    dated(
        1,
        "May 4, 2024",
        "2024-05-04",
        "2024-05-04",
        "2024-05-04",
        persons=("Roman",),
        event_type="border_crossing",
    ),
    dated(
        2,
        "August 2024",
        "2024-08",
        "2024-08-01",
        "2024-08-31",
        persons=("Roman", "Aigerim"),
        event_type="detention",
    ),
    dated(
        3,
        "summer 2023",
        "2023-22",
        "2023-06-01",
        "2023-08-31",
        event_type="deployment",
        inferred=True,
        status="suggested",
    ),
    dated(
        4,
        "since the fall of 2022",
        "2022-23/..",
        "2022-09-01",
        "2024-05-20",
        event_type="desertion",
    ),
    dated(
        5,
        "late March",
        "2024-03-21/2024-03-31",
        "2024-03-21",
        "2024-03-31",
        event_type="injury",
        places=("Kupiansk",),
    ),
]


def shown_panel(
    qtbot: QtBot, items: list[TimelineItem], width: int = 900, height: int = 400
) -> TimelinePanel:
    """A timeline panel over ``items``, shown offscreen, once it has read them (the reading
    runs on a worker thread after the first paint)."""
    widget = TimelinePanel(lambda: list(items))
    widget.canvas.today = TODAY
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading and bool(widget.canvas.lanes()))
    return widget


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[TimelinePanel]:
    yield shown_panel(qtbot, ITEMS, 1200, 600)


def show_2022_to_2025(canvas: TimelineCanvas) -> None:
    canvas.fit(d("2022-01-01").toordinal(), d("2025-01-01").toordinal())


def x_of(canvas: TimelineCanvas, day: date) -> float:
    return canvas.frame().x(float(day.toordinal()))


def test_day_month_season_and_open_interval_are_drawn_between_their_bounds(
    panel: TimelinePanel,
) -> None:
    canvas = panel.canvas
    canvas.fit(d("2024-04-01").toordinal(), d("2024-06-01").toordinal())
    (day,) = canvas.item_rects(1)
    assert day.center().x() == pytest.approx(
        x_of(canvas, d("2024-05-04")) + canvas.view.pixels_per_day / 2
    )
    show_2022_to_2025(canvas)
    (month,) = canvas.item_rects(2)[:1]
    assert month.left() == pytest.approx(x_of(canvas, d("2024-08-01")))
    assert month.right() == pytest.approx(x_of(canvas, d("2024-09-01")))
    (season,) = canvas.item_rects(3)
    assert season.left() == pytest.approx(x_of(canvas, d("2023-06-01")))
    assert season.right() == pytest.approx(x_of(canvas, d("2023-09-01")))
    (since,) = canvas.item_rects(4)
    assert since.left() == pytest.approx(x_of(canvas, d("2022-09-01")))
    assert since.right() == pytest.approx(x_of(canvas, d("2024-05-21")))  # the published date
    (late,) = canvas.item_rects(5)
    assert late.left() == pytest.approx(x_of(canvas, d("2024-03-21")))
    assert late.width() == pytest.approx(max(11 * canvas.view.pixels_per_day, MIN_ITEM_PX))


def test_lanes_switch_and_an_item_with_two_people_is_in_both(panel: TimelinePanel) -> None:
    titles = [lane.title for lane in panel.canvas.lanes()]
    assert titles == ["Border crossing", "Deployment", "Desertion", "Detention", "Injury"]
    panel.set_lane_mode("person")
    assert [lane.title for lane in panel.canvas.lanes()] == ["Aigerim", "Roman", "No person named"]
    assert len(panel.canvas.item_rects(2)) == 2
    assert [lane.lane.items.__len__() for lane in panel.canvas.layout_now().lanes] == [1, 2, 3]
    panel.set_lane_mode("place")
    assert [lane.title for lane in panel.canvas.lanes()] == ["Kupiansk", "No place named"]


def test_hover_card_tells_phrase_edtf_bounds_document_and_quote(panel: TimelinePanel) -> None:
    canvas = panel.canvas
    show_2022_to_2025(canvas)
    (rect,) = canvas.item_rects(4)
    card = canvas.card_at(QPointF(rect.left() + 5, rect.center().y()))
    for words in ("since the fall of 2022", "2022-23/..", "since 2022-09-01", "Kherson surgeon",
                  "In late March"):  # fmt: skip
        assert words in card
    (inferred,) = canvas.item_rects(3)
    assert "inferred" in canvas.card_at(inferred.center())
    assert canvas.card_at(QPointF(HEADER_WIDTH + 2, 5)) == ""


def test_filters_and_the_suggestion_toggle_say_what_they_hide(panel: TimelinePanel) -> None:
    assert panel.state.text() == "Showing all 5 dated records"
    panel.event_type.setCurrentIndex(panel.event_type.findData("desertion"))
    assert [i.record_id for i in panel.shown_items()] == [4]
    assert "event type: desertion" in panel.state.text()
    panel.clear_filters()
    panel.person.setCurrentIndex(panel.person.findData("Roman"))
    assert {i.record_id for i in panel.shown_items()} == {1, 2}
    panel.clear_filters()
    panel.actions_["suggested"].trigger()
    assert 3 not in {i.record_id for i in panel.shown_items()}
    assert "status: accepted" in panel.state.text()
    panel.clear_filters()
    panel.date_from.setText("2024-04")
    panel.date_to.setText("2024")
    panel.date_to.editingFinished.emit()
    assert {i.record_id for i in panel.shown_items()} == {1, 2, 4}
    panel.date_from.setText("spring")
    panel.date_from.editingFinished.emit()
    assert "not a date" in panel.state.text()
    assert {i.record_id for i in panel.shown_items()} == {1, 2, 4}  # the last valid filter
    panel.clear_filters()
    assert len(panel.shown_items()) == 5 and not panel.clear.isEnabled()


def test_keys_zoom_pan_and_fit(panel: TimelinePanel, qtbot: QtBot) -> None:
    canvas = panel.canvas
    canvas.setFocus()
    zoom = canvas.view.pixels_per_day
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.view.pixels_per_day == pytest.approx(zoom * 1.25)
    start = canvas.view.start
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.view.start > start
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.view.start < d("2022-09-01").toordinal() < canvas.view.end
    assert canvas.view.end >= d("2024-09-01").toordinal()
    canvas.set_selected([1])
    qtbot.keyClick(canvas, Qt.Key.Key_F)
    assert canvas.view.end - canvas.view.start < 5


def test_clicking_selects_and_ctrl_adds(panel: TimelinePanel, qtbot: QtBot) -> None:
    canvas = panel.canvas
    show_2022_to_2025(canvas)
    with qtbot.waitSignal(panel.recordActivated) as activated:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                         pos=canvas.item_rects(4)[0].center().toPoint())  # fmt: skip
    assert activated.args == [4]
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier,
                     canvas.item_rects(3)[0].center().toPoint())  # fmt: skip
    assert canvas.selected() == [3, 4]
    empty = QPoint(int(HEADER_WIDTH) + 5, canvas.viewport().height() - 5)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert canvas.selected() == []


def test_dense_periods_show_counts_and_a_click_zooms_into_them(qtbot: QtBot) -> None:
    many = [dated(i, "March 5, 2024", "2024-03-05", "2024-03-05", "2024-03-05")
            for i in range(1, MAX_ROWS + 6)]  # fmt: skip
    widget = shown_panel(qtbot, many, 900, 400)
    canvas = widget.canvas
    canvas.fit(d("2023-01-01").toordinal(), d("2025-01-01").toordinal())
    lane = canvas.layout_now().lanes[0]
    assert len(lane.rows) == MAX_ROWS and len(lane.bins[0].items) == 5
    frame = canvas.frame()
    count = QPointF(frame.x(lane.bins[0].start + 1), frame.y(lane.row_top(MAX_ROWS)) + 6)
    assert "5 more items" in canvas.card_at(count)
    period = lane.bins[0]
    canvas.click_at(count)
    assert canvas.view.start <= period.start < period.end <= canvas.view.end
    assert canvas.view.end - canvas.view.start < 1.2 * (period.end - period.start)
    canvas.fit(d("2024-03-04").toordinal(), d("2024-03-07").toordinal())
    assert not canvas.layout_now().lanes[0].bins  # at the scale of days, every item has a row


def test_export_png_and_svg_of_the_requested_size(panel: TimelinePanel, tmp_path: Path) -> None:
    png, svg = tmp_path / "view.png", tmp_path / "view.svg"
    panel.export_view(png, 800, 400)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 400)
    assert len({image.pixel(x, 200) for x in range(0, 800, 4)}) > 3  # not a blank image
    panel.export_view(svg, 1000, 500)
    text = svg.read_text(encoding="utf-8")
    assert 'viewBox="0 0 1000 500"' in text and "Deployment" in text
    assert not list(tmp_path.glob(".*partial"))


# --- inside the window


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    for name, text in (
        ("first.txt", "🙂 Nothing dated here, only a 🇺🇦 flag.\n"),
        ("second.txt", "🙂🇺🇦 Ivan deserted in late March, his lawyer said.\n"),
    ):
        import_text(project, tmp_path, name, text, published="2024-05-20")
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading)
        yield win


def read(window: MainWindow, qtbot: QtBot) -> None:
    """Wait for the timeline's reading of every dated record (on a worker thread)."""
    assert window.timeline.loading
    qtbot.waitUntil(lambda: not window.timeline.loading)


def test_clicking_an_item_opens_its_document_at_the_passage_and_selects_the_record(
    window: MainWindow, qtbot: QtBot
) -> None:
    project = window.project
    second = project.documents.list()[1].id
    text = project.documents.text(second)
    start, end = text.index("Ivan"), text.index(",")
    result = project.review.annotate(second, start, end, "event")
    record = result.record_ids[0]
    project.review.edit(record, date_text="late March")
    window.refresh()
    read(window, qtbot)
    assert window.document_id != second
    timeline = window.timeline
    timeline.canvas.fit_all()
    (rect,) = timeline.canvas.item_rects(record)
    qtbot.mouseClick(timeline.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center().toPoint())  # fmt: skip
    assert window.document_id == second
    assert window.document_view.selected_span(snap=False) == Span(start, end)
    assert window.records_panel.current_record_id() == record
    # selecting elsewhere highlights it on the timeline
    window.records_panel.tree.clearSelection()
    assert timeline.canvas.selected() == []
    window.records_panel.select_record(record)
    assert timeline.canvas.selected() == [record]
    # a record whose date is removed leaves the timeline
    project.review.edit(record, date_text="")
    window.refresh()
    read(window, qtbot)
    assert timeline.canvas.item_rects(record) == []


def test_cli_draws_the_timeline_as_png_and_svg(
    window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = window.project
    doc = project.documents.list()[1].id
    text = project.documents.text(doc)
    record = project.review.annotate(doc, text.index("Ivan"), text.index(","), "event")
    project.review.edit(record.record_ids[0], date_text="late March")
    common = ["--project", str(project.path), "export", "timeline"]
    assert app_main([*common, "--format", "csv", "--output", str(tmp_path / "t.csv")]) == 1
    assert "is open in Testimony Workbench" in capsys.readouterr().err  # the window owns it
    project.close()
    png = tmp_path / "timeline.png"
    assert app_main([*common, "--format", "png", "--output", str(png),
                     "--width", "700", "--height", "420", "--lanes", "document"]) == 0  # fmt: skip
    assert QImage(str(png)).width() == 700 and QImage(str(png)).height() >= 420
    svg = tmp_path / "timeline.svg"
    assert app_main([*common, "--format", "svg", "--output", str(svg)]) == 0
    drawn = svg.read_text(encoding="utf-8")
    assert re.search(r'viewBox="0 0 1600 900"', drawn)  # the height asked is enough here
    assert "Showing all 1 dated records" in drawn and "Colours name the event type" in drawn
    assert "drew 1 dated record(s)" in capsys.readouterr().err
    assert app_main([*common, "--format", "png", "--output", str(png)]) == 1
    assert capsys.readouterr().err.endswith("exists; choose another name or replace it\n")
    assert app_main([*common, "--format", "png", "--output", str(png), "--width", "5",
                     "--force"]) == 1  # fmt: skip
    assert "width must be between" in capsys.readouterr().err
    out = tmp_path / "records.png"
    assert app_main(["--project", str(project.path), "export", "records", "--format", "png",
                     "--output", str(out)]) == 1  # fmt: skip
    assert "only the timeline" in capsys.readouterr().err and not out.exists()
    table = tmp_path / "timeline.csv"
    assert app_main([*common, "--format", "csv", "--output", str(table)]) == 0
    with table.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["date_text"], row["date_earliest"], row["date_latest"]) == (
        "late March", "2024-03-21", "2024-03-31")  # fmt: skip


def test_review_steps_update_only_the_records_they_touch(window: MainWindow) -> None:
    project = window.project
    second = project.documents.list()[1].id
    window.document_list.select_document(second)
    text = project.documents.text(second)
    made = window.run_step(
        "Annotate",
        lambda: project.review.annotate(second, text.index("Ivan"), text.index(","), "event"),
    )
    assert made is not None
    record = made.record_ids[0]
    assert window.timeline.shown_items() == []  # not dated yet
    window.run_step("Edit", lambda: project.review.edit(record, date_text="late March"))
    (item,) = window.timeline.shown_items()
    assert (item.record_id, item.status, item.date.text) == (record, "accepted", "late March")
    window.records_panel.select_record(record)
    window.records_panel.tree.setFocus()  # R acts on the panel's selection while it has focus
    window.set_status("rejected")
    assert window.timeline.shown_items() == []
    window.undo_stack.undo()
    assert [i.record_id for i in window.timeline.shown_items()] == [record]
    window.undo_stack.undo()  # the date edit
    assert window.timeline.shown_items() == []


def test_a_merged_event_with_two_dates_shows_both_and_flags_the_conflict(qtbot: QtBot) -> None:
    april = DateSpan("April 2024", "2024-04", d("2024-04-01"), d("2024-04-30"), "they left")
    merged = dated(9, "late March", "2024-03-21/2024-03-31", "2024-03-21", "2024-03-31",
                   alternatives=(april,))  # fmt: skip
    widget = shown_panel(qtbot, [merged], 900, 300)
    canvas = widget.canvas
    canvas.fit(d("2024-03-01").toordinal(), d("2024-05-15").toordinal())
    (rect,) = canvas.item_rects(9)
    assert rect.left() == pytest.approx(x_of(canvas, d("2024-03-21")))
    assert rect.right() == pytest.approx(x_of(canvas, d("2024-05-01")))  # both readings
    card = canvas.card_at(rect.center())
    assert "Sources disagree" in card and "April 2024" in card and "they left" in card


def test_a_renamed_document_is_renamed_on_the_timeline(window: MainWindow, qtbot: QtBot) -> None:
    project = window.project
    doc = project.documents.list()[1].id
    text = project.documents.text(doc)
    record = project.review.annotate(doc, text.index("Ivan"), text.index(","), "event")
    project.review.edit(record.record_ids[0], date_text="late March")
    window.refresh()
    read(window, qtbot)
    window.timeline.set_lane_mode("document")
    window.document_actions.apply_metadata([doc], {"title": "Lawyer's statement"})
    read(window, qtbot)
    assert [lane.title for lane in window.timeline.canvas.lanes()] == ["Lawyer's statement"]
    window.undo_stack.undo()
    read(window, qtbot)
    assert [lane.title for lane in window.timeline.canvas.lanes()] == ["second"]


def test_rows_are_recomputed_once_zooming_pauses(qtbot: QtBot) -> None:
    many = [dated(i, "day", "", f"2024-0{1 + i % 9}-1{i % 10}", f"2024-0{1 + i % 9}-1{i % 10}")
            for i in range(1, 400)]  # fmt: skip
    widget = shown_panel(qtbot, many, 900, 400)
    canvas = widget.canvas
    canvas.fit(d("2024-01-01").toordinal(), d("2024-10-01").toordinal())
    canvas.layout_now()
    for _ in range(6):
        canvas.zoom_by(0.8)  # zooming out: the rows of the closer zoom stay meanwhile
    target = quantised(canvas.view.pixels_per_day)
    assert canvas.frame(settled=False).layout.pixels_per_day != target
    canvas.viewport().repaint()
    assert canvas.drawn < len(many)  # overlapping items of the old rows are not drawn
    qtbot.waitUntil(lambda: canvas.frame(settled=False).layout.pixels_per_day == target)


def test_reading_runs_off_the_ui_thread_and_a_failure_is_said(qtbot: QtBot) -> None:
    started = threading.Event()

    def slow() -> list[TimelineItem]:
        started.set()
        assert threading.current_thread() is not threading.main_thread()
        time.sleep(0.3)
        return list(ITEMS)

    widget = TimelinePanel(slow)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.loading and widget.canvas.loading  # the window paints meanwhile
    started.wait(5)
    qtbot.waitUntil(lambda: not widget.loading)
    assert len(widget.shown_items()) == len(ITEMS)

    def broken() -> list[TimelineItem]:
        raise OSError("disk I/O error")

    failing = TimelinePanel(broken)
    qtbot.addWidget(failing)
    failing.show()
    qtbot.waitUntil(lambda: not failing.loading)
    assert "could not be read: disk I/O error" in failing.state.text()
    assert not failing.canvas.loading


def test_closing_the_panel_while_it_reads_is_harmless(qtbot: QtBot) -> None:
    finished = threading.Event()

    def slow() -> list[TimelineItem]:
        time.sleep(0.2)
        finished.set()
        return list(ITEMS)

    widget = TimelinePanel(slow)
    widget.show()
    assert widget.loading
    with qtbot.captureExceptions() as errors, qtbot.waitSignal(widget.destroyed):
        widget.deleteLater()
        assert finished.wait(5)
        assert QThreadPool.globalInstance().waitForDone(5000)  # the result was sent
    assert errors == []  # ... to a panel now gone: dropped, without an error


def test_fitting_shows_the_rows_of_the_new_zoom_at_once(panel: TimelinePanel) -> None:
    canvas = panel.canvas
    canvas.fit(d("2024-03-01").toordinal(), d("2024-03-31").toordinal())
    assert canvas.frame(settled=False).layout.pixels_per_day == quantised(
        canvas.view.pixels_per_day
    )
