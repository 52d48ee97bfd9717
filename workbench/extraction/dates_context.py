"""Dates that the next date settles: an apposition names the day, a season heading its year.

- "Год назад, 21 сентября, ..." / "A year ago, on 21 September, ...": the relative phrase is
  the day that follows it, when that day lies within its bounds.
- A season heading ("Осень:" or "Autumn" alone on its line) is the season of the first date
  under it, within the next few paragraphs.
"""

from __future__ import annotations

import re

from workbench.extraction.dates_calendar import point_period
from workbench.extraction.dates_model import Candidate, Period, Point, Relative

_APPOSITION = re.compile(r"\s*,\s*(?:(?:on|в|во)\s+)?|\s+[—–]\s+|\s*\(\s*")
_HEADING_END = re.compile(r"[ \t]*(?::|\n|$)")
_HEADING_REACH = 1500  # characters from a heading to the date that gives its year

Found = tuple[Candidate, Period | None]


def refinements(text: str, found: list[Found]) -> dict[int, Period]:
    """New periods for the mentions (by index) that a following mention makes more precise."""
    fixes: dict[int, Period] = {}
    for i in range(len(found) - 1):
        cand, period = found[i]
        if period is not None and isinstance(cand.expr, Relative):
            named = _apposed(text, cand, period, found[i + 1])
            if named is not None:
                fixes[i] = named
    for i, (cand, period) in enumerate(found):
        if period is None or not _is_heading(text, cand):
            continue
        later = next(
            (
                fixes.get(k, p)
                for k, (c, p) in enumerate(found[i + 1 :], start=i + 1)
                if p is not None and c.start - cand.end <= _HEADING_REACH
            ),
            None,
        )
        season = _season_holding(cand.expr, later) if later else None
        if season is not None:
            fixes[i] = season
    return fixes


def _apposed(text: str, cand: Candidate, period: Period, after: Found) -> Period | None:
    """The next mention's period, if it names a day within this relative phrase's bounds."""
    other, named = after
    if named is None or not isinstance(other.expr, Point) or other.expr.grain != "day":
        return None
    if _APPOSITION.fullmatch(text, cand.end, other.start) is None:
        return None
    if None in (period.earliest, period.latest, named.earliest, named.latest):
        return None
    assert period.earliest and period.latest and named.earliest and named.latest
    inside = period.earliest <= named.earliest and named.latest <= period.latest
    return named if inside else None


def _is_heading(text: str, cand: Candidate) -> bool:
    point = cand.expr
    if not isinstance(point, Point) or point.grain != "season" or point.year is not None:
        return False
    line_start = cand.start == 0 or text[cand.start - 1] == "\n"
    return line_start and _HEADING_END.match(text, cand.end) is not None


def _season_holding(point: Point | object, later: Period) -> Period | None:
    """The occurrence of a season that holds the start of a later date."""
    if not isinstance(point, Point) or later.earliest is None:
        return None
    for year in (later.earliest.year, later.earliest.year - 1):
        season = point_period(point, year)
        if (
            season
            and season.earliest
            and season.latest
            and (season.earliest <= later.earliest <= season.latest)
        ):
            return season
    return None
