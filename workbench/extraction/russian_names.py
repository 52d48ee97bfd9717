"""Organisations in Russian text that the NER misses or cuts short, found by their
dictionary form: «Медиазоной» is Медиазона from the list of organisations, "министерство
обороны России" is one organisation (the country that qualifies a body belongs to it, as
in the English "Russian Defense Ministry"), "театра Романа Виктюка" is a theatre named
after a person, not that person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from workbench.extraction.aliases import CYRILLIC
from workbench.extraction.entities import EntityMention
from workbench.extraction.rules import organizations

QUOTES = '«»"“”„'
COUNTRIES = {"россия", "рф", "украина", "беларусь", "белоруссия", "казахстан", "армения", "грузия"}
INSTITUTIONS = {
    "театр", "музей", "университет", "институт", "фонд", "центр", "больница", "госпиталь",
    "колония", "завод", "училище", "академия", "библиотека", "школа", "лицей", "клиника",
}  # fmt: skip
NOT_ORGANIZATIONS = {"сми", "соцсеть", "соцсети"}
# "войсковая часть 12345", "войсковой части № 54321", "в/ч 12345": the number names the unit
UNIT = re.compile(r"(?i:войсков\w{0,3} част\w{0,3}|в/ч)\s*(?:№\s*)?(?P<number>\d{4,5})\b")


@dataclass(frozen=True)
class Token:
    """A token of the text with its dictionary form (offsets into the whole text)."""

    start: int
    end: int
    text: str
    lemma: str
    sentence_start: bool


Lemmatise = Callable[[str], list[Token]]


@lru_cache(maxsize=1)
def _entries(lemmatise: Lemmatise) -> dict[tuple[str, ...], tuple[str, str]]:
    """The Russian names of the organisation list as lemma sequences -> (name, kind)."""
    entries: dict[tuple[str, ...], tuple[str, str]] = {}
    for name, kind in organizations().items():
        if CYRILLIC.search(name):
            lemmas = tuple(t.lemma for t in lemmatise(name) if t.text not in QUOTES)
            if lemmas:
                entries.setdefault(lemmas, (name, kind))
    return entries


def listed(tokens: Sequence[Token], lemmatise: Lemmatise) -> list[EntityMention]:
    """Mentions of listed organisations, longest first at each token; a one-word name only
    capitalised and where a sentence does not start (or in quotes): "Холод" the outlet,
    not the cold."""
    entries = _entries(lemmatise)
    longest = max((len(k) for k in entries), default=0)
    words = [t for t in tokens if t.text not in QUOTES]
    found, i = [], 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            entry = entries.get(tuple(t.lemma for t in words[i : i + size]))
            if entry is not None and _plausible(words, i, size, tokens):
                first, last = words[i], words[i + size - 1]
                found.append(EntityMention(first.start, last.end, "", "organization",
                                           f"named:{entry[1]}", 0.85, normal=entry[0]))  # fmt: skip
                i += size - 1
                break
        i += 1
    return found


def _plausible(words: Sequence[Token], i: int, size: int, tokens: Sequence[Token]) -> bool:
    first = words[i]
    if size > 1:
        return True
    quoted = any(t.end == first.start and t.text in QUOTES for t in tokens)
    return first.text[:1].isupper() and (quoted or not first.sentence_start or first.text.isupper())


def settle(text: str, mentions: list[EntityMention], tokens: Sequence[Token],
           lemmatise: Lemmatise, normals: Normals) -> list[EntityMention]:  # fmt: skip
    """The NER's mentions with listed organisations added (a listed name wins over what it
    overlaps unless that is longer), countries joined to the body they qualify, bodies
    named after people, and generic words dropped."""
    named = [replace(m, text=text[m.start : m.end]) for m in listed(tokens, lemmatise)]
    named += [
        EntityMention(u.start(), u.end(), u.group(), "organization", "unit", 0.9,
                      subkind="military_unit", normal=f"войсковая часть {u.group('number')}")
        for u in UNIT.finditer(text)
    ]  # fmt: skip
    mentions = [m for m in mentions if any(ch.isalpha() for ch in m.text)]  # not "🙂"
    kept = [
        m for m in mentions
        if not any(n.start < m.end and m.start < n.end and (n.end - n.start) >= (m.end - m.start)
                   for n in named)
    ]  # fmt: skip
    named = [n for n in named if not any(k.start <= n.start and n.end <= k.end for k in kept)]
    merged = sorted(kept + named, key=lambda m: m.start)
    merged = _named_after_people(text, merged, tokens)
    merged = _qualified_bodies(text, merged, tokens)
    merged = _capitals_checked(text, merged)
    merged = _split_surnames(merged, normals)
    merged = _one_word_names(merged, normals)
    return [m for m in merged if m.text.lower() not in NOT_ORGANIZATIONS]


Normals = Callable[[str], set[str]]


def _one_word_names(mentions: list[EntityMention], normals: Normals) -> list[EntityMention]:
    """A one-word place or organisation the NER left as written ("Окраины", "Кременную") in
    its dictionary form: the one another mention of its kind has, else the only one."""
    known = {(m.kind, m.name.casefold()): m.name for m in mentions if m.name != m.text}
    known.update({(m.kind, m.text.casefold()): m.text for m in mentions})
    out = []
    for m in mentions:
        if m.kind == "person" or " " in m.text or m.name != m.text or m.text.isupper():
            out.append(m)
            continue
        forms = normals(m.text)
        same = [known[(m.kind, f)] for f in forms if (m.kind, f) in known]
        if same:
            out.append(replace(m, normal=same[0] if same[0] != m.text else None))
        elif len(forms) == 1:
            (form,) = forms
            out.append(replace(m, normal=form[:1].upper() + form[1:]))
        else:
            out.append(m)
    return out


def _split_surnames(mentions: list[EntityMention], normals: Normals) -> list[EntityMention]:
    """Two surnames the NER ran into one person ("с Ларионовым Савельева …") as two people,
    when both are surnames of people named elsewhere in the document."""
    surnames = {m.name.split()[-1] for m in mentions if m.kind == "person" and " " in m.name}
    out = []
    for m in mentions:
        words = list(re.finditer(r"\S+", m.text))
        matched = [_surname(w.group(), surnames, normals) for w in words]
        if m.kind != "person" or len(words) != 2 or None in matched or m.name in surnames:
            out.append(m)
            continue
        for word, name in zip(words, matched, strict=True):
            start = m.start + word.start()
            out.append(replace(m, start=start, end=start + len(word.group()),
                               text=word.group(), normal=name))  # fmt: skip
    return out


def _surname(word: str, surnames: set[str], normals: Normals) -> str | None:
    """The known surname a word is a form of ("Ларионовым" of "Ларионов")."""
    forms = normals(word) | {word.casefold()}
    for surname in surnames:
        folded = surname.casefold()
        if any(folded.startswith(f) or f.startswith(folded) for f in forms if len(f) > 3):
            return surname
    return None


def _capitals_checked(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """A heading in capitals ("ОТЧЕТ К ГОДОВЩИНЕ …") makes every word look like a name: a
    person or organisation found only there is dropped (places are kept)."""
    shouting = [m.span() for m in re.finditer(r"[^\n]+", text) if _in_capitals(m.group())]

    def loud(m: EntityMention) -> bool:
        return any(a <= m.start and m.end <= b for a, b in shouting)

    elsewhere = {m.name.casefold() for m in mentions if not loud(m)}
    return [
        m for m in mentions
        if m.kind == "place" or not loud(m) or m.name.casefold() in elsewhere
    ]  # fmt: skip


def _in_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(line.split()) >= 3 and len(letters) > 8 and all(ch.isupper() for ch in letters)


def _token_before(tokens: Sequence[Token], start: int) -> Token | None:
    before = [t for t in tokens if t.end <= start]
    return before[-1] if before else None


def _named_after_people(
    text: str, mentions: list[EntityMention], tokens: Sequence[Token]
) -> list[EntityMention]:
    """ "театра Романа Виктюка": an institution word before a person makes one organisation."""
    out = []
    for m in mentions:
        before = _token_before(tokens, m.start)
        if (
            m.kind == "person" and before is not None and before.lemma in INSTITUTIONS
            and not text[before.end : m.start].strip(" ")
        ):  # fmt: skip
            out.append(replace(m, start=before.start, text=text[before.start : m.end],
                               kind="organization", normal=None))  # fmt: skip
        else:
            out.append(m)
    return out


def _qualified_bodies(
    text: str, mentions: list[EntityMention], tokens: Sequence[Token]
) -> list[EntityMention]:
    """ "министерство обороны России": a country right after a body belongs to its name."""
    out: list[EntityMention] = []
    for m in mentions:
        previous = out[-1] if out else None
        if (
            previous is not None and previous.kind == "organization" and m.kind == "place"
            and not text[previous.end : m.start].strip()
            and _lemma_at(tokens, m.start) in COUNTRIES
        ):  # fmt: skip
            name = previous.name[:1].upper() + previous.name[1:]
            out[-1] = replace(previous, end=m.end, text=text[previous.start : m.end],
                              normal=f"{name} {text[m.start : m.end]}")  # fmt: skip
            continue
        out.append(m)
    return out


def _lemma_at(tokens: Sequence[Token], start: int) -> str:
    return next((t.lemma for t in tokens if t.start == start), "")
