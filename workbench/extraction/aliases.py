"""Spelling and transliteration variants of one name (Zhilyaev, Zhylyaev, Zhyliaiev,
Жиляев): Cyrillic is first written in Latin letters (``iuliia``'s ICAO schema, the one of
Russian passports; Ukrainian letters as Ukraine's official romanisation writes them), then
both scripts fold alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Applied in order: folds common English, German and Ukrainian/Russian transliterations together.
FOLDS = (
    ("shch", "sh"), ("tch", "ch"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("dzh", "j"),
    ("zh", "j"), ("yi", "i"), ("iy", "i"), ("ii", "i"), ("yy", "i"), ("ye", "e"), ("ie", "e"),
    ("yo", "o"), ("io", "o"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("y", "i"),
    ("w", "v"), ("ck", "k"), ("ph", "f"), ("ff", "f"), ("ss", "s"), ("nn", "n"), ("ll", "l"),
    ("x", "ks"),
)  # fmt: skip
# Letters Ukrainian writes differently from Russian (Cabinet of Ministers romanisation, 2010)
UKRAINIAN = str.maketrans({
    "г": "h", "Г": "H", "ґ": "g", "Ґ": "G", "и": "y", "И": "Y", "і": "i", "І": "I",
    "ї": "yi", "Ї": "Yi", "є": "ye", "Є": "Ye", "й": "i", "Й": "I",
})  # fmt: skip
UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MIN_SCORE = 85.0


@dataclass(frozen=True)
class AliasPair:
    """Two labels that may name the same thing, with a similarity score from 0 to 100."""

    first: int
    second: int
    score: float


def latin(name: str) -> str:
    """The name in Latin letters: "Алексей Жиляев" is "Aleksei Zhiliaev"."""
    if not CYRILLIC.search(name):
        return name
    import iuliia  # noqa: PLC0415 - loaded with the first Cyrillic name

    if UKRAINIAN_ONLY & set(name):
        name = name.translate(UKRAINIAN)
    return str(iuliia.ICAO_DOC_9303.translate(name))


def fold(name: str) -> str:
    """A spelling-insensitive key: in Latin letters, no accents, apostrophes or soft signs,
    folded clusters."""
    text = unicodedata.normalize("NFKD", latin(name).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'ʹʼ`\-.]", "", text)
    for old, new in FOLDS:
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text).strip()


def _score(a: str, b: str) -> float:
    """Similarity of two folded names; a lone surname matches a full name that ends with it."""
    from rapidfuzz import fuzz  # noqa: PLC0415 - loaded when merging is asked for, not at start-up

    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    words_a, words_b = a.split(), b.split()
    if (len(words_a) == 1) != (len(words_b) == 1):
        single, full = (words_a, words_b) if len(words_a) == 1 else (words_b, words_a)
        score = max(score, 0.95 * fuzz.ratio(single[0], full[-1]))
    return float(score)


def alias_pairs(labels: list[str], min_score: float = MIN_SCORE) -> list[AliasPair]:
    """Pairs of indexes into ``labels`` that are probably one name, best first."""
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - see _score

    folded = [fold(label) for label in labels]
    # A fast all-pairs pass keeps only pairs worth the finer score below.
    rough = process.cdist(folded, folded, scorer=fuzz.partial_ratio, score_cutoff=min_score * 0.8)
    pairs = []
    for i, j in zip(*rough.nonzero(), strict=True):
        if i < j:
            score = 100.0 if folded[i] == folded[j] else _score(folded[i], folded[j])
            if score >= min_score:
                pairs.append(AliasPair(int(i), int(j), round(score, 1)))
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))
