"""Fitting where the items are: one far-off event does not squeeze the rest; it is counted."""

from __future__ import annotations

from datetime import date

from workbench.timeline.extent import dense_extent, full_extent
from workbench.timeline.layout import build_lanes
from workbench.timeline.model import DateSpan, TimelineItem, make_item

TODAY = date(2026, 11, 23)


def day(iso: str) -> float:
    return float(date.fromisoformat(iso).toordinal())


def item(record_id: int, low: date, high: date) -> TimelineItem:
    return make_item(
        record_id=record_id,
        record_type="event",
        label=f"event {record_id}",
        status="accepted",
        date=DateSpan("", "", low, high),
        today=TODAY,
    )


def spread(count: int, first: str, last: str, start_id: int = 1) -> list[TimelineItem]:
    """``count`` one-day items evenly from ``first`` to ``last``."""
    low, high = date.fromisoformat(first), date.fromisoformat(last)
    step = (high - low) / max(1, count - 1)
    return [item(start_id + i, low + step * i, low + step * i) for i in range(count)]


def test_an_early_1990s_outlier_is_left_out_of_the_dense_extent() -> None:
    bulk = spread(60, "2022-02-01", "2024-06-30")
    nineties = item(900, date(1990, 1, 1), date(1993, 12, 31))
    items = [nineties, *bulk]
    assert full_extent(items) == (day("1990-01-01"), day("2024-07-01"))
    low, high = dense_extent(items) or (0.0, 0.0)
    assert (low, high) == (day("2022-02-01"), day("2024-07-01"))


def test_a_spread_out_timeline_is_fitted_whole() -> None:
    items = spread(40, "2000-01-01", "2024-12-31")
    assert dense_extent(items) == full_extent(items)
    few = [
        item(1, date(2022, 9, 1), date(2024, 5, 20)),
        item(2, date(2024, 8, 1), date(2024, 8, 31)),
    ]
    assert dense_extent(few) == (day("2022-09-01"), day("2024-09-01"))  # too few to leave any out
    assert dense_extent([]) is None and full_extent([]) is None


def test_the_fit_covers_the_full_extent_of_the_items_it_keeps() -> None:
    bulk = spread(30, "2023-01-01", "2023-12-31")
    long_one = item(99, date(2022, 10, 1), date(2024, 2, 28))  # its middle is in the bulk
    far = item(100, date(2010, 1, 1), date(2010, 1, 1))
    assert dense_extent([*bulk, long_one, far]) == (day("2022-10-01"), day("2024-02-29"))


def test_lanes_count_the_items_left_and_right_of_a_view() -> None:
    items = [*spread(10, "2023-01-01", "2023-01-10"), item(50, date(1991, 5, 1), date(1991, 5, 1))]
    items.append(item(51, date(2030, 1, 1), date(2030, 1, 31)))
    (lane,) = build_lanes(items, "event_type")
    view = (day("2023-01-03"), day("2023-01-08"))
    assert lane.outside(*view) == (3, 4)  # 1991, Jan 1 and 2; Jan 8, 9, 10 and 2030
    assert [i.record_id for i in lane.outside_items(-1, *view)] == [50, 1, 2]
    assert [i.record_id for i in lane.outside_items(1, *view)] == [8, 9, 10, 51]
    assert lane.outside(day("1900-01-01"), day("2100-01-01")) == (0, 0)
    straddling = item(60, date(2022, 12, 30), date(2023, 1, 5))
    lane.items.append(straddling)  # partly in view: not counted
    assert lane.outside(*view) == (3, 4)
