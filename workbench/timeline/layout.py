"""Lanes, stacking and aggregation: where each timeline item goes at a zoom level.

Items are grouped into lanes (by person, document, event type or place); an item linked to
two people is in both person lanes, as the same object. Within a lane, items stack into rows
so that none hides another: each goes into the first row where it fits after a small gap.
When a lane would need more than ``MAX_ROWS`` rows at this zoom, the items that do not fit
are counted per period of the axis unit (month, year, ...) and drawn as counts in an extra
row, instead of overdrawing; at the scale of days (``DAY_ROWS``), items stack far higher, so
that many events of one day can still be told apart. Rows are recomputed when the zoom
changes, never when panning.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from time import perf_counter

from workbench.domain import type_title
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Unit, unit_for

ROW_HEIGHT = 18.0
LANE_PAD = 5.0
MAX_ROWS = 6
DAY_ROWS = 40  # at the scale of days, items of one day stack this high before counting
MIN_ITEM_PX = 8.0  # narrower items (a day, far out) are drawn this wide, centred
GAP_PX = 3.0

LANE_MODES: dict[str, str] = {
    "event_type": "Event type",
    "person": "Person",
    "place": "Place",
    "document": "Document",
}
NONE_TITLES = {
    "person": "No person named",
    "place": "No place named",
    "document": "No passage",
    "event_type": "No type",
}


def lane_keys(item: TimelineItem, mode: str) -> list[tuple[str, str]]:
    """The lanes (key, title) an item belongs to under a lane mode."""
    if mode == "person":
        found = [(p, p) for p in item.persons]
    elif mode == "place":
        found = [(p, p) for p in item.places]
    elif mode == "document":
        found = [(str(doc_id), title) for doc_id, title in item.documents]
    elif mode == "event_type":
        found = [(item.kind, type_title(item.kind))]
    else:
        raise ValueError(f"unknown lane mode {mode!r} (known: {', '.join(LANE_MODES)})")
    return found or [("", NONE_TITLES[mode])]


@dataclass
class Lane:
    """One lane: a title and its items in time order."""

    key: str
    title: str
    items: list[TimelineItem] = field(default_factory=list)
    # sorted starts and ends, made on the first count (once the items are all in)
    _starts: list[float] = field(default_factory=list, init=False, repr=False, compare=False)
    _ends: list[float] = field(default_factory=list, init=False, repr=False, compare=False)

    def outside(self, start: float, end: float) -> tuple[int, int]:
        """How many items a view of ``[start, end)`` leaves out: those ending at or before
        ``start``, and those beginning at or after ``end`` (counted at its edges on every
        frame, so by bisection)."""
        if len(self._starts) != len(self.items):
            self._starts = sorted(i.start for i in self.items)
            self._ends = sorted(i.end for i in self.items)
        return bisect_right(self._ends, start), len(self._starts) - bisect_left(self._starts, end)

    def outside_items(self, side: int, start: float, end: float) -> list[TimelineItem]:
        """The items ``outside`` counts before the view (``side`` < 0) or after it."""
        if side < 0:
            return [i for i in self.items if i.end <= start]
        return [i for i in self.items if i.start >= end]


def build_lanes(items: Iterable[TimelineItem], mode: str) -> list[Lane]:
    """Non-empty lanes sorted by title (the "no ..." lane last), items by start."""
    lanes: dict[str, Lane] = {}
    for item in items:
        for key, title in lane_keys(item, mode):
            lane = lanes.get(key)
            if lane is None:
                lane = lanes[key] = Lane(key, title)
            lane.items.append(item)
    for lane in lanes.values():
        lane.items.sort(key=lambda i: (i.start, i.end, i.record_id))
    return sorted(lanes.values(), key=lambda lane: (lane.key == "", lane.title.casefold()))


@dataclass
class Row:
    """Items that follow each other without overlapping; ``lo``/``hi`` are drawn extents."""

    items: list[TimelineItem] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)

    def between(self, start: float, end: float) -> range:
        """Indexes of the items whose drawn extent meets ``[start, end)``."""
        return range(bisect_right(self.hi, start), bisect_left(self.lo, end))


@dataclass
class Bin:
    """Items of one lane and period that did not fit in the rows."""

    start: float
    end: float
    items: list[TimelineItem] = field(default_factory=list)


@dataclass
class LaneLayout:
    """A lane placed at a zoom level: its rows, its overflow counts and its height."""

    lane: Lane
    top: float
    rows: list[Row]
    bins: list[Bin]
    bin_starts: list[float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.bin_starts = [b.start for b in self.bins]

    @property
    def height(self) -> float:
        """Rows, the count row if any, and padding."""
        rows = max(1, len(self.rows)) + (1 if self.bins else 0)
        return rows * ROW_HEIGHT + 2 * LANE_PAD

    def row_top(self, row: int) -> float:
        """The y of a row (the count row is ``len(rows)``)."""
        return self.top + LANE_PAD + row * ROW_HEIGHT

    def bins_between(self, start: float, end: float) -> Sequence[Bin]:
        """The count bins meeting ``[start, end)``."""
        starts = self.bin_starts
        return self.bins[max(0, bisect_right(starts, start) - 1) : bisect_left(starts, end)]


def place_lane(lane: Lane, top: float, pixels_per_day: float, unit: Unit) -> LaneLayout:
    """Stack a lane's items into rows; count what does not fit per period of ``unit``.

    The hot loop of every zoom step, so written for speed: plain floats, local names, and
    periods found by bisection in the unit's boundaries rather than by calendar arithmetic.
    """
    rows: list[Row] = []
    ends: list[float] = []
    counted: dict[int, list[TimelineItem]] = {}
    gap = GAP_PX / pixels_per_day
    width = MIN_ITEM_PX / pixels_per_day
    half = width / 2
    max_rows = DAY_ROWS if unit.name == "day" else MAX_ROWS
    items = lane.items
    if not items:
        return LaneLayout(lane, top, rows, [])
    full = False  # all rows in use: then an item ending before the earliest row end is
    soonest = 0.0  # counted after one comparison instead of one per row
    for item in items:
        lo, hi = item.start, item.end
        if hi - lo < width:
            centre = (lo + hi) / 2
            lo, hi = centre - half, centre + half
        if full and lo < soonest:
            counted.setdefault(int(item.start), []).append(item)
            continue
        index = 0
        used = len(ends)
        while index < used and ends[index] > lo:
            index += 1
        if index == used:
            rows.append(Row())
            ends.append(0.0)
            full = used + 1 == max_rows
        row = rows[index]
        row.items.append(item)
        row.lo.append(lo)
        row.hi.append(hi)
        ends[index] = hi + gap
        if full:
            soonest = min(ends)
    return LaneLayout(lane, top, rows, _bins(counted, unit))


def _bins(counted: dict[int, list[TimelineItem]], unit: Unit) -> list[Bin]:
    """Group counted items (by start day) into the periods of ``unit``."""
    if not counted:
        return []
    days = sorted(counted)
    edges = [float(d.toordinal()) for d in unit.boundaries(days[0], days[-1])]
    bins: dict[int, Bin] = {}
    for day in days:
        i = bisect_right(edges, day) - 1
        found = bins.get(i)
        if found is None:
            high = edges[i + 1] if i + 1 < len(edges) else edges[i] + unit.mean_days
            found = bins[i] = Bin(edges[i], high)
        found.items.extend(counted[day])
    return [bins[i] for i in sorted(bins)]


@dataclass
class Hit:
    """What is under a point: an item, or a count of items that did not fit."""

    lane: LaneLayout
    item: TimelineItem | None = None
    bin: Bin | None = None


class TimelineLayout:
    """Every lane placed at one zoom level, top to bottom."""

    def __init__(
        self,
        lanes: Sequence[Lane],
        pixels_per_day: float,
        placed: list[LaneLayout] | None = None,
    ) -> None:
        """Place ``lanes`` (or take them ``placed`` already, from a ``LayoutBuilder``)."""
        self.pixels_per_day = pixels_per_day
        self.unit = unit_for(pixels_per_day)
        self._places: dict[int, list[tuple[LaneLayout, int]]] | None = None
        if placed is None:
            builder = LayoutBuilder(lanes, pixels_per_day)
            builder.place(math.inf)
            placed = builder.placed
        self.lanes = placed
        self.height = placed[-1].top + placed[-1].height if placed else 0.0

    def lanes_between(self, top: float, bottom: float) -> list[LaneLayout]:
        """Lanes meeting the vertical stretch ``[top, bottom)``."""
        return [lane for lane in self.lanes if lane.top < bottom and lane.top + lane.height > top]

    def hit(self, day: float, y: float, slack_px: float = 2.0) -> Hit | None:
        """The item or count under a point (``day`` along, ``y`` down the whole layout)."""
        slack = slack_px / self.pixels_per_day
        for lane in self.lanes_between(y, y + 1):
            index = int((y - lane.top - LANE_PAD) // ROW_HEIGHT)
            if 0 <= index < len(lane.rows):
                row = lane.rows[index]
                near = row.between(day - slack, day + slack)
                if near:
                    return Hit(lane, item=row.items[near.start])
            elif index == len(lane.rows) and lane.bins:
                for found in lane.bins_between(day, day + 1e-9):
                    if found.start <= day < found.end:
                        return Hit(lane, bin=found)
            return Hit(lane)
        return None

    def where(self, record_id: int) -> list[tuple[LaneLayout, int]]:
        """Every (lane, row) a record's item is drawn in; empty if it is only counted."""
        if self._places is None:
            self._places = {}
            for lane in self.lanes:
                for index, row in enumerate(lane.rows):
                    for item in row.items:
                        self._places.setdefault(item.record_id, []).append((lane, index))
        return self._places.get(record_id, [])


class LayoutBuilder:
    """Builds a layout lane by lane, so that a window can spread the work over several turns
    of its event loop instead of stalling one frame (20,000 items take 15-30 ms)."""

    def __init__(self, lanes: Sequence[Lane], pixels_per_day: float) -> None:
        self.pixels_per_day = pixels_per_day
        self._lanes = list(lanes)
        self._unit = unit_for(pixels_per_day)
        self.placed: list[LaneLayout] = []
        self._top = 0.0

    def place(self, budget_s: float) -> bool:
        """Place lanes for about ``budget_s`` seconds (at least one); whether all are placed."""
        deadline = perf_counter() + budget_s
        while len(self.placed) < len(self._lanes):
            lane = self._lanes[len(self.placed)]
            self.placed.append(place_lane(lane, self._top, self.pixels_per_day, self._unit))
            self._top += self.placed[-1].height
            if perf_counter() >= deadline:
                break
        return len(self.placed) == len(self._lanes)

    def step(self, budget_s: float) -> TimelineLayout | None:
        """``place`` for about ``budget_s`` seconds; the layout once every lane is placed."""
        if not self.place(budget_s):
            return None
        return TimelineLayout(self._lanes, self.pixels_per_day, self.placed)
