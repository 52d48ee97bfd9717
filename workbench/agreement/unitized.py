"""Krippendorff's unitized alpha (αu) for spans on a continuum, any number of annotators.

Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
Methodology 25, 47–76; and (2004) Content Analysis: An Introduction to Its Methodology,
2nd ed., Sage (the worked example on p. 254).

For one code c, each annotator's continuum (the text, L code points) is cut into units of
c and the gaps between them. Two segments g (of annotator i) and h (of annotator j) differ
by δ²:

- both units of c that overlap: (start_g - start_h)² + (end_g - end_h)²;
- a unit inside the other's gap: the unit's length squared;
- otherwise 0.

Observed disagreement: uDo = Σ_{i≠j} Σ_g Σ_h δ² / (m(m-1)L²) for m annotators. Expected
disagreement, over every unit g (length l) of every annotator, N units in all:

    uDe = 2/L · Σ_g [(N-1)(2l³-3l²+l)/3 + l² Σ_{gaps h, l_h ≥ l} (l_h - l + 1)]
          / [mL(mL-1) - Σ_g l(l-1)]

αu = 1 - uDo/uDe for one code, and 1 - Σ_c uDo_c / Σ_c uDe_c over several. Several texts
make one continuum, one after another, whose gaps end where each text ends.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations

from workbench.agreement.figure import Figure
from workbench.agreement.spans import Span, gaps

FEW_ANNOTATORS = "needs two annotators or more"
NO_TEXT = "no text to compare"
NO_UNITS = "no passages to compare"
NO_CHANCE = "undefined: no disagreement is expected by chance"
SMALL = 64  # units a tally holds below which counting their lengths costs more than it saves


@dataclass
class Tally:
    """What αu needs of one code on a continuum of one or more texts: the observed δ² sum
    over ordered pairs of annotators, every unit's length, every gap's length, the
    continuum's length and the number of annotators."""

    annotators: int
    continuum: int = 0
    observed: int = 0
    lengths: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    # (uDo, uDe) once computed: a code's figures serve its row and the all-codes row
    known: tuple[float, float] | None = field(default=None, compare=False, repr=False)

    def add(self, other: Tally) -> None:
        """Append another text's tally of the same annotators to this continuum."""
        self.continuum += other.continuum
        self.observed += other.observed
        self.lengths += other.lengths
        self.gaps += other.gaps
        self.known = None


def tally(marks: Sequence[Sequence[Span]], length: int) -> Tally:
    """The tally of one code in a text of ``length`` code points, each annotator's units in
    order and not overlapping (``spans.units``)."""
    pairs = sum(pair_disagreement(a, b) for a, b in combinations(marks, 2))
    return together([alone(units, length) for units in marks], pairs)


def alone(units: Sequence[Span], length: int) -> Tally:
    """One annotator's units and gaps of one code in a text (nothing to compare yet)."""
    return Tally(1, length, 0, [end - start for start, end in units], gaps(units, length))


def together(annotators: Sequence[Tally], pairs: int) -> Tally:
    """The tally of annotators (each ``alone``) in one text, with the δ² sums of their
    unordered pairs (``pair_disagreement``) already added up: a caller comparing several
    sets of annotators computes each annotator's part and each pair once."""
    return Tally(
        annotators=len(annotators),
        continuum=annotators[0].continuum,
        observed=2 * pairs,
        lengths=[n for part in annotators for n in part.lengths],
        gaps=[n for part in annotators for n in part.gaps],
    )


def blank(length: int, annotators: int) -> Tally:
    """The tally of a code nobody used in a text: every annotator's continuum one gap."""
    return Tally(annotators, length, 0, [], [length] * annotators if length else [])


def pair_disagreement(first: Sequence[Span], second: Sequence[Span]) -> int:
    """Σ δ² between two annotators' segments (one order of the pair)."""
    total = 0
    touched_first = [False] * len(first)
    touched_second = [False] * len(second)
    i = j = 0
    while i < len(first) and j < len(second):
        (a_start, a_end), (b_start, b_end) = first[i], second[j]
        if a_start < b_end and b_start < a_end:
            total += (a_start - b_start) ** 2 + (a_end - b_end) ** 2
            touched_first[i] = touched_second[j] = True
        if a_end <= b_end:
            i += 1
        else:
            j += 1
    # a unit no unit of the other annotator overlaps lies inside one of the other's gaps
    total += sum((e - s) ** 2 for (s, e), hit in zip(first, touched_first, strict=True) if not hit)
    total += sum(
        (e - s) ** 2 for (s, e), hit in zip(second, touched_second, strict=True) if not hit
    )
    return total


def disagreements(part: Tally) -> tuple[float, float]:
    """(uDo, uDe) of one code's tally."""
    if part.known is None:
        part.known = _disagreements(part)
    return part.known


def _disagreements(part: Tally) -> tuple[float, float]:
    m, length = part.annotators, part.continuum
    observed = part.observed / (m * (m - 1) * length * length)
    n = len(part.lengths)
    if n == 0:
        return observed, 0.0
    ordered = sorted(part.gaps)
    # sums of the gaps from each index to the end: the gaps at least l long start at bisect
    tails = list(accumulate(reversed(ordered)))[::-1]
    tails.append(0)
    # a corpus repeats lengths often: each length is worked out once
    lengths = Counter(part.lengths).items() if n > SMALL else [(u, 1) for u in part.lengths]
    total = 0
    possible = m * length * (m * length - 1)  # ordered pairs of code points …
    for unit, times in lengths:
        at = bisect_left(ordered, unit)
        fits = tails[at] - (len(ordered) - at) * (unit - 1)  # Σ (l_h - l + 1), l_h ≥ l
        total += times * ((n - 1) * (2 * unit**3 - 3 * unit**2 + unit) // 3 + unit * unit * fits)
        possible -= times * unit * (unit - 1)  # … less those within one unit
    return observed, 2 * total / (length * possible)


def alpha(parts: Iterable[Tally]) -> Figure:
    """αu over the codes whose tallies are given (one tally: that code's αu)."""
    parts = list(parts)
    if not parts or parts[0].annotators < 2:
        return Figure.missing(FEW_ANNOTATORS)
    if parts[0].continuum == 0:
        return Figure.missing(NO_TEXT)
    if not any(part.lengths for part in parts):
        return Figure.missing(NO_UNITS)
    observed = expected = 0.0
    for part in parts:
        do, de = disagreements(part)
        observed += do
        expected += de
    if expected == 0:
        return Figure.missing(NO_CHANCE)
    return Figure(1 - observed / expected)
