"""Russian relative dates, counted from the previous date, the published date or a known event.

- From the previous date in the text: "через две недели", "неделю спустя", "на следующий день",
  "в тот же день", "в том же году", "годом ранее" (the whole year before), "двумя днями позже".
- From the published date: "год назад", "ровно год назад" (the same day a year before),
  "несколько дней назад", "вчера", "в прошлом году", "в этом месяце", "на прошлой неделе",
  "в понедельник" (the latest Monday on or before it), "в прошлую пятницу".
- From a known event of this subject (the invasion, 24 February 2022; the mobilisation,
  21 September 2022): "спустя неделю после вторжения", "за неделю до начала войны",
  "в первый день войны", "на третий день вторжения".
Durations ("несколько месяцев", "за пять дней войны"), "с начала войны", "тогда" and "сейчас"
are not dates. The preposition stays in the span where it makes the phrase relative ("через",
"спустя", "за ... до", "на следующий день") and is left out where it only governs ("в").
"""

from __future__ import annotations

import re

from workbench.extraction.dates_model import EXACT_UNITS, POLICIES, Candidate, Point, Relative
from workbench.extraction.dates_relative import amount_left_out
from workbench.extraction.dates_ru_words import (
    AMOUNT,
    AMOUNT_BY,
    DEICTIC_WORD,
    EVENT,
    UNIT,
    UNIT_BY,
    Rule,
    deictic_policy,
    event_date,
    run_rules,
    shift_size,
    unit_of,
)

_S = r"\s{1,3}"
_I = re.IGNORECASE
_MODS = r"ровно|почти|около|примерно|более|больше|менее|меньше|чуть\s+более"
_FROM = rf"(?:{_S}после{_S}(?:(?P<ev>{EVENT})|(?P<this>этого|того)(?!\w)))?"

AFTER = re.compile(
    rf"(?<!\w)(?:через|спустя){_S}(?:(?P<mod>{_MODS}){_S})?(?:(?P<n>{AMOUNT}){_S})?"
    rf"(?P<unit>{UNIT})(?!\w){_FROM}",
    _I,
)
LATER = re.compile(rf"(?<!\w)(?:(?P<n>{AMOUNT}){_S})?(?P<unit>{UNIT}){_S}спустя(?!\w)", _I)
AGO = re.compile(
    rf"(?<!\w)(?:(?P<mod>{_MODS}){_S})?(?:(?P<n>{AMOUNT}){_S})?(?P<unit>{UNIT})"
    rf"{_S}(?:тому{_S})?назад(?!\w)",
    _I,
)
BEFORE = re.compile(
    rf"(?<!\w)за{_S}(?:(?P<n>{AMOUNT}){_S})?(?P<unit>{UNIT}){_S}до{_S}"
    rf"(?:(?P<ev>{EVENT})|(?P<this>этого|того)(?!\w))",
    _I,
)
BY = re.compile(
    rf"(?<!\w)(?:(?P<n>{'|'.join(AMOUNT_BY)}){_S})?(?P<unit>{UNIT_BY}){_S}"
    r"(?P<dir>ранее|раньше|позже|позднее)(?!\w)",
    _I,
)
FIXED = re.compile(
    rf"(?<!\w)(?:на{_S}(?P<next>следующ(?:ий|ее|ую)|другой|другое){_S}(?P<nu>день|утро|сутки)"
    rf"|(?:в|во){_S}(?P<same>э?т(?:от|у|ом|ой){_S}же){_S}(?P<su>день|вечер|ночь|месяце|году)"
    rf"|на{_S}(?P<week>{DEICTIC_WORD}){_S}неделе"
    rf"|(?:в|во){_S}(?P<dw>{DEICTIC_WORD}){_S}(?P<du>году|месяце)"
    r"|(?P<day>позавчера|вчера|завтра))(?!\w)",
    _I,
)
_WEEKDAYS = ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]
WEEKDAY = re.compile(
    rf"(?<!\w)(?:в|во){_S}(?:(?P<w>(?:прошл|минувш|эт|следующ|ближайш)\w{{0,3}}){_S})?"
    rf"(?P<wd>{'|'.join(_WEEKDAYS)})(?!\w)(?!,?{_S}\d)",
    _I,
)
_ORDINAL = {
    "перв": 1, "втор": 2, "трет": 3, "четв": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10,
}  # fmt: skip
_WAR = rf"(?:войны|СВО|спецоперации|{EVENT})"
WAR_DAY = re.compile(
    rf"(?<!\w)(?:(?P<prep>в|во|на){_S}(?P<ord>(?:{'|'.join(_ORDINAL)})\w{{1,5}}|\d{{1,4}}-?[йм])"
    rf"{_S}(?P<unit>день|недел[юие]|месяц[еа]?|год[ау]?){_S}(?P<ev>{_WAR})"
    rf"|(?:в|во){_S}(?P<first>первые{_S}(?P<units>дни|недели|месяцы){_S}(?P<ev3>{_WAR}))"
    rf"|(?:в|во){_S}(?P<the>день{_S}(?P<ev2>{EVENT})))",
    _I,
)
# The n-th day, week, month or year of the war as days (or months) after its start; the
# first days, weeks or months as the first week, four weeks or three months.
_NTH = {"д": ("day", 1, 0), "н": ("day", 7, -1), "м": ("month", 1, 0), "г": ("month", 12, 0)}
_FIRST = {"д": ("day", 0, 6), "н": ("day", 0, 27), "м": ("month", 0, 3)}
_DAY_OFFSETS = {"позавчера": -2, "вчера": -1, "завтра": 1}


def _shift(m: re.Match[str], sign: int, deictic: bool) -> Relative | None:
    """The shift a number and unit say, forward (1) or back (-1)."""
    size = shift_size(m.group("n"), m.group("unit"))
    if size is None or amount_left_out(m):
        return None
    unit, low, high = size
    if sign < 0:
        low, high = -high, -low
    groups = m.groupdict()
    base = event_date(groups["ev"]) if groups.get("ev") else None
    exact = (groups.get("mod") or "").lower() == "ровно" and low == high and unit in EXACT_UNITS
    kind = "exact" if exact else "shift"
    confidence = (0.5 if low == high else 0.4) + (0.1 if deictic or base else 0)
    return Relative(kind, unit, low, high, deictic=deictic, confidence=confidence, base=base)


def _after(m: re.Match[str]) -> Candidate | None:
    rel = _shift(m, 1, deictic=False)
    return Candidate(m.start(), m.end(), rel) if rel else None


def _ago(m: re.Match[str]) -> Candidate | None:
    rel = _shift(m, -1, deictic=True)
    return Candidate(m.start(), m.end(), rel) if rel else None


def _before(m: re.Match[str]) -> Candidate | None:
    rel = _shift(m, -1, deictic=False)
    return Candidate(m.start(), m.end(), rel) if rel else None


def _by(m: re.Match[str]) -> Candidate | None:
    """ "годом ранее" is the whole year before, "двумя днями позже" two days after."""
    count = AMOUNT_BY.get((m.group("n") or "").lower(), 1)
    unit, _ = unit_of(m.group("unit"))
    step = count if m.group("dir").lower().startswith("поз") else -count
    kind = "shift" if unit in ("day", "week") else "unit"
    return Candidate(m.start(), m.end(), Relative(kind, unit, step, step))


def _fixed(m: re.Match[str]) -> Candidate | None:
    if m.group("next"):
        return Candidate(m.start(), m.end(), Relative("shift", "day", 1, 1))
    if m.group("same"):
        unit = {"месяце": "month", "году": "year"}.get(m.group("su").lower(), "day")
        return Candidate(m.start("same"), m.end(), Relative("unit", unit, 0, 0))
    if m.group("week"):
        step = _step(deictic_policy(m.group("week")))
        return Candidate(m.start(), m.end(), Relative("unit", "week", step, step, deictic=True))
    if m.group("dw"):
        grain = "year" if m.group("du").lower() == "году" else "month"
        point = Point(grain, policy=deictic_policy(m.group("dw")), confidence=0.7)
        return Candidate(m.start("dw"), m.end(), point)
    offset = _DAY_OFFSETS[m.group("day").lower()]
    rel = Relative("shift", "day", offset, offset, deictic=True, confidence=0.7)
    return Candidate(m.start(), m.end(), rel)


def _step(policy: str) -> int:
    return {POLICIES["last"]: -1, POLICIES["next"]: 1}.get(policy, 0)


def _weekday(m: re.Match[str]) -> Candidate | None:
    step = _step(deictic_policy(m.group("w"))) if m.group("w") else 0
    if m.group("w") and m.group("w").lower().startswith("ближайш"):
        step = 1
    day = _WEEKDAYS.index(m.group("wd").lower())
    rel = Relative("weekday", low=step, weekday=day, deictic=True, confidence=0.6)
    return Candidate(m.start("w") if m.group("w") else m.start("wd"), m.end(), rel)


def _war_day(m: re.Match[str]) -> Candidate | None:
    """ "в первый день войны", "на третьей неделе вторжения", "в первые месяцы войны"."""
    if m.group("the"):
        base = event_date(m.group("ev2"))
        return Candidate(m.start("the"), m.end(), Relative("shift", "day", 0, 0, base=base))
    if m.group("first"):
        unit, low, high = _FIRST[m.group("units")[0].lower()]
        rel = Relative("shift", unit, low, high, base=event_date(m.group("ev3")))
        return Candidate(m.start("first"), m.end(), rel)
    word = m.group("ord").lower()
    digits = "".join(c for c in word if c.isdigit())
    number = int(digits) if digits else next(n for s, n in _ORDINAL.items() if word.startswith(s))
    if number < 1:
        return None
    unit, size, trim = _NTH[m.group("unit")[0].lower()]
    low = (number - 1) * size
    high = low if unit == "day" and size == 1 else number * size + trim
    rel = Relative("shift", unit, low, high, base=event_date(m.group("ev")))
    start = m.start() if m.group("prep").lower() == "на" else m.start("ord")
    return Candidate(start, m.end(), rel)


_WEEKDAY_KEYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскрес")
_FIXED_KEYS = ("следующ", "друг", " же ", "недел", "году", "месяце", "вчера", "завтра")
_RULES: list[Rule[Candidate]] = [
    (AFTER, _after, ("через", "спустя")),
    (LATER, _after, ("спустя",)),
    (AGO, _ago, ("назад",)),
    (BEFORE, _before, (" до ",)),
    (BY, _by, ("ранее", "раньше", "позже", "позднее")),
    (FIXED, _fixed, _FIXED_KEYS),
    (WEEKDAY, _weekday, _WEEKDAY_KEYS),
    (WAR_DAY, _war_day, ("день", "дни", "недел", "месяц", "год")),
]


def relative_candidates(text: str) -> list[Candidate]:
    """Every relative phrase of the Russian grammar, possibly overlapping."""
    return run_rules(text, _RULES)
