"""Timeline core: item bounds, the adaptive axis, lanes, stacking, counts, filters, service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workbench.project import Project
from workbench.services.documents import ImportOptions
from workbench.timeline.filters import TimelineFilter
from workbench.timeline.layout import (
    MAX_ROWS,
    LayoutBuilder,
    TimelineLayout,
    build_lanes,
    lane_keys,
)
from workbench.timeline.model import OPEN_REACH, DateSpan, Passage, TimelineItem, make_item
from workbench.timeline.scale import Viewport, ticks, unit_for

TODAY = date(2026, 11, 23)


def day(iso: str) -> float:
    return float(date.fromisoformat(iso).toordinal())


def span(edtf: str, low: str | None, high: str | None, text: str = "") -> DateSpan:
    return DateSpan(
        text or edtf,
        edtf,
        date.fromisoformat(low) if low else None,
        date.fromisoformat(high) if high else None,
    )


def item(
    record_id: int,
    low: str | None,
    high: str | None,
    edtf: str = "",
    **kw: object,
) -> TimelineItem:
    return make_item(
        record_id=record_id,
        record_type=str(kw.pop("record_type", "event")),
        label=str(kw.pop("label", f"event {record_id}")),
        status=str(kw.pop("status", "accepted")),
        date=span(edtf or f"{low}/{high}", low, high),
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )


# --- where items are drawn


def test_a_day_is_one_day_wide_and_a_point() -> None:
    d = span("2024-05-04", "2024-05-04", "2024-05-04")
    assert d.is_day
    assert d.days(TODAY) == (day("2024-05-04"), day("2024-05-05"))


def test_a_month_and_late_march_cover_their_days() -> None:
    august = span("2024-08", "2024-08-01", "2024-08-31")
    assert not august.is_day
    assert august.days(TODAY) == (day("2024-08-01"), day("2024-09-01"))
    late_march = span("2024-03-21/2024-03-31", "2024-03-21", "2024-03-31", "late March")
    assert late_march.days(TODAY) == (day("2024-03-21"), day("2024-04-01"))


def test_open_intervals_reach_the_published_date_or_today_and_say_so() -> None:
    since = span("2022-23/..", "2022-09-01", "2024-05-20", "since the fall of 2022")
    assert since.open_end and not since.open_start
    assert since.days(TODAY) == (day("2022-09-01"), day("2024-05-21"))
    assert "since 2022-09-01" in since.describe()
    unbounded = span("2020/..", "2020-01-01", None)
    assert unbounded.days(TODAY) == (day("2020-01-01"), TODAY.toordinal() + 1.0)
    until = span("../2023-05", None, "2023-05-31", "until May 2023")
    assert until.open_start and not until.open_end
    assert until.days(TODAY) == (day("2023-06-01") - OPEN_REACH, day("2023-06-01"))
    assert until.describe() == "until 2023-05-31"


def test_an_item_spans_every_reading_and_flags_differing_ones() -> None:
    other = span("2024-04", "2024-04-01", "2024-04-30")
    merged = item(1, "2024-03-01", "2024-03-31", alternatives=(other,))
    assert merged.conflict
    assert (merged.start, merged.end) == (day("2024-03-01"), day("2024-05-01"))
    same = span("March 2024", "2024-03-01", "2024-03-31")
    assert not item(2, "2024-03-01", "2024-03-31", alternatives=(same,)).conflict


# --- the axis


@pytest.mark.parametrize(
    ("pixels_per_day", "unit"),
    [(100.0, "day"), (12.0, "week"), (3.0, "month"), (0.3, "year"), (0.02, "10 years")],
)
def test_ticks_adapt_to_the_zoom(pixels_per_day: float, unit: str) -> None:
    assert unit_for(pixels_per_day).name == unit


def test_month_ticks_are_first_days_and_january_is_a_major_tick_with_the_year() -> None:
    unit, found = ticks(day("2023-11-15"), day("2024-03-10"), 3.0)
    assert unit.name == "month"
    assert [t.label for t in found][:5] == ["Nov", "Dec", "2024", "Feb", "Mar"]
    assert [t.major for t in found][:3] == [False, False, True]
    assert found[0].day == day("2023-11-01")


def test_the_viewport_zooms_around_the_anchor_and_fits_a_range() -> None:
    view = Viewport(start=day("2024-01-01"), pixels_per_day=2.0, width=800)
    anchor = view.day(300)
    view.zoom(4.0, 300)
    assert view.pixels_per_day == 8.0
    assert view.day(300) == pytest.approx(anchor)
    view.fit(day("2020-01-01"), day("2021-01-01"))
    assert view.start < day("2020-01-01") and view.end > day("2021-01-01")
    assert view.end - view.start < 366 * 1.2
    before = view.x(day("2020-01-01"))
    view.pan(80)
    assert view.x(day("2020-01-01")) == pytest.approx(before - 80)


# --- lanes, stacking and counts


def test_an_item_with_two_people_is_in_both_person_lanes_as_the_same_object() -> None:
    both = item(1, "2024-03-01", "2024-03-31", persons=("Ivan", "Olena"))
    alone = item(2, "2024-04-01", "2024-04-30")
    lanes = build_lanes([both, alone], "person")
    assert [lane.title for lane in lanes] == ["Ivan", "Olena", "No person named"]
    assert lanes[0].items[0] is lanes[1].items[0]
    assert lane_keys(alone, "event_type") == [("event", "Event")]
    with pytest.raises(ValueError, match="unknown lane mode"):
        lane_keys(alone, "colour")


def test_overlapping_items_stack_and_separate_ones_share_a_row() -> None:
    items = [
        item(1, "2024-03-01", "2024-03-31"),
        item(2, "2024-03-10", "2024-04-10"),
        item(3, "2024-03-20", "2024-03-20"),
        item(4, "2024-06-01", "2024-06-30"),
    ]
    layout = TimelineLayout(build_lanes(items, "event_type"), pixels_per_day=2.0)
    rows = layout.lanes[0].rows
    assert [[i.record_id for i in row.items] for row in rows] == [[1, 4], [2], [3]]
    assert layout.where(3) == [(layout.lanes[0], 2)]
    lane = layout.lanes[0]
    hit = layout.hit(day("2024-03-20") + 0.5, lane.row_top(2) + 5)
    assert hit is not None and hit.item is items[2]
    assert layout.hit(day("2024-05-15"), lane.row_top(0) + 5).item is None  # type: ignore[union-attr]


def test_dense_lanes_count_what_does_not_fit_per_period() -> None:
    many = [item(i, "2024-03-05", "2024-03-05") for i in range(MAX_ROWS + 4)]
    layout = TimelineLayout(build_lanes(many, "event_type"), pixels_per_day=3.0)
    lane = layout.lanes[0]
    assert len(lane.rows) == MAX_ROWS
    assert len(lane.bins) == 1
    assert len(lane.bins[0].items) == 4
    assert (lane.bins[0].start, lane.bins[0].end) == (day("2024-03-01"), day("2024-04-01"))
    hit = layout.hit(day("2024-03-20"), lane.row_top(MAX_ROWS) + 5)
    assert hit is not None and hit.bin is lane.bins[0]
    # zoomed in far enough, every item gets its own place again
    wide = TimelineLayout(build_lanes(many[:3], "event_type"), pixels_per_day=3.0)
    assert not wide.lanes[0].bins
    assert layout.lanes[0].height > wide.lanes[0].height


# --- filters


def test_filters_by_each_part_and_describe_themselves() -> None:
    passage = Passage(10, 7, "Kherson surgeon", 0, 5, "quote")
    one = item(1, "2022-03-01", "2022-03-31", persons=("Ivan",), passages=(passage,),
               event_type="desertion")  # fmt: skip
    two = item(2, "2024-01-01", "2024-01-31", status="suggested", record_type="figure")
    assert TimelineFilter().matches(one) and TimelineFilter().matches(two)
    assert not TimelineFilter().matches(item(3, "2024-01-01", "2024-01-01", status="rejected"))
    accepted_only = TimelineFilter(statuses=frozenset({"accepted"}))
    assert not accepted_only.matches(two) and accepted_only.matches(one)
    only = TimelineFilter(
        record_types=frozenset({"event"}),
        event_types=frozenset({"desertion"}),
        document_ids=frozenset({7}),
        persons=frozenset({"Ivan"}),
        date_from=date(2022, 3, 31),
        date_to=date(2022, 12, 31),
    )
    assert only.matches(one) and not only.matches(two)
    assert not TimelineFilter(date_from=date(2022, 4, 1)).matches(one)
    assert not TimelineFilter(date_to=date(2022, 2, 28)).matches(one)
    assert TimelineFilter().describe() == ""
    words = only.describe({7: "Kherson surgeon"})
    assert "event type: desertion" in words and "document: Kherson surgeon" in words
    assert "person: Ivan" in words and "2022-03-31 – 2022-12-31" in words


# --- the service


@pytest.fixture
def dated(project: Project, tmp_path: Path) -> tuple[Project, int]:
    path = tmp_path / "doc.txt"
    path.write_text(
        "🙂 The unit left in late March. A second source: they left in April 2022.\n",
        encoding="utf-8",
    )
    info, _ = project.documents.import_file(path, ImportOptions(published="2022-06-01"))
    return project, info.id


def test_the_service_lists_dated_records_in_order_with_their_passages(
    dated: tuple[Project, int],
) -> None:
    project, doc = dated
    text = project.documents.text(doc)
    start = text.index("The unit")
    first = project.review.annotate(doc, start, start + 30, "event").record_ids[0]
    project.review.edit(first, date_text="late March")
    second = project.review.annotate(doc, text.index("they left"), len(text) - 2, "event")
    project.review.edit(second.record_ids[0], date_text="April 2022")
    undated = project.review.annotate(doc, text.index("A second"), text.index(":"), "event")
    items = project.timeline.items(today=TODAY)
    assert [i.record_id for i in items] == [first, second.record_ids[0]]
    march = items[0]
    assert (march.date.earliest, march.date.latest) == (date(2022, 3, 21), date(2022, 3, 31))
    assert march.inferred is False
    assert march.passages[0].quote == text[start : start + 30]
    assert march.passages[0].start == start  # code points: the emoji counts once
    assert march.documents == ((doc, "doc"),)
    assert undated.record_ids[0] not in {i.record_id for i in items}
    project.review.set_status([first], "rejected")
    assert [i.record_id for i in project.timeline.items(today=TODAY)] == [second.record_ids[0]]
    assert len(project.timeline.items(include_rejected=True, today=TODAY)) == 2


def test_merging_events_with_different_dates_keeps_both_and_flags_a_conflict(
    dated: tuple[Project, int],
) -> None:
    project, doc = dated
    text = project.documents.text(doc)
    first = project.review.annotate(doc, text.index("The unit"), text.index("."), "event")
    project.review.edit(first.record_ids[0], date_text="late March")
    second = project.review.annotate(doc, text.index("they left"), len(text) - 2, "event")
    project.review.edit(second.record_ids[0], date_text="April 2022")
    merge = project.review.merge(first.record_ids[0], [second.record_ids[0]])
    (merged,) = project.timeline.items(today=TODAY)
    assert merged.conflict
    assert merged.alternatives[0].text == "April 2022"
    assert merged.alternatives[0].source == "they left in April 2022"
    assert (merged.start, merged.end) == (day("2022-03-21"), day("2022-05-01"))
    assert len(merged.passages) == 2
    project.steps.restore(merge.before)
    assert not any(i.conflict for i in project.timeline.items(today=TODAY))


def test_an_undated_record_takes_the_date_of_the_record_merged_into_it(
    dated: tuple[Project, int],
) -> None:
    project, doc = dated
    text = project.documents.text(doc)
    undated = project.review.annotate(doc, text.index("A second"), text.index(":"), "event")
    dated_one = project.review.annotate(doc, text.index("they left"), len(text) - 2, "event")
    project.review.edit(dated_one.record_ids[0], date_text="April 2022")
    project.review.merge(undated.record_ids[0], [dated_one.record_ids[0]])
    (merged,) = project.timeline.items(today=TODAY)
    assert merged.record_id == undated.record_ids[0]
    assert merged.date.text == "April 2022" and not merged.conflict


def test_a_layout_built_in_slices_is_the_layout_built_at_once() -> None:
    many = [item(i, f"2024-0{1 + i % 9}-0{1 + i % 7}", f"2024-0{1 + i % 9}-2{i % 8}",
                 persons=(f"P{i % 5}",)) for i in range(300)]  # fmt: skip
    lanes = build_lanes(many, "person")
    whole = TimelineLayout(lanes, 1.0)
    builder = LayoutBuilder(lanes, 1.0)
    steps = 0
    while (sliced := builder.step(0.0)) is None:  # one lane per step
        steps += 1
    assert steps == len(lanes) - 1
    assert sliced.height == whole.height
    shape = [[[i.record_id for i in row.items] for row in lane.rows] for lane in whole.lanes]
    assert [
        [[i.record_id for i in row.items] for row in lane.rows] for lane in sliced.lanes
    ] == shape


def test_long_event_labels_are_drawn_as_type_people_and_place() -> None:
    long = "Roman Tikhonov, 27, a former lorry driver from the Orenburg region, crossed into"
    crossing = item(1, "2024-05-04", "2024-05-04", label=long, event_type="border_crossing",
                    persons=("Roman Tikhonov",), places=("Kazakhstan",))  # fmt: skip
    assert crossing.title == "Border crossing · Roman Tikhonov · Kazakhstan"
    assert item(2, "2024-05-04", "2024-05-04", label="Short label").title == "Short label"
    assert item(3, "2024-05-04", "2024-05-04", label=long).title == long  # nobody named
