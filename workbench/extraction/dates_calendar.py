"""Calendar arithmetic for fuzzy dates: bounds, EDTF strings and year-less resolution."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from workbench.extraction.dates_model import (
    LAST,
    NEAREST,
    NEXT,
    PAST,
    STEPS,
    THIS,
    YEAR_OFFSETS,
    Period,
    Point,
)

SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
SEASON_START = {21: 3, 22: 6, 23: 9, 24: 12}
MONTH_PARTS = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, 31),
    "h1": (1, 15),
    "h2": (16, 31),
    "w1": (1, 7),
    "w2": (8, 14),
    "w3": (15, 21),
    "w4": (22, 28),
}
YEAR_PARTS = {
    "early": (1, 4),
    "mid": (5, 8),
    "late": (9, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}
SEASON_PARTS = {"early": 0, "mid": 1, "late": 2}
DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
APPROX_DAYS = 3
LEAP = 2000  # a leap year, to check "Feb. 29" and size year-less months
_T = TypeVar("_T")


def within_calendar(resolve: Callable[..., _T], *args: Any) -> _T | None:
    """``resolve(*args)``, or None when its arithmetic leaves the calendar (before year 1 or
    after 9999: "a year later" after a date in 9999, "10 years ago" published in year 5)."""
    try:
        return resolve(*args)
    except (OverflowError, ValueError):  # what ``date`` and ``timedelta`` raise out of range
        return None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    """The same day some months later (or earlier), clamped to the month's length."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def fmt_day(d: date) -> str:
    """EDTF for one day."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def fmt_month(year: int, month: int) -> str:
    """EDTF for one month."""
    return f"{year:04d}-{month:02d}"


def day_period(d: date, precision: str = "day") -> Period:
    """A period of exactly one day."""
    text = fmt_day(d)
    return Period(text, d, d, precision, text, text)


def days_period(first: date, last: date, precision: str = "range") -> Period:
    """A period from one day to another, as an EDTF interval of days."""
    if first == last:
        return day_period(first, "day")
    return Period(
        f"{fmt_day(first)}/{fmt_day(last)}", first, last, precision, fmt_day(first), fmt_day(last)
    )


def single_period(text: str, first: date, last: date, precision: str, approx: bool) -> Period:
    """A period written as one EDTF value, optionally approximate ("~")."""
    if approx:
        text += "~"
    return Period(text, first, last, precision, text, text)


def approx_day(d: date, pad: int) -> Period:
    """One day, approximate: "2024-05-04~" with bounds ``pad`` days either side."""
    text = fmt_day(d)
    return Period(text + "~", d - timedelta(days=pad), d + timedelta(days=pad), "day", text, text)


def _interval(low: str, high: str, first: date, last: date, precision: str) -> Period:
    """A period written as an EDTF interval of two values."""
    return Period(f"{low}/{high}", first, last, precision, low, high)


def point_period(p: Point, year: int) -> Period | None:
    """The period a point denotes in a given year, or None if it does not exist (Feb. 30)."""
    try:
        return _point_period(p, year)
    except ValueError:
        return None


def _point_period(p: Point, year: int) -> Period | None:
    if p.grain == "day" and p.month and p.day:
        d = date(year, p.month, p.day)
        return approx_day(d, APPROX_DAYS) if p.approx else day_period(d)
    if p.grain == "month" and p.month:
        last = month_end(year, p.month)
        if p.part in MONTH_PARTS:
            low, high = MONTH_PARTS[p.part]
            first = date(year, p.month, low)
            end = last if p.part in {"late", "h2"} else date(year, p.month, high)
            return days_period(first, end, "part_of_month")
        if p.part == "wl":
            return days_period(last - timedelta(days=6), last, "part_of_month")
        return single_period(
            fmt_month(year, p.month), date(year, p.month, 1), last, "month", p.approx
        )
    if p.grain == "year":
        if p.part in YEAR_PARTS:
            low, high = YEAR_PARTS[p.part]
            first, last = date(year, low, 1), month_end(year, high)
            return _interval(fmt_month(year, low), fmt_month(year, high), first, last, "range")
        return single_period(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", p.approx)
    if p.grain == "season" and p.season:
        start = date(year, SEASON_START[p.season], 1)
        if p.part in SEASON_PARTS:
            first = add_months(start, SEASON_PARTS[p.part])
            last = month_end(first.year, first.month)
            return single_period(fmt_month(first.year, first.month), first, last, "season", True)
        last = add_months(start, 2)
        text = f"{year:04d}-{p.season}"
        return Period(text, start, month_end(last.year, last.month), "season", text, text)
    if p.grain == "decade":
        if p.part in DECADE_PARTS:
            low, high = DECADE_PARTS[p.part]
            first, last = date(year + low, 1, 1), date(year + high, 12, 31)
            return _interval(str(year + low), str(year + high), first, last, "decade")
        text = f"{year // 10:03d}X"
        return Period(
            text, date(year, 1, 1), date(year + 9, 12, 31), "decade", str(year), str(year + 9)
        )
    if p.grain == "century":
        text = f"{year // 100:02d}XX"
        return Period(
            text, date(year, 1, 1), date(year + 99, 12, 31), "range", str(year), str(year + 99)
        )
    return None


def yearless_period(p: Point) -> Period | None:
    """EDTF with an unspecified year ("XXXX-02-24") and no bounds, for undated documents."""
    probe = point_period(p, LEAP)
    if probe is None or p.grain not in ("day", "month", "season") or probe.earliest is None:
        return None
    if p.grain == "season" and p.part is None and probe.latest is not None:
        low = f"XXXX-{probe.earliest.month:02d}"
        high = f"XXXX-{probe.latest.month:02d}"
        return Period(f"{low}/{high}", None, None, "season", low, high)
    low, high = (_unyear(s.rstrip("~")) for s in (probe.lower, probe.upper))
    text = low if low == high else f"{low}/{high}"
    return Period(text, None, None, probe.precision, low, high)


def _unyear(text: str) -> str:
    return "XXXX" + text[4:]


def _distance(period: Period, reference: date) -> int:
    """Days between a period and a date (0 when the period holds the date)."""
    assert period.earliest is not None and period.latest is not None
    if reference < period.earliest:
        return (period.earliest - reference).days
    if reference > period.latest:
        return (reference - period.latest).days
    return 0


def _candidates(p: Point, centre: int) -> list[Period]:
    """The point's periods in the years around a centre year, oldest first."""
    out = []
    first = centre - (9 if (p.month, p.day) == (2, 29) else 2)
    for year in range(first, centre + 3):
        period = point_period(p, year)
        if period is not None:
            out.append(period)
    return out


def resolve_deictic(p: Point, published: date) -> Period | None:
    """A "this/last/next year|month" point, counted from the published date."""
    step = STEPS.get(p.policy, 0)
    if p.grain == "year":
        return point_period(p, published.year + step)
    moved = add_months(published.replace(day=1), step)
    return point_period(Point("month", month=moved.month, part=p.part), moved.year)


def resolve_published(p: Point, published: date) -> Period | None:
    """Choose the year of a year-less point from the published date, by its policy."""
    options = _candidates(p, published.year)
    month_start = published.replace(day=1)
    month_last = month_end(published.year, published.month)
    chosen: list[Period] = []
    if p.policy == LAST:
        # "last August" is the most recent August that ended before the publication month.
        cutoff = month_start if p.grain == "month" else published
        chosen = [o for o in options if o.latest is not None and o.latest < cutoff]
    elif p.policy == NEXT:
        chosen = [o for o in options if o.earliest is not None and o.earliest > month_last][:1]
    elif p.policy == THIS:
        chosen = [o for o in options if _distance(o, published) == 0]
        chosen = chosen or [o for o in options if o.lower.startswith(f"{published.year:04d}")]
    elif p.policy in YEAR_OFFSETS.values():
        year = f"{published.year + STEPS[p.policy]:04d}"
        chosen = [o for o in options if o.lower.startswith(year)]
    elif p.policy == NEAREST:
        near = [o for o in options if o.earliest and abs(o.earliest.year - published.year) <= 1]
        chosen = sorted(near, key=lambda o: _distance(o, published))[:1]
    if not chosen and p.policy != NEXT:
        chosen = [o for o in options if o.earliest is not None and o.earliest <= published]
    return chosen[-1] if chosen else None


def resolve_narrative(p: Point, anchor: Period, published: date | None) -> Period | None:
    """Choose the year of a year-less point from an earlier dated mention in its paragraph."""
    if anchor.earliest is None or anchor.latest is None or p.policy not in (PAST, NEAREST):
        return None
    best: tuple[int, Period] | None = None
    for option in _candidates(p, anchor.earliest.year + 1):
        assert option.earliest is not None and option.latest is not None
        if p.policy == PAST and published is not None and option.earliest > published:
            continue
        if option.latest < anchor.earliest:
            cost = 2 * (anchor.earliest - option.latest).days  # flashbacks are rarer
        else:
            cost = max(0, (option.earliest - anchor.latest).days)
        if best is None or cost < best[0]:
            best = (cost, option)
    return best[1] if best is not None and best[0] <= 400 else None


def span_period(first: Period, second: Period) -> Period:
    """An interval from the start of one period to the end of another."""
    return Period(
        f"{first.lower}/{second.upper}",
        first.earliest,
        second.latest,
        "range",
        first.lower,
        second.upper,
    )


def edge(d: date, precision: str, start: bool) -> str:
    """EDTF for one end of an open interval, no finer than the period it came from."""
    if precision == "day":
        return fmt_day(d)
    if precision == "season":
        code = _season_edge(d, start)
        if code:
            return code
    whole_year = (d.month, d.day) == ((1, 1) if start else (12, 31))
    if precision in ("year", "decade", "range") and whole_year:
        return f"{d.year:04d}"
    whole_month = d.day == 1 if start else d == month_end(d.year, d.month)
    return fmt_month(d.year, d.month) if whole_month else fmt_day(d)


def _season_edge(d: date, start: bool) -> str | None:
    """The season code when a date opens or closes a meteorological season."""
    if start and d.day == 1 and d.month in (3, 6, 9, 12):
        return f"{d.year:04d}-{21 + (d.month - 3) // 3 if d.month != 12 else 24}"
    if not start and d == month_end(d.year, d.month) and d.month in (2, 5, 8, 11):
        if d.month == 2:
            return f"{d.year - 1:04d}-24"
        return f"{d.year:04d}-{21 + (d.month - 5) // 3}"
    return None


def open_period(op: str, inner: Period, published: date | None) -> Period | None:
    """The open interval "since/after/until/before" a resolved period."""
    if inner.earliest is None or inner.latest is None:
        return None
    if op in ("since", "after"):
        first = inner.earliest if op == "since" else inner.latest + timedelta(days=1)
        low = edge(first, inner.precision, start=True)
        now = published if published is not None and published >= first else None
        return Period(f"{low}/..", first, now, "open", low, "..")
    last = inner.latest if op == "until" else inner.earliest - timedelta(days=1)
    high = edge(last, inner.precision, start=False)
    return Period(f"../{high}", None, last, "open", "..", high)
