"""Dates told by the events of this subject: "the first day of the war", "two days after
mobilisation was announced", "the second anniversary of the invasion".

The full-scale invasion began on 24 February 2022; Russia's partial mobilisation was
announced on 21 September 2022. Only phrases that name an amount, an ordinal or an
anniversary count: "since the start of the war" alone is not a date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from workbench.extraction.dates_model import MOBILISATION, WAR_START, Candidate, Point, Span
from workbench.extraction.dates_relative import (
    AMOUNT,
    MODIFIER,
    UNIT,
    amount_left_out,
    amount_of,
    move,
)

_MOBILISATION = r"(?:partial\s+)?mobili[sz]ation"
_WAR = (
    r"(?:the\s+)?(?:(?:start|beginning|outbreak|first\s+day)\s+of\s+the\s+)?"
    r"(?:Russian\s+|Russia[’']s\s+)?(?:full[-\s]scale\s+)?(?:war|invasion)"
    r"(?!\s+(?:in|on|of|against)\s+(?!Ukraine)[A-Z])"
)
_EVENT = (
    rf"(?P<war>{_WAR}|the\s+war\s+(?:began|started|broke\s+out))"
    rf"|(?P<mob>(?:the\s+)?(?:announcement|declaration|start)\s+of\s+(?:the\s+)?{_MOBILISATION}"
    rf"|(?:the\s+)?{_MOBILISATION}\s+was\s+(?:announced|declared)"
    rf"|Putin\s+(?:announced|declared)\s+(?:a\s+|the\s+)?{_MOBILISATION})"
)
# "a week before mobilisation was announced", "just weeks after the invasion"
SHIFTED = re.compile(
    rf"(?i)(?<!\w)(?:(?P<mod>{MODIFIER})\s{{1,3}})?(?:(?P<n>{AMOUNT})\s{{1,3}})?"
    rf"(?P<unit>{UNIT})\s{{1,3}}(?P<dir>before|after|into)\s{{1,3}}(?:{_EVENT})(?!\w)"
)
# "after two years of war": the start of the war moved on by the amount.
INTO_WAR = re.compile(
    rf"(?i)(?<!\w)(?P<dir>after)\s{{1,3}}(?:(?P<mod>{MODIFIER})\s{{1,3}})?(?:(?P<n>{AMOUNT})\s{{1,3}})?"
    rf"(?P<unit>{UNIT})\s{{1,3}}of\s{{1,3}}(?P<war>(?:the\s+)?(?:full[-\s]scale\s+)?war)(?!\w)"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ORDINAL = r"first|second|third|fourth|fifth|sixth|[1-9]\d?(?:st|nd|rd|th)"
# "the first day of the war", "the first 100 days of the invasion", "the second week of the war"
PART_OF_WAR = re.compile(
    rf"(?i)(?<!\w)the\s{{1,3}}(?P<ord>{_ORDINAL})\s{{1,3}}(?:(?P<n>\d{{1,4}})\s{{1,3}})?"
    rf"(?P<unit>days?|weeks?|months?|year)\s{{1,3}}of\s{{1,3}}(?:{_WAR})(?!\w)"
)
ANNIVERSARY = re.compile(
    rf"(?i)(?<!\w)the\s{{1,3}}(?P<ord>{_ORDINAL})\s{{1,3}}anniversary\s{{1,3}}of\s{{1,3}}"
    rf"(?:{_EVENT})(?!\w)"
)
_PLURAL_SIZE = {"day": 7, "week": 4, "month": 3}  # "the first days of the war": its first week


def _day(d: date, approx: bool = False) -> Point:
    return Point("day", d.year, d.month, d.day, approx=approx, confidence=0.7)


def _event_day(m: re.Match[str]) -> date:
    return WAR_START if m.group("war") else MOBILISATION


def shifted_candidate(m: re.Match[str]) -> Candidate | None:
    """ "two weeks after the invasion": the event's day moved by the amount."""
    found = amount_of(m.group("n"), m.group("unit"), m.group("mod"))
    if found is None or amount_left_out(m):
        return None
    unit, low, high = found
    if m.group("dir").lower() == "before":
        low, high = -high, -low
    base = _event_day(m)
    first, last = move(base, unit, low), move(base, unit, high)
    if first == last:
        expr: Point | Span = _day(first, approx=unit in ("month", "year"))
    else:
        expr = Span(_day(first), _day(last), confidence=0.6)
    return Candidate(m.start(), m.end(), expr)


def _ordinal(word: str) -> int:
    key = word.lower()
    return _ORDINALS[key] if key in _ORDINALS else int(key[:-2])


def part_candidate(m: re.Match[str]) -> Candidate | None:
    """ "the first day of the war", "the first 100 days of the war", "the second year of it"."""
    word = m.group("unit").lower()
    unit = word.rstrip("s")
    index = _ordinal(m.group("ord")) - 1
    size = int(m.group("n")) if m.group("n") else 1
    if word.endswith("s") and not m.group("n"):
        if index:
            return None  # "the second days of the war"
        size = _PLURAL_SIZE[unit]
    first = move(WAR_START, unit, index * size)
    last = move(WAR_START, unit, (index + 1) * size) - timedelta(days=1)
    expr: Point | Span = _day(first) if first == last else Span(_day(first), _day(last))
    return Candidate(m.start(), m.end(), expr)


def anniversary_candidate(m: re.Match[str]) -> Candidate | None:
    """ "the second anniversary of the invasion": the event's day so many years on."""
    day = move(_event_day(m), "year", _ordinal(m.group("ord")))
    return Candidate(m.start(), m.end(), _day(day))


EVENT_RULES = {
    "event_shift": (SHIFTED, shifted_candidate),
    "war_time": (INTO_WAR, shifted_candidate),
    "war_part": (PART_OF_WAR, part_candidate),
    "anniversary": (ANNIVERSARY, anniversary_candidate),
}
