"""From date atoms to date phrases: context words, open intervals, ranges and lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice

from workbench.extraction.dates_calendar import point_period
from workbench.extraction.dates_grammar import Atom
from workbench.extraction.dates_model import (
    LAST,
    NEAREST,
    NEXT,
    POLICIES,
    THIS,
    Candidate,
    Open,
    Point,
    Span,
)
from workbench.extraction.dates_scan import Reader

_NEXT_WORD = re.compile(r"\s{1,3}(?P<w>[A-Za-z]+)")
_APPROX = {"around", "about", "approximately", "roughly", "circa", "c.", "ca."}
OPS = {
    "since": "since",
    "until": "until",
    "till": "until",
    "by": "until",
    "no later than": "until",
    "not later than": "until",
    "before": "before",
    "prior to": "before",
    "after": "after",
}
_OP_WORDS = {name for name in OPS if " " not in name} | {"from", "between"}
_OP_PHRASES = [(name, len(name.split())) for name in OPS if " " in name]
_CONTEXT = {
    "year": {"in", "of", "during", "through", "throughout", "for", "year", "©", "copyright"},
    "month": {"in", "of", "during", "through", "throughout", "for"},
    "season": {"in", "during", "through", "throughout", "over"},
    "holiday": {"in", "on", "at", "over", "during", "for"},
}
_DETERMINERS = {"the", "its", "his", "her", "their", "our", "this", "that"}
_NO_COUNT_CHECK = {"during", "throughout", "year", "©", "copyright"}
_NOT_PLURAL = {
    "was", "is", "has", "as", "his", "its", "this", "thus", "does", "always", "perhaps", "across",
    "unless", "whereas", "plus", "us", "yes", "less", "news", "besides", "towards", "afterwards",
    "series", "hers", "ours", "yours", "theirs", "alias", "status", "various",
}  # fmt: skip
_COUNT_WORDS = {"people", "children", "personnel", "staff", "police", "km", "kg", "m"}
_TO = re.compile(r"\s{1,3}(?:to|until|till|through|thru|into)\s{1,3}")
_AND = re.compile(r"\s{1,3}and\s{1,3}")
_DASH = re.compile(r"(\s?)([-–—])(\s?)")
_WEEKDAY_BEFORE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s{1,3}\Z"
)
_LIST = re.compile(r",\s{1,3}(?:(?:and|or)\s{1,3})?|\s{1,3}(?:and|or|&)\s{1,3}|\s?/\s?")


@dataclass(frozen=True)
class _Prefix:
    """The words before an atom: an operator, "around", "last", or a plain context word."""

    op: str | None
    op_start: int
    approx: int | None  # start of "around" and the like
    deictic: str | None
    deictic_start: int
    word: str | None  # the plain context word before all of these, as written
    word_start: int = 0
    approx_word: str | None = None


@dataclass
class _Item:
    """An atom or a range of two, with what precedes it and whether context makes it a date."""

    atom: Atom
    prefix: _Prefix
    point: Point | Span
    accepted: bool = False


def _prefix(reader: Reader, start: int) -> _Prefix:
    """Read the words before an atom: [op] [around] [last|this|next], then a context word."""
    words = reader.words_before(start, dots=True)
    word = next(words, None)
    deictic, deictic_start = None, start
    if word is not None and word[1].lower() in POLICIES:
        deictic, deictic_start = word[1].lower(), word[0]
        word = next(words, None)
    approx = approx_word = None
    if word is not None and word[1].lower() in _APPROX:
        approx, approx_word = word[0], word[1].lower()
        word = next(words, None)
    op, op_start = None, approx if approx is not None else deictic_start
    if word is not None and word[1].lower() in _OP_WORDS:
        op, op_start = word[1].lower(), word[0]
        word = next(words, None)
    elif word is not None and word[1].lower() in ("to", "than"):
        read = [word, *islice(words, 2)]
        phrase = " ".join(w.lower() for _, w in reversed(read))
        for name, size in _OP_PHRASES:
            if phrase.endswith(name) and len(read) >= size:
                op, op_start = OPS[name], read[size - 1][0]
                word = read[size] if len(read) > size else next(words, None)
                break
    context = word[1] if word is not None else None
    if context is None and reader.text[max(0, start - 2) : start] == "© ":
        context = "©"
    word_start = word[0] if word is not None else start
    return _Prefix(op, op_start, approx, deictic, deictic_start, context, word_start, approx_word)


def _is_count(text: str, end: int) -> bool:
    """True when a number is followed by a plural noun or unit ("2023 soldiers")."""
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group("w")
    if word in _COUNT_WORDS or word.endswith("men"):
        return True
    return word.islower() and word.endswith("s") and len(word) > 2 and word not in _NOT_PLURAL


def _has_context(item: _Item, text: str) -> bool:
    atom, prefix = item.atom, item.prefix
    if prefix.op == "from" and atom.kind == "season" and isinstance(item.point, Point):
        return item.point.year is not None  # "water from the spring"
    # "about March" is a topic, "about 2020" or "about May 2023" a time.
    approx = prefix.approx is not None and (prefix.approx_word != "about" or atom.kind != "month")
    if prefix.op or (approx and atom.kind in ("year", "holiday", "month")):
        return (
            atom.kind != "year"
            or prefix.op in ("since", "until", "before", "after")
            or (not _is_count(text, atom.end))
        )
    if prefix.deictic and atom.kind in ("month", "season", "holiday"):
        return True
    if prefix.word is None:
        return False
    word = prefix.word.lower()
    if atom.kind == "year":
        possessive = word == "s" and text[prefix.word_start - 1 : prefix.word_start] in ("’", "'")
        if word in _DETERMINERS or possessive or prefix.deictic == "this":
            return not _is_count(text, atom.end) and _NEXT_WORD.match(text, atom.end) is not None
        if prefix.word == "In":
            return True
        if word in _CONTEXT["year"]:
            return word in _NO_COUNT_CHECK or not _is_count(text, atom.end)
        return False
    return word in _CONTEXT.get(atom.kind, set())


def combine(reader: Reader, atoms: list[Atom], lenient: bool = False) -> list[Candidate]:
    """Date phrases made of the atoms: single dates, ranges, open intervals and lists."""
    text = reader.text
    items: list[_Item] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        prefix = _prefix(reader, atom.start)
        if i + 1 < len(atoms):
            span = _range(text, atom, atoms[i + 1], prefix, lenient)
            if span is _COUNTS:
                i += 2  # "between 1990 and 2000 soldiers": numbers, not years
                continue
            if span is not None:
                items.append(span)
                i += 2
                continue
        items.append(_Item(atom, prefix, atom.expr))
        i += 1
    for k, item in enumerate(items):
        item.accepted = item.accepted or lenient or item.atom.strong or _has_context(item, text)
        if not item.accepted and k and items[k - 1].accepted:
            item.accepted = _listed(text, items[k - 1], item)
    for k in range(len(items) - 2, -1, -1):
        _inherit(text, items[k], items[k + 1])
    return [c for item in items if item.accepted for c in _candidates(text, item, lenient)]


_COUNTS = _Item(
    Atom(0, 0, Point("year"), False, "year"), _Prefix(None, 0, None, None, 0, None), Point("year")
)


def _listed(text: str, before: _Item, item: _Item) -> bool:
    gap = text[before.atom.end : item.atom.start]
    if _LIST.fullmatch(gap) is None and _TO.fullmatch(gap) is None:  # "from 2014 to 2016"
        return False
    return item.atom.kind != "year" or not _is_count(text, item.atom.end)


def _inherit(text: str, item: _Item, after: _Item) -> None:
    """ "October and November 2023": the year of the last item of a list holds for all."""
    first, second = item.point, after.point
    if not after.accepted or not isinstance(first, Point) or not isinstance(second, Point):
        return
    if first.year is not None or second.year is None or first.grain not in ("day", "month"):
        return
    if second.grain not in ("day", "month", "season"):
        return
    if _LIST.fullmatch(text[item.atom.end : after.atom.start]) is None:
        return
    item.accepted = True
    item.point = with_year_of(first, second, -1)


def with_year_of(point: Point, other: Point, step: int) -> Point:
    """``point`` in the year of ``other``, which comes after it (step -1) or before it (step 1);
    else in the year before or after: "December and January 2024", "from May 2023 to January"."""
    assert other.year is not None
    fixed = point_period(other, other.year)
    for year in (other.year, other.year + step):
        moved = point_period(point, year)
        early, late = (moved, fixed) if step < 0 else (fixed, moved)
        if early and late and early.earliest and late.latest and early.earliest <= late.latest:
            return replace(point, year=year)
    return replace(point, year=other.year + step)


def _range(text: str, a: Atom, b: Atom, prefix: _Prefix, lenient: bool) -> _Item | None:
    """Two atoms joined into one range ("between A and B", "from A to B", "A–B"), if they are."""
    if not isinstance(a.expr, Point) or not isinstance(b.expr, Point):
        return None
    gap = text[a.end : b.start]
    if a.kind == b.kind == "year" and _is_count(text, b.end) and not lenient:
        return _COUNTS if _AND.fullmatch(gap) or _TO.fullmatch(gap) else None
    if prefix.op == "between":
        if _AND.fullmatch(gap) is None:
            return None
    elif _TO.fullmatch(gap) is None:
        dash = _DASH.fullmatch(gap)
        if dash is None or (dash.group(1) and (dash.group(2) == "—" or a.kind != b.kind)):
            return None
    if not lenient and _complete_pair(a, b, gap):
        return None  # "from October 2022 to May 2023": two dates, each with its own year
    context = prefix.op in ("between", "from") or a.strong or b.strong or lenient
    probe = _Item(a, prefix, a.expr)
    if not context and not _has_context(probe, text):
        return None
    first, second = a.expr, b.expr
    if first.year is None and second.year is not None:
        first = with_year_of(first, second, -1)
    elif first.year is not None and second.year is None:
        second = with_year_of(second, first, 1)
    if first.year is not None and second.year is not None:
        low, high = point_period(first, first.year), point_period(second, second.year)
        if low is None or high is None or low.earliest is None or high.latest is None:
            return None
        if low.earliest > high.latest:
            return None
    start = prefix.op_start if lenient and prefix.op in ("between", "from") else a.start
    joined = Atom(start, b.end, Span(first, second), True, "range")
    return _Item(joined, prefix, joined.expr, accepted=True)


def _complete_pair(a: Atom, b: Atom, gap: str) -> bool:
    """Two dates, each with its own year, joined by a word ("to", "and"), not by a dash."""
    complete = all(isinstance(p, Point) and p.year is not None for p in (a.expr, b.expr))
    return complete and _DASH.fullmatch(gap) is None


def _candidates(text: str, item: _Item, lenient: bool) -> list[Candidate]:
    atom, prefix, expr = item.atom, item.prefix, item.point
    if isinstance(expr, Span):
        start = prefix.op_start if lenient and prefix.op in ("from", "between") else atom.start
        return [Candidate(min(start, atom.start), atom.end, expr)]
    start = atom.start
    if prefix.deictic and atom.kind in ("month", "season", "holiday") and expr.year is None:
        expr = replace(expr, policy=POLICIES[prefix.deictic])
        start = prefix.deictic_start
    vague_about = prefix.approx_word == "about" and expr.year is None and expr.grain == "month"
    if prefix.approx is not None and expr.grain in ("day", "month", "year") and not vague_about:
        expr = replace(expr, approx=True)
        start = prefix.approx
    elif expr.grain == "day" and (weekday := _WEEKDAY_BEFORE.search(text, start - 12, start)):
        start = weekday.start()  # "Sunday, March 6, 2022"
    op = OPS.get(prefix.op or "")
    if op in ("until", "before") and expr.year is None and expr.policy not in (LAST, NEXT, THIS):
        expr = replace(expr, policy=NEAREST)
    if op is None:
        return [Candidate(start, atom.end, expr, core=atom.start)]
    if lenient:
        return [Candidate(prefix.op_start, atom.end, Open(op, expr), core=start)]
    # In a text the date alone is the mention ("since", "until" stay outside it), but "Before
    # Christmas" is the days up to it (see workbench.extraction.dates).
    run_up = op == "before" and atom.kind == "holiday" and expr.year is None
    opened = Open("run_up", expr) if run_up else Open(op, expr, alone=True)
    return [Candidate(prefix.op_start, atom.end, opened, core=start)]
