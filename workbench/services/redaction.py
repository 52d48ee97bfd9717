"""Redaction: every way a protected record's name can be written, replaced by its pseudonym.

``build_redactor`` reads the protected records of a project and returns a ``Redactor`` (or
None when nothing is protected). ``Redactor.find`` gives the code-point spans of protected
names in a text with the pseudonym for each; ``replace`` writes the pseudonyms in.

What a record's names are (``variants``): its label, its aliases, the quotes of its
evidence (not a lone title or pronoun) and, for a person, each capitalised part of any of
these that is not a title ("Petrov" alone). What matches one of them (``key``): a word is
compared in a folded spelling, Latin letters for Cyrillic ones, no case, accents,
apostrophes or soft signs, clusters that transliterations spell differently made one
("Zhilyaev", "Zhiliaev", "Жиляев" and "ЖИЛЯЕВ" are one word); a Russian word in any of its
forms ("Петрова", "Петровым"; Latin names are given Cyrillic forms by a reverse
transliteration); an English possessive ("Petrov's": the name is replaced and "'s" stays).
A name matches only whole words, the longest name first. A nickname, a misspelling beyond
these folds, or a description ("the colonel from Tver") that no evidence links to the
record is not caught (docs/ARCHITECTURE.md lists what is and is not).
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.storage.models import Annotation, Code, Evidence, Record

if TYPE_CHECKING:
    from workbench.project import Project

Span = tuple[int, int, str]  # start, end (code points), the pseudonym to put there
MEMO_LENGTH = 1000  # texts up to this long are remembered redacted (labels, titles, quotes)
MEMO_ENTRIES = 100_000  # and so many of them, then the memory starts again

# A word: letters (with combining marks and invisible joiners inside), apostrophes between
# letters ("O'Brien", "Il'ya", but not the "'s" of a possessive), or a run of digits.
_LETTER = r"[^\W\d_]|[\u0300-\u036f\u0483-\u0489\u00ad\u200b-\u200d\u2060]"
_WORD = re.compile(rf"(?:{_LETTER})+(?:['’ʼʹ`](?![sS]\b)(?:{_LETTER})+)*|\d+")
_GAP = 3  # at most this many characters between the words of one name ("Jean-Luc", ", ")
_INVISIBLE = dict.fromkeys(map(ord, "'’ʼʹ`\u00ad\u200b\u200c\u200d\u2060ъьЪЬ"))
_CYRILLIC_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ы": "y", "э": "e", "ю": "yu", "я": "ya",
})  # fmt: skip
# Clusters transliterations write differently, folded to one spelling (order matters).
_CLUSTERS = (("x", "ks"), ("w", "v"), ("ph", "f"), ("tz", "c"), ("ts", "c"), ("kh", "h"),
             ("h", "g"), ("j", "i"), ("y", "i"))  # fmt: skip
_VOWELS = "aeiou"
_I_GLIDE = re.compile(r"(?:^|(?<=[aeiou]))i(?=[aeiou])")  # Yelena/Elena, Dostoyevsky
_DOUBLE = re.compile(r"(.)\1+")
_TITLE_WORDS = (
    "mr mrs ms miss dr prof sir lord lady general gen colonel col major maj captain capt "
    "lieutenant lt sergeant sgt private pvt corporal cpl commander officer soldier saint st "
    "de del della der di da dos du la le van von bin ibn al el "
    "the a an this that these those he she his her him they them we you it its our their "
    "господин госпожа генерал полковник подполковник майор капитан лейтенант старший "
    "младший сержант рядовой ефрейтор прапорщик он она они его ее её их этот эта это"
)
_TITLES = frozenset(_TITLE_WORDS.split())
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def key(word: str) -> str:
    """The folded spelling a word is compared in (see the module's docstring)."""
    text = unicodedata.normalize("NFKD", word.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_INVISIBLE).translate(_CYRILLIC_LATIN)
    for old, new in _CLUSTERS:
        text = text.replace(old, new)
    text = _I_GLIDE.sub("", text)
    return _DOUBLE.sub(r"\1", text)


def words(text: str) -> list[tuple[int, int]]:
    """The spans of the words of a text, as names are matched on them."""
    return [m.span() for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Protected:
    """A protected record and the names it is written with."""

    record_id: int
    type_name: str
    label: str
    pseudonym: str
    names: tuple[str, ...]  # label, aliases, evidence quotes


# A name as the matcher holds it: the folded spellings each of its words may take.
Pattern = tuple[frozenset[str], ...]


class Redactor:
    """Finds and replaces the protected names of a project (see the module's docstring)."""

    def __init__(self, records: Sequence[Protected], patterns: dict[Pattern, str]) -> None:
        self.records = tuple(records)
        self.pseudonyms = {r.record_id: r.pseudonym for r in records}
        # by the spellings of their first word, longest first
        self._starting: dict[str, list[tuple[Pattern, str]]] = {}
        for pattern, pseudonym in sorted(patterns.items(), key=lambda p: -len(p[0])):
            for spelling in pattern[0]:
                self._starting.setdefault(spelling, []).append((pattern, pseudonym))
        self._keys: dict[str, str] = {}
        self._replaced: dict[str, str] = {}

    def _key(self, word: str) -> str:
        found = self._keys.get(word)
        if found is None:
            if len(self._keys) > 200_000:
                self._keys.clear()
            found = self._keys[word] = key(word)
        return found

    def find(self, text: str) -> list[Span]:
        """Spans of protected names in ``text``, sorted, not overlapping, each with the
        pseudonym that replaces it."""
        spans = words(text)
        keys = [self._key(text[s:e]) for s, e in spans]
        found: list[Span] = []
        i = 0
        while i < len(spans):
            match = self._match(spans, keys, i)
            if match is None:
                i += 1
                continue
            length, pseudonym = match
            found.append((spans[i][0], spans[i + length - 1][1], pseudonym))
            i += length
        return found

    def _match(
        self, spans: list[tuple[int, int]], keys: list[str], i: int
    ) -> tuple[int, str] | None:
        """The longest name starting at word ``i``: its length in words and pseudonym."""
        for pattern, pseudonym in self._starting.get(keys[i], ()):
            n = len(pattern)
            if i + n > len(spans):
                continue
            if all(
                keys[i + j] in pattern[j] and spans[i + j][0] - spans[i + j - 1][1] <= _GAP
                for j in range(1, n)
            ):
                return n, pseudonym
        return None

    def replace(self, text: str) -> str:
        """``text`` with every protected name replaced by its pseudonym (short texts, which
        an export repeats in every row, are remembered)."""
        if len(text) > MEMO_LENGTH:
            return self.rewrite(text)[0]
        found = self._replaced.get(text)
        if found is None:
            if len(self._replaced) > MEMO_ENTRIES:
                self._replaced.clear()
            found = self._replaced[text] = self.rewrite(text)[0]
        return found

    def rewrite(self, text: str) -> tuple[str, Moves]:
        """The redacted text and the ``Moves`` that take offsets of ``text`` into it."""
        parts: list[str] = []
        moves: list[tuple[int, int, int]] = []
        last = 0
        for start, end, pseudonym in self.find(text):
            parts += [text[last:start], pseudonym]
            moves.append((start, end, len(pseudonym) - (end - start)))
            last = end
        if not moves:
            return text, Moves(moves)
        parts.append(text[last:])
        return "".join(parts), Moves(moves)


class Moves:
    """Where the names of a text were replaced: (start, end, length change) in text order."""

    __slots__ = ("_before", "_changes", "_ends", "_starts")

    def __init__(self, moves: Sequence[tuple[int, int, int]]) -> None:
        self._starts = [start for start, _, _ in moves]
        self._ends = [end for _, end, _ in moves]
        self._changes = [change for _, _, change in moves]
        self._before = list(itertools.accumulate(self._changes, initial=0))

    def __len__(self) -> int:
        return len(self._starts)

    def remap(self, offset: int, *, is_end: bool) -> int:
        """Where an offset of the original text lands in the redacted one. An offset inside a
        replaced name moves to its pseudonym's start (a start) or end (an end), so a passage
        covering part of a name covers its pseudonym."""
        i = bisect.bisect_left(self._starts, offset) - 1  # the last name starting before it
        if i < 0:
            return offset
        start, end, shift = self._starts[i], self._ends[i], self._before[i]
        if offset < end:
            return start + shift + (end - start + self._changes[i] if is_end else 0)
        return offset + shift + self._changes[i]


def remap(offset: int, moves: Moves, *, is_end: bool) -> int:
    """``moves.remap``: where an offset of a text lands in its redacted form."""
    return moves.remap(offset, is_end=is_end)


def build_redactor(source: Session | Project) -> Redactor | None:
    """The redactor of a project's protected records, or None when none is protected."""
    if isinstance(source, Session):
        records = protected_records(source)
    else:
        with source.session() as session:
            records = protected_records(session)
    if not records:
        return None
    patterns: dict[Pattern, str] = {}
    for record in records:
        for pattern in variants(record):
            patterns.setdefault(pattern, record.pseudonym)
    return Redactor(records, patterns)


def protected_records(session: Session) -> list[Protected]:
    """The protected records, oldest first, with their names."""
    rows = session.execute(
        select(Record.id, Code.name, Record.label, Record.pseudonym, Record.fields)
        .join(Code, Record.type_id == Code.id)
        .where(Record.protected.is_(True))
        .order_by(Record.id)
    ).all()
    if not rows:
        return []
    quotes: dict[int, set[str]] = {}
    for record_id, quote in session.execute(
        select(Evidence.record_id, Annotation.quote)
        .join(Annotation, Evidence.annotation_id == Annotation.id)
        .where(Evidence.record_id.in_([row[0] for row in rows]))
    ):
        quotes.setdefault(record_id, set()).add(quote)
    found = []
    for record_id, type_name, label, pseudonym, fields in rows:
        names = [label, *_aliases(fields), *sorted(quotes.get(record_id, ()))]
        found.append(
            Protected(record_id, type_name, label, pseudonym or f"Record {record_id}",
                      tuple(dict.fromkeys(n for n in names if n.strip())))
        )  # fmt: skip
    return found


def _aliases(fields: Any) -> list[str]:
    """The other names a record's fields give it (merged records keep their labels there)."""
    aliases = fields.get("aliases", []) if isinstance(fields, dict) else []
    return [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []


def variants(record: Protected) -> list[Pattern]:
    """Every name a record may be written with, as patterns of folded spellings."""
    patterns: list[Pattern] = []
    parts: set[str] = set()
    for name in record.names:
        found = [name[s:e] for s, e in words(name)]
        if not found or (name != record.label and len(found) == 1 and not _is_name(found[0])):
            continue  # a passage quoting "he" or "the colonel" alone names nobody
        patterns.append(tuple(frozenset(_spellings(w)) for w in found))
        if record.type_name == "person":
            parts.update(w for w in found if _is_name_part(w))
    patterns.extend((frozenset(_spellings(part)),) for part in sorted(parts))
    return [p for p in patterns if len(p) > 1 or any(len(s) > 1 for s in p[0])]


def _is_name(word: str) -> bool:
    """Whether a word alone can name someone: not a title, particle or pronoun."""
    return word.casefold() not in _TITLES


def _is_name_part(word: str) -> bool:
    """Whether a word of a person's name identifies them alone: a capitalised word of two
    letters or more that is not a title or a particle."""
    return (
        len(word) > 1 and word[:1].isupper() and not word.isdigit() and _is_name(word)
    )  # fmt: skip


def _spellings(word: str) -> set[str]:
    """The folded spellings of a word: itself, and, for a name, its Russian forms."""
    found = {key(word)}
    if word[:1].isalpha() and len(word) > 2:
        cyrillic = word if _CYRILLIC.search(word) else _to_cyrillic(word)
        found.update(key(form) for form in russian_forms(cyrillic))
    return found - {""}


_morph: Any = None
_lock = threading.Lock()
_NAME_TAGS = ("Surn", "Name", "Patr", "Geox", "Orgn")


def russian_forms(word: str) -> set[str]:
    """Every form of a Russian word ("Петров": "Петрова", "Петрову", "Петровым", ...), by
    the analyses that read it as a name when there are any, singular ones first."""
    global _morph  # noqa: PLW0603 - one analyser per process, loaded on first use
    with _lock:
        if _morph is None:
            import natasha.morph.vocab  # noqa: F401, PLC0415 - makes pymorphy2 run on 3.11
            import pymorphy2  # type: ignore[import-untyped]  # noqa: PLC0415 - first redaction

            _morph = pymorphy2.MorphAnalyzer()
        parses = _morph.parse(word.lower())
    named = [p for p in parses if any(tag in p.tag for tag in _NAME_TAGS)] or parses[:1]
    single = [p for p in named if "plur" not in p.tag] or named
    return {form.word for p in single for form in p.lexeme}


# Latin spellings to Cyrillic letters, longest first (a guess for the Russian analyser).
_LATIN_CYRILLIC = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tz", "ц"),
    ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("iu", "ю"), ("ya", "я"), ("ia", "я"),
    ("ye", "е"), ("yo", "ё"), ("ey", "ей"), ("ay", "ай"), ("oy", "ой"), ("iy", "ий"),
    ("yy", "ый"), ("x", "кс"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"),
    ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("y", "ы"), ("z", "з"),
)  # fmt: skip
_LATIN_PATTERN = re.compile("|".join(re.escape(a) for a, _ in _LATIN_CYRILLIC))
_LATIN_MAP = dict(_LATIN_CYRILLIC)


def _to_cyrillic(word: str) -> str:
    """A Latin name in Cyrillic letters, as a Russian text would most likely spell it."""
    folded = unicodedata.normalize("NFKD", word.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _LATIN_PATTERN.sub(lambda m: _LATIN_MAP[m.group()], folded)
