"""ShownDocument: the records and passages of the document the window shows, as last read.

After a step the window reads back only what the step's ``ChangeSet`` names, widened to what
a change of it can reach on screen: a changed record's passages here (their highlights carry
its label), a changed passage's records (their evidence counts, or whether they still have
evidence here), before and after the step. It then patches the highlights and the records
panel in place. ``patch`` answers None when a full read is as cheap or the only safe one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ui.document_view import Highlight
from workbench.changes import ChangeSet
from workbench.domain import (
    AnnotationInfo,
    CodeInfo,
    DocumentId,
    RecordId,
    RecordInfo,
)
from workbench.services.document_rows import DocumentRows

# A change naming more records and passages than the document shows (or than PATCH_LIMIT,
# which keeps the queries' lists of ids short) reads the document whole: about as quick by
# then (benchmarks/refresh_bench.py, 9,000 passages: one record accepted, patched ~20 ms
# against ~1.4 s read whole; 4,000 at once ~0.4 s against ~1.4 s; 8,000 ~1.0 s against ~1.6 s).
PATCH_LIMIT = 10_000
PATCH_FLOOR = 200
GREY = "#888888"


@dataclass
class Patch:
    """What one change did to the shown document: highlights and records to put in place,
    ids to take out, and the documents whose review counts may have changed."""

    highlights: list[Highlight] = field(default_factory=list)
    gone_passages: set[int] = field(default_factory=set)
    records: list[RecordInfo] = field(default_factory=list)
    gone_records: set[int] = field(default_factory=set)
    documents: set[DocumentId] | None = None  # their counts may have changed (None: any)


def highlight(
    ann: AnnotationInfo, labels: Mapping[RecordId, str], codes: Mapping[str, CodeInfo]
) -> Highlight:
    """A passage as the document view draws it: its code's colour, its records' labels (or
    the start of its quote)."""
    code = codes.get(ann.code)
    label = ", ".join(labels.get(r, "") for r in ann.record_ids) or ann.quote[:60]
    return Highlight(
        annotation_id=ann.id,
        start=ann.start,
        end=ann.end,
        code=code.label if code else ann.code,
        colour=code.colour if code else GREY,
        status=ann.status,
        label=label,
        confidence=ann.confidence,
        record_ids=ann.record_ids,
        author=ann.author,
    )


class ShownDocument:
    """One document's records and passages by id, kept in step with what the window shows."""

    def __init__(self, rows: DocumentRows) -> None:
        self._rows = rows
        self.document_id: DocumentId | None = None
        self.records: dict[int, RecordInfo] = {}
        self.passages: dict[int, AnnotationInfo] = {}
        self._by_record: dict[int, set[int]] = {}  # passages here per record

    def load(
        self,
        document_id: DocumentId | None,
        records: Iterable[RecordInfo],
        passages: Iterable[AnnotationInfo],
    ) -> None:
        """Take a full read of a document (None: no document shown)."""
        self.document_id = document_id
        self.records = {r.id: r for r in records}
        self.passages = {}
        self._by_record = {}
        for ann in passages:
            self._keep(ann)

    def patch_limit(self) -> int:
        """How many records and passages a change may name and still be patched in."""
        shown = len(self.records) + len(self.passages)
        return min(PATCH_LIMIT, max(PATCH_FLOOR, shown))

    def highlights(self, codes: Mapping[str, CodeInfo]) -> list[Highlight]:
        """Every passage as the document view draws it."""
        labels = {r.id: r.label for r in self.records.values()}
        return [highlight(ann, labels, codes) for ann in self.passages.values()]

    def patch(self, changes: ChangeSet, codes: Mapping[str, CodeInfo]) -> Patch | None:
        """Read back what ``changes`` can have changed here and keep it; None when a full read
        is due instead (nothing shown, or too much named)."""
        document_id = self.document_id
        named_records, named_passages = changes.ids("record"), changes.ids("annotation")
        named = len(named_records) + len(named_passages)
        if document_id is None or named > self.patch_limit():
            return None
        record_ids = set(named_records)
        passage_ids = set(named_passages)
        for record_id in named_records:  # their passages here show their labels
            passage_ids |= self._by_record.get(record_id, set())
        for passage_id in named_passages:  # their records count them
            if (known := self.passages.get(passage_id)) is not None:
                record_ids.update(known.record_ids)
        passages = self._rows.passages(document_id, passage_ids, record_ids)
        for ann in passages:  # and the records they support now
            record_ids.update(ann.record_ids)
            old = self.passages.get(ann.id)
            if old is not None:
                record_ids.update(old.record_ids)
        records = self._rows.records(document_id, record_ids)
        patch = Patch(records=records)
        found = {ann.id for ann in passages}
        patch.gone_passages = {i for i in passage_ids if i in self.passages and i not in found}
        kept = {r.id for r in records}
        patch.gone_records = {i for i in record_ids if i in self.records and i not in kept}
        patch.documents = self._documents(changes)
        for passage_id in patch.gone_passages:
            self._forget(passage_id)
        for record_id in patch.gone_records:
            del self.records[record_id]
        self.records.update((r.id, r) for r in records)
        for ann in passages:
            self._forget(ann.id)
            self._keep(ann)
        labels = {r.id: r.label for r in self.records.values()}
        patch.highlights = [highlight(ann, labels, codes) for ann in passages]
        return patch

    def _documents(self, changes: ChangeSet) -> set[DocumentId] | None:
        """The documents whose review counts ``changes`` may have changed (asked before the
        shown rows are patched): those of the passages and records named, as they are now
        and as shown before; None (every document) when something removed was not shown
        here, so where it was is not known any more."""
        removed_passages, removed_records = changes.removed["annotation"], changes.removed["record"]
        if removed_passages - self.passages.keys() or removed_records - self.records.keys():
            return None
        named_records = changes.ids("record")
        found = self._rows.documents_of(changes.ids("annotation"), named_records)
        found.update(
            d for i in named_records if i in self.records for d in self.records[i].document_ids
        )
        if removed_passages:  # shown here, so they were this document's
            assert self.document_id is not None
            found.add(self.document_id)
        return found

    def _keep(self, ann: AnnotationInfo) -> None:
        self.passages[ann.id] = ann
        for record_id in ann.record_ids:
            self._by_record.setdefault(record_id, set()).add(ann.id)

    def _forget(self, passage_id: int) -> None:
        old = self.passages.pop(passage_id, None)
        for record_id in old.record_ids if old else ():
            linked = self._by_record.get(record_id)
            if linked is not None:
                linked.discard(passage_id)
                if not linked:
                    del self._by_record[record_id]
