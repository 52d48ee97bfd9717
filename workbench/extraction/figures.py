"""Figures: counts, bounds, ranges and ratios ("more than 1,500 soldiers") found in a spaCy Doc.

Numeric conventions (bounds are inclusive; a figure with a bound or a range has value None):

* "more than N", "over N", "above N" -> min N+1, "more than"; "fewer than N", "less than N",
  "under N", "below N" -> max N-1, "fewer than". For continuous measures (%, km, money,
  "times") and numbers with decimals the bound is N itself ("more than 20 km" -> min 20).
* "at least N", "no fewer than N", "N or more", "N-plus", "N+" -> min N, "at least";
  "at most N", "no more than N", "N or fewer" -> max N, "at most";
  "up to N", "as many as N" -> max N and min None, "up to".
* "about", "around", "some", "roughly", "approximately", "an estimated", "maybe", "N or so"
  -> value N, "about"; "nearly", "almost", "close to", "just under" N -> max N, "nearly".
* "only", "just", "a mere" N -> value N, "only"; "exactly", "precisely" N -> value N, "exactly".
* "between A and B", "from A to B", "A to B", "A-B", "A–B", "A or B" -> min A, max B,
  "between"; "rose from A to B" is two figures.
* Ratios and proportions: "A of B", "A out of B", "A in B", "A instead of B", "a third of",
  "two-thirds of", "half of" -> value A, total B, qualifier "of" unless one is stated.
  Multipliers: "doubled" 2, "tripled" 3, "twice as" 2, "three times" 3, unit "times".
* Vague quantities are lower bounds only (min, with max None), the phrase being the
  qualifier: "a dozen" is the plain value 12; "dozens" 24; "scores of" 40; "hundreds" 200;
  "thousands" 2,000; "millions" 2e6; "tens|hundreds|dozens of thousands|millions" twice the
  product ("tens of thousands" 20,000); "several" 3 and "a few" 2 times a following scale
  ("several hundred" 300); a bare "several"/"a few" only before a noun naming people.

Not figures: excluded spans, years, day numbers beside a month, ordinals, clock times, ages
("Ivan, 29,", "aged 27", "a 27-year-old", "I was 34."), designations ("Article 338",
"Brigade 155", "No. 5", "page 12"), list markers, phone numbers and ISO dates, durations and
penalties ("two weeks", "up to 10 years in prison"), counts of sources ("two colleagues
confirmed") and of places or things counted in passing ("eleven regions", "40 beds"), and
"one" unless it is qualified, in a ratio, or counts a person ("one soldier"). A figure
restated with the same words and values is reported once.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.extraction.figures_words import (
    AGE_SUBJECTS,
    AGE_WORDS,
    CHANGE_VERBS,
    CLOCK,
    COUNT_NOUNS,
    CURRENCY,
    CURRENCY_CODES,
    DAYPARTS,
    DESIGNATORS,
    DETS,
    FEW,
    FRACTIONS,
    LEFT,
    MEASURES,
    MONTHS,
    MULTIPLIERS,
    NAMING_ENTS,
    NOMINAL,
    NOT_COUNTED,
    NOT_HALF,
    NUMERIC_ENTS,
    PEOPLE,
    PERSON,
    POST,
    REPORTING,
    SCALES,
    SMALL,
    TENS,
    TIME_UNITS,
    TITLE_DESIGNATORS,
    VAGUE,
    VAGUE_BIG,
    VAGUE_OF,
    FigureMode,
)

if TYPE_CHECKING:  # spaCy loads only when extraction runs, not when the window opens
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class FigureMention:
    """One stated quantity with its qualifier, unit and the sentence it sits in."""

    start: int
    end: int
    text: str
    value: float | None
    min: float | None
    max: float | None
    unit: str | None
    qualifier: str | None
    total: float | None
    sentence_start: int
    sentence_end: int
    confidence: float


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_DIGITS = re.compile(_NUMBER)
_SUFFIXED = re.compile(rf"({_NUMBER})(k|mn|bn|m)", re.IGNORECASE)
_RANGE = re.compile(rf"({_NUMBER})[-–—]({_NUMBER})")
_GROUP = re.compile(r"\d{3}")
_LEADING_ZERO = re.compile(r"0\d")
_SEPARATORS = frozenset(" \u00a0\u2009\u202f\u2007")
_SUFFIX_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}


if TYPE_CHECKING:
    _Tokens = list[Token]  # a document's tokens without the whitespace tokens


@dataclass
class _Core:
    """A number as read from the tokens, before qualifiers and units are attached."""

    start: int
    end: int
    low: float
    high: float
    scale: float = 1.0
    words: bool = False
    text: str = ""  # the first number as written, for the year and "one" checks


def _gap(left: Token, right: Token) -> str:
    """The text between two tokens (spaces and line breaks are not kept as tokens here)."""
    between = left.doc[left.i + 1 : right.i] if right.i > left.i + 1 else ()
    return left.whitespace_ + "".join(t.text_with_ws for t in between)


def _float(text: str) -> float:
    """A digit string such as "1,740" or "1.5" as a float."""
    return float(text.replace(",", ""))


def _looks_like_year(core: _Core) -> bool:
    """Whether the number is written like a year: four bare digits from 1900 to 2100."""
    return len(core.text) == 4 and core.text.isdigit() and 1900 <= int(core.text) <= 2100


def _add_scales(doc: _Tokens, core: _Core, stop: int) -> _Core:
    """Multiply by scale words that follow ("1.5 million", "two dozen")."""
    while core.end < stop and doc[core.end].lower_ in SCALES:
        scale = SCALES[doc[core.end].lower_]
        core.low, core.high, core.scale = core.low * scale, core.high * scale, core.scale * scale
        core.end += 1
    return core


def _read_digits(doc: _Tokens, i: int, stop: int) -> _Core | None:
    """A number in digits at token i, joining "12 000" groups and following scale words."""
    text = doc[i].text
    if m := _RANGE.fullmatch(text):
        low, high = _float(m[1]), _float(m[2])
        return _Core(i, i + 1, low, high, text=m[1]) if low < high else None
    if m := _SUFFIXED.fullmatch(text):
        scale = _SUFFIX_SCALE[m[2].lower()]
        return _Core(i, i + 1, _float(m[1]) * scale, _float(m[1]) * scale, scale, text=text)
    if not _DIGITS.fullmatch(text):
        return None
    value, j = _float(text), i + 1
    while text.isdigit() and len(text) <= 3 and j < stop:
        gap = _gap(doc[j - 1], doc[j])
        if len(gap) != 1 or gap not in _SEPARATORS or not _GROUP.fullmatch(doc[j].text):
            break
        same_entity = doc[j].ent_iob_ == "I" and doc[j].ent_type_ != "DATE"
        if gap == " " and doc[j].text != "000" and not same_entity:
            break
        value, j = value * 1000 + int(doc[j].text), j + 1
    return _add_scales(doc, _Core(i, j, value, value, text=text), stop)


def _read_words(doc: _Tokens, i: int, stop: int) -> _Core | None:
    """A number spelled out at token i: "three", "twenty-seven", "a hundred", "half a dozen"."""
    total, current, last, j = 0.0, 0.0, "", i
    starts = ("", "hundred", "and", "scale")
    if doc[i].lower_ in ("a", "an") and i + 1 < stop and doc[i + 1].lower_ in SCALES:
        current, last, j = 1.0, "small", i + 1
    elif doc[i].lower_ == "half" and i + 2 < stop and doc[i + 1].lower_ == "a":
        if doc[i + 2].lower_ not in SCALES:
            return None
        current, last, j = 0.5, "small", i + 2
    while j < stop:
        word = doc[j].lower_
        if word in SMALL and (last in starts or (last == "tens" and 0 < SMALL[word] < 10)):
            current, last = current + SMALL[word], "small"
        elif word in TENS and last in starts:
            current, last = current + TENS[word], "tens"
            unit = doc[j + 2].lower_ if j + 2 < stop else ""
            hyphen = unit and doc[j + 1].text == "-" and _gap(doc[j], doc[j + 2]) == "-"
            if hyphen and 0 < SMALL.get(unit, 0) < 10:
                current, last, j = current + SMALL[unit], "small", j + 2
        elif word == "hundred" and last in ("small", "tens"):
            current, last = current * 100, "hundred"
        elif word in SCALES and last in ("small", "tens", "hundred"):
            total, current, last = total + current * SCALES[word], 0.0, "scale"
        elif word == "and" and last in ("hundred", "scale") and j + 1 < stop:
            after, further = doc[j + 1].lower_, doc[j + 2].lower_ if j + 2 < stop else ""
            if (after not in SMALL and after not in TENS) or further in SCALES:
                break
            last = "and"
        else:
            break
        j += 1
    if last in ("", "and"):
        return None
    value = total + current
    return _Core(i, j, value, value, words=True, text=doc[i].text)


def _read_number(doc: _Tokens, i: int, stop: int) -> _Core | None:
    """A number in digits or words starting at token i, ending before stop."""
    return _read_digits(doc, i, stop) or _read_words(doc, i, stop)


@dataclass
class _Special:
    """A quantity that is not a plain number: vague, a fraction or a multiplier."""

    core: _Core
    name: str | None = None  # the vague word, which is also the qualifier
    total: float | None = None  # the denominator of a fraction
    unit: str | None = None


def _read_vague(doc: _Tokens, i: int, stop: int) -> _Special | None:
    """A vague quantity at token i ("dozens", "tens of thousands", "several hundred")."""
    word = doc[i].lower_
    nxt = doc[i + 1].lower_ if i + 1 < stop else ""
    if word in VAGUE_OF and nxt == "of" and i + 2 < stop and doc[i + 2].lower_ in VAGUE_BIG:
        big = doc[i + 2].lower_
        low = 2 * VAGUE_OF[word] * VAGUE_BIG[big]
        return _Special(_Core(i, i + 3, low, low), f"{word} of {big}")
    if word in VAGUE and (word != "scores" or nxt == "of"):
        return _Special(_Core(i, i + 1, VAGUE[word], VAGUE[word]), word)
    j = i + 1 if word in ("a", "quite") and nxt == "few" else i
    few = doc[j].lower_
    if few not in FEW or j + 1 >= stop:
        return None
    name, after = ("a few" if few == "few" else "several"), doc[j + 1].lower_
    if after in SCALES:
        low = FEW[few] * SCALES[after]
        return _Special(_Core(i, j + 2, low, low, SCALES[after]), name)
    noun = doc[j + 2].lower_ if j + 2 < stop and after not in DETS else ""
    core = _Core(i, j + 1, FEW[few], FEW[few])
    return _Special(core, name) if PEOPLE & {after, noun} else None


def _read_special(doc: _Tokens, i: int, stop: int) -> _Special | None:
    """A vague quantity, a fraction ("a third of") or a multiplier ("doubled") at token i."""
    if found := _read_vague(doc, i, stop):
        return found
    word, nxt = doc[i].lower_, doc[i + 1].lower_ if i + 1 < stop else ""
    if doc[i].pos_ == "VERB" and doc[i].lemma_ in MULTIPLIERS:
        value = MULTIPLIERS[doc[i].lemma_]
        return _Special(_Core(i, i + 1, value, value), unit="times")
    if word == "twice" and nxt == "as":
        return _Special(_Core(i, i + 1, 2.0, 2.0), unit="times")
    if word == "half" and nxt in ("of", "the") and (i == 0 or doc[i - 1].lower_ not in NOT_HALF):
        return _Special(_Core(i, i + 1, 1.0, 1.0), total=2.0)
    count = 1.0 if word in ("a", "one") else float(SMALL.get(word, 0))
    k = i + 2 if nxt == "-" and i + 2 < stop else i + 1
    part = doc[k].lower_ if k < stop else ""
    of = k + 1 < stop and doc[k + 1].lower_ == "of"
    if count and part in FRACTIONS and part != "half" and of and part.endswith("s") == (count > 1):
        return _Special(_Core(i, k + 1, count, count), total=float(FRACTIONS[part]))
    return None


def _read_unit(doc: _Tokens, j: int, stop: int, vague: bool) -> tuple[str | None, int]:
    """The noun counted by a number ending before token j, and the index after it."""
    origin = j
    while j < stop and set(doc[j].text) <= {"*", "_"} and not _gap(doc[j - 1], doc[j]):
        j += 1  # Markdown emphasis: "**26,950** deaths"
    if j >= stop:
        return None, origin
    low, follow = doc[j].lower_, doc[j + 1].lower_ if j + 1 < stop else ""
    if low in ("%", "percent", "pct"):
        return "%", j + 1
    if (low, follow) == ("per", "cent"):
        return "%", j + 2
    if doc[j].text in CURRENCY_CODES or doc[j].text in CURRENCY:
        return CURRENCY.get(doc[j].text, doc[j].text), j + 1
    if low == "-" and j + 1 < stop and _gap(doc[j - 1], doc[j + 1]) == "-":
        word = doc[j + 1]  # "a 20-kilometre queue", "a 12,000-strong force"
        if not word.is_alpha:
            return None, origin
        if word.pos_ == "NOUN" or word.lower_ in ("old", "olds", "plus"):
            return word.lower_, j + 2
        j += 2
    elif low == "of":
        k = j + 1 + (j + 1 < stop and doc[j + 1].lower_ in DETS)
        if not vague and k == j + 1:
            return None, origin
        j = k
    k, limit = j, min(stop, j + 6)
    while k < limit:
        tok, nxt = doc[k], doc[k + 1] if k + 1 < stop else None
        noun_next = nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ")
        noun = tok.pos_ == "NOUN" or (k == j and tok.tag_ == "VBZ")  # "30 recruits" as a verb
        if noun and tok.is_alpha:
            while k + 1 < limit and doc[k + 1].pos_ == "NOUN":
                k += 1  # "lorry drivers"
            return doc[k].lower_, k + 1
        if (tok.lower_ in NOMINAL or tok.tag_ == "NNPS") and not noun_next:
            return tok.lower_, k + 1  # "100 wounded arrived", "30 Ukrainians"
        model = "-" in tok.text and tok.text[0].isalpha()  # "3 T-72 tanks"
        modifier = tok.pos_ in ("ADJ", "PROPN") or tok.tag_ in ("VBN", "VBG") or model
        joiner = noun_next and (tok.text == "-" or (k > j and tok.lower_ in ("and", "or", ",")))
        adverb = tok.pos_ == "ADV" and nxt is not None and nxt.pos_ in ("ADJ", "VERB")
        if not (modifier or joiner or adverb):
            break
        k += 1
    return None, origin


def _left_qualifier(doc: _Tokens, start: int, floor: int) -> tuple[int, str, FigureMode] | None:
    """The qualifier phrase ending just before token start, as (first token, name, mode)."""
    for size in (4, 3, 2, 1):
        first = start - size
        if first >= floor and (key := tuple(t.lower_ for t in doc[first:start])) in LEFT:
            return first, *LEFT[key]
    return None


def _is_year(doc: _Tokens, core: _Core, unit: str | None) -> bool:
    """A year, unless a plural count noun follows and spaCy does not call it a date."""
    if not _looks_like_year(core):
        return False
    if doc[core.start].ent_type_ == "DATE" or unit is None or unit in TIME_UNITS:
        return True
    return not (unit.endswith("s") or unit in PEOPLE or unit in COUNT_NOUNS)


def _is_date_or_time(doc: _Tokens, core: _Core, stop: int) -> bool:
    """A day of the month ("May 4", "12 to 13 June") or a clock time ("four in the morning")."""
    before = doc[core.start - 1] if core.start > 0 else None
    if before is not None and before.text == "." and core.start > 1:
        before = doc[core.start - 2]
    after = [t.text for t in doc[core.end : min(stop, core.end + 3)]]
    if after and "\n" in _gap(doc[core.end - 1], doc[core.end]):
        after = []  # a table row or a line ends here
    if core.high <= 31 and core.low.is_integer() and not core.words:
        if (
            before is not None
            and before.text.rstrip(".") in MONTHS
            and "\n" not in _gap(before, doc[core.start])
        ):
            return True
        if (after[:1] and after[0] in MONTHS) or (
            after[:1] == ["of"] and after[1:2] and after[1] in MONTHS
        ):
            return True
    lowered = [a.lower() for a in after]
    if lowered[:1] and lowered[0] in CLOCK:
        return True
    if lowered[:2] == ["in", "the"] and lowered[2:3] and lowered[2] in DAYPARTS:
        return core.high <= 12
    return before is not None and before.lower_ == "at" and doc[core.start].ent_type_ == "TIME"


def _is_age(doc: _Tokens, core: _Core, stop: int) -> bool:
    """An age: "Ivan, 29,", "Ivan (29)", "aged 27", "27 years old", "I was 34."."""
    i = core.start
    if core.high > 120 or core.end != i + 1 or not core.low.is_integer() or i == 0:
        return False
    before, after = doc[i - 1], doc[i + 1] if i + 1 < stop else None
    tail = [t.lower_ for t in doc[i + 1 : min(len(doc), i + 3)]]
    if before.lower_ in AGE_WORDS or tail in (["years", "old"], ["year", "old"]):
        return True
    closing = (
        after is None or after.text in (",", ")", ";", ".") or after.pos_ in ("SCONJ", "CCONJ")
    )
    if before.text in (",", "(") and i > 1 and closing:
        named = doc[i - 2]  # "Ivan, 29,", "Ivan (name changed), 29,", "the soldier, 32,"
        return named.pos_ == "PROPN" or named.text == ")" or named.lower_ in PERSON
    if before.lemma_ == "be" and closing and i > 1:
        # "I was 34.", "He was 34 when...": the subject right before the verb (extraction
        # runs without a dependency parser, so the word order has to say it).
        subject = doc[i - 2]
        return subject.lower_ in AGE_SUBJECTS or subject.ent_type_ == "PERSON"
    return False


def _is_designation(doc: _Tokens, core: _Core) -> bool:
    """A number that names rather than counts: "Article 338", "No. 5", list markers, "05"."""
    i = core.start
    if doc[i].tag_ == "LS" or _LEADING_ZERO.match(core.text):
        return True
    if i == 0:
        return False
    before = doc[i - 2] if doc[i - 1].text == "." and i > 1 else doc[i - 1]
    word = before.lower_.rstrip(".")
    if word in DESIGNATORS or (word in TITLE_DESIGNATORS and before.text[:1].isupper()):
        return True
    glued = doc[i - 1].text in ("-", "–", "/", ".", ":") and i > 1
    if glued and _gap(doc[i - 2], doc[i]) == doc[i - 1].text and doc[i - 2].text[-1:].isdigit():
        return True  # the tail of "2024-05-20" or "123-45"
    after = doc[core.end].text if core.end < len(doc) else ""
    return "\n" in _gap(doc[i - 1], doc[i]) and after in (".", ")")


def _is_code_piece(tok: Token) -> bool:
    """A token that can be part of a phone number or code: bare digits, "+7", "-", "(", ")"."""
    return tok.text.lstrip("+").isdigit() or tok.text in ("-", "(", ")", "/")


def _is_phone(doc: _Tokens, core: _Core, stop: int) -> bool:
    """Three or more digit groups in a row ("+7 495 123-45-67", "2024-05-20") or a "+7"."""
    if core.start > 0 and doc[core.start - 1].text.startswith("+"):
        return doc[core.start - 1].text[1:].isdigit()
    groups, k = 1, core.start - 1
    while k >= max(0, core.start - 8) and _is_code_piece(doc[k]):
        groups, k = groups + doc[k].text.lstrip("+").isdigit(), k - 1
    k = core.end
    while k < min(stop, core.end + 8) and _is_code_piece(doc[k]):
        groups, k = groups + doc[k].text.isdigit(), k + 1
    return groups >= 3


SOURCE_REACH = 6  # tokens after a small count in which "confirmed", "said"... make it a source


def _is_source(doc: _Tokens, start: int, end: int, floor: int, stop: int) -> bool:
    """A count of sources: "two colleagues confirmed", "Two other employees of the hospital
    confirmed", "according to X and two nurses"."""
    if any(t.lower_ == "according" for t in doc[max(floor, start - 4) : start]):
        return True
    # The first verb after the counted people (within a few words, no clause break) is one
    # of reporting: they are the ones who said it. Word order, as there is no parser.
    for token in doc[end : min(stop, end + SOURCE_REACH)]:
        if token.text in (",", ";", ":", "—", "–") or token.pos_ == "SCONJ":
            return False
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_ in REPORTING
    return False


class _Finder:
    """One pass over a document, left to right, claiming tokens as figures are found."""

    def __init__(
        self, doc: Doc, exclude: Sequence[tuple[int, int]], seen: set[tuple[object, ...]]
    ) -> None:
        self.text = doc.text
        self.doc: _Tokens = []
        self.sentences: list[tuple[int, int, int, int]] = []  # tokens, then characters
        self.sentence_of: list[int] = []
        sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for number, sent in enumerate(sentences):
            first = len(self.doc)
            self.doc.extend(t for t in sent if not t.is_space)
            self.sentence_of.extend([number] * (len(self.doc) - first))
            self.sentences.append((first, len(self.doc), sent.start_char, sent.end_char))
        merged: list[tuple[int, int]] = []
        for a, b in sorted(exclude):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self.excluded, self.excluded_starts = merged, [a for a, _ in merged]
        self.claimed = 0
        self.seen = seen

    def overlaps(self, start: int, end: int) -> bool:
        """Whether the character span [start, end) touches an excluded span."""
        k = bisect_left(self.excluded_starts, end)
        return k > 0 and self.excluded[k - 1][1] > start

    def run(self) -> list[FigureMention]:
        """All figures in the document, in order."""
        found: list[FigureMention] = []
        i = 0
        while i < len(self.doc):
            mention, i = self.figure_at(i)
            if mention is not None:
                found.append(mention)
        return found

    def figure_at(self, i: int) -> tuple[FigureMention | None, int]:
        """The figure whose number starts at token i (if any) and the index to resume from."""
        doc = self.doc
        floor, stop, sentence_start, sentence_end = self.sentences[self.sentence_of[i]]
        floor = max(floor, self.claimed)
        special = _read_special(doc, i, stop)
        core = special.core if special else _read_number(doc, i, stop)
        if core is None:
            return None, i + 1
        start, end, currency = core.start, core.end, None
        name: str | None = None
        mode: FigureMode = ""
        total = special.total if special else None
        before = doc[start - 1].text if start > floor else ""
        if before in CURRENCY or before in CURRENCY_CODES:
            currency, start = CURRENCY.get(before, before), start - 1
        if left := _left_qualifier(doc, start, floor):
            start, name, mode = left
        if special is None:
            end = self.extend_range(core, mode, start, stop)
            if core.low == core.high and (ratio := self.ratio(core, stop)):
                total, end = ratio
            if (post := self.post_qualifier(core.end, stop)) and mode in ("", "about"):
                end, name, mode = post
        if mode in ("between", "from") and core.low == core.high:
            start, name, mode = core.start - (currency is not None), None, ""
        unit, unit_end, number_end = currency or (special.unit if special else None), end, end
        neighbours = (doc[core.start - 1].text if core.start else "", doc[min(end, stop - 1)].text)
        cell = "|" in neighbours  # a table cell has no unit noun
        if unit is None and not cell:
            unit, unit_end = _read_unit(doc, end, stop, special is not None and bool(special.name))
        if total is None and (ratio := self.ratio(core, stop, unit_end, "instead")):
            total, unit_end = ratio  # "four surgeons instead of eleven"
        aged = start > 0 and doc[start - 1].lower_ in AGE_WORDS
        if aged or self.rejected(core, unit, max(end, unit_end), total, start):
            return None, max(core.end, i + 1)
        end = max(end, unit_end)
        low, high, value = _bounds(core, mode, (unit or "").lower() in MEASURES)
        if special is not None and special.name is not None:
            low, high, value, name = core.low, None, None, special.name
        elif core.low != core.high:
            name = "between"
        elif total is not None and name is None:
            name = "of"
        char_start, char_end = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if self.overlaps(char_start, char_end):
            return None, max(core.end, i + 1)
        self.claimed = end
        said = self.text[char_start : doc[number_end - 1].idx + len(doc[number_end - 1].text)]
        text = " ".join(said.lower().split())
        small_unit = unit if core.high < 100 else ""  # "two men" and "two nurses" differ
        if not cell:  # table cells all count; a restatement ("26,950" in the headline and the
            key = (text, value, low, high, total, small_unit)  # text) is one figure
            if key in self.seen:
                return None, end
            self.seen.add(key)
        return FigureMention(
            start=char_start,
            end=char_end,
            text=self.text[char_start:char_end],
            value=value,
            min=low,
            max=high,
            unit=unit,
            qualifier=name,
            total=total,
            sentence_start=sentence_start,
            sentence_end=sentence_end,
            confidence=self.confidence(core, unit, name, total is not None),
        ), end

    def extend_range(self, core: _Core, mode: FigureMode, start: int, stop: int) -> int:
        """Widen core to "A to B", "A-B", "A or B", "between A and B"; return its new end."""
        doc, j = self.doc, core.end
        if core.low != core.high or j + 1 >= stop:
            return j
        link = doc[j].lower_
        allowed = {"to", "-", "–", "—", "or"} | ({"and"} if mode == "between" else set())
        if link not in allowed or (link == "to" and mode not in ("", "from", "between", "about")):
            return j
        verb = doc[start - 1] if mode == "from" else doc[core.start - 1]
        if start > 0 and link == "to" and verb.lemma_ in CHANGE_VERBS:
            return j  # "rose from 590 to 1,384": two figures
        other = _read_number(doc, j + 1, stop)
        if other is None or other.low != other.high or _looks_like_year(other):
            return j
        low = core.low
        if other.scale > 1 and core.scale == 1 and low * other.scale <= other.low:
            low *= other.scale  # "between 1 and 1.5 million"
        if not low < other.low:
            return j
        core.low, core.high, core.end = low, other.low, other.end
        return other.end

    def ratio(
        self, core: _Core, stop: int, at: int | None = None, lead: str = "out"
    ) -> tuple[float, int] | None:
        """The total of "3 of 15", "two out of three", "one in ten": (total, end)."""
        doc, j = self.doc, core.end if at is None else at
        if j + 1 < stop and doc[j].lower_ == lead and doc[j + 1].lower_ == "of":
            j += 1
        elif lead != "out" or j >= stop or doc[j].lower_ not in ("of", "in"):
            return None
        elif doc[j].lower_ == "of" and core.text.lower() == "one" and core.low == 1:
            return None  # "one of 600 recruits" counts the recruits
        k = j + 1 + (j + 1 < stop and doc[j + 1].lower_ in DETS)
        other = _read_number(doc, k, stop) if k < stop else None
        if other is None or other.low != other.high or other.low < core.low:
            return None
        if _looks_like_year(other) or (other.end < stop and doc[other.end].lower_ in TIME_UNITS):
            return None
        return other.low, other.end

    def post_qualifier(self, j: int, stop: int) -> tuple[int, str, FigureMode] | None:
        """A qualifier after the number: "30 or more", "200 or so", "30-plus", "30+"."""
        doc = self.doc
        if j < stop and doc[j].text == "+" and not _gap(doc[j - 1], doc[j]):
            return j + 1, "at least", "ge"
        if j + 1 >= stop:
            return None
        pair = (doc[j].lower_, doc[j + 1].lower_)
        if pair == ("-", "plus") and _gap(doc[j - 1], doc[j + 1]) == "-":
            return j + 2, "at least", "ge"
        return (j + 2, *POST[pair[1]]) if pair[0] == "or" and pair[1] in POST else None

    def rejected(
        self, core: _Core, unit: str | None, end: int, total: float | None, start: int
    ) -> bool:
        """Whether a number read as a figure is a year, date, age, name, duration or source."""
        doc, (floor, stop) = self.doc, self.sentences[self.sentence_of[core.start]][:2]
        if _is_year(doc, core, unit) or _is_date_or_time(doc, core, stop):
            return True
        if _is_designation(doc, core) or _is_phone(doc, core, stop) or _is_age(doc, core, stop):
            return True
        if unit in TIME_UNITS or unit in NOT_COUNTED or unit in ("old", "olds"):
            return True  # durations, penalties, ages; places, sources and furniture
        if unit is None and doc[core.start].ent_type_ in NAMING_ENTS:
            return True
        if core.high <= 10 and _is_source(doc, start, end, floor, stop):
            return True
        if core.words and core.low == core.high == 1 and core.text.lower() == "one":
            partitive = core.end < stop and doc[core.end].lower_ == "of"  # "one of them"
            counted = (start < core.start and unit) or unit in PERSON | PEOPLE
            return total is None and (partitive or not counted)
        return False

    def confidence(self, core: _Core, unit: str | None, name: str | None, ratio: bool) -> float:
        """A rough score: a unit, a qualifier and spaCy's agreement make a figure likelier."""
        score = 0.5 + (0.2 if unit else 0.0) + (0.1 if name else 0.0)
        score += 0.1 if self.doc[core.start].ent_type_ in NUMERIC_ENTS else 0.0
        if core.words and core.high < 10 and not unit:
            score -= 0.1
        if unit in TIME_UNITS:
            score = min(score, 0.5)
        if core.words and core.low == core.high == 1 and not ratio:
            score = min(score, 0.5)
        return round(min(max(score, 0.05), 0.95), 2)


def _bounds(
    core: _Core, mode: FigureMode, continuous: bool
) -> tuple[float | None, float | None, float | None]:
    """(min, max, value) of a number or range under a qualifier mode."""
    v = core.low
    if core.low != core.high:
        return core.low, core.high, None
    step = 1.0 if v.is_integer() and not continuous else 0.0
    table: dict[FigureMode, tuple[float | None, float | None, float | None]] = {
        "gt": (v + step, None, None),
        "ge": (v, None, None),
        "lt": (None, v - step, None),
        "le": (None, v, None),
        "nearly": (None, v, None),
    }
    return table.get(mode, (None, None, v))


def find_figures(
    doc: Doc,
    exclude: Sequence[tuple[int, int]] = (),
    seen: set[tuple[object, ...]] | None = None,
) -> list[FigureMention]:
    """Figures stated in doc, skipping any that would overlap a span in exclude (dates).

    ``seen`` holds the restatements already found: pass the same set for every chunk of one
    document so that a figure restated in a later chunk is not counted again."""
    return _Finder(doc, exclude, set() if seen is None else seen).run()
