"""The time axis: which calendar unit to tick at a zoom level, and where the ticks fall.

Ticks adapt to the zoom (centuries → decades → years → quarters → months → weeks → days): the
finest unit whose ticks stay at least ``MIN_TICK_PX`` apart is chosen. Ticks on a boundary
of the next coarser unit are major and say more ("2023" among months, "Mar 2023" among days).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.extraction.dates_calendar import add_months

MIN_TICK_PX = 64.0
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FIRST_DAY = date(1, 1, 1).toordinal()
LAST_DAY = date(9999, 12, 31).toordinal()


def to_date(day: float) -> date:
    """The calendar date of a day number, clamped to the calendar."""
    return date.fromordinal(int(min(max(day, FIRST_DAY), LAST_DAY)))


@dataclass(frozen=True)
class Unit:
    """A calendar unit the axis can tick at."""

    name: str
    mean_days: float
    floor: Callable[[date], date]
    step: Callable[[date], date]
    label: Callable[[date], str]

    def boundaries(self, start_day: float, end_day: float) -> list[date]:
        """The unit boundaries from the one at or before ``start_day`` to past ``end_day``."""
        current = self.floor(to_date(start_day))
        found = [current]
        while current.toordinal() <= end_day and current.year < 9999:
            current = self.step(current)
            found.append(current)
        return found


def _years(n: int, label: Callable[[date], str]) -> Unit:
    def floor(d: date) -> date:
        return date(max(1, d.year - d.year % n), 1, 1)

    def step(d: date) -> date:
        return date(min(9999, d.year + n), 1, 1)

    return Unit(f"{n} years" if n > 1 else "year", 365.2425 * n, floor, step, label)


def _months(n: int, name: str, label: Callable[[date], str]) -> Unit:
    def floor(d: date) -> date:
        return date(d.year, d.month - (d.month - 1) % n, 1)

    def step(d: date) -> date:
        return add_months(d, n)

    return Unit(name, 30.436875 * n, floor, step, label)


def _days(n: int, name: str, label: Callable[[date], str]) -> Unit:
    def floor(d: date) -> date:
        ordinal = d.toordinal()
        return date.fromordinal(ordinal - (ordinal - 1) % n)  # weeks start on Mondays

    def step(d: date) -> date:
        return d + timedelta(days=n)

    return Unit(name, float(n), floor, step, label)


def _day_label(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


UNITS: tuple[Unit, ...] = (
    _days(1, "day", _day_label),
    _days(7, "week", _day_label),
    _months(1, "month", lambda d: MONTHS[d.month - 1]),
    _months(3, "quarter", lambda d: f"Q{(d.month - 1) // 3 + 1}"),
    _years(1, lambda d: str(d.year)),
    _years(5, lambda d: str(d.year)),
    _years(10, lambda d: f"{d.year}s"),
    _years(50, lambda d: str(d.year)),
    _years(100, lambda d: str(d.year)),
)


def unit_for(pixels_per_day: float, min_px: float = MIN_TICK_PX) -> Unit:
    """The finest unit whose ticks are at least ``min_px`` apart."""
    for unit in UNITS:
        if unit.mean_days * pixels_per_day >= min_px:
            return unit
    return UNITS[-1]


MAJOR = {"day": "month", "week": "month", "month": "year", "quarter": "year",
         "year": "10 years", "5 years": "10 years", "10 years": "100 years",
         "50 years": "100 years"}  # fmt: skip


def major_unit(unit: Unit) -> Unit | None:
    """The unit whose periods make major ticks among ``unit``'s (months among days...)."""
    name = MAJOR.get(unit.name)
    return next((u for u in UNITS if u.name == name), None)


@dataclass(frozen=True)
class Tick:
    """One tick of the axis."""

    day: float
    label: str
    major: bool


def ticks(start_day: float, end_day: float, pixels_per_day: float) -> tuple[Unit, list[Tick]]:
    """The unit and the ticks between two day numbers at a zoom level.

    A tick is major when it is the first of a new major period (the first day or week of a
    month, January among months, a decade among years); major ticks name the larger period.
    """
    unit = unit_for(pixels_per_day)
    parent = major_unit(unit)
    found = []
    previous: date | None = None
    for d in unit.boundaries(start_day, end_day):
        major = False
        if parent is not None:
            period = parent.floor(d)
            major = period == d or (previous is not None and parent.floor(previous) != period)
        previous = d
        label = unit.label(d)
        if major and unit.name in ("day", "week"):
            label = f"{label} {d.year}"
        elif major and unit.name in ("month", "quarter"):
            label = str(d.year)
        found.append(Tick(float(d.toordinal()), label, major))
    return unit, found


@dataclass
class Viewport:
    """Which stretch of time the plot shows: the day at its left edge and the zoom."""

    start: float
    pixels_per_day: float
    width: float  # of the plot area, in pixels

    MIN_PPD = 1e-3  # about 300 years across 100 px
    MAX_PPD = 400.0  # a day 400 px wide

    @property
    def end(self) -> float:
        """The day at the right edge."""
        return self.start + self.width / self.pixels_per_day

    def x(self, day: float) -> float:
        """The plot x of a day number."""
        return (day - self.start) * self.pixels_per_day

    def day(self, x: float) -> float:
        """The day number at a plot x."""
        return self.start + x / self.pixels_per_day

    def zoom(self, factor: float, anchor_x: float) -> None:
        """Zoom by ``factor`` keeping the day under ``anchor_x`` in place."""
        anchor = self.day(anchor_x)
        ppd = min(max(self.pixels_per_day * factor, self.MIN_PPD), self.MAX_PPD)
        self.pixels_per_day = ppd
        self.start = self._clamp(anchor - anchor_x / ppd)

    def pan(self, dx_pixels: float) -> None:
        """Move the view by ``dx_pixels`` (positive: later times come into view)."""
        self.start = self._clamp(self.start + dx_pixels / self.pixels_per_day)

    def fit(self, start: float, end: float, margin: float = 0.04) -> None:
        """Show ``[start, end)`` with a margin on both sides."""
        span = max(end - start, 1.0)
        pad = span * margin
        self.pixels_per_day = min(max(self.width / (span + 2 * pad), self.MIN_PPD), self.MAX_PPD)
        centre = (start + end) / 2
        self.start = self._clamp(centre - self.width / self.pixels_per_day / 2)

    def _clamp(self, start: float) -> float:
        visible = self.width / self.pixels_per_day
        return min(max(start, FIRST_DAY), max(FIRST_DAY, LAST_DAY - visible))
