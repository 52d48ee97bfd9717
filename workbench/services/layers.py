"""Annotators as layers: whose passages a project holds, the records each one's passages
support, and where two or more annotators' passages of one document differ.

An annotator's passages are those agreement counts (``services/agreement.py:counted``): made
by hand and not rejected, or accepted suggestions. The differences of one document are the
runs of passages that overlap one another (whatever their code or annotator; passages that
only touch stay apart, as agreement's units do), each told apart as one of ``KINDS``.
Offsets are code points into the stored text."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, or_, select

from workbench.agreement.spans import units
from workbench.domain import AnnotationId, DocumentId, RecordId
from workbench.services.agreement import counted
from workbench.storage.models import Annotation, Code, Evidence

if TYPE_CHECKING:
    from workbench.project import Project


Kind = Literal["agreement", "only", "codes", "boundaries"]
KINDS: tuple[Kind, ...] = ("only", "codes", "boundaries", "agreement")
Key = tuple[int, int, str]  # start, end, code: a passage as a reviewed copy matches it


@dataclass(frozen=True)
class Mark:
    """One annotator's passage, as the compare view and adjudication read it."""

    annotation_id: AnnotationId
    annotator: str
    start: int
    end: int
    code: str
    quote: str
    record_ids: tuple[RecordId, ...] = ()

    @property
    def key(self) -> Key:
        """Where and with what code: two marks with one key are the same passage."""
        return (self.start, self.end, self.code)


@dataclass(frozen=True)
class Difference:
    """A run of overlapping passages of the annotators compared, and how they differ:
    ``only`` some annotators marked it, ``codes`` (overlapping passages, different codes),
    ``boundaries`` (the same codes, other boundaries) or ``agreement`` (the same passages)."""

    start: int
    end: int
    kind: Kind
    marks: tuple[Mark, ...]  # in text order
    annotators: tuple[str, ...]  # those compared, in the order given

    def of(self, annotator: str) -> tuple[Mark, ...]:
        """The marks of one annotator, in text order."""
        return tuple(m for m in self.marks if m.annotator == annotator)

    @property
    def ids(self) -> frozenset[AnnotationId]:
        """The passages it is made of: the same ids are the same difference."""
        return frozenset(m.annotation_id for m in self.marks)

    def describe(self) -> str:
        """The kind in words ("only Anna", "different codes")."""
        if self.kind == "only":
            present = [a for a in self.annotators if self.of(a)]
            return "only " + ", ".join(present)
        return {
            "codes": "different codes",
            "boundaries": "same code, different boundaries",
            "agreement": "agreement",
        }[self.kind]


def differences(marks: Iterable[Mark], annotators: Sequence[str]) -> list[Difference]:
    """The differences (and agreements) between ``annotators`` over one document's marks,
    in text order; marks of anyone else are left out."""
    compared = tuple(dict.fromkeys(annotators))
    chosen = set(compared)
    ordered = sorted(
        (m for m in marks if m.annotator in chosen), key=lambda m: (m.start, m.end, m.annotation_id)
    )
    found: list[Difference] = []
    run: list[Mark] = []
    end = -1
    for mark in ordered:
        if run and mark.start >= end:
            found.append(_difference(run, compared))
            run = []
        end = max(end, mark.end) if run else mark.end
        run.append(mark)
    if run:
        found.append(_difference(run, compared))
    return found


def _difference(run: list[Mark], annotators: tuple[str, ...]) -> Difference:
    start, end = run[0].start, max(m.end for m in run)
    present = {m.annotator for m in run}
    if len(present) < len(annotators):
        return Difference(start, end, "only", tuple(run), annotators)
    shapes = [_shape([m for m in run if m.annotator == a]) for a in annotators]
    if all(shape == shapes[0] for shape in shapes):
        kind: Kind = "agreement"
    elif all(shape.keys() == shapes[0].keys() for shape in shapes):
        kind = "boundaries"
    else:
        kind = "codes"
    return Difference(start, end, kind, tuple(run), annotators)


def _shape(marks: list[Mark]) -> dict[str, list[tuple[int, int]]]:
    """An annotator's stretches per code (overlapping passages of one code are one)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for mark in marks:
        spans.setdefault(mark.code, []).append((mark.start, mark.end))
    return {code: units(found) for code, found in spans.items()}


class LayerService:
    """Who annotated what: the layers a document view shows and the records they support."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def annotators(self, document_id: DocumentId | None = None) -> list[str | None]:
        """Everyone whose passages are in the document (the project when None), by name;
        None stands for passages nobody is named for (made before annotators were kept)."""
        query = select(Annotation.author).distinct()
        if document_id is not None:
            query = query.where(Annotation.document_id == document_id)
        with self._project.session() as session:
            names = set(session.scalars(query))
        return sorted(names, key=lambda n: (n is None, (n or "").casefold(), n or ""))

    def records_by(self, annotators: Collection[str | None]) -> set[RecordId]:
        """The records some passage of one of ``annotators`` supports, in any document."""
        named = [a for a in annotators if a is not None]
        condition: ColumnElement[bool] = Annotation.author.in_(named)
        if None in annotators:
            condition = or_(condition, Annotation.author.is_(None))
        query = (
            select(Evidence.record_id)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(condition)
            .distinct()
        )
        with self._project.session() as session:
            return set(session.scalars(query))

    def marks(self, document_id: DocumentId) -> list[Mark]:
        """The annotators' passages of one document (the reviewed layer's too), in text
        order. Rows, not ORM objects: 9,000 passages read in a tenth of the time."""
        query = (
            select(Annotation.id, Annotation.author, Annotation.start, Annotation.end,
                   Code.name, Annotation.quote)
            .join(Code, Annotation.code_id == Code.id)
            .where(Annotation.document_id == document_id, counted())
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )  # fmt: skip
        evidence = (
            select(Evidence.annotation_id, Evidence.record_id)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(Annotation.document_id == document_id)
            .order_by(Evidence.record_id)
        )
        with self._project.session() as session:
            conn = session.connection()  # plain rows: the ORM's loading doubled the time
            records: dict[int, list[RecordId]] = {}
            for annotation_id, record_id in conn.execute(evidence):
                records.setdefault(annotation_id, []).append(record_id)
            return [
                Mark(i, str(author), start, end, code, quote, tuple(records.get(i, ())))
                for i, author, start, end, code, quote in conn.execute(query)
            ]
