"""Relative dates: "two days later" (after the previous date), "yesterday" (from publication)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from workbench.extraction.dates_calendar import (
    SEASONS,
    add_months,
    approx_day,
    day_period,
    days_period,
    fmt_month,
    month_end,
    point_period,
    single_period,
)
from workbench.extraction.dates_grammar import MONTH_WORD, NAME_NEXT, phrase_key
from workbench.extraction.dates_model import POLICIES, STEPS, Candidate, Period, Point, Relative

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}  # fmt: skip
_VAGUE = {"a few": (2, 5), "few": (2, 5), "several": (3, 9), "some": (2, 9), "many": (5, 30)}
_VAGUE |= {"a couple": (2, 3), "a couple of": (2, 3), "a number of": (2, 9)}
# Days are counted more loosely: "in a few days" may be tomorrow or next week.
_VAGUE_DAYS = {"a few": (1, 10), "few": (1, 10), "several": (2, 14), "some": (2, 14)}
_NO_NUMBER = {"day": (2, 14), "week": (1, 8), "month": (1, 12), "year": (2, 20)}
# "nearly a year later" is 10 to 12 months on; "just over 500 days ago" 500 to 583 days back.
_FEWER = {"nearly", "almost", "just under", "less than", "under", "not quite", "barely"}
_MORE = {"over", "just over", "more than", "a little over", "a little more than", "well over"}
_PLAIN = {"just", "only", "some", "about", "around", "roughly", "approximately", "exactly"}
MODIFIER = "|".join(
    sorted((m.replace(" ", r"\s+") for m in _FEWER | _MORE | _PLAIN), key=len)[::-1]
)
MODIFIER_WORDS = frozenset(word for phrase in _FEWER | _MORE | _PLAIN for word in phrase.split())
_FINER = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7), "day": ("day", 1)}
# The words of an amount ("two", "a couple of"): the date scanner lets them open a phrase.
AMOUNT_WORDS = frozenset(word for phrase in [*_NUMBERS, *_VAGUE] for word in phrase.split())
AMOUNT = (
    r"\d{1,3}(?:,\d{3})+|\d{1,4}|a\s+few|a\s+couple(?:\s+of)?|a\s+number\s+of|an?|several|few|some|many|"
    + "|".join(sorted((k for k in _NUMBERS if k not in ("a", "an")), key=len, reverse=True))
)
UNIT = r"days?|weeks?|fortnight|months?|years?"
# "two days later", "just weeks before." (the previous date), "in a few days", "after eight
# months" (counted on from it), "just over 500 days ago" (from the published date).
COUNT = re.compile(
    rf"(?i)(?<!\w)(?:(?P<pre>in|after)\s{{1,3}})?(?:(?P<mod>{MODIFIER})\s{{1,3}})?"
    rf"(?:(?P<n>{AMOUNT})\s{{1,3}})?(?P<unit>{UNIT})(?:\s{{1,3}}(?P<dir>later|earlier|afterwards?"
    r"|after\s+that|before\s+that|ago|(?:before|after)(?=[ \t]*(?:[,.;:!?)—–\n]|\Z))))?(?![\w-])"
)
FIXED = re.compile(
    r"(?i)(?<!\w)(?:the\s+(?P<which>next|following|previous|preceding|same)\s+"
    r"(?P<unit>day|morning|evening|night|week|month|year)"
    r"|the\s+day\s+(?P<dayrel>after|before)(?=\s*[,.;:!?)]|\s*$)"
    r"|that\s+(?:same\s+)?(?P<that>day|night|morning|evening|afternoon|week|month|year"
    r"|spring|summer|autumn|winter)"
    r"|(?P<side>later|earlier)\s+that\s+(?P<within>day|week|month|year))(?![\w-])"
)
DEICTIC = re.compile(
    r"(?i)(?<!\w)(?:(?P<day>today|yesterday|tomorrow|the\s+day\s+before\s+yesterday|tonight"
    r"|last\s+night|this\s+(?:morning|afternoon|evening))"
    r"|(?P<pw>this|last|next)\s+(?P<pu>week|month|year)"
    r"|(?P<side>earlier|later)\s+this\s+(?P<within>week|month|year)"
    rf"|the\s+(?:past|last)\s+(?:(?P<n>{AMOUNT})\s+)?(?P<span>{UNIT}))(?![\w-])(?!\s+of\b)"
)
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = re.compile(
    r"(?<!\w)(?:(?P<wp>[Ll]ast|[Tt]his|[Nn]ext|[Oo]n|[Aa]s\s{1,3}of)\s{1,3})?"
    rf"(?P<wd>{'|'.join(_WEEKDAYS)})(?!\w)(?!,?\s{{1,3}}(?:\d|{MONTH_WORD}|the\s+\d))"
)
_WORD_BEFORE = re.compile(r"(?<![\w’'-])([a-z]+)\s{1,3}\Z")
_NOT_VERBS = {"the", "a", "an", "every", "each", "of", "and", "or", "to", "by", "from", "until"}
_DAY_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2}
_DAY_OFFSETS |= {"tonight": 0, "last night": -1, "this morning": 0, "this afternoon": 0}
_DAY_OFFSETS |= {"this evening": 0}


def _unit(text: str) -> str:
    word = text.lower()
    return "fortnight" if word == "fortnight" else word.rstrip("s")


def _amount(number: str | None, unit: str) -> tuple[int, int] | None:
    if number is None:
        return _NO_NUMBER.get(unit) if unit != "fortnight" else (1, 1)
    key = phrase_key(number).replace(",", "")
    if key in _VAGUE:
        return _VAGUE_DAYS.get(key, _VAGUE[key]) if unit == "day" else _VAGUE[key]
    value = int(key) if key.isdigit() else _NUMBERS.get(key)
    return (value, value) if value else None


def _modified(unit: str, low: int, high: int, mod: str | None) -> tuple[str, int, int]:
    """An amount after "nearly", "just over" and the like, in a finer unit when it changes."""
    key = phrase_key(mod) if mod else ""
    if key not in _FEWER and key not in _MORE:
        return unit, low, high
    finer, size = _FINER[unit]
    low, high = low * size, high * size
    if key in _FEWER:
        return finer, round(low * 5 / 6), high
    return finer, low, round(high * 7 / 6)


# "for the first time in two years", "the highest in five years": a duration, not a date.
_DURATION_BEFORE = re.compile(r"(?i)(?:times?|once|twice|than|least|\w+est)\s{1,3}\Z")
_OF_NEXT = re.compile(r"\s{1,3}of(?!\w)")


def amount_of(number: str | None, unit_word: str, mod: str | None) -> tuple[str, int, int] | None:
    """The unit and the (low, high) amount of "two days", "weeks", "nearly a year"."""
    unit = _unit(unit_word)
    if number is None and not unit_word.lower().endswith("s") and unit != "fortnight":
        return None
    amount = _amount(number, unit)
    if amount is None:
        return None
    low, high = amount
    if unit == "fortnight":
        unit, low, high = "week", 2 * low, 2 * high
    return _modified(unit, low, high, mod)


# The end of a number right before a phrase: "10000 days" read from "days", "9,999 years" or
# "1.5 years" read from the last digits ("2022, 50 days later" is no such case).
_NUMBER_BEFORE = re.compile(r"\d(?:[.,]|\s{1,3})\Z")


def amount_left_out(m: re.Match[str]) -> bool:
    """Whether a phrase that opens with its amount or unit follows a number it did not take:
    "10000 days later" (more digits than the grammar reads) is no vague "days later", "9,999
    years" no 999 years, "1.5 years" no 5 years, "2 000 дней спустя" no 0 days."""
    start = m.start()
    opens = start in (m.start("unit"), m.start("n"))
    return opens and _NUMBER_BEFORE.search(m.string, max(0, start - 4), start) is not None


def count_candidate(m: re.Match[str]) -> Candidate | None:
    """ "two days later", "weeks later", "a month earlier", "in a few days", "after a year"."""
    if (m.group("dir") is None and not _counted_on(m)) or amount_left_out(m):
        return None
    found = amount_of(m.group("n"), m.group("unit"), m.group("mod"))
    if found is None:
        return None
    unit, low, high = found
    direction = phrase_key(m.group("dir") or "later")
    if direction in ("earlier", "before that", "ago", "before"):
        low, high = -high, -low
    ago = direction == "ago"  # "two weeks ago" counts back from the published date
    conf = (0.5 if low == high else 0.4) + (0.1 if ago else 0)
    rel = Relative("shift", unit, low, high, deictic=ago, confidence=conf)
    return Candidate(m.start(), m.end(), rel)


def _counted_on(m: re.Match[str]) -> bool:
    """ "in a few days", "after eight months": counted on from the previous date."""
    pre = (m.group("pre") or "").lower()
    if not pre or (m.group("n") is None and m.group("mod") is None):
        return False  # "six months" is a duration; "after weeks of shelling" too vague
    if pre == "in" and (m.group("mod") or _unit(m.group("unit")) in ("month", "year")):
        return False  # "in almost three years the fund paid 90 lawyers": a span of time
    if pre == "in" and not m.group("unit").lower().endswith("s"):
        return False  # "he was back at his unit in a week": how long it took
    if _DURATION_BEFORE.search(m.string, max(0, m.start() - 24), m.start()):
        return False
    return pre == "after" or _OF_NEXT.match(m.string, m.end()) is None


def fixed_candidate(m: re.Match[str]) -> Candidate | None:
    """ "the next day", "that night", "later that year"."""
    return Candidate(m.start(), m.end(), _fixed(m))


def deictic_candidate(m: re.Match[str]) -> Candidate | None:
    """ "yesterday", "last week", "earlier this year", "the past six months"."""
    if m.group("day") and _unanchored(m.string, m.start(), m.end()):
        return None
    return Candidate(m.start(), m.end(), _deictic(m))


_FIRST_PERSON = re.compile(r"(?<![\w’'])(?:I|we|We|my|My|our|Our|me|us)(?![\w’'])")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
# A verb in the past or the future: "the court ruled today", "he will leave tonight".
_TENSE = re.compile(
    r"(?i)(?<![\w’'])(?:\w{2,}ed|said|says|was|were|had|did|told|met|made|went|came|took|gave"
    r"|began|fled|left|sent|won|lost|held|found|saw|got|will|would|shall)(?![\w’'])"
)


def _unanchored(text: str, at: int, stop: int) -> bool:
    """A "today" the published date does not fix: a speaker's (quoted or in the first person),
    or one without a verb in the past or future ("Today, the hospital treats 200 men a day")."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    if before.rfind("“") > before.rfind("”") or before.count('"') % 2:
        return True
    starts = [m.end() for m in _SENTENCE_END.finditer(before)]
    start = line_start + (starts[-1] if starts else 0)
    end_match = _SENTENCE_END.search(text, at)
    end = end_match.start() if end_match else len(text)
    if _FIRST_PERSON.search(text, start, end) is not None:
        return True
    alone = not text[start:at].strip() and not text[stop:end].strip(" .")  # a typed phrase
    return not alone and _TENSE.search(text, start, end) is None


def weekday_candidate(m: re.Match[str]) -> Candidate | None:
    """ "on Monday", "last Friday", and the wire-copy "said Tuesday"."""
    policy = (m.group("wp") or "").lower()
    if not policy:
        before = _WORD_BEFORE.search(m.string, max(0, m.start() - 24), m.start())
        if before is None or before.group(1) in _NOT_VERBS or NAME_NEXT.match(m.string, m.end()):
            return None  # "the Sunday Times", "every Friday", "Bloody Sunday"
    start = m.start("wd") if policy in ("on", "") or policy.startswith("as") else m.start()
    step = {"last": -1, "next": 1}.get(policy, 0)
    day = _WEEKDAYS.index(m.group("wd"))
    rel = Relative("weekday", low=step, weekday=day, deictic=True, confidence=0.6)
    return Candidate(start, m.end(), rel)


RelativeRule = tuple[re.Pattern[str], Callable[[re.Match[str]], Candidate | None]]
RELATIVE_RULES: dict[str, RelativeRule] = {
    "count": (COUNT, count_candidate),
    "fixed": (FIXED, fixed_candidate),
    "deictic": (DEICTIC, deictic_candidate),
    "weekday": (WEEKDAY, weekday_candidate),
}


def _fixed(m: re.Match[str]) -> Relative:
    if m.group("which"):
        which, unit = m.group("which").lower(), m.group("unit").lower()
        step = {"next": 1, "following": 1, "previous": -1, "preceding": -1}.get(which, 0)
        if unit in ("morning", "evening", "night", "day"):
            return Relative("shift", "day", step, step)
        return Relative("unit", unit, step, step)
    if m.group("dayrel"):
        step = 1 if m.group("dayrel").lower() == "after" else -1
        return Relative("shift", "day", step, step)
    if m.group("that"):
        that = m.group("that").lower()
        if that in SEASONS:
            return Relative("season", that)
        unit = that if that in ("week", "month", "year") else "day"
        return Relative("unit", unit, 0, 0)
    side = m.group("side").lower()
    return Relative("within", m.group("within").lower(), 1 if side == "later" else -1)


def _deictic(m: re.Match[str]) -> Relative | Point:
    if m.group("day"):
        offset = _DAY_OFFSETS[phrase_key(m.group("day"))]
        return Relative("shift", "day", offset, offset, deictic=True, confidence=0.7)
    if m.group("pw"):
        unit, policy = m.group("pu").lower(), POLICIES[m.group("pw").lower()]
        if unit == "week":
            step = STEPS[policy]
            kind = "unit" if step else "so_far"  # "this week": its Monday to the published day
            return Relative(kind, "week", step, step, deictic=True, confidence=0.7)
        return Point(unit, policy=policy, confidence=0.7)
    if m.group("side"):
        side = 1 if m.group("side").lower() == "later" else -1
        return Relative("within", m.group("within").lower(), side, deictic=True, confidence=0.7)
    word = m.group("span").lower()
    unit = _unit(word)
    plural = word.endswith("s")
    amount = _amount(m.group("n"), unit) if m.group("n") or plural else (1, 1)
    low, high = amount or (1, 1)
    if unit == "fortnight":
        unit, low, high = "week", 2, 2
    return Relative("past", unit, low, high, deictic=True, confidence=0.6)


def resolve_relative(rel: Relative, anchor: Period | None, published: date | None) -> Period | None:
    """The period a relative phrase denotes, from its anchor or the published date."""
    if rel.deictic:
        if published is None:
            return None
        base = day_period(published)
    elif anchor is None or anchor.earliest is None or anchor.latest is None:
        return None
    else:
        base = anchor
    assert base.earliest is not None and base.latest is not None
    if rel.kind == "shift":
        return _shift(base, rel)
    if rel.kind == "weekday":
        return day_period(_weekday(base.earliest, rel.weekday, rel.low))
    if rel.kind == "unit":
        return _unit_period(base, rel.unit, rel.low)
    if rel.kind == "so_far":
        return days_period(base.earliest - timedelta(days=base.earliest.weekday()), base.earliest)
    if rel.kind == "within":
        return _within(base, rel.unit, rel.low)
    if rel.kind == "season":
        code = SEASONS[rel.unit]
        year = base.earliest.year - (1 if code == 24 and base.earliest.month <= 2 else 0)
        return point_period(Point("season", season=code), year)
    if rel.kind == "past":
        first = move(base.earliest, rel.unit, -rel.high)
        return days_period(first, base.earliest)
    return None


def run_up(day: Period, anchor: Period | None, published: date | None) -> Period | None:
    """ "Before Christmas": the days up to it, from the previous date at most a month back."""
    if day.earliest is None:
        return None
    last = day.earliest - timedelta(days=1)
    if published is not None:
        last = min(last, published)
    first = last - timedelta(days=_RUN_UP_DAYS)
    if anchor is not None and anchor.earliest is not None and first < anchor.earliest <= last:
        first = anchor.earliest
    return days_period(first, last)


_RUN_UP_DAYS = 30


def context_bounds(
    found: list[tuple[Candidate, Period | None]], published: date | None
) -> dict[int, Period]:
    """Vague relatives ("several days later") end by the next date and by the published one."""
    fixes: dict[int, Period] = {}
    for i, (cand, period) in enumerate(found):
        rel = cand.expr
        if not isinstance(rel, Relative) or rel.low == rel.high or period is None:
            continue
        low, high = period.earliest, period.latest
        if low is None or high is None:
            continue
        after = next((p for _, p in found[i + 1 :] if p is not None and p.latest), None)
        ends = [d for d in (after.latest if after else None, published) if d and low <= d < high]
        if ends:
            fixes[i] = days_period(low, min(ends))
    return fixes


def move(d: date, unit: str, amount: int) -> date:
    """A day moved by so many days, weeks, months or years."""
    if unit == "day":
        return d + timedelta(days=amount)
    if unit == "week":
        return d + timedelta(weeks=amount)
    return add_months(d, amount * (12 if unit == "year" else 1))


def _shift(base: Period, rel: Relative) -> Period:
    """Move a period by an exact or vague amount; months and years make it approximate."""
    assert base.earliest is not None and base.latest is not None
    first = move(base.earliest, rel.unit, rel.low)
    last = move(base.latest, rel.unit, rel.high)
    if rel.low != rel.high:
        return days_period(first, last)
    if rel.unit in ("day", "week"):
        return day_period(first) if base.precision == "day" else days_period(first, last)
    if base.precision == "day":
        return approx_day(first, 7 if rel.unit == "month" else 30)
    if base.precision == "month":
        text, end = fmt_month(first.year, first.month), month_end(first.year, first.month)
        return single_period(text, first, end, "month", approx=True)
    if base.precision == "year" and rel.unit == "year":
        return single_period(f"{first.year:04d}", first, last, "year", approx=True)
    return days_period(first, last)


def _weekday(published: date, weekday: int, step: int) -> date:
    back = (published.weekday() - weekday) % 7
    if step < 0:
        return published - timedelta(days=back or 7)
    if step > 0:
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    return published - timedelta(days=back)


def _unit_period(base: Period, unit: str, step: int) -> Period | None:
    assert base.earliest is not None and base.latest is not None
    if unit == "day":
        return base if base.precision == "day" else days_period(base.earliest, base.latest)
    if unit == "week":
        monday = base.earliest - timedelta(days=base.earliest.weekday()) + timedelta(weeks=step)
        if step and base.precision != "day":
            return days_period(
                base.earliest + timedelta(weeks=step), base.latest + timedelta(weeks=step)
            )
        return days_period(monday, monday + timedelta(days=6))
    if unit == "month":
        moved = add_months(base.earliest.replace(day=1), step)
        return point_period(Point("month", month=moved.month), moved.year)
    return point_period(Point("year"), base.earliest.year + step)


def _within(base: Period, unit: str, side: int) -> Period | None:
    """ "later that month": from just after the anchor to the end of its month (and the like)."""
    assert base.earliest is not None and base.latest is not None
    whole = _unit_period(base, unit, 0)
    if whole is None or whole.earliest is None or whole.latest is None:
        return None
    if side > 0:
        first = min(base.latest + timedelta(days=1), whole.latest)
        return days_period(first, whole.latest)
    last = max(base.earliest - timedelta(days=1), whole.earliest)
    return days_period(whole.earliest, last)
