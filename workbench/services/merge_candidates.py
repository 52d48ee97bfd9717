"""Merge proposals: records that may name one person, place or organisation, and why.

Records whose names fold to the same letters (``extraction.aliases.fold``: "Russia" in
eight documents, Zhilyaev / Zhylyaev) make one proposal; distinct names that look like
spelling variants make pairs. Each says why it was made, and names that say little rank
low: two people who share only a first name ("Dmitry", a soldier in one article, "Dmitri",
a doctor in another) are rarely one person, and neither are people with different titles.
Each record comes with a passage or two in context and the documents it is cited in, so
the user decides with the text in front of them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from workbench.domain import DocumentId, RecordId, RecordInfo
from workbench.extraction.aliases import alias_pairs, fold
from workbench.storage.models import Annotation, Document, Evidence

EXCERPTS = 2  # passages shown per record, from different documents first
CONTEXT = 40  # characters of context on each side of a passage
LONE_FIRST_NAME = 40.0  # the highest score of lone first names in different documents
LONE_NAME = 80.0  # of other one-word names of people in different documents
OTHER_TITLES = 50.0  # of people with different titles (Sergeant / Dr.)
_BATCH = 500  # ids per query (SQLite limits the parameters of a statement)
_Id = TypeVar("_Id", bound=int)


@dataclass(frozen=True)
class Excerpt:
    """A passage of a record's evidence with some of the text around it."""

    document_id: DocumentId
    before: str
    quote: str
    after: str


@dataclass(frozen=True)
class MergeCandidate:
    """Records that probably name the same person, place or organisation; ``first`` is the
    one to keep, ``others`` would be merged into it; ``reason`` says why they were paired
    and what speaks against it."""

    first: RecordInfo
    others: tuple[RecordInfo, ...]
    score: float
    reason: str = ""
    excerpts: Mapping[RecordId, tuple[Excerpt, ...]] = field(default_factory=dict)
    titles: Mapping[DocumentId, str] = field(default_factory=dict)  # of the records' documents

    @property
    def second(self) -> RecordInfo:
        """The first of the others (a pair's other record)."""
        return self.others[0]

    @property
    def records(self) -> tuple[RecordInfo, ...]:
        """The record to keep, then those to merge into it."""
        return (self.first, *self.others)


@functools.cache
def given_names() -> frozenset[str]:
    """Folded given names from resources/names/given_names.txt."""
    from workbench.extraction.rules import given_names as listed  # noqa: PLC0415 - deferred

    return frozenset(fold(name) for name in listed())


def find(by_type: Mapping[str, list[RecordInfo]], min_score: float) -> list[MergeCandidate]:
    """Proposals among each type's records (rejected ones left out), best first."""
    people = by_type.get("person", [])
    # A word that begins a full name in this project is a first name too.
    given = given_names() | {fold(r.label.split()[0]) for r in people if len(r.label.split()) > 1}
    found: list[MergeCandidate] = []
    for records in by_type.values():
        same: dict[str, list[RecordInfo]] = {}
        for record in records:
            if record.status != "rejected":
                same.setdefault(fold(record.label), []).append(record)
        groups = list(same.values())
        found += [_judged(group, 100.0, _same_name(group), given) for group in groups if group[1:]]
        for pair in alias_pairs([group[0].label for group in groups], min_score):
            first, second = groups[pair.first][0], groups[pair.second][0]
            part = _words(first) != _words(second)  # a lone name and a full name
            reason = "one name is part of the other" if part else "similar spelling"
            found.append(_judged([first, second], pair.score, reason, given))
    return sorted(found, key=lambda c: (-c.score, -len(c.others), c.first.label))


def _words(record: RecordInfo) -> int:
    return min(len(record.label.split()), 2)  # one word, or more


def _same_name(group: list[RecordInfo]) -> str:
    if len({r.label.casefold() for r in group}) == 1:
        return "same name"
    return "same name after transliteration"


def _judged(
    records: list[RecordInfo], score: float, reason: str, given: frozenset[str]
) -> MergeCandidate:
    """A proposal, its score lowered by what speaks against one thing being named."""
    reasons = [reason]
    if records[0].type == "person":
        titles = {
            fold(str(r.fields["title"])): r.fields["title"]
            for r in records
            if r.fields.get("title")
        }
        if len(titles) > 1:
            reasons.append(f"different titles ({' / '.join(map(str, titles.values()))})")
            score = min(score, OTHER_TITLES)
        apart = not set.intersection(*(set(r.document_ids) for r in records))
        if apart and all(len(r.label.split()) == 1 for r in records):
            if any(fold(r.label) in given for r in records):
                reasons.append("lone first name in different documents")
                score = min(score, LONE_FIRST_NAME)
            else:
                reasons.append("one-word name in different documents")
                score = min(score, LONE_NAME)
    return MergeCandidate(records[0], tuple(records[1:]), score, "; ".join(reasons))


def with_evidence(session: Session, candidates: list[MergeCandidate]) -> list[MergeCandidate]:
    """The candidates with a passage or two of each record and their documents' titles."""
    record_ids = sorted({r.id for c in candidates for r in c.records})
    excerpts = _excerpts(session, record_ids)
    document_ids = sorted({d for c in candidates for r in c.records for d in r.document_ids})
    titles: dict[DocumentId, str] = {}
    for chunk in _batches(document_ids):
        query = select(Document.id, Document.title).where(Document.id.in_(chunk))
        titles.update((DocumentId(i), t) for i, t in session.execute(query))
    return [
        replace(
            c,
            excerpts={r.id: excerpts.get(r.id, ()) for r in c.records},
            titles={d: titles[d] for r in c.records for d in r.document_ids if d in titles},
        )
        for c in candidates
    ]


def _batches(ids: Sequence[_Id]) -> list[Sequence[_Id]]:
    return [ids[start : start + _BATCH] for start in range(0, len(ids), _BATCH)]


def _excerpts(
    session: Session, record_ids: Sequence[RecordId]
) -> dict[RecordId, tuple[Excerpt, ...]]:
    """Up to ``EXCERPTS`` passages of each record in context, one per document first."""
    in_document = func.row_number().over(
        partition_by=(Evidence.record_id, Annotation.document_id),
        order_by=(Annotation.start, Annotation.id),
    )
    found: dict[RecordId, list[Excerpt]] = {}
    for chunk in _batches(record_ids):
        passages = (
            select(
                Evidence.record_id,
                Annotation.document_id,
                Annotation.start,
                Annotation.end,
                in_document.label("nth"),
            )
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(Evidence.record_id.in_(chunk))
            .subquery()
        )
        rank = func.row_number().over(
            partition_by=passages.c.record_id,
            order_by=(passages.c.nth, passages.c.document_id, passages.c.start),
        )
        ranked = select(passages, rank.label("rank")).subquery()
        begin = case((ranked.c.start > CONTEXT, ranked.c.start - CONTEXT), else_=0)
        query = (
            select(
                ranked.c.record_id,
                ranked.c.document_id,
                func.substr(Document.text, begin + 1, ranked.c.start - begin),
                func.substr(Document.text, ranked.c.start + 1, ranked.c.end - ranked.c.start),
                func.substr(Document.text, ranked.c.end + 1, CONTEXT),
            )
            .join(Document, Document.id == ranked.c.document_id)
            .where(ranked.c.rank <= EXCERPTS)
            .order_by(ranked.c.record_id, ranked.c.rank)
        )
        for record_id, document_id, before, quote, after in session.execute(query):
            found.setdefault(record_id, []).append(Excerpt(document_id, before, quote, after))
    return {record_id: tuple(excerpts) for record_id, excerpts in found.items()}
