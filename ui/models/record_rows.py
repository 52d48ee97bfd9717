"""RecordRows: the records by type, filtered and sorted over whole Python lists (no Qt)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from workbench.domain import RecordInfo

STATUSES = ("suggested", "accepted", "rejected")
LABEL, STATUS, CONFIDENCE, EVIDENCE, DATE = range(5)
TypeRank = Callable[[str], tuple[int, str]]


def type_ranker(order: Sequence[str]) -> TypeRank:
    """Sort key for record types: the codebook's order (its data, not a list in a widget),
    then any type it does not name alphabetically."""
    position = {name: i for i, name in enumerate(order)}

    def rank(record_type: str) -> tuple[int, str]:
        index = position.get(record_type)
        return (index, "") if index is not None else (len(position), record_type)

    return rank


class RecordRows:
    """All loaded records and the filter and sort that decide which show, and in what order.

    Each type keeps its records sorted, with their case-folded labels beside them, until one
    of them changes, so a new filter is one list comprehension per type and no sort.
    """

    def __init__(self) -> None:
        self.records: dict[int, RecordInfo] = {}
        self.by_type: dict[str, dict[int, RecordInfo]] = {}  # each in arrival (seq) order
        self._seq: dict[int, int] = {}
        self._next_seq = 0
        self._arrival: dict[str, tuple[list[RecordInfo], list[str]]] = {}
        # per type, under the current sort: positions in arrival order, records, folded labels
        self._sorted: dict[str, tuple[list[int], list[RecordInfo], list[str] | None]] = {}
        self.text, self.status, self.type = "", "", ""
        self.only: frozenset[int] | None = None  # the annotators' records, when filtered by them
        self.rank: TypeRank = type_ranker(())
        self.sort_column, self.descending = -1, False

    def clear(self) -> None:
        """Forget every record (the filter and the sort stay)."""
        for store in (self.records, self.by_type, self._seq, self._arrival, self._sorted):
            store.clear()

    def store(self, record: RecordInfo) -> None:
        """Keep a record; a new one, or one that changed type, arrives last in its type."""
        old = self.records.get(record.id)
        if old is not None and old.type != record.type:
            del self.by_type[old.type][record.id]
            self._changed(old.type)
        if old is None or old.type != record.type:
            self._seq[record.id], self._next_seq = self._next_seq, self._next_seq + 1
        self.records[record.id] = record
        self.by_type.setdefault(record.type, {})[record.id] = record
        self._changed(record.type)

    def forget(self, record: RecordInfo) -> None:
        """Drop a stored record."""
        del self.records[record.id], self.by_type[record.type][record.id], self._seq[record.id]
        self._changed(record.type)

    def set_filter(self, text: str, status: str, record_type: str) -> bool:
        """Take a new filter (``text`` already case-folded); False if it is the same."""
        if (text, status, record_type) == (self.text, self.status, self.type):
            return False
        self.text, self.status, self.type = text, status, record_type
        return True

    def set_only(self, record_ids: frozenset[int] | None) -> bool:
        """Show only these records (None: any); False if it is the same."""
        if record_ids == self.only:
            return False
        self.only = record_ids
        return True

    def set_sort(self, column: int, descending: bool) -> bool:
        """Take a new sort column (-1: arrival order); False if it is the same."""
        if (column, descending) == (self.sort_column, self.descending):
            return False
        self.sort_column, self.descending = column, descending
        self._sorted.clear()
        return True

    def types(self) -> list[str]:
        """All loaded record types in display order, whatever the filter."""
        return sorted((t for t, records in self.by_type.items() if records), key=self.rank)

    def accepts(self, record: RecordInfo) -> bool:
        """Whether the filter shows ``record``."""
        return (
            self.text in record.label.casefold()
            and self.status in ("", record.status)
            and self.type in ("", record.type)
            and (self.only is None or record.id in self.only)
        )

    def rows(self) -> dict[str, list[RecordInfo]]:
        """The shown records per type (only types with some), filtered and in sort order."""
        text, status, shown = self.text, self.status, {}
        for record_type in self.by_type:
            if self.type and record_type != self.type:
                continue
            records = self._in_order(record_type)
            if text:
                labels = self._labels_in_order(record_type)
                records = [r for r, label in zip(records, labels, strict=True) if text in label]
            if status:
                records = [r for r in records if r.status == status]
            if self.only is not None:
                only = self.only
                records = [r for r in records if r.id in only]
            if records:
                filtered = text or status or self.only is not None
                shown[record_type] = records if filtered else list(records)
        return shown

    def sort_key(self) -> Callable[[RecordInfo], Any]:
        """The key records of one type are ordered by."""
        column, seq = self.sort_column, self._seq
        if column == LABEL:
            return lambda r: r.label.casefold()
        if column == STATUS:
            return lambda r: STATUSES.index(r.status) if r.status in STATUSES else len(STATUSES)
        if column == CONFIDENCE:
            return lambda r: -1.0 if r.confidence is None else r.confidence
        if column == EVIDENCE:
            return lambda r: (r.evidence_count, len(r.document_ids))
        if column == DATE:
            return lambda r: (r.date_earliest is None, r.date_earliest or "", r.date_latest or "")
        return lambda r: seq[r.id]

    def position(self, record: RecordInfo, rows: list[RecordInfo]) -> int:
        """Where ``record`` goes among ``rows`` (in sort order), after equal keys."""
        key, descending = self.sort_key(), self.descending
        value, low, high = key(record), 0, len(rows)
        while low < high:
            mid = (low + high) // 2
            other = key(rows[mid])
            if (other < value) if descending else (value < other):
                high = mid
            else:
                low = mid + 1
        return low

    def _in_order(self, record_type: str) -> list[RecordInfo]:
        """A type's records in sort order, kept until one of them changes or the sort does."""
        if record_type not in self._arrival:
            records = list(self.by_type[record_type].values())
            self._arrival[record_type] = records, [r.label.casefold() for r in records]
        records, labels = self._arrival[record_type]
        if self.sort_column < 0:
            return records
        if record_type not in self._sorted:
            key = self.sort_key()
            position: Callable[[int], Any] = (
                labels.__getitem__  # the folded labels are the keys, already made
                if self.sort_column == LABEL
                else lambda i: key(records[i])
            )
            order = sorted(range(len(records)), key=position, reverse=self.descending)
            self._sorted[record_type] = order, list(map(records.__getitem__, order)), None
        return self._sorted[record_type][1]

    def _labels_in_order(self, record_type: str) -> list[str]:
        """The case-folded labels of ``_in_order`` (made when a text filter first needs them)."""
        labels = self._arrival[record_type][1]
        if self.sort_column < 0:
            return labels
        order, records, in_order = self._sorted[record_type]
        if in_order is None:
            in_order = list(map(labels.__getitem__, order))
            self._sorted[record_type] = order, records, in_order
        return in_order

    def _changed(self, record_type: str) -> None:
        self._arrival.pop(record_type, None)
        self._sorted.pop(record_type, None)
