"""Regular grammar of written dates: finds the atoms ("May 4, 2024", "late March", "2022")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from workbench.extraction.dates_calendar import SEASONS
from workbench.extraction.dates_model import PAST, POLICIES, STEPS, THIS, YEAR_OFFSETS, Point, Span

_FULL = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = (*_FULL, *_ABBR)
MONTH_NUMBER = {name[:3].lower(): i for i, name in enumerate(_FULL, start=1)}
_FULL_ALT = "|".join(_FULL + [m.upper() for m in _FULL])
_ABBR_ALT = "|".join(_ABBR + [a.upper() for a in _ABBR])
MONTH_WORD = rf"(?:(?:{_FULL_ALT})(?!\w)|(?:{_ABBR_ALT})(?:\.|(?!\w)))"

_S = r"\s{1,3}"
# A number starts a date only if it is not part of a bigger number, an amount or a code.
LB = r"(?<![\w$€£¥#№+/@.,:\-–—])"
LB_DAY = r"(?<![\w$€£¥#№+/@.,:])"  # a day may follow a dash: "28 Feb–2 Mar 2024"
# ...and ends one only if no digit, unit, decimal part or time continues it.
NR = r"(?![\w%‰°]|[.,:/]\d|[-–—]\d)"
_DASH = r"\s?[-–—]\s?"


def _month(name: str) -> str:
    return rf"(?P<{name}>{MONTH_WORD})"


def _day(name: str) -> str:
    return rf"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w)"


def _year(name: str) -> str:
    return rf"(?P<{name}>1[89]\d\d|20\d\d|2100)"


_QUAL = (
    rf"(?P<qual>(?:[Tt]he{_S})?"
    r"(?P<q>[Ee]arly|[Ll]ate|[Mm]id|[Mm]iddle|[Ee]nd|[Bb]eginning|[Ss]tart"
    rf"|(?:[Ff]irst|[Ss]econd){_S}half"
    rf"|(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ll]ast){_S}(?:week|quarter)"
    rf"|(?:[Ff]irst|[Ss]econd|[Ll]ast){_S}(?:six|three){_S}months)"
    rf"(?:\s?-\s?|{_S}(?:(?:of|(?:(?<=[Ee]arly\s)|(?<=[Ll]ate\s))in){_S}(?:the{_S})?)?))"
)
_NIGHT = rf"(?P<night>(?:[Tt]he{_S})?night{_S}of{_S})?"
_DAY_RANGE = rf"(?:(?:{_DASH}|{_S}(?:to|and|until|through){_S}(?:the{_S})?){_day('d2')})"

# The year of a day or month, written ("May 4, 2024") or counted ("4 June last year").
_YEAR_OF = (
    rf"(?:,?{_S}{_year('y')}{NR}|{_S}(?:of{_S})?(?P<ry>[Ll]ast|[Tt]his|[Nn]ext){_S}year(?!\w))"
)
MONTH_FIRST = re.compile(
    rf"(?<!\w){_NIGHT}(?:{_QUAL})?{_month('m')}(?:{_S}{_day('d')}{_DAY_RANGE}?)?{_YEAR_OF}?"
)
DAY_FIRST = re.compile(
    rf"(?<!\w){_NIGHT}(?P<the>[Tt]he{_S}(?=\d{{1,2}}(?:st|nd|rd|th)))?"
    rf"{LB_DAY}{_day('d')}{_DAY_RANGE}?(?:{_S}of)?{_S}{_month('m')}{_YEAR_OF}?"
)
ISO = re.compile(
    rf"{LB}{_year('y')}(?P<sep>[-/.])(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:(?=T\d)|(?!\w|[-/.]\d))"
)
NUMERIC = re.compile(
    rf"{LB}(?P<d>0?[1-9]|[12]\d|3[01])(?P<sep>[./-])(?P<m>0?[1-9]|1[0-2])(?P=sep){_year('y')}"
    r"(?!\w|[-/.,]\d)"
    rf"|{LB}(?P<um>0?[1-9]|1[0-2])/(?P<ud>1[3-9]|2\d|3[01])/{_year('uy')}(?!\w|[-/.,]\d)"
)
YEAR = re.compile(
    rf"(?<!\w)(?:{_QUAL}|(?P<quarter>Q[1-4])\s?-?\s?|{LB})"
    rf"(?:{_year('y')}(?:(?P<rsep>{_DASH}|/)(?P<y2>1[89]\d\d|20\d\d|\d\d))?{NR}"
    rf"|(?P<dy>(?:[Tt]he|[Tt]his|[Ll]ast|[Nn]ext){_S}(?:year|month))(?!\w))"
)
SEASON = re.compile(
    rf"(?<!\w)(?P<the>[Tt]he{_S})?"
    rf"(?:(?P<sq>[Ee]arly|[Ll]ate|[Mm]id)(?:-|{_S})"
    rf"|(?P<sq2>[Ee]nd|[Bb]eginning|[Ss]tart|[Mm]iddle){_S}of{_S}(?:the{_S})?)?"
    r"(?P<s>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?!\w)"
    rf"(?:(?:{_S}of)?,?{_S}{_year('y')}(?:[-–—/](?P<y2>(?:19|20)?\d\d))?{NR})?"
)
DECADE = re.compile(
    rf"(?<!\w)(?P<the>[Tt]he{_S})?(?:(?P<q>[Ee]arly|[Ll]ate|[Mm]id)(?:-|{_S}))?"
    r"(?:(?P<dec>1[89]\d0|20\d0)|[’'‘](?P<dec2>\d0))[’']?s(?!\w)"
    rf"|(?<!\w)(?P<cthe>[Tt]he{_S})?(?P<cent>1[5-9]|2[01])(?:st|nd|rd|th){_S}[Cc]entury(?!\w)"
)
HOLIDAY = re.compile(
    rf"(?<!\w)(?P<h>New{_S}Year[’']s{_S}(?:Eve|Day)|New{_S}Year(?:[’']s)?"
    rf"|Orthodox{_S}Christmas|Christmas(?:{_S}(?:Eve|Day))?|Victory{_S}Day)(?!\w)"
    rf"(?:,?{_S}{_year('y')}{NR})?"
)

_OF_SOMETHING = re.compile(r"\s{1,3}of\s")
NAME_NEXT = re.compile(r"\s{1,3}[A-Z]")  # a capitalised word follows: a name

QUALIFIERS = {
    "early": "early",
    "beginning": "early",
    "start": "early",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "end": "late",
    "first half": "h1",
    "second half": "h2",
    "first week": "w1",
    "second week": "w2",
    "third week": "w3",
    "fourth week": "w4",
    "last week": "wl",
    "first quarter": "q1",
    "second quarter": "q2",
    "third quarter": "q3",
    "fourth quarter": "q4",
    "last quarter": "q4",
    "first six months": "h1",
    "second six months": "h2",
    "last six months": "h2",
    "first three months": "q1",
    "last three months": "q4",
}
_MONTH_ONLY = {"w1", "w2", "w3", "w4", "wl"}
_YEAR_ONLY = {"q1", "q2", "q3", "q4"}
HOLIDAYS = {
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "new year's": (1, 1),
    "new year": (1, 1),
    "orthodox christmas": (1, 7),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "victory day": (5, 9),
}


@dataclass(frozen=True)
class Atom:
    """One date expression found by the grammar, before context decides whether it counts."""

    start: int
    end: int
    expr: Point | Span
    strong: bool  # a date on its own; weak atoms ("2022", "March") need a context word
    kind: str  # "year" | "month" | "season" | "holiday" | "date"


def month_number(word: str) -> int:
    """1..12 for an English month name or abbreviation."""
    return MONTH_NUMBER[word.rstrip(".").lower()[:3]]


def phrase_key(text: str) -> str:
    """A phrase as a table key: lower case, single spaces, plain apostrophes."""
    return " ".join(text.replace("’", "'").lower().split())


def _part(m: re.Match[str]) -> str | None:
    word = m.group("q")
    return QUALIFIERS[phrase_key(word)] if word else None


def _year_of(m: re.Match[str]) -> tuple[int | None, str]:
    """The written year, or the policy of "last year" and the like after a date."""
    if m.group("y"):
        return int(m.group("y")), PAST
    if m.group("ry"):
        return None, YEAR_OFFSETS[STEPS[POLICIES[m.group("ry").lower()]]]
    return None, PAST


def _month_first(m: re.Match[str]) -> Atom | None:
    month = month_number(m.group("m"))
    year, policy = _year_of(m)
    part = _part(m)
    start = m.start("qual") if m.group("qual") else m.start("m")
    if m.group("d"):
        start = m.start() if m.group("night") else m.start("m")
        point = Point("day", year, month, int(m.group("d")), policy=policy)
        return _day_atom(start, m.end(), point, m.group("d2"))
    if part in _YEAR_ONLY or "month" in (m.group("q") or ""):
        return None  # "the first quarter of May", "the first six months of June"
    point = Point("month", year, month, part=part, policy=policy)
    strong = year is not None or part is not None or policy != PAST
    return Atom(start, m.end(), point, strong, "month")


def _day_first(m: re.Match[str]) -> Atom | None:
    year, policy = _year_of(m)
    point = Point("day", year, month_number(m.group("m")), int(m.group("d")), policy=policy)
    start = m.start() if m.group("night") or m.group("the") else m.start("d")
    return _day_atom(start, m.end(), point, m.group("d2"))


def _day_atom(start: int, end: int, point: Point, second: str | None) -> Atom | None:
    if second is None:
        return Atom(start, end, point, True, "date")
    if int(second) <= (point.day or 0):
        return None
    return Atom(
        start,
        end,
        Span(point, replace(point, day=int(second))),
        True,
        "date",
    )


def _iso(m: re.Match[str]) -> Atom | None:
    point = Point("day", int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return Atom(m.start(), m.end(), point, True, "date")


def _numeric(m: re.Match[str]) -> Atom | None:
    if m.group("um"):
        point = Point(
            "day", int(m.group("uy")), int(m.group("um")), int(m.group("ud")), confidence=0.8
        )
        return Atom(m.start(), m.end(), point, True, "date")
    day, month = int(m.group("d")), int(m.group("m"))
    ambiguous = m.group("sep") != "." and day <= 12
    point = Point("day", int(m.group("y")), month, day, confidence=0.6 if ambiguous else 0.9)
    return Atom(m.start(), m.end(), point, True, "date")


def _year_atom(m: re.Match[str]) -> Atom | None:
    part = _part(m) or (f"q{m.group('quarter')[1]}" if m.group("quarter") else None)
    start = m.start("qual") if m.group("qual") else m.start()
    if m.group("dy"):
        if part is None:
            return None
        which = phrase_key(m.group("dy")).split()
        policy = POLICIES.get(which[0], THIS)  # "the year" is this year
        grain = "month" if which[1] == "month" else "year"
        if (grain == "month" and part in _YEAR_ONLY) or (grain == "year" and part in _MONTH_ONLY):
            return None
        return Atom(start, m.end(), Point(grain, part=part, policy=policy), True, "deictic")
    year = int(m.group("y"))
    if part in _MONTH_ONLY or not 1900 <= year <= 2100:
        return None
    if m.group("y2"):
        second = _second_year(year, m.group("y2"))
        if second is None or part is not None:
            return None
        span = Span(Point("year", year), Point("year", second))
        strong = m.group("rsep").strip() != "/" or second == year + 1
        return Atom(start, m.end(), span, strong, "year")
    return Atom(start, m.end(), Point("year", year, part=part), part is not None, "year")


def _second_year(first: int, text: str) -> int | None:
    """The end of "2014-2016" or "2022-23", if it is a plausible later year."""
    second = int(text) if len(text) == 4 else first // 100 * 100 + int(text)
    return second if first < second <= first + (10 if len(text) == 2 else 60) else None


def _season(m: re.Match[str]) -> Atom | None:
    word = m.group("sq") or m.group("sq2")
    part = QUALIFIERS[word.lower()] if word else None
    year = int(m.group("y")) if m.group("y") else None
    if m.group("y2") and year is not None and _second_year(year, m.group("y2")) != year + 1:
        return None
    if year is None and _OF_SOMETHING.match(m.string, m.end()):
        return None  # "the fall of Bakhmut"
    if year is None and m.group("s")[0].isupper() and NAME_NEXT.match(m.string, m.end()):
        return None  # "the Winter War", "Spring Valley"
    point = Point("season", year, season=SEASONS[m.group("s").lower()], part=part)
    return Atom(m.start(), m.end(), point, year is not None, "season")


def _decade(m: re.Match[str]) -> Atom | None:
    if m.group("cent"):
        year = (int(m.group("cent")) - 1) * 100
        return Atom(m.start(), m.end(), Point("century", year), True, "date")
    if m.group("dec"):
        year = int(m.group("dec"))
    else:
        short = int(m.group("dec2"))
        year = (2000 if short <= 20 else 1900) + short
    part = QUALIFIERS[m.group("q").lower()] if m.group("q") else None
    return Atom(m.start(), m.end(), Point("decade", year, part=part), True, "date")


def _holiday(m: re.Match[str]) -> Atom | None:
    month, day = HOLIDAYS[phrase_key(m.group("h"))]
    year = int(m.group("y")) if m.group("y") else None
    return Atom(m.start(), m.end(), Point("day", year, month, day), year is not None, "holiday")


AtomRule = tuple[re.Pattern[str], Callable[[re.Match[str]], Atom | None]]
ATOM_RULES: dict[str, AtomRule] = {
    "month_first": (MONTH_FIRST, _month_first),
    "day_first": (DAY_FIRST, _day_first),
    "iso": (ISO, _iso),
    "numeric": (NUMERIC, _numeric),
    "year": (YEAR, _year_atom),
    "season": (SEASON, _season),
    "decade": (DECADE, _decade),
    "holiday": (HOLIDAY, _holiday),
}


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_Spanned)


def select(items: Iterable[T], rank: Callable[[T], tuple[int, bool]]) -> list[T]:
    """Non-overlapping items in text order; among overlapping ones the best ranked win."""
    out: list[T] = []
    cluster: list[T] = []
    cluster_end = -1
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        if cluster and item.start >= cluster_end:
            out.extend(_pick(cluster, rank))
            cluster = []
        cluster.append(item)
        cluster_end = max(cluster_end, item.end) if len(cluster) > 1 else item.end
    out.extend(_pick(cluster, rank))
    return out


def _pick(cluster: list[T], rank: Callable[[T], tuple[int, bool]]) -> list[T]:
    if len(cluster) <= 1:
        return cluster
    kept: list[T] = []
    for item in sorted(cluster, key=lambda i: (rank(i), -i.start), reverse=True):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i.start)
