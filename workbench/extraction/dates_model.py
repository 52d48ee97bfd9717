"""Internal values of the date finder: unresolved expressions and resolved periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Year-less resolution policies (see the module docstring of workbench.extraction.dates).
PAST = "past"  # the latest occurrence that starts on or before the published date
NEAREST = "nearest"  # the occurrence nearest the published date, past or future (by/until)
LAST = "last"  # "last August": the latest occurrence that ended before the published month
THIS = "this"  # "this summer": the occurrence holding the published date, else its year
NEXT = "next"  # "next March": the first occurrence after the published month
# "last", "this", "next" before a date: its policy, and how far it moves from the published date.
POLICIES = {"last": LAST, "this": THIS, "next": NEXT}
# "в октябре прошлого года": the occurrence in the published year moved by so many years.
YEAR_OFFSETS = {-2: "year-2", -1: "year-1", 0: "year+0", 1: "year+1"}
STEPS = {LAST: -1, THIS: 0, NEXT: 1} | {policy: step for step, policy in YEAR_OFFSETS.items()}
# Known events of this subject that phrases in both languages count from.
WAR_START = date(2022, 2, 24)  # the full-scale invasion: "the first day of the war"
MOBILISATION = date(2022, 9, 21)  # the mobilisation announced: "one day before mobilization"


@dataclass(frozen=True)
class Period:
    """A resolved date: EDTF, inclusive bounds, precision, and the EDTF of each end."""

    edtf: str
    earliest: date | None
    latest: date | None
    precision: str
    lower: str
    upper: str


@dataclass(frozen=True)
class Point:
    """One calendar expression as written; a missing year is resolved later."""

    grain: str  # "day" | "month" | "year" | "season" | "decade" | "century"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None  # EDTF season code 21..24
    part: str | None = None  # qualifier key: early, mid, late, h1, h2, q1..q4, w1..w4, wl
    approx: bool = False
    policy: str = PAST
    confidence: float = 0.9


@dataclass(frozen=True)
class Span:
    """A range between two points ("between March and May 2023", "12 to 13 June 2023")."""

    first: Point
    second: Point
    confidence: float = 0.9


@dataclass(frozen=True)
class Open:
    """An open interval: "since 2020", "until May 2023", "before 2020", "after March 2022"."""

    op: str  # "since" | "after" | "until" | "before"; "run_up" for "Before Christmas" in a text
    inner: Point
    alone: bool = False  # in a text the date alone is the mention: "since 2019" -> 2019


@dataclass(frozen=True)
class Relative:
    """A phrase resolved against the previous date ("two days later") or the published date."""

    kind: str  # see workbench.extraction.dates_relative
    unit: str = "day"
    low: int = 0
    high: int = 0
    weekday: int = 0
    deictic: bool = False
    confidence: float = 0.5
    base: date | None = None  # a known event it counts from ("a week after the invasion")


# Relative kind "exact": a shift by whole months or years that lands on one day ("ровно год
# назад"), where a plain shift by months or years is approximate.
EXACT_UNITS = frozenset({"month", "year"})

Expr = Point | Span | Open | Relative


@dataclass(frozen=True)
class Candidate:
    """A found expression with its span in the text."""

    start: int
    end: int
    expr: Expr
    core: int = -1  # where the date itself starts, after "since", "until" and the like
