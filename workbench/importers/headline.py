"""What the opening of an article says about it: its headline and the date it was published.

News texts saved as plain text start with a headline, often followed by a byline or a
dateline ("11 April 2023", "Monday, 13 February 2023, 17:30", "(20.12.2023)",
"21 сентября 2023"). Only the first lines are read, and only full dates count: a date
without a year or a day is never completed by guessing.
"""

from __future__ import annotations

import re
from datetime import date

# Only the opening of a text is read (splitting a whole 100 MB text into lines would cost
# more than storing it).
OPENING = 8192
# A headline is short and is not a sentence: no final full stop.
MAX_HEADLINE = 200
# How many non-empty lines at the top may hold the dateline or byline.
OPENING_LINES = 6
# A longer line, or a sentence of more words, is body text: only a date at its very
# start counts there ("(20.12.2023) Uncertainty is spreading…"), not a date it mentions.
BYLINE_LENGTH = 80
BYLINE_WORDS = 6  # "Иван Петров, 21 сентября 2023 г." ends with a full stop, yet is a byline

_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Russian month names as they follow a day number (genitive), and the nominative ones.
_RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip

_EN_MONTH = r"(?P<month>" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?"
_RU_MONTH = r"(?P<rumonth>" + "|".join(sorted(_RU_MONTHS, key=len, reverse=True)) + r")[а-я]*"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_DAY}\s+{_EN_MONTH},?\s+{_YEAR}\b",  # 11 April 2023
        rf"\b{_EN_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # Oct. 12, 2024
        rf"(?<![\w.]){_DAY}\s+{_RU_MONTH}\s+{_YEAR}(?:\s*г\.?)?(?!\w)",  # 21 сентября 2023
        r"\b(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)\b",
        r"(?<![\d.])(?P<dot_day>[0-3]?\d)\.(?P<dot_month>[01]?\d)\.(?P<dot_year>(?:19|20)\d\d)\b",
    )
)


def headline(text: str) -> str | None:
    """The first non-empty line, when it looks like a headline: short, no final full stop,
    and not the first line of a wrapped paragraph (the next line going on in lower case)."""
    lines = text[:OPENING].splitlines()
    for number, raw in enumerate(lines):
        line = " ".join(raw.split())
        if not line:
            continue
        if len(line) > MAX_HEADLINE or (line.endswith(".") and not line.endswith("...")):
            return None
        following = lines[number + 1].lstrip() if number + 1 < len(lines) else ""
        if following[:1].islower():
            return None
        return line
    return None


def published_date(text: str) -> date | None:
    """The first full date in the opening lines, or None.

    A dateline or byline may hold the date anywhere; a line of body text only at its start.
    """
    seen = 0
    for raw in text[:OPENING].splitlines():
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > OPENING_LINES:
            return None
        sentence = line.endswith((".", "!", "?", "…")) and len(line.split()) > BYLINE_WORDS
        body = len(line) > BYLINE_LENGTH or sentence
        opening = line[:BYLINE_LENGTH]  # a body line: only its start counts
        if not _HAS_YEAR.search(opening):  # no full date without a year: a quick look first
            continue
        found = _first_date(opening, at_start=body)
        if found is not None:
            return found
    return None


def _first_date(line: str, *, at_start: bool) -> date | None:
    """The first date in a line (only one that opens it, after a bracket, if ``at_start``)."""
    for match in sorted(
        (m for pattern in _PATTERNS for m in pattern.finditer(line)), key=lambda m: m.start()
    ):
        if at_start and line[: match.start()].strip("([ ") != "":
            return None
        found = _as_date(match.groupdict())
        if found is not None:
            return found
    return None


def _as_date(parts: dict[str, str | None]) -> date | None:
    """The date a match names, or None when it names none (31 February, month 13)."""
    if parts.get("iso_year"):
        numbers = (parts["iso_year"], parts["iso_month"], parts["iso_day"])
    elif parts.get("dot_year"):
        numbers = (parts["dot_year"], parts["dot_month"], parts["dot_day"])
    else:
        month = _month(parts.get("month"), parts.get("rumonth"))
        if month is None:
            return None
        numbers = (parts["year"], str(month), parts["day"])
    try:
        year, month_number, day = (int(n or 0) for n in numbers)
        return date(year, month_number, day)
    except ValueError:
        return None


def _month(english: str | None, russian: str | None) -> int | None:
    if english:
        return _EN_MONTHS.get(english.lower().rstrip("."))
    if russian:
        stem = russian.lower()
        for prefix in sorted(_RU_MONTHS, key=len, reverse=True):
            if stem.startswith(prefix):
                return _RU_MONTHS[prefix]
    return None
