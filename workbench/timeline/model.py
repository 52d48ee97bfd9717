"""Timeline items: dated records with the bounds they are drawn between.

Time on the timeline is counted in days: ``date.toordinal()``, as a float so that views can
zoom between days. An item covers ``[start, end)``: a single day is one day wide, "August
2024" thirty-one. Open intervals ("since 2020", EDTF ``2020/..``) keep the bound the record
gives (the document's published date) or, without one, reach to today; an open start ("until
May 2023", ``../2023-05``) reaches back ``OPEN_REACH`` days. Either way the open side is drawn
fading out, never as if the source had said when it began or ended.

A date without any bound ("March 10" in a document with no published date: EDTF
``XXXX-03-10``) has no place on the axis: its item is *year-unknown*, kept with the others
(after them, in month order) so that views list it apart instead of losing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workbench.domain import type_title

OPEN_REACH = 365  # days an open start is drawn before its known end
SHORT_LABEL = 48  # characters of a label drawn as it is


def parse_day(value: str | None) -> date | None:
    """An ISO ``YYYY-MM-DD`` bound, or None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# Items are built by the tens of thousands on every reload: slotted, not frozen, dataclasses
# (frozen ones cost a setattr call per field); treat them as read-only all the same.


@dataclass(slots=True)
class DateSpan:
    """One reading of a date: the phrase as written, its EDTF form and inclusive bounds."""

    text: str | None
    edtf: str | None
    earliest: date | None
    latest: date | None
    source: str = ""  # for a merged record's other dates: the label the source gave
    # Whether the source gave no beginning ("until May 2023") / no end ("since 2020"): read
    # for every item of every frame, so worked out once.
    open_start: bool = field(init=False)
    open_end: bool = field(init=False)

    def __post_init__(self) -> None:
        edtf = self.edtf or ""
        self.open_start = self.earliest is None or edtf.startswith("../")
        self.open_end = self.latest is None or edtf.endswith("/..")

    @property
    def year_unknown(self) -> bool:
        """Whether the date has no bound at all (its year could not be worked out)."""
        return self.earliest is None and self.latest is None

    @property
    def is_day(self) -> bool:
        """Whether the date is one known day (drawn as a point)."""
        return self.earliest is not None and self.earliest == self.latest and not self.open_end

    def days(self, today: date) -> tuple[float, float]:
        """The ``[start, end)`` day numbers the span is drawn over."""
        latest = self.latest or max(today, self.earliest or today)
        end = float(latest.toordinal() + 1)
        if self.earliest is None:
            return end - OPEN_REACH, end
        return float(self.earliest.toordinal()), max(end, self.earliest.toordinal() + 1.0)

    def same_bounds(self, other: DateSpan) -> bool:
        """Whether two readings say the same (phrases may differ)."""
        return (self.earliest, self.latest) == (other.earliest, other.latest)

    def describe(self) -> str:
        """Bounds for people: "2024-03-21 – 2024-03-31", "since 2022-09-01"."""
        if self.year_unknown:
            return "year unknown"
        low = self.earliest.isoformat() if self.earliest else None
        high = self.latest.isoformat() if self.latest else None
        if self.open_end and low:
            return f"since {low}" + (f" (to {high} at the latest known)" if high else "")
        if self.open_start and high:
            return f"until {high}"
        if low == high:
            return low or "undated"
        return f"{low} – {high}"


@dataclass(slots=True)
class Passage:
    """Where a source says it: one evidence span."""

    annotation_id: int
    document_id: int
    document_title: str
    start: int
    end: int
    quote: str


@dataclass(slots=True, eq=False)
class TimelineItem:
    """A dated record as the timeline draws it (compared by identity: one item, many lanes)."""

    record_id: int
    record_type: str
    label: str
    status: str
    event_type: str | None
    inferred: bool
    date: DateSpan
    start: float  # day numbers over all readings, main and alternative
    end: float
    alternatives: tuple[DateSpan, ...] = ()
    passages: tuple[Passage, ...] = ()
    persons: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    documents: tuple[tuple[int, str], ...] = ()  # (id, title) of the passages' documents

    @property
    def year_unknown(self) -> bool:
        """Whether the item has no place on the axis: its date has no bound."""
        return self.date.year_unknown

    @property
    def conflict(self) -> bool:
        """Whether sources merged into this record give different dates."""
        return any(not self.date.same_bounds(alt) for alt in self.alternatives)

    @property
    def kind(self) -> str:
        """The event type, or the record type of non-event records."""
        return self.event_type or self.record_type

    @property
    def title(self) -> str:
        """A short name to draw: the label, or for a long label (event labels are whole
        clauses) who and where, after the type: "Border crossing · Roman Tikhonov ·
        Kazakhstan". The hover card keeps the label."""
        if len(self.label) <= SHORT_LABEL or not (self.persons or self.places):
            return self.label
        return " · ".join([type_title(self.kind), *self.persons[:2], *self.places[:1]])


def sort_key(item: TimelineItem) -> tuple[bool, bool, date, bool, date, str, int]:
    """The timeline's order: by earliest bound (none first), then latest, then record id;
    year-unknown items last, by their EDTF ("XXXX-02-24" before "XXXX-03")."""
    d = item.date
    unknown = d.year_unknown
    return (unknown, d.earliest is not None, d.earliest or date.min, d.latest is not None,
            d.latest or date.min, (d.edtf or "") if unknown else "", item.record_id)  # fmt: skip


def make_item(
    *,
    record_id: int,
    record_type: str,
    label: str,
    status: str,
    date: DateSpan,
    today: date,
    event_type: str | None = None,
    inferred: bool = False,
    alternatives: tuple[DateSpan, ...] = (),
    passages: tuple[Passage, ...] = (),
    persons: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
) -> TimelineItem:
    """An item whose extent covers every reading of its date (a year-unknown one has none:
    ``[0, 0)``, never drawn)."""
    start, end = (0.0, 0.0) if date.year_unknown else date.days(today)
    for alt in () if date.year_unknown else alternatives:
        low, high = alt.days(today)
        start, end = min(start, low), max(end, high)
    documents = tuple(dict.fromkeys((p.document_id, p.document_title) for p in passages))
    return TimelineItem(
        record_id=record_id,
        record_type=record_type,
        label=label,
        status=status,
        event_type=event_type,
        inferred=inferred,
        date=date,
        start=start,
        end=end,
        alternatives=alternatives,
        passages=passages,
        persons=persons,
        places=places,
        documents=documents,
    )
