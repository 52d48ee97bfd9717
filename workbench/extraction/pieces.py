"""A document read in pieces, so that a long one is stored as it goes.

A document is cut into pieces of at most ``PIECE`` characters, at a paragraph break where
one falls in the second half of the piece, else at a line break, a sentence's end or a
space. Each piece is extracted and stored on its own; what the whole document decides is
carried from one piece to the next:

- Dates: a piece is read with the text just before it (``look_back``: from a line start at
  least ``LOOK_BACK`` characters back), only for the date finder. A relative date counts
  from a date at most 800 characters back and a year-less one takes the year of a date in
  the same paragraph, so this finds what reading the whole document would, except where a
  paragraph runs on for more than ``4 * LOOK_BACK`` characters without a line break.
- Names: ``DocumentMemory`` keeps one mention of every name seen so far and the key of the
  record it went to. A piece's mentions are grouped together with the remembered names
  that share a word with the piece, so a later "Petrov" joins the "Ivan Petrov" of an
  earlier piece and both go to the same record (the record keeps the key it was given first).
- Figures: the restatements already counted (``figures_seen``).
A run that resumes a document half done gets the names of the records already stored for
its first part instead (``KnownName``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from workbench.extraction.entities import (
    EntityCluster,
    EntityMention,
    add_name_repeats,
    cluster_entities,
)
from workbench.extraction.furniture import tidy

PIECE = 50_000  # characters a piece holds at most: about 1.5 s of work on one core
LOOK_BACK = 1_000  # characters read before a piece for its dates (relative dates: 800)
_BREAKS = ("\n\n", "\n", ". ", " ")
_WORD = re.compile(r"\w+")


def pieces(text: str, start: int = 0, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """[start, end) of each piece of ``text`` from ``start`` on, in order."""
    while len(text) - start > size:
        end = start + size
        for mark in _BREAKS:
            cut = text.rfind(mark, start + size // 2, end)
            if cut >= 0:
                end = cut + len(mark)
                break
        yield start, end
        start = end
    if start < len(text) or start == 0:
        yield start, len(text)


def look_back(text: str, start: int) -> int:
    """Where the text read before a piece starting at ``start`` begins (for its dates)."""
    if start <= LOOK_BACK:
        return 0
    limit = start - LOOK_BACK
    line = text.rfind("\n", max(0, start - 4 * LOOK_BACK), limit)
    if line >= 0:
        return line + 1
    space = text.rfind(" ", max(0, limit - LOOK_BACK), limit)
    return space + 1 if space >= 0 else limit


@dataclass(frozen=True)
class KnownName:
    """A name an earlier part of the document gave to a record, and that record's key."""

    key: str
    kind: str
    name: str
    title: str | None = None
    subkind: str | None = None


@dataclass
class DocumentMemory:
    """What the pieces of a document read so far tell the next one."""

    names: dict[tuple[str, str], tuple[EntityMention, str]] = field(default_factory=dict)
    figures_seen: set[tuple[object, ...]] = field(default_factory=set)
    found: bool = False  # whether any piece suggested anything

    @classmethod
    def resumed(cls, known: list[KnownName]) -> DocumentMemory:
        """The memory of a document whose first part a previous run stored."""
        memory = cls()
        for name in known:
            mention = EntityMention(-1, -1, name.name, name.kind, "stored", 0.75, name.title,
                                    name.subkind)  # fmt: skip
            memory.names.setdefault((name.kind, name.name), (mention, name.key))
        memory.found = bool(known)
        return memory

    def context(self, text: str) -> dict[int, tuple[EntityMention, str]]:
        """The remembered names that share a word with ``text`` (only those can join its
        mentions), in the order first seen, at negative offsets (before the piece), by
        offset, with the keys of their records."""
        words = set(_WORD.findall(text))
        chosen = [(m, k) for m, k in self.names.values() if words & set(_WORD.findall(m.text))]
        first = -len(chosen)
        return {
            first + i: (replace(m, start=first + i, end=first + i), key)
            for i, (m, key) in enumerate(chosen)
        }


@dataclass
class KeyedCluster:
    """An entity cluster of one piece: its key, and only the mentions inside the piece."""

    key: str
    cluster: EntityCluster


def piece_entities(
    text: str, mentions: list[EntityMention], memory: DocumentMemory
) -> list[KeyedCluster]:
    """Group a piece's mentions (offsets into ``text``, the piece) with the names of earlier
    pieces, and remember the piece's names for the next."""
    context = memory.context(text)
    before = [m for m, _ in context.values()]
    grouped = cluster_entities(add_name_repeats(text, before + tidy(text, mentions)))
    keyed = []
    for cluster in grouped:
        inside = [m for m in cluster.mentions if m.start >= 0]
        if not inside:
            continue
        earlier = [context[m.start][1] for m in cluster.mentions if m.start in context]
        key = earlier[0] if earlier else f"{cluster.kind}:{cluster.label.lower()}"
        cluster.mentions = inside
        for mention in inside:
            memory.names.setdefault((mention.kind, mention.name), (mention, key))
        keyed.append(KeyedCluster(key, cluster))
    return keyed
