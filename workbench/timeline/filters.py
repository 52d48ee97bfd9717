"""Which timeline items to show (by record type, event type, status, document, person, dates),
and what is shown in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from workbench.timeline.model import TimelineItem

SHOWN_STATUSES = frozenset({"accepted", "suggested"})


@dataclass(frozen=True)
class TimelineFilter:
    """A filter; an empty set means "any". Rejected records are hidden unless asked for."""

    record_types: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    statuses: frozenset[str] = SHOWN_STATUSES
    document_ids: frozenset[int] = frozenset()
    persons: frozenset[str] = frozenset()
    date_from: date | None = None
    date_to: date | None = None

    def matches(self, item: TimelineItem) -> bool:
        """Whether an item passes every part of the filter."""
        if self.statuses and item.status not in self.statuses:
            return False
        if self.record_types and item.record_type not in self.record_types:
            return False
        if self.event_types and item.kind not in self.event_types:
            return False
        if self.document_ids and not any(d in self.document_ids for d, _ in item.documents):
            return False
        if self.persons and not self.persons.intersection(item.persons):
            return False
        if self.date_from is None and self.date_to is None:
            return True
        if item.year_unknown:
            return False  # it cannot be known to fall within the dates asked for
        if self.date_from is not None and item.end <= self.date_from.toordinal():
            return False
        return self.date_to is None or item.start <= self.date_to.toordinal()

    def describe(self, document_titles: dict[int, str] | None = None) -> str:
        """The filter state in words ("" when showing everything not rejected)."""
        parts = []
        if self.record_types:
            parts.append("type: " + ", ".join(sorted(self.record_types)))
        if self.event_types:
            names = sorted(t.replace("_", " ") for t in self.event_types)
            parts.append("event type: " + ", ".join(names))
        if self.statuses != SHOWN_STATUSES:
            parts.append("status: " + (", ".join(sorted(self.statuses)) or "any"))
        if self.document_ids:
            titles = document_titles or {}
            names = sorted(titles.get(d, f"#{d}") for d in self.document_ids)
            parts.append("document: " + ", ".join(names))
        if self.persons:
            parts.append("person: " + ", ".join(sorted(self.persons)))
        if self.date_from or self.date_to:
            low = self.date_from.isoformat() if self.date_from else "…"
            high = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"dates: {low} – {high}")
        return " · ".join(parts)


def summary_line(
    dated: Sequence[TimelineItem],
    year_unknown: Sequence[TimelineItem],
    totals: tuple[int, int],
    words: str = "",
) -> str:
    """What the timeline shows, in one line: the dated and year-unknown items passing the
    filter out of ``totals`` (dated, year-unknown), what would place the year-unknown ones
    (their documents' published date) and the filter in ``words``.

    "25 dated, 28 without a year — set the published date of 3 documents"
    """
    dated_total, unknown_total = totals
    if not unknown_total:
        if not words:
            return f"Showing all {dated_total:,} dated records"
        return f"Showing {len(dated):,} of {dated_total:,} dated records — {words}"
    if words:
        counts = (
            f"Showing {len(dated):,} of {dated_total:,} dated, "
            f"{len(year_unknown):,} of {unknown_total:,} without a year"
        )
    else:
        counts = f"{dated_total:,} dated, {unknown_total:,} without a year"
    parts = [counts]
    documents = len({doc for item in year_unknown for doc, _ in item.documents})
    if documents:
        parts.append(f"set the published date of {documents:,} {plural(documents, 'document')}")
    if words:
        parts.append(words)
    return " — ".join(parts)


def plural(count: int, noun: str) -> str:
    """``noun`` for one, ``noun``s otherwise."""
    return noun if count == 1 else f"{noun}s"


def parse_bound(text: str, *, end: bool) -> date | None:
    """A date-range bound typed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` ("" is none).

    A year or month as the end of a range means its last day. Raises ValueError with a
    message for people otherwise.
    """
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year = int(parts[0])
            return date(year, 12, 31) if end else date(year, 1, 1)
        if len(parts) == 2 and len(parts[0]) == 4:
            year, month = int(parts[0]), int(parts[1])
            first = date(year, month, 1)
            if not end:
                return first
            following = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date: type a year (2022), a month (2022-03) or a day")
