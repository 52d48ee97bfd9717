"""Synthetic testimony-like English texts for benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

FIRST = ["Daniil", "Andrey", "Olena", "Ivan", "Sergei", "Maria", "Pavel", "Iryna", "Oleg", "Nadia"]
LAST = ["Alfyorov", "Zhilyaev", "Marchenko", "Kovalenko", "Petrov", "Sidorenko", "Melnyk", "Orlov"]
PLACES = [
    "Kharkiv",
    "Bakhmut",
    "Avdiivka",
    "Belgorod",
    "Rostov-on-Don",
    "Kherson",
    "Kupiansk",
    "Zaporizhzhia",
    "Tbilisi",
    "Astana",
    "the Kharkiv region",
    "Donetsk",
]
UNITS = [
    "the 47th Tank Division",
    "the 272nd Motorized Rifle Regiment",
    "Storm-Z",
    "the Wagner Group",
    "the 155th Separate Marine Brigade",
    "the Defense Ministry",
    "the FSB",
]
DATES = [
    "in late March",
    "on May 4, 2024",
    "since the fall of 2022",
    "two days later",
    "in the summer of 2023",
    "in early 2024",
    "by September",
    "last August",
    "on Feb. 24",
    "in mid-October",
    "between March and May 2023",
    "a month later",
]
FIGURES = [
    "more than 1,500 soldiers",
    "between 40 and 50 wounded",
    "up to 80,000 men",
    "dozens of deserters",
    "only three of 15 men",
    "about 200 patients",
    "at least 30 people",
    "1,740 casualties",
]
VERBS = [
    "left",
    "deserted from",
    "was sent back to",
    "testified about",
    "was treated near",
    "crossed the border from",
    "was detained in",
    "described the conditions in",
]
CLAUSES = [
    "according to a lawyer who asked not to be named",
    "the mother said in a telephone interview",
    "which could not be independently verified",
    "as documents seen by reporters show",
    "a medic at the field hospital recalled",
]


def sentence(rng: random.Random) -> str:
    """One plausible sentence mixing people, places, units, dates and figures."""
    who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    where = f"near {rng.choice(PLACES)} {rng.choice(DATES)}"
    parts = [f"{who} {rng.choice(VERBS)} {rng.choice(UNITS)} {where}"]
    if rng.random() < 0.5:
        parts.append(f"and reported {rng.choice(FIGURES)}")
    if rng.random() < 0.4:
        parts.append(rng.choice(CLAUSES))
    return ", ".join(parts) + "."


def document(seed: int, size: int = 20_000, make: Callable[[random.Random], str] = sentence) -> str:
    """A text of about ``size`` characters in paragraphs of 3–6 sentences (``make`` one)."""
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < size:
        paragraph = " ".join(make(rng) for _ in range(rng.randint(3, 6)))
        out.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(out) + "\n"


def write_corpus(folder: Path, count: int, size: int = 20_000) -> Iterator[Path]:
    """Write ``count`` documents as .txt files into ``folder``, yielding their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        path = folder / f"synthetic-{i:05d}.txt"
        path.write_text(document(i, size), encoding="utf-8")
        yield path
