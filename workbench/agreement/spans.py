"""One annotator's spans of one code in one text, as the measures read them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Span = tuple[int, int]  # [start, end) in code points


def units(spans: Iterable[Span]) -> list[Span]:
    """The spans in order with overlapping ones joined into one (an annotator marks a code
    point with a code or not; unitizing allows no overlap within one annotator's code).
    Spans that only touch stay apart: they are two units the annotator marked."""
    joined: list[Span] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            if end > joined[-1][1]:
                joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def covered(spans: Sequence[Span]) -> int:
    """Code points inside ``spans`` (as ``units`` gives them: in order, not overlapping)."""
    return sum(end - start for start, end in spans)


def common(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """The stretches both span lists cover (each in order, not overlapping)."""
    shared: list[Span] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            if shared and shared[-1][1] == start:
                shared[-1] = (shared[-1][0], end)
            else:
                shared.append((start, end))
        if first[i][1] <= second[j][1]:
            i += 1
        else:
            j += 1
    return shared


def joined(lists: Iterable[Sequence[Span]]) -> list[Span]:
    """The stretches any of the span lists covers, touching ones made one."""
    merged: list[Span] = []
    for start, end in sorted(span for spans in lists for span in spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def gaps(spans: Sequence[Span], length: int) -> list[int]:
    """The lengths of the stretches of a text of ``length`` code points that ``spans``
    leave uncovered, between, before and after them."""
    found: list[int] = []
    position = 0
    for start, end in spans:
        if start > position:
            found.append(start - position)
        position = max(position, end)
    if length > position:
        found.append(length - position)
    return found
