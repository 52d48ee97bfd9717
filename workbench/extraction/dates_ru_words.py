"""Russian words of the date finder (months, seasons, parts, amounts, units, known events),
and the scan that runs its rules only over the stretches of text that hold their words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import TypeVar

from workbench.extraction.dates_model import (
    LAST,
    MOBILISATION,
    NEXT,
    THIS,
    WAR_START,
    YEAR_OFFSETS,
)

# Every case of every month: "сентябрь", "сентября", "сентябре", "сентябрём"; "май", "мая".
_SOFT = "январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр"
MONTH = rf"(?:(?:{_SOFT})(?:ь|я|е|ю|ё?м|ем)|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем))(?!\w)"
MONTH_ABBR = r"(?:янв|февр?|апр|авг|сент?|окт|нояб?|дек)\."
_MONTH_KEYS = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
_MONTH_STEMS = sorted(
    ((stem, number) for number, stem in enumerate(_MONTH_KEYS, start=1)), key=lambda s: -len(s[0])
)  # "мар" before "ма"

# Seasons in every case; "лет" alone is the plural of "год" and never a season.
SEASON = r"(?:весн(?:а|ы|е|у|ой|ою)|лет(?:о|а|у|ом)|осен(?:ь|и|ью)|зим(?:а|ы|е|у|ой|ою))(?!\w)"
_SEASON_CODES = {"весн": 21, "лет": 22, "осен": 23, "зим": 24}

# A part of a month, year, season or decade: "в начале мая", "конца марта", "первой половине".
PART = (
    r"(?:начал[оаеу]|середин[аеуы]|кон(?:ец|ца|це|цу)|исход[еу]"
    r"|(?:перв|втор)(?:ая|ой|ую)\s+половин[аеуы]|(?:перв|последн)(?:ые|ых|их|ие)\s+числ(?:а|ах)"
    r"|(?:перв|последн)(?:ая|яя|ой|ей|ую|юю)\s+недел[яиею]"
    r"|(?:перв|втор|трет|последн)(?:ая|яя|ой|ей|ью|ую|юю)\s+декад[аеуы])"
)
_PART_KEYS = [
    ("начал", "early"), ("середин", "mid"), ("кон", "late"), ("исход", "late"),
    ("первые числ", "early"), ("первых числ", "early"), ("последн", "late"),
    ("первая полов", "h1"), ("первой полов", "h1"), ("первую полов", "h1"), ("втор", "h2"),
]  # fmt: skip
_WEEK_PARTS = {"перв": "w1", "последн": "wl"}
_DECADE_PARTS = {"перв": "early", "втор": "mid", "трет": "late", "последн": "late"}

YEAR = r"(?:1[89]\d\d|20\d\d)"
YEAR_WORD = r"(?:год(?:а|у|ом|ы|ов|ах|ами)?(?!\w)|гг?\.)"
# "прошлого года", "этого года": a year counted from the published date.
RELATIVE_YEAR = r"(?:позапрошлого|прошлого|этого|текущего|нынешнего|следующего|будущего)\s+года"
_YEAR_STEPS = {"позапрошл": -2, "прошл": -1, "эт": 0, "текущ": 0, "нынешн": 0, "след": 1, "буд": 1}
# "прошлым летом", "этой осенью", "в прошлом году": last, this, next.
DEICTIC_WORD = r"(?:позапрошл|прошл|минувш|эт|текущ|нынешн|следующ|будущ)\w{0,3}"
_DEICTIC_POLICIES = {"прошл": LAST, "минувш": LAST, "след": NEXT, "буд": NEXT}

# Prepositions that govern a date and stay outside its span ("в 2021 году", "с марта").
GOVERNING = frozenset({"в", "во", "с", "со", "по", "до", "после", "к", "ко", "от", "на", "за"})

_NUMBERS = {
    "один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
    "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "тридцать": 30, "сорок": 40,
}  # fmt: skip
_VAGUE = {"несколько": (2, 9), "пару": (2, 3), "пара": (2, 3), "считанные": (2, 5)}
_ONE_AND_A_HALF = {"year": ("month", 18, 18), "month": ("day", 45, 45), "week": ("day", 10, 11)}
# Figures may group thousands with a space, as Russian writes them: "2 000 дней".
_FIGURES = [r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+", r"\d{1,4}"]
AMOUNT = "|".join(sorted([*_NUMBERS, *_VAGUE, "полтора", "полторы", *_FIGURES], key=len)[::-1])
# Units after a number or alone, in the cases a shift takes ("через неделю", "5 дней назад").
UNIT = r"(?:дн(?:я|ей)|день|сутки|суток|недел(?:ю|и|ь|я)|месяц(?:а|ев)?|год(?:а)?|лет|полгода)"
_UNITS = {"д": "day", "с": "day", "н": "week", "м": "month", "г": "year", "л": "year"}
# The same units in the instrumental: "годом ранее", "двумя днями позже".
UNIT_BY = r"(?:дн[её]м|днями|сутками|неделей|неделями|месяцем|месяцами|годом|годами)"
AMOUNT_BY = {"двумя": 2, "тремя": 3, "четырьмя": 4, "пятью": 5, "несколькими": 3}

# Known events of this subject that a phrase may count from ("спустя неделю после вторжения").
EVENT = (
    r"(?:(?:начал[аоу]\s+)?(?:полномасштабного\s+)?вторжени[еяю]"
    r"|начал[аоу]\s+(?:полномасштабной\s+)?(?:войны|СВО|спецоперации"
    r"|специальной\s+военной\s+операции)"
    r"|(?:объявлени[еяю]\s+|начал[аоу]\s+)?(?:частичной\s+)?мобилизации)(?!\w)"
)


def month_number(word: str) -> int:
    """1..12 for a Russian month word in any case, or its abbreviation."""
    key = word.lower()
    return next(number for stem, number in _MONTH_STEMS if key.startswith(stem))


def season_code(word: str) -> int:
    """The EDTF season code (21..24) of a Russian season word."""
    key = word.lower()
    return next(code for stem, code in _SEASON_CODES.items() if key.startswith(stem))


def part_key(words: str) -> str:
    """The qualifier key (early, mid, late, h1, h2, w1, wl) of a part phrase."""
    key = " ".join(words.lower().split())
    if "декад" in key:  # the three ten-day parts of a month
        return next(part for stem, part in _DECADE_PARTS.items() if key.startswith(stem))
    if "недел" in key:
        return next(part for stem, part in _WEEK_PARTS.items() if key.startswith(stem))
    return next(part for stem, part in _PART_KEYS if key.startswith(stem))


def year_policy(words: str) -> str:
    """The policy of "прошлого года" and the like: the published year moved by so many."""
    key = words.lower()
    return YEAR_OFFSETS[next(step for stem, step in _YEAR_STEPS.items() if key.startswith(stem))]


def deictic_policy(word: str) -> str:
    """LAST, THIS or NEXT for "прошлым", "этой", "следующей"."""
    key = word.lower()
    return next((policy for stem, policy in _DEICTIC_POLICIES.items() if stem in key), THIS)


def shift_size(number: str | None, unit_word: str) -> tuple[str, int, int] | None:
    """The unit and the (low, high) count of "две недели", "несколько дней", "полтора года"."""
    unit, size = unit_of(unit_word)
    if number is not None and number.lower().startswith("полтор"):
        return _ONE_AND_A_HALF.get(unit, ("day", 1, 2))
    count = amount(number)
    return None if count is None else (unit, count[0] * size, count[1] * size)


def amount(word: str | None) -> tuple[int, int] | None:
    """The number a word says, as a (low, high) pair; one when there is no word."""
    if word is None:
        return (1, 1)
    key = word.lower()
    figures = "".join(key.split())
    if figures.isdigit():
        return (int(figures), int(figures))
    if key in _VAGUE:
        return _VAGUE[key]
    value = _NUMBERS.get(key) or AMOUNT_BY.get(key)
    return (value, value) if value else None


def unit_of(word: str) -> tuple[str, int]:
    """The unit of a unit word and how many of it the word itself holds ("полгода": 6 months)."""
    key = word.lower()
    if key == "полгода":
        return "month", 6
    return _UNITS[key[0]], 1


def event_date(words: str) -> date:
    """The day a known event began."""
    return MOBILISATION if "мобилизац" in words.lower() else WAR_START


def previous_word(text: str, start: int) -> str | None:
    """The word right before ``start`` (lower case) if only spaces separate them."""
    m = _PREVIOUS.search(text, max(0, start - 24), start)
    return m.group(1).lower() if m is not None else None


_PREVIOUS = re.compile(r"(?<!\w)(\w+)\s{1,3}\Z")


T = TypeVar("T")
# A rule: its pattern, what makes a date of a match, and words one of which every match holds.
Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], T | None], tuple[str, ...]]
MONTH_KEYS = ("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_BLOCK = 4000  # characters per stretch, cut at line breaks (no date spans a paragraph)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while start < len(text):
        cut = text.find("\n", start + _BLOCK)
        end = len(text) if cut == -1 else cut + 1
        yield start, end
        start = end


def run_rules(text: str, rules: list[Rule[T]]) -> list[T]:
    """What every rule finds, each pattern run only where one of its words occurs (a cheap
    test in C: a 20 MB document is read in seconds, not minutes)."""
    found: list[T] = []
    for start, end in _blocks(text):
        lower = text[start:end].lower()
        for pattern, handler, keys in rules:
            if any(key in lower for key in keys):
                found += [
                    item
                    for m in pattern.finditer(text, start, end)
                    if (item := handler(m)) is not None
                ]
    return found
