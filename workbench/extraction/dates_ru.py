"""Russian dates: a grammar of its own, resolved by the same calendar as the English one.

What counts (bounds as in `workbench.extraction.dates`):
- Days, months, years in any case: "21 сентября 2023 года", "21.09.2023", "2 июля", "в октябре",
  "октябрь 2023", "в сентябре 2022-го", "в 2021 году", "за весь 2022 год"; a bare year only
  with a year word ("году", "г."), an ending ("2021-м") or a preposition and nothing after it
  ("в 2021," "после 2012."), so "2076 уголовных дел" is a count.
- Coordinated or ranged values written as one phrase are one item: "5 и 8 июля",
  "2023 и 2024 годах", "2010–2011 годах", "с сентября по ноябрь", "в сентябре и октябре 2022
  года"; two ends that each carry their year are two items ("с 3 октября 2022 года по
  12 сентября 2023 года").
- Decades "2010-х", "90-е годы"; half-years and quarters "в первом полугодии 2023 года",
  "в третьем квартале"; "шесть месяцев 2023 года" (January to June).
- Seasons "осенью 2022-го", "летом" (the paragraph's year, else the published date's),
  "прошлым летом", a season heading "Осень:" (the year of the first date under it).
- Parts: "в начале мая" (1-10), "в середине июня" (11-20), "в конце июля", "конца марта"
  (21-end), "в первой половине 2023 года", "в первых числах мая", "в конце лета".
- "в октябре прошлого года": the month in the year before the published one.
Spans leave out the governing preposition ("в", "с", "по", "до", "после"); an operator never
opens the interval ("с марта" is March, "после 2012 года" is 2012), as the gold convention has it.
Relative phrases are in `workbench.extraction.dates_ru_relative`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workbench.extraction.dates_calendar import point_period
from workbench.extraction.dates_grammar import ATOM_RULES, LB, LB_DAY, Atom, select
from workbench.extraction.dates_model import THIS, Candidate, Point, Span
from workbench.extraction.dates_ru_relative import relative_candidates
from workbench.extraction.dates_ru_words import (
    DEICTIC_WORD,
    GOVERNING,
    MONTH,
    MONTH_ABBR,
    MONTH_KEYS,
    PART,
    RELATIVE_YEAR,
    SEASON,
    YEAR,
    YEAR_WORD,
    Rule,
    deictic_policy,
    month_number,
    part_key,
    previous_word,
    run_rules,
    season_code,
    year_policy,
)

LANGUAGES = frozenset({"ru"})
_S = r"\s{1,3}"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:-?го)?(?!\w)"
# A year of a phrase's own: "2023 года", "2022-го", "2021 г.", or "прошлого года".
_YEAR_OWN = (
    rf"(?:(?P<y>{YEAR})(?!\d)(?:-?(?:го|м|й)(?!\w))?(?:{_S}{YEAR_WORD})?"
    rf"|(?P<rel>{RELATIVE_YEAR}))"
)
_YEAR_AFTER = rf"(?:,?{_S}{_YEAR_OWN})?"
_FLAGS = re.IGNORECASE

DAY_MONTH = re.compile(
    rf"{LB_DAY}(?P<d>{_DAY})(?:(?:\s?[-–—]\s?|{_S}(?:и|или|по|до){_S}|,{_S})(?P<d2>{_DAY}))?"
    rf"{_S}(?P<m>{MONTH}|{MONTH_ABBR}){_YEAR_AFTER}",
    _FLAGS,
)
MONTH_ALONE = re.compile(rf"(?<!\w)(?:(?P<q>{PART}){_S})?(?P<m>{MONTH}){_YEAR_AFTER}", _FLAGS)
YEAR_NUMBER = re.compile(
    rf"(?:(?<!\w)(?P<q>{PART}){_S}|(?<![\-–—])){LB}(?P<y>{YEAR})"
    rf"(?:(?P<sep>\s?[-–—]\s?|{_S}(?:и|или|по|до){_S})(?P<y2>{YEAR}|\d\d)(?!\d))?(?!\d)"
    rf"(?P<suf>-(?:го|м|й)(?!\w))?(?P<g>{_S}{YEAR_WORD})?",
    _FLAGS,
)
DECADE = re.compile(
    rf"(?<!\w)(?:(?P<q>{PART}){_S})?(?P<dec>(?:1[89]|20)\d0|\d0)-?(?:х|е|ые|ых)(?!\w)"
    rf"(?P<g>{_S}год(?:ы|ов|ах|ами)(?!\w))?",
    _FLAGS,
)
SEASON_PHRASE = re.compile(
    rf"(?<!\w)(?:(?P<adj>{DEICTIC_WORD}){_S})?(?:(?P<q>{PART}){_S})?(?P<s>{SEASON}){_YEAR_AFTER}",
    _FLAGS,
)
HALF = re.compile(
    r"(?<!\w)(?P<ord>перв|втор|трет|четв[её]рт|последн)ь?(?:ом|ое|ого|ая|ой|ую|ем|ее|его|ый|ий)"
    rf"{_S}(?P<unit>полугоди(?:е|я|ю|и|ем)|квартал(?:а|е|у|ом)?)(?!\w)(?:{_S}{_YEAR_OWN})?",
    _FLAGS,
)
RELATIVE_YEAR_PHRASE = re.compile(
    rf"(?<!\w)(?:(?P<q>{PART}){_S})?(?:(?P<rel>{RELATIVE_YEAR})|(?P<bare>года|месяца)(?!\w))"
    r"|(?<!\w)(?P<whole>(?:позапрошлый|прошлый|этот|текущий|нынешний)\s+год)(?!\w)",
    _FLAGS,
)
HOLIDAY = re.compile(
    r"(?<!\w)(?P<h>Нов(?:ый|ого|ому|ым)\s+год(?:а|у|ом)?|[Дд](?:ень|ня|ню|н[её]м)\s+Победы"
    r"|Рождеств(?:о|а|у|ом)|новогодн(?:юю|яя|ей)\s+ночь(?:ю)?)(?!\w)"
    rf"(?:{_S}(?P<y>{YEAR})(?!\d)(?:{_S}{YEAR_WORD})?)?"
)
_HOLIDAYS = [("новогод", (12, 31)), ("нов", (1, 1)), ("д", (5, 9)), ("рож", (1, 7))]
_HOLIDAY_CONTEXT = frozenset({"в", "на", "под", "после", "до", "перед", "к", "накануне", "канун"})
_N_MONTHS = {
    "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4,
    "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "одиннадцать": 11, "одиннадцати": 11,
}  # fmt: skip
MONTHS_OF_YEAR = re.compile(
    rf"(?<!\w)(?:первы[ех]{_S})?(?P<n>{'|'.join(_N_MONTHS)}|[2-9]|1[01])"
    rf"{_S}месяц(?:а|ев|ах)(?!\w){_S}{_YEAR_OWN}",
    _FLAGS,
)
# A bare year counts after these words when nothing follows it but punctuation: "в 2021,".
_YEAR_CONTEXT = frozenset({"в", "во", "с", "со", "до", "после", "к", "по", "от", "около"})
_SEASON_CONTEXT = frozenset({"до", "с", "со", "к", "после", "начиная", "середины"})
_CAPITAL_NEXT = re.compile(r"\s{1,3}[А-ЯЁA-Z]")
_ENDS = re.compile(r"\s*(?:[.,;:!?)»\"”]|$)")
_HEADING_END = re.compile(r"[ \t]*(?::|\n|$)")
_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четв": 4, "последн": 4}


def _year_of(m: re.Match[str]) -> int | None:
    return int(m.group("y")) if m.group("y") else None


def _point(m: re.Match[str], point: Point) -> Point:
    """The point with the year or the "прошлого года" policy that the match carries."""
    if m.group("rel"):
        return replace(point, policy=year_policy(m.group("rel")))
    return replace(point, year=_year_of(m))


def _day(text: str) -> int:
    return int(text[:2].strip("-"))


def _day_month(m: re.Match[str]) -> Atom | None:
    point = _point(m, Point("day", month=month_number(m.group("m")), day=_day(m.group("d"))))
    if m.group("d2"):
        second = _day(m.group("d2"))
        if second <= (point.day or 0):
            return None
        span = Span(point, replace(point, day=second))
        return Atom(m.start(), m.end(), span, True, "date")
    return Atom(m.start(), m.end(), point, True, "date")


def _month(m: re.Match[str]) -> Atom | None:
    part = part_key(m.group("q")) if m.group("q") else None
    written = m.group("y") or m.group("rel") or part
    if not written and m.group("m")[0].isupper() and _a_name(m):
        return None
    point = _point(m, Point("month", month=month_number(m.group("m")), part=part))
    return Atom(m.start(), m.end(), point, True, "month")


def _a_name(m: re.Match[str]) -> bool:
    """ "Марта Иванова", "пришёл Август": a capitalised month word that is a first name; "Март
    выдался холодным" opens a sentence and "В Марте" follows a preposition."""
    before = previous_word(m.string, m.start())
    if before is not None:
        return before not in GOVERNING
    return _CAPITAL_NEXT.match(m.string, m.end()) is not None


def _year(m: re.Match[str]) -> Atom | None:
    year = int(m.group("y"))
    part = part_key(m.group("q")) if m.group("q") else None
    if part in ("w1", "wl") or not 1900 <= year <= 2100:
        return None
    if not (m.group("g") or m.group("suf") or part) and not _bare_year(m):
        return None
    if m.group("y2"):
        text = m.group("y2")
        second = int(text) if len(text) == 4 else year // 100 * 100 + int(text)
        if not year < second <= year + 60 or part is not None:
            return None
        span = Span(Point("year", year), Point("year", second))
        return Atom(m.start(), m.end(), span, True, "year")
    return Atom(m.start(), m.end(), Point("year", year, part=part), True, "year")


def _bare_year(m: re.Match[str]) -> bool:
    """ "в 2021," or "после 2012." : a preposition before, nothing but punctuation after."""
    return previous_word(m.string, m.start()) in _YEAR_CONTEXT and bool(
        _ENDS.match(m.string, m.end())
    )


def _decade(m: re.Match[str]) -> Atom | None:
    text = m.group("dec")
    if len(text) == 2:
        if not (m.group("g") or m.group("q") or previous_word(m.string, m.start()) in GOVERNING):
            return None
        year = (2000 if int(text) <= 10 else 1900) + int(text)
    else:
        year = int(text)
    part = part_key(m.group("q")) if m.group("q") else None
    return Atom(m.start(), m.end(), Point("decade", year, part=part), True, "date")


def _season(m: re.Match[str]) -> Atom | None:
    word = m.group("s")
    part = part_key(m.group("q")) if m.group("q") else None
    if part is not None and part not in ("early", "mid", "late"):
        return None
    adj = m.group("adj")
    policy = deictic_policy(adj) if adj else None
    dated = m.group("y") or m.group("rel") or part or adj
    instrumental = word.lower().endswith(("ой", "ою", "ом", "ью"))
    context = previous_word(m.string, m.start()) in _SEASON_CONTEXT
    if not (dated or instrumental or context or _heading(m)):
        return None
    point = _point(m, Point("season", season=season_code(word), part=part))
    if policy is not None and point.year is None and not m.group("rel"):
        point = replace(point, policy=policy)
    return Atom(m.start(), m.end(), point, True, "season")


def _heading(m: re.Match[str]) -> bool:
    """A season that opens a line and ends it or a heading's first words ("Осень: ...")."""
    line_start = m.start() == 0 or m.string[m.start() - 1] == "\n"
    return line_start and _HEADING_END.match(m.string, m.end()) is not None


def _relative_year(m: re.Match[str]) -> Atom | None:
    """ "с прошлого года", "до конца этого года": the published year moved; "в конце года",
    "в начале месяца": the published year or month."""
    if m.group("whole"):  # "за прошлый год", "весь этот год"
        if previous_word(m.string, m.start()) not in ("за", "весь", "на"):
            return None
        point = Point("year", policy=year_policy(m.group("whole")), confidence=0.6)
        return Atom(m.start(), m.end(), point, True, "year")
    part = part_key(m.group("q")) if m.group("q") else None
    bare = m.group("bare")
    if part is None and (bare or previous_word(m.string, m.start()) not in _YEAR_CONTEXT):
        return None
    month = bare is not None and bare.lower() == "месяца"
    if part in (("h1", "h2") if month else ("w1", "wl")):
        return None
    policy = THIS if bare else year_policy(m.group("rel"))
    point = Point("month" if month else "year", part=part, policy=policy, confidence=0.6)
    return Atom(m.start(), m.end(), point, True, "year")


def _holiday(m: re.Match[str]) -> Atom | None:
    """ "на Новый год", "в День Победы", "под Рождество 2023 года"."""
    if m.group("y") is None and previous_word(m.string, m.start()) not in _HOLIDAY_CONTEXT:
        return None
    key = m.group("h").lower()
    month, day = next(day for stem, day in _HOLIDAYS if key.startswith(stem))
    return Atom(m.start(), m.end(), Point("day", _year_of(m), month, day), True, "holiday")


def _half(m: re.Match[str]) -> Atom | None:
    number = next(n for stem, n in _ORDINALS.items() if m.group("ord").lower().startswith(stem))
    quarter = m.group("unit").lower().startswith("квартал")
    if not quarter and number > 2:
        return None
    part = f"q{number}" if quarter else f"h{number}"
    point = _point(m, Point("year", part=part))
    return Atom(m.start(), m.end(), point, True, "year")


def _months_of_year(m: re.Match[str]) -> Atom | None:
    word = m.group("n").lower()
    count = int(word) if word.isdigit() else _N_MONTHS[word]
    first, last = _point(m, Point("month", month=1)), _point(m, Point("month", month=count))
    return Atom(m.start(), m.end(), Span(first, last), True, "year")


_CENTURIES = ("19", "20")
_RULES: list[Rule[Atom]] = [
    (DAY_MONTH, _day_month, MONTH_KEYS),
    (MONTH_ALONE, _month, MONTH_KEYS),
    (YEAR_NUMBER, _year, _CENTURIES),
    (DECADE, _decade, ("0-", "0х", "0е", "0ы")),
    (SEASON_PHRASE, _season, ("весн", "лет", "осен", "зим")),
    (RELATIVE_YEAR_PHRASE, _relative_year, ("года", "месяца", " год")),
    (HOLIDAY, _holiday, ("нов", "побед", "рожд")),
    (HALF, _half, ("полугод", "квартал")),
    (MONTHS_OF_YEAR, _months_of_year, ("месяц",)),
    (*ATOM_RULES["iso"], _CENTURIES),
    (*ATOM_RULES["numeric"], _CENTURIES),
]


def atoms(text: str) -> list[Atom]:
    """Every calendar expression of the grammar, longest first where they overlap."""
    return select(run_rules(text, _RULES), lambda a: (a.end - a.start, True))


_RANGE_GAP = re.compile(r"\s?[-–—]\s?|\s{1,3}(?:по|до)\s{1,3}")
_LIST_GAP = re.compile(r"\s{1,3}(?:и|или)\s{1,3}")
_RANGE_OPENERS = frozenset({"с", "со", "от", "между"})


def _joined(text: str, a: Atom, b: Atom) -> Atom | None:
    """ "с сентября по ноябрь", "сентябре и октябре 2022 года": one range, if they are."""
    first, second = a.expr, b.expr
    if not isinstance(first, Point) or not isinstance(second, Point):
        return None
    if first.grain in ("decade", "year") or second.grain in ("decade", "year"):
        return None
    gap = text[a.end : b.start]
    if _LIST_GAP.fullmatch(gap):
        if first.year is not None or second.year is None:
            return None  # "2 июля и 5 августа" are two dates
    elif _RANGE_GAP.fullmatch(gap) is None:
        return None
    elif gap.strip() in ("по", "до") and previous_word(text, a.start) not in _RANGE_OPENERS:
        return None  # "в марте до 5 апреля"
    if first.year is not None and second.year is not None:
        return None  # each end with its year: two dates
    if first.year is not None:
        second = _year_from(first, second)
    # Without a year of its own the first end takes the second's (dates._span does that).
    return Atom(a.start, b.end, Span(first, second), True, "range")


def _year_from(first: Point, second: Point) -> Point:
    """The later end of "с сентября 2022 года по март": in the first end's year or the next."""
    assert first.year is not None
    low = point_period(first, first.year)
    for year in (first.year, first.year + 1):
        high = point_period(second, year)
        if low and high and low.earliest and high.latest and low.earliest <= high.latest:
            return replace(second, year=year)
    return second


def _ranges(text: str, found: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    i = 0
    while i < len(found):
        joined = _joined(text, found[i], found[i + 1]) if i + 1 < len(found) else None
        out.append(joined or found[i])
        i += 2 if joined else 1
    return out


def candidates(text: str) -> list[Candidate]:
    """The Russian date phrases of a text, non-overlapping, in text order."""
    calendar = [
        Candidate(atom.start, atom.end, atom.expr, core=atom.start)
        for atom in _ranges(text, atoms(text))
    ]
    found = calendar + relative_candidates(text)
    return select(found, lambda c: (c.end - c.start, isinstance(c.expr, Point | Span)))
