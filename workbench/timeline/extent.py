"""Which stretch of time to fit: where the items are dense, or every one of them.

One "early 1990s" event among hundreds from 2022-2024 would squeeze them all into a sliver
if a fit showed every item. The dense extent is found on the items' midpoints: the shortest
stretch holding ``DENSE_SHARE`` of them, widened by each further midpoint lying within
``JOIN_REACH`` times that stretch's length (at least ``MIN_REACH_DAYS``) of the last one
taken, so that a spread-out timeline is fitted whole and only items far from the rest (years
away, and further than the rest spread) are left out; the fit then covers those items' full
extents. Items left out are counted at the edges
of the view (``Lane.outside``), and the full extent stays one key away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.timeline.model import TimelineItem

DENSE_SHARE = 0.9  # of the items, held by the shortest stretch of midpoints...
JOIN_REACH = 0.5  # ...which takes in further items this close (times its length)...
MIN_REACH_DAYS = 365.0  # ...or at least this many days: a few months away is no outlier


def full_extent(items: Sequence[TimelineItem]) -> tuple[float, float] | None:
    """``[start, end)`` over every item (None without items)."""
    if not items:
        return None
    return min(i.start for i in items), max(i.end for i in items)


def dense_extent(items: Sequence[TimelineItem]) -> tuple[float, float] | None:
    """``[start, end)`` over the items where most of them are (None without items)."""
    if not items:
        return None
    ordered = sorted(items, key=lambda i: i.start + i.end)
    middles = [(i.start + i.end) / 2 for i in ordered]
    count = len(middles)
    held = max(1, math.ceil(count * DENSE_SHARE))
    low = min(range(count - held + 1), key=lambda i: middles[i + held - 1] - middles[i])
    high = low + held - 1
    reach = max((middles[high] - middles[low]) * JOIN_REACH, MIN_REACH_DAYS)
    while low > 0 and middles[low] - middles[low - 1] <= reach:
        low -= 1
    while high < count - 1 and middles[high + 1] - middles[high] <= reach:
        high += 1
    return full_extent(ordered[low : high + 1])
