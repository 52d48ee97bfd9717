"""Adjudication: the lead decides each difference between annotators' passages of a document
into the reviewed layer, one undoable, audited step a decision.

The reviewed layer is a layer of its own, the passages authored ``REVIEWED``: deciding a
difference writes there a copy of each passage in it (same span, code and quote), accepted
when its annotator's version is taken and rejected when not, and takes out the copies an
earlier decision of the same difference wrote. The annotators' own passages never change, so
their layers and the agreement figures stay what they did; an accepted copy of a record's
passage is evidence of the same records. A difference is decided when every passage in it
has a copy; the annotators whose passages are all accepted are the versions taken (none:
"neither"). A version that is part of another reads as both once the larger is taken, since
the reviewed layer then holds both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workbench.domain import AnnotationId, DocumentId
from workbench.errors import InvalidInputError, NotFoundError
from workbench.services.agreement import REVIEWED
from workbench.services.layers import Difference, Key, LayerService, differences
from workbench.services.snapshots import Scope
from workbench.services.steps import StepResult
from workbench.storage.models import Annotation, Code, Document, Evidence

if TYPE_CHECKING:
    from workbench.project import Project


@dataclass(frozen=True)
class Item:
    """A difference and what the reviewed layer holds of it."""

    difference: Difference
    accepted: tuple[str, ...] | None  # None: undecided; (): neither; else whose versions

    @property
    def decided(self) -> bool:
        """Whether the reviewed layer holds a decision on every passage of it."""
        return self.accepted is not None

    def decision(self) -> str:
        """The decision in words ("" while undecided)."""
        if self.accepted is None:
            return ""
        if not self.accepted:
            return "neither"
        if len(self.accepted) > 1 and len(self.accepted) == len(self.difference.annotators):
            return "both" if len(self.accepted) == 2 else "all"
        return ", ".join(self.accepted)


@dataclass(frozen=True)
class Comparison:
    """One document's passages of two or more annotators, difference by difference."""

    document_id: DocumentId
    annotators: tuple[str, ...]
    items: tuple[Item, ...]

    def disagreements(self) -> int:
        """How many items are not agreements."""
        return sum(item.difference.kind != "agreement" for item in self.items)

    def undecided(self) -> int:
        """How many disagreements the reviewed layer holds no decision on."""
        return sum(item.difference.kind != "agreement" and not item.decided for item in self.items)

    def next_undecided(self, after: int) -> int | None:
        """The index of the first undecided disagreement after ``after`` (wrapping round),
        or None when every one is decided."""
        count = len(self.items)
        for step in range(1, count + 1):
            index = (after + step) % count
            item = self.items[index]
            if item.difference.kind != "agreement" and not item.decided:
                return index
        return None


class AdjudicationService:
    """Compare annotators over one document and decide their differences."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._layers = LayerService(project)

    def annotators(self, document_id: DocumentId) -> list[str]:
        """Everyone with passages in the document but the reviewed layer, by name."""
        names = {m.annotator for m in self._layers.marks(document_id)} - {REVIEWED}
        return sorted(names, key=lambda n: (n.casefold(), n))

    def compare(self, document_id: DocumentId, annotators: Sequence[str]) -> Comparison:
        """The differences and agreements of ``annotators`` (two or more) in a document,
        with the decisions the reviewed layer holds."""
        chosen = self._check(document_id, annotators)
        found = differences(self._layers.marks(document_id), chosen)
        copies = self._copies(document_id)
        return Comparison(document_id, chosen,
                          tuple(Item(d, _accepted(d, copies)) for d in found))  # fmt: skip

    def decide(
        self,
        document_id: DocumentId,
        annotators: Sequence[str],
        ids: frozenset[AnnotationId],
        accepted: Sequence[str],
    ) -> StepResult:
        """Take the versions of ``accepted`` (none: neither; all: both) of the difference made
        of the passages ``ids`` into the reviewed layer, as one undoable, audited step."""
        chosen = self._check(document_id, annotators)
        taken = tuple(dict.fromkeys(accepted))
        strangers = [name for name in taken if name not in chosen]
        if strangers:
            raise InvalidInputError(f"'{strangers[0]}' is not among the annotators compared")
        found = [d for d in differences(self._layers.marks(document_id), chosen) if d.ids == ids]
        if not found:
            raise InvalidInputError(
                "these passages changed since they were compared; compare again"
            )
        difference = found[0]
        keys = {m.key for m in difference.marks}
        kept = {m.key for m in difference.marks if m.annotator in taken}
        records: dict[Key, set[int]] = {}
        for mark in difference.marks:
            records.setdefault(mark.key, set()).update(mark.record_ids)
        old = [i for key, (i, _status) in self._copies(document_id).items() if key in keys]

        def mutate(session: Session, scope: Scope) -> tuple[int, ...]:
            session.execute(delete(Annotation).where(Annotation.id.in_(old)))
            codes = {row.name: row.id for row in session.execute(select(Code.name, Code.id))}
            quotes = {m.key: m.quote for m in difference.marks}
            for key in sorted(keys):
                start, end, code = key
                copy = Annotation(document_id=document_id, start=start, end=end,
                                  quote=quotes[key], code_id=codes[code], author=REVIEWED,
                                  origin="manual", confidence=None, note="",
                                  status="accepted" if key in kept else "rejected")  # fmt: skip
                session.add(copy)
                session.flush()
                scope.annotation_ids.add(copy.id)
                if key in kept:
                    for record_id in sorted(records[key]):
                        session.add(Evidence(record_id=record_id, annotation_id=copy.id))
            return ()

        linked = {record_id for ids in records.values() for record_id in ids}
        # the records the copies become evidence of are the step's too: it counts a write on
        # each (a passage linked, as ``attach`` counts), and its undo checks them
        return self._project.steps.run(
            "adjudication.decide", Scope(record_ids=linked, annotation_ids=set(old)), mutate,
            subject=("document", document_id), start=difference.start, end=difference.end,
            kind=difference.kind, annotators=list(chosen), accepted=list(taken),
        )  # fmt: skip

    def _check(self, document_id: DocumentId, annotators: Sequence[str]) -> tuple[str, ...]:
        """The annotators to compare, refused in one line unless two or more are named."""
        with self._project.session() as session:
            if session.get(Document, document_id) is None:
                raise NotFoundError(f"no document with id {document_id}")
        chosen = tuple(dict.fromkeys(annotators))
        if REVIEWED in chosen:
            raise InvalidInputError("the reviewed layer is what annotators are compared into")
        if len(chosen) < 2:
            raise InvalidInputError("choose two or more annotators to compare")
        return chosen

    def _copies(self, document_id: DocumentId) -> dict[Key, tuple[AnnotationId, str]]:
        """The reviewed layer's passages of a document by span and code, with their status."""
        query = (
            select(Annotation.id, Annotation.start, Annotation.end, Code.name, Annotation.status)
            .join(Code, Annotation.code_id == Code.id)
            .where(Annotation.document_id == document_id, Annotation.author == REVIEWED)
            .order_by(Annotation.id)
        )
        with self._project.session() as session:
            return {(s, e, c): (i, status) for i, s, e, c, status in session.execute(query)}


def _accepted(
    difference: Difference, copies: dict[Key, tuple[AnnotationId, str]]
) -> tuple[str, ...] | None:
    """Whose versions the reviewed layer took of a difference, or None while undecided."""
    if any(m.key not in copies for m in difference.marks):
        return None
    return tuple(
        name for name in difference.annotators
        if difference.of(name) and all(copies[m.key][1] == "accepted" for m in difference.of(name))
    )  # fmt: skip
