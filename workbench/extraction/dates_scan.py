"""Fast scanning for dates: cheap trigger words first, the full grammar only where they occur."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from workbench.extraction.dates_calendar import SEASONS, within_calendar
from workbench.extraction.dates_events import EVENT_RULES
from workbench.extraction.dates_grammar import ATOM_RULES, MONTH_NAMES, Atom
from workbench.extraction.dates_model import Candidate
from workbench.extraction.dates_relative import AMOUNT_WORDS, MODIFIER_WORDS, RELATIVE_RULES

_MONTHS = list(MONTH_NAMES)
_SEASONS = list(SEASONS)
_RELATIVE = ["day", "week", "month", "year", "night", "morning", "evening", "afternoon", "tomorrow"]
_RELATIVE += ["anniversary"]
_HOLIDAYS = ["New Year", "Christmas", "Victory Day"]
# Every alternative starts with a literal, so the regex engine skips ahead in C; lower-case
# trigger words are found with str.find, which is faster still.
_NUMBER_OR_NAME = re.compile(
    "|".join(
        [f"{d}[0-9]*" for d in "0123456789"]
        + _MONTHS
        + [m.upper() for m in _MONTHS]
        + _HOLIDAYS
        + [w.capitalize() for w in _SEASONS + _RELATIVE]
    )
)
_LOWER_WORDS = _SEASONS + _RELATIVE
_MONTH_SET = set(_MONTHS) | {m.upper() for m in _MONTHS}
_SEASON_SET = set(_SEASONS)
_FAMILIES = {
    # an amount in figures opens the phrases that count from an event too ("5 weeks into
    # the war", "after 50 weeks of war"), which its unit word alone would read as vague
    "num": ("iso", "numeric", "year", "day_first", "decade", "count", "war_part", *EVENT_RULES),
    "month": ("month_first",),
    "season": ("season", "fixed"),
    "holiday": ("holiday",),
    "rel": ("count", "fixed", "deictic", "weekday", "year", *EVENT_RULES),
}
# Words that may open a date phrase before its trigger word: "the night of", "the end of",
# "the first half of", "a couple of weeks", "later that", "the past six", "just over",
# "in a few", "after eight", "as of".
PRE_WORDS = AMOUNT_WORDS | MODIFIER_WORDS | {
    "the", "night", "of", "early", "late", "mid", "middle", "end", "beginning", "start", "first",
    "second", "third", "fourth", "last", "half", "week", "quarter", "this", "next", "that", "same",
    "following", "previous", "preceding", "later", "earlier", "past", "on", "in", "after", "as",
}  # fmt: skip
# A word read backwards: the gap before the trigger, then letters up to a non-word character.
_REVERSED_WORD = re.compile(r"[ \t\n\u00a0\u202f-]{1,3}([A-Za-z]{1,16})(?![A-Za-z0-9])")
_REVERSED_WORD_DOTS = re.compile(r"[ \t\n\u00a0\u202f-]{1,3}([A-Za-z.]{1,16})(?![A-Za-z0-9])")


def _family(word: str) -> str:
    if word[0].isdigit():
        return "num"
    if word in _MONTH_SET:
        return "month"
    if word.lower() in _SEASON_SET:
        return "season"
    if word in _HOLIDAYS:
        return "holiday"
    return "rel"


class Reader:
    """A text and its reverse, for quick looks at the words before a position."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._reversed = text[::-1]

    def words_before(self, edge: int, dots: bool = False) -> Iterator[tuple[int, str]]:
        """The words right before `edge`, nearest first, while joined by spaces or hyphens."""
        pattern = _REVERSED_WORD_DOTS if dots else _REVERSED_WORD
        size = len(self.text)
        pos = size - edge
        while (m := pattern.match(self._reversed, pos)) is not None:
            yield size - m.end(1), m.group(1)[::-1]
            pos = m.end(1)


def _starts(reader: Reader, start: int) -> list[int]:
    """Where a phrase around a trigger may begin: the trigger, or earlier opening words."""
    starts = [start]
    if start and reader.text[start - 1] in "'’‘":
        starts.append(start - 1)
    for begin, word in reader.words_before(starts[-1]):
        if word.lower() not in PRE_WORDS or len(starts) > 6:
            break
        starts.append(begin)
    return starts[::-1]


def triggers(text: str) -> list[tuple[int, str]]:
    """Positions and families of the words that can be part of a date."""
    found = [(m.start(), _family(m.group())) for m in _NUMBER_OR_NAME.finditer(text)]
    for word in _LOWER_WORDS:
        family = _family(word)
        at = text.find(word)
        while at != -1:
            found.append((at, family))
            at = text.find(word, at + 1)
    return found


_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], Atom | Candidate | None]]
_RULES: dict[str, list[_Rule]] = {
    family: [(name, *({**ATOM_RULES, **RELATIVE_RULES, **EVENT_RULES}[name])) for name in names]
    for family, names in _FAMILIES.items()
}


def scan(reader: Reader) -> tuple[list[Atom], list[Candidate]]:
    """Date atoms and relative phrases found around trigger words, possibly overlapping."""
    text = reader.text
    atoms: list[Atom] = []
    relatives: list[Candidate] = []
    tried: set[tuple[str, int]] = set()
    for at, family in triggers(text):
        start = at
        while start and at - start < 12 and text[start - 1].isalnum():
            start -= 1
        starts = _starts(reader, start)
        for name, pattern, handler in _RULES[family]:
            for begin in starts:
                key = (name, begin)
                if key in tried:
                    continue
                tried.add(key)
                m = pattern.match(text, begin)
                found = within_calendar(handler, m) if m is not None else None
                if isinstance(found, Atom):
                    atoms.append(found)
                elif found is not None:
                    relatives.append(found)
    return atoms, relatives
