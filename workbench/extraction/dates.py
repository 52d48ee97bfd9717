"""Fuzzy dates: find date phrases in a document and normalise them to EDTF with bounds.

Every EDTF value produced parses with the `edtf` package (EDTF / ISO 8601-2, levels 0-2):

- Days, months, years: "May 4, 2024", "4 May 2024", "2024-05-04", "04.05.2024" -> "2024-05-04";
  "August 2024" -> "2024-08" (never 1 August); "in 2023" -> "2023". Day-first is assumed for
  numeric dates ("04/05/2024" is 4 May, with lower confidence) unless the second number is a day.
- Decades and centuries: "the 1990s" -> "199X" (1990-01-01..1999-12-31), "the early 2000s" ->
  "2000/2003" (early 0-3, mid 4-6, late 7-9), "the 20th century" -> "19XX".
- Seasons: EDTF codes 21 spring, 22 summer, 23 autumn, 24 winter, with Northern-hemisphere
  meteorological bounds: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, and winter of year Y
  from 1 December Y to the end of February Y+1 ("the winter of 2022-23" and "winter 2022" are
  both "2022-24"). "late summer 2023" is the season's last month, approximate: "2023-08~".
- Parts of a month are intervals of days (precision "part_of_month"): early 1-10, mid 11-20,
  late 21-end ("late March 2024" -> "2024-03-21/2024-03-31"); "the beginning/start of" = early,
  "the middle of" = mid, "the end of" = late; halves 1-15 / 16-end; weeks 1-7, 8-14, 15-21,
  22-28, and the last week = the last seven days.
- Parts of a year are intervals of months (precision "range"): early Jan-Apr, mid May-Aug,
  late Sep-Dec ("early 2024", "early in 2024" -> "2024-01/2024-04"), halves Jan-Jun / Jul-Dec
  ("the first six months of 2023" is the first half), quarters.
- A day or month with "last/this/next year" is in that year counted from the published one:
  "4 June last year" published 2023-08-16 -> "2022-06-04"; "November last year" -> "2022-11".
- Ranges run from the start of the first date to the end of the second (precision "range"):
  "between March and May 2023" -> "March and May 2023", "2023-03/2023-05"; "12 to 13 June
  2023" -> "2023-06-12/2023-06-13". A year written once holds for both ends. Two dates that
  each have their year and are joined by words are two dates ("from 12 October 2022 to 3 May
  2023", "between 2014 and 2016"), as annotators of real articles mark them; a dash joins
  them into one range ("2014–2016", "September 2022 – February 2023").
- Open intervals: in a text the mention is the date alone, as annotators of real articles mark
  it: "since 2019" -> "2019" (2019-01-01..2019-12-31), "by the end of January" -> "the end of
  January", "before 2015" -> "2015"; the word stays in the event's passage. A phrase typed by
  the user (`parse_date_phrase`) keeps the open interval (precision "open"): "since 2020" ->
  "2020/.." (latest = the published date, or None); "after March 2022" -> "2022-04/..";
  "until May 2023" and "by May 2023" (a deadline) -> "../2023-05"; "before 2020" -> "../2019".
- "around"/"about"/"circa": "~" on the value; a day's bounds widen by three days either side.
- A weekday before a full date belongs to it: "Sunday, March 6, 2022".

Which text counts: English month names only when capitalised ("march" and "may" never are),
and bare month names, bare years and year-less seasons only after a date word ("in", "since",
"by", "during", "of", "last"...): "he may return", "a long march", "2023 soldiers", "No. 2023",
"2,000", "24/7", "47th" and "the fall of Bakhmut" are not dates. A bare year followed by a
plural noun is a count. Spans keep "around", "last/this/next" (they change the bounds) and
the article and qualifiers ("the end of April", "the summer of 2023"), and leave out the
governing preposition: "on", "in", "since", "until", "by", "before", "after", "from", "between".

Year-less phrases get a year (inferred=True) by these rules, in this order:
1. From an earlier date with a written year, a season or finer, in the same paragraph
   (narrative time): the occurrence nearest that date, later ones preferred ("on May 4, 2024
   ... on May 8"; "on September 26, 2022 ... by November" is November 2022).
2. From the published date: the latest occurrence that starts on or before it ("Feb. 24" in
   an article of 2022-03-10 is 2022-02-24; "in December" of 2024-02-12 is 2023-12).
   "by"/"until"/"before" X may look ahead (a deadline): the occurrence nearest the published
   date, past or future ("by September" published 2024-05-20 is 2024-09; published
   2023-11-08 it is 2023-09).
   "last <month>" is the latest one that ended before the publication month, as readers take
   it ("last August" published 2024-09-03 -> 2024-08, published 2024-08-20 -> 2023-08);
   "last <season>" is the latest that ended before the
   published date ("last summer" published 2024-09-03 -> summer 2024). "this X" holds the
   published date or falls in its year; "next X" is the first one after the published month.
3. Without either, the year stays unspecified: "XXXX-02-24", bounds None, confidence 0.3.

Relative phrases ("two days later", "the next day", "a week later", "weeks later", "that
night", "the following month", "later that year", "just weeks before.", "in a few days",
"after eight months", "the same month") count from the previous absolute date in the
document, the latest one within 800 characters that is fine enough for the unit (a month or
finer for days and weeks, a season or finer for months, a year for years); without one they
are skipped, and so are results after the published date. Vague amounts give wide bounds
("weeks later": 1-8 weeks, "days later" and "several days": 2-14 days, "a few days": 1-10,
"a few weeks": 2-5), and a vague range ends by the next date in the text and by the published
date ("several days later" after 3 July, before a date of 10 July: 5-10 July). "nearly" and
"almost" take a sixth off the low end, "over" and "just over" add a sixth to the high end
("almost a year later" after 12 April 2022 -> 2023-02-12..2023-04-12). An amount the grammar
does not read whole is no date: "10000 days later" is not a vague "days later", "9,999 years"
not 999 years ("2 000 дней" is 2,000 days: Russian groups thousands with a space). A date that
arithmetic would take before year 1 or past 9999 is dropped. "in <n> months/years"
and "in almost ..." are spans of time, not dates. "Before Christmas" (a holiday without its
year) is the days up to it, from the previous date if that is less than a month earlier,
and not after the published date. "yesterday", "two weeks ago", "just over 500 days ago",
"last week", "this year", "earlier this year", "the past six months", "on Monday", "As of
Wednesday", "said Tuesday" count from the published date; "this week" runs from its Monday to
the published date. A "today" (or "yesterday", "tomorrow") in a quotation or a sentence in
the first person is the speaker's, and a "today" without a verb in the past or future is the
reporter's present: neither is a date. Shifts by months or years are approximate ("a month
later" after 2 January 2024 -> "2024-02-02~", bounds a week either side; a year: a month
either side).

Known events of the subject (`dates_events`) date a phrase that counts from them: the
full-scale invasion (24 February 2022: "the first day of the war", "two weeks into the war",
"the second anniversary of the invasion", "after two years of war") and the announcement of
mobilisation (21 September 2022: "two days after mobilisation was announced"). "since the
start of the war" alone is not a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from workbench.extraction import dates_ru
from workbench.extraction.dates_calendar import (
    add_months,
    day_period,
    open_period,
    point_period,
    resolve_deictic,
    resolve_narrative,
    resolve_published,
    span_period,
    within_calendar,
    yearless_period,
)
from workbench.extraction.dates_combine import combine
from workbench.extraction.dates_context import refinements
from workbench.extraction.dates_grammar import MONTH_NAMES, select
from workbench.extraction.dates_model import Candidate, Open, Period, Point, Relative, Span
from workbench.extraction.dates_relative import context_bounds, resolve_relative, run_up
from workbench.extraction.dates_scan import Reader, scan

__all__ = ["DateMention", "FuzzyDate", "find_dates", "parse_date_phrase"]


@dataclass(frozen=True)
class FuzzyDate:
    """A date as researchers meet it: the phrase, its EDTF and inclusive bounds."""

    text: str
    edtf: str
    earliest: date | None
    latest: date | None
    precision: str
    inferred: bool = False
    confidence: float = 0.9


@dataclass(frozen=True)
class DateMention:
    """A fuzzy date found in a text, at code-point offsets [start, end)."""

    start: int
    end: int
    date: FuzzyDate


@dataclass
class _State:
    """What earlier mentions tell later ones while scanning a document."""

    anchors: list[tuple[int, Period]] = field(default_factory=list)  # for "two days later"
    narrative: Period | None = None  # the last fine date with a written year, for "May 8"
    narrative_end: int = 0

    def anchor_for(self, rel: Relative, start: int) -> Period | None:
        """The latest earlier date close enough and fine enough to count from."""
        limit = _ANCHOR_DAYS.get(rel.unit, 366)
        for end, period in reversed(self.anchors):
            if start - end > _ANCHOR_REACH:
                return None
            if _days(period) <= limit:
                return period
        return None

    def remember(self, period: Period, end: int, written: bool, absolute: bool) -> None:
        """Note a resolved date as an anchor for what follows."""
        if period.earliest is None or period.latest is None:
            return
        if absolute:
            self.anchors = [*self.anchors[-7:], (end, period)]
        if written and _days(period) <= _NARRATIVE_DAYS:
            self.narrative, self.narrative_end = period, end


_ANCHOR_DAYS = {"day": 31, "week": 31, "month": 92, "year": 366}
_ANCHOR_REACH = 800  # characters between a relative phrase and the date it counts from
_NARRATIVE_DAYS = 92  # a season or finer: "the 2010s" or "2022" set no narrative year


def _days(period: Period) -> int:
    assert period.earliest is not None and period.latest is not None
    return (period.latest - period.earliest).days + 1


_Resolved = tuple[Period, bool, float]


def find_dates(
    text: str, published: date | None = None, language: str | None = None
) -> list[DateMention]:
    """All date phrases in a document, in text order and non-overlapping; a Russian document
    ("ru") is read with the Russian grammar (`workbench.extraction.dates_ru`)."""
    return _scan(text, published, _State(), lenient=False, language=language)


def parse_date_phrase(
    phrase: str,
    published: date | None = None,
    anchor: FuzzyDate | None = None,
    language: str | None = None,
) -> FuzzyDate | None:
    """Normalise one phrase typed by a user ("late March 2024", "1990s"), or None."""
    text = phrase.strip()
    if not text:
        return None
    literal = _edtf_literal(text, published)
    if literal is not None:
        return literal
    normal = _MONTH_ANY_CASE.sub(lambda m: m.group(0).capitalize(), text)
    base = _period_of(anchor)
    state = _State()
    if base is not None:
        state.anchors.append((0, base))
        state.narrative = base
    lead = _LEAD_RU if language in dates_ru.LANGUAGES else _LEAD
    for mention in _scan(normal, published, state, lenient=True, language=language):
        before, after = normal[: mention.start], normal[mention.end :]
        if lead.fullmatch(before) and _TRAIL.fullmatch(after):
            return replace(mention.date, text=text)
    return None


def _scan(
    text: str, published: date | None, state: _State, lenient: bool, language: str | None = None
) -> list[DateMention]:
    if language in dates_ru.LANGUAGES:
        chosen = dates_ru.candidates(text)
    else:
        reader = Reader(text)  # the scan and the combining both look back over the words
        atoms, relatives = scan(reader)
        atoms = select(atoms, lambda a: (a.end - a.start, a.strong))
        found = combine(reader, atoms, lenient) + relatives
        chosen = select(found, lambda c: (c.end - c.start, not isinstance(c.expr, Relative)))
    pairs = [
        (cand, mention)
        for cand in chosen
        if (mention := within_calendar(_mention, text, cand, published, state)) is not None
    ]
    periods = [(cand, _period_of(mention.date)) for cand, mention in pairs]
    fixes = within_calendar(context_bounds, periods, published) or {}
    fixes |= within_calendar(refinements, text, periods) or {}
    return [_refined(mention, fixes.get(i)) for i, (_, mention) in enumerate(pairs)]


def _refined(mention: DateMention, period: Period | None) -> DateMention:
    """A mention with the period that a following date settled (see `dates_context`)."""
    if period is None:
        return mention
    fuzzy = replace(
        mention.date,
        edtf=period.edtf,
        earliest=period.earliest,
        latest=period.latest,
        precision=period.precision,
    )
    return replace(mention, date=fuzzy)


def _mention(
    text: str, cand: Candidate, published: date | None, state: _State
) -> DateMention | None:
    expr, start = cand.expr, cand.start
    narrative = state.narrative
    if narrative is not None and text.find("\n", state.narrative_end, cand.start) != -1:
        narrative = None
    resolved: _Resolved | None
    if isinstance(expr, Relative):
        anchor = None if expr.deictic else state.anchor_for(expr, cand.start)
        if expr.base is not None:
            anchor = day_period(expr.base)
        period = _exactly(expr, anchor, published) or resolve_relative(expr, anchor, published)
        if period is None or (_after(period, published) and not expr.deictic):
            return None
        if expr.deictic and expr.unit in ("month", "year"):
            state.remember(period, cand.end, written=True, absolute=False)  # "a year ago, May 8"
        resolved = (period, True, expr.confidence)
    elif isinstance(expr, Open) and expr.op == "run_up":  # "Before Christmas"
        day = _point(expr.inner, published, narrative)
        near = state.anchors[-1][1] if state.anchors else None  # used if within a month
        resolved = _resolved(day and run_up(day[0], near, published), True, 0.5)
    elif isinstance(expr, Open):
        resolved = _point(expr.inner, published, narrative)
        if resolved is not None:
            state.remember(resolved[0], cand.end, not resolved[1], absolute=False)
            opened = None if expr.alone else open_period(expr.op, resolved[0], published)
            if opened is None:
                start = cand.core  # an undated "since March": keep the date, drop the operator
            else:
                resolved = (opened, resolved[1], resolved[2])
    elif isinstance(expr, Span):
        resolved = _span(expr, published, narrative)
    else:
        resolved = _point(expr, published, narrative)
    if resolved is None:
        return None
    period, inferred, confidence = resolved
    if not isinstance(expr, Relative | Open):
        state.remember(period, cand.end, not inferred, absolute=True)
    fuzzy = FuzzyDate(
        text[start : cand.end],
        period.edtf,
        period.earliest,
        period.latest,
        period.precision,
        inferred,
        round(confidence, 2),
    )
    return DateMention(start, cand.end, fuzzy)


def _exactly(rel: Relative, anchor: Period | None, published: date | None) -> Period | None:
    """ "exactly a year ago", "ровно через месяц после ...": that very day."""
    base = published if rel.deictic else anchor.earliest if anchor is not None else None
    if rel.kind != "exact" or base is None or (anchor is not None and anchor.precision != "day"):
        return None
    return day_period(add_months(base, rel.low * (12 if rel.unit == "year" else 1)))


def _after(period: Period, published: date | None) -> bool:
    return published is not None and period.earliest is not None and period.earliest > published


def _resolved(period: Period | None, inferred: bool, confidence: float) -> _Resolved | None:
    return None if period is None else (period, inferred, confidence)


def _point(p: Point, published: date | None, narrative: Period | None) -> _Resolved | None:
    """Resolve one point: its own year, the paragraph's year, the published year, or XXXX."""
    if p.year is not None:
        return _resolved(point_period(p, p.year), False, p.confidence)
    if p.grain == "year" or (p.grain == "month" and p.month is None):
        if published is None:
            return None
        return _resolved(resolve_deictic(p, published), True, min(p.confidence, 0.7))
    if narrative is not None:
        period = resolve_narrative(p, narrative, published)
        if period is not None:
            return period, True, min(p.confidence, 0.6)
    if published is not None:
        return _resolved(resolve_published(p, published), True, min(p.confidence, 0.7))
    return _resolved(yearless_period(p), False, 0.3)


def _span(s: Span, published: date | None, narrative: Period | None) -> _Resolved | None:
    """Resolve a range; when neither end has a year, the second end chooses it."""
    second = _point(s.second, published, narrative)
    if second is None:
        return None
    last = second[0]
    if s.first.year is not None:
        first = _point(s.first, published, narrative)
    elif last.latest is None:
        first = _resolved(yearless_period(s.first), False, 0.3)
    else:
        first = None
        for year in (last.latest.year, last.latest.year - 1):
            period = point_period(s.first, year)
            if period is not None and period.earliest and period.earliest <= last.latest:
                first = (period, True, second[2])
                break
    if first is None:
        return None
    low = first[0]
    if low.earliest is not None and last.latest is not None and low.earliest > last.latest:
        return None
    confidence = min(first[2], second[2], s.confidence)
    return span_period(low, last), first[1] or second[1], confidence


def _period_of(fuzzy: FuzzyDate | None) -> Period | None:
    if fuzzy is None or fuzzy.earliest is None or fuzzy.latest is None:
        return None
    low, _, high = fuzzy.edtf.partition("/")
    return Period(fuzzy.edtf, fuzzy.earliest, fuzzy.latest, fuzzy.precision, low, high or low)


_MONTH_ANY_CASE = re.compile(rf"(?i)(?<![\w])(?:{'|'.join(MONTH_NAMES)})(?![\w])")
_LEAD = re.compile(r"\s*(?:(?:[Ii]n|[Oo]n|[Aa]t|[Dd]uring|[Ss]ometime\s+in)\s+)?")
_LEAD_RU = re.compile(r"\s*(?:(?:[Вв]о?|[Сс]о?|[Нн]а|[Дд]о|[Пп]осле|[Кк])\s+)?")
_TRAIL = re.compile(r"[\s.,;:!?]*")
_EDTF_VALUE = (
    r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[~?%]?|\d{4}-2[1-4]|\d{3}X|\d{2}XX"
)
_EDTF = re.compile(rf"(?P<a>{_EDTF_VALUE}|\.\.)(?:/(?P<b>{_EDTF_VALUE}|\.\.))?")


def _edtf_literal(text: str, published: date | None) -> FuzzyDate | None:
    """A phrase that is already EDTF ("2024-05", "2022-23/..", "199X"), with its bounds."""
    m = _EDTF.fullmatch(text)
    if m is None or (m.group("a") == ".." and m.group("b") in (None, "..")):
        return None
    low = _edtf_value(m.group("a"))
    if m.group("b") is None:
        return _fuzzy(text, low) if low is not None else None
    high = _edtf_value(m.group("b"))
    if m.group("a") == ".." and high is not None:
        return FuzzyDate(text, text, None, high.latest, "open")
    if m.group("b") == ".." and low is not None:
        now = (
            published
            if published is not None and low.earliest and published >= low.earliest
            else None
        )
        return FuzzyDate(text, text, low.earliest, now, "open")
    if low is None or high is None or not (low.earliest and high.latest):
        return None
    if low.earliest > high.latest:
        return None
    return FuzzyDate(text, text, low.earliest, high.latest, "range")


def _fuzzy(text: str, period: Period) -> FuzzyDate:
    return FuzzyDate(text, text, period.earliest, period.latest, period.precision)


def _edtf_value(value: str) -> Period | None:
    if value == "..":
        return None
    core = value.rstrip("~?%")
    year_text, *rest = core.split("-")
    if year_text.endswith("XX"):
        return point_period(Point("century", int(year_text[:2]) * 100), int(year_text[:2]) * 100)
    if year_text.endswith("X"):
        return point_period(Point("decade", int(year_text[:3]) * 10), int(year_text[:3]) * 10)
    year = int(year_text)
    if not rest:
        return point_period(Point("year", year), year)
    number = int(rest[0])
    if number > 12:
        return point_period(Point("season", year, season=number), year)
    if len(rest) == 1:
        return point_period(Point("month", year, number), year)
    return point_period(Point("day", year, number, int(rest[1])), year)
