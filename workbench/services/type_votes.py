"""One name, one type across the project: an outlet the records call an organisation in nine
documents is not a person in the tenth.

Before a document's suggestions are stored, each person, place or organisation is given the
type that leads the vote of its name: one vote per passage of the project's records of that
name in other documents (three more for an accepted record; rejected ones have none) and
one per passage of the suggestion itself; on a tie it keeps its own. A suggestion stored
by an earlier run under another type is re-typed with it, so a re-run changes the type
instead of adding a second record on the same words. What the user decided is never
touched: only suggestions are re-typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workbench.storage.models import Annotation, Code, Evidence, Record

ENTITY_TYPES = ("person", "place", "organization")
ACCEPTED_WEIGHT = 3


def project_votes(
    session: Session, labels: Collection[str], document_id: int
) -> dict[str, Counter[str]]:
    """Label -> votes per type from the records of that label in the project's other
    documents: one per passage there, three more for an accepted record."""
    if not labels:
        return {}
    rows = session.execute(
        select(Record.label, Code.name, Record.status, func.count(Annotation.id))
        .join(Code, Record.type_id == Code.id)
        .join(Evidence, Evidence.record_id == Record.id)
        .join(Annotation, Evidence.annotation_id == Annotation.id)
        .where(
            Record.label.in_(sorted(set(labels))),
            Code.name.in_(ENTITY_TYPES),
            Record.status != "rejected",
            Annotation.document_id != document_id,
        )
        .group_by(Record.id, Code.name)  # the name: PostgreSQL wants it named
    )
    votes: dict[str, Counter[str]] = {}
    for label, type_name, status, passages in rows:
        weight = passages + (ACCEPTED_WEIGHT if status == "accepted" else 0)
        votes.setdefault(label, Counter())[type_name] += weight
    return votes


def winner(votes: Counter[str], own: str) -> str:
    """The type ahead of every other, or ``own`` when none is."""
    ranked = votes.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return own


def retype_suggestion(session: Session, record_id: int, old_code: int, new_code: int) -> None:
    """Give a suggested record and its passages of ``old_code`` the type ``new_code``."""
    session.execute(
        update(Record)
        .where(Record.id == record_id, Record.status == "suggested")
        .values(type_id=new_code)
    )
    passages = select(Evidence.annotation_id).where(Evidence.record_id == record_id)
    session.execute(
        update(Annotation)
        .where(Annotation.id.in_(passages), Annotation.code_id == old_code)
        .values(code_id=new_code)
    )
