"""Percentage agreement and Cohen's kappa over code points as units.

Each code point of a text, for each code, is one unit that every annotator either marked
with the code or not (QualCoder and most QDA tools count so). Counts of several texts or
codes add up to the pooled figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from workbench.agreement.figure import Figure
from workbench.agreement.spans import Span, common, covered, joined

PAIRS_ONLY = "Cohen's kappa compares two annotators: see the row of each pair"
NO_UNITS = "no text to compare"
CHANCE_IS_ALL = (
    "kappa is undefined: the expected agreement is 1 (each annotator marked all of these "
    "code points or none)"
)


@dataclass(frozen=True)
class Counts:
    """Code-point units of one code (or pooled over codes and texts) for a set of
    annotators: how many there are, on how many all annotators agree (all marked, or none
    did), and how many each annotator marked."""

    units: int
    agreed: int
    marked: tuple[int, ...]

    def __add__(self, other: Counts) -> Counts:
        marked = tuple(a + b for a, b in zip(self.marked, other.marked, strict=True))
        return Counts(self.units + other.units, self.agreed + other.agreed, marked)


def count(marks: Sequence[Sequence[Span]], length: int) -> Counts:
    """The units of one code in a text of ``length`` code points, each annotator's spans
    in order and not overlapping (``spans.units``)."""
    marked = tuple(covered(m) for m in marks)
    everyone = covered(reduce(common, marks)) if marks else 0
    # two annotators: whoever marked a point is the one, the other or both
    anyone = sum(marked) - everyone if len(marks) == 2 else covered(joined(marks))
    return Counts(length, length - (anyone - everyone), marked)


def unmarked(length: int, annotators: int) -> Counts:
    """The units of a code nobody used in a text of ``length`` code points."""
    return Counts(length, length, (0,) * annotators)


def percentage(counts: Counts) -> Figure:
    """The share of units on which every annotator agrees, in percent."""
    if counts.units == 0:
        return Figure.missing(NO_UNITS)
    return Figure(100 * counts.agreed / counts.units)


def kappa(counts: Counts) -> Figure:
    """Cohen's kappa of two annotators: (po - pe) / (1 - pe), with pe from each one's own
    share of marked units; None, with the reason, where pe is 1."""
    if len(counts.marked) != 2:
        return Figure.missing(PAIRS_ONLY)
    n = counts.units
    if n == 0:
        return Figure.missing(NO_UNITS)
    first, second = counts.marked
    chance = first * second + (n - first) * (n - second)  # pe × n²
    if chance == n * n:
        return Figure.missing(CHANCE_IS_ALL)
    return Figure((n * counts.agreed - chance) / (n * n - chance))
