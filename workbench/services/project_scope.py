"""Which stored rows a whole-project export of a selection holds: the documents chosen and
what hangs off them, or the records chosen and what they stand on; the codebook whole.

    documents chosen → their passages, the records with evidence among those passages, that
                       evidence, links between those records, the documents' suppressions
                       and memos (and the project's memo)
    records chosen   → those records, their evidence, its passages, the documents the
                       passages are in (with their suppressions and memos), links between
                       the records
    statuses, type   → only records and passages in those states, of that type or code
                       (as in the records and annotations tables)

Every reference in the result points inside it, so the file imports into an empty project.
The audit log belongs to the whole project: any narrower selection leaves it out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true

from workbench.domain import STATUSES
from workbench.export.model import Selection
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
    Suppression,
)
from workbench.storage.portable import id_values

_ids = id_values  # ``values`` as a subquery over one parameter (a JSON array)


class ProjectScope:
    """The condition on each section's rows that keeps the selection's part of the project."""

    def __init__(self, selection: Selection) -> None:
        chosen_documents, chosen_records = selection.document_ids, selection.record_ids
        self.whole = (chosen_documents is None and chosen_records is None
                      and selection.type_name is None
                      and set(selection.statuses) >= set(STATUSES))  # fmt: skip
        passages = select(Annotation.id).where(Annotation.status.in_(selection.statuses))
        records = select(Record.id).where(Record.status.in_(selection.statuses))
        if selection.type_name is not None:
            code = select(Code.id).where(Code.name == selection.type_name)
            passages = passages.where(Annotation.code_id.in_(code))
            records = records.where(Record.type_id.in_(code))
        if chosen_documents is not None:
            passages = passages.where(Annotation.document_id.in_(_ids(chosen_documents)))
            supported = select(Evidence.record_id).where(Evidence.annotation_id.in_(passages))
            records = records.where(Record.id.in_(supported))  # with evidence there
        documents: Select[Any] | None = None  # None: every document
        if chosen_records is not None:  # only the records' passages, and their documents
            records = records.where(Record.id.in_(_ids(chosen_records)))
            evidence = select(Evidence.annotation_id).where(Evidence.record_id.in_(records))
            passages = passages.where(Annotation.id.in_(evidence))
            documents = select(Annotation.document_id).where(Annotation.id.in_(passages))
        elif chosen_documents is not None:
            documents = _ids(chosen_documents)
        self._passages, self._records, self._documents = passages, records, documents

    def where(self, section: str) -> ColumnElement[bool]:
        """The condition on the rows of ``section`` (a key of ``PROJECT_MODELS``)."""
        if self.whole:
            return true()
        passages, records, documents = self._passages, self._records, self._documents
        conditions: dict[str, ColumnElement[bool]] = {
            "codebook": true(),
            "annotations": Annotation.id.in_(passages),
            "records": Record.id.in_(records),
            "evidence": Evidence.record_id.in_(records) & Evidence.annotation_id.in_(passages),
            "links": RecordLink.source_id.in_(records) & RecordLink.target_id.in_(records),
            "history": false(),
        }
        if documents is None:
            conditions.update(documents=true(), suppressions=true(), memos=true())
        else:
            conditions.update(
                documents=Document.id.in_(documents),
                suppressions=Suppression.document_id.in_(documents),
                memos=Memo.document_id.is_(None) | Memo.document_id.in_(documents),
            )
        return conditions[section]
