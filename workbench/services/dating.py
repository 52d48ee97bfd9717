"""Records' dates read from their phrase, against the published date of the document cited.

Year-less and relative phrases ("March 10", "last August", "on Tuesday") depend on the date a
document was published; when that changes, so does what they mean. ``redatings`` names the
records whose reading would change, so the caller can re-date them in the same step.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain import DocumentId, RecordId, Status
from workbench.errors import InvalidInputError
from workbench.storage.models import Annotation, Document, Evidence, Record

if TYPE_CHECKING:
    from workbench.extraction.dates import FuzzyDate


@dataclass(frozen=True)
class Redating:
    """A record whose date reads differently once a document's published date changes."""

    record_id: RecordId
    label: str
    status: Status
    date_text: str
    before: str | None  # EDTF now
    after: str  # EDTF with the new published date


def reference(session: Session, record_id: int) -> tuple[DocumentId | None, date | None]:
    """The document whose published date a record's phrase is read against (the first one,
    by id, that the record cites), and that date."""
    row = session.execute(
        select(Document.id, Document.published)
        .join(Annotation, Annotation.document_id == Document.id)
        .join(Evidence, Evidence.annotation_id == Annotation.id)
        .where(Evidence.record_id == record_id)
        .order_by(Document.id)
        .limit(1)
    ).first()
    if row is None:
        return None, None
    return row[0], date.fromisoformat(row[1]) if row[1] else None


def read(phrase: str, published: date | None) -> FuzzyDate | None:
    """A date phrase read against a published date (None when it cannot be read)."""
    from workbench.extraction.dates import parse_date_phrase  # noqa: PLC0415 - not at start-up

    return parse_date_phrase(phrase.strip(), published) if phrase.strip() else None


def read_for(session: Session, record_id: int, phrase: str) -> FuzzyDate | None:
    """How a phrase reads for this record."""
    return read(phrase, reference(session, record_id)[1])


def set_date(session: Session, record: Record, phrase: str) -> None:
    """Set the record's date from a phrase (an empty one clears it)."""
    if not phrase.strip():
        record.date_text = record.date_edtf = record.date_earliest = record.date_latest = None
        return
    parsed = read_for(session, record.id, phrase)
    if parsed is None:
        raise InvalidInputError(f"cannot read “{phrase}” as a date")
    _apply(record, phrase.strip(), parsed)


def _apply(record: Record, phrase: str, parsed: FuzzyDate) -> None:
    record.date_text = phrase
    record.date_edtf = parsed.edtf
    record.date_earliest = parsed.earliest.isoformat() if parsed.earliest else None
    record.date_latest = parsed.latest.isoformat() if parsed.latest else None


def redatings(
    session: Session, document_ids: Collection[int], published: str | None
) -> list[tuple[Record, Redating, FuzzyDate]]:
    """Records citing these documents whose phrase reads differently if their published date
    becomes ``published`` (only records read against one of these documents)."""
    new = date.fromisoformat(published) if published else None
    cited = (
        select(Evidence.record_id)
        .join(Annotation, Evidence.annotation_id == Annotation.id)
        .where(Annotation.document_id.in_(document_ids))
    )
    found = []
    query = select(Record).where(Record.id.in_(cited), Record.date_text.is_not(None))
    for record in session.scalars(query.order_by(Record.id)):
        doc_id, old = reference(session, record.id)
        phrase = record.date_text or ""
        if doc_id not in document_ids or old == new:
            continue
        reading = read(phrase, new)
        if reading is None or _key(reading) == _key(read(phrase, old)):
            continue  # the phrase does not depend on the published date
        change = Redating(
            record.id, record.label, record.status, phrase, record.date_edtf, reading.edtf
        )
        found.append((record, change, reading))
    return found


def redate(records: list[tuple[Record, Redating, FuzzyDate]]) -> None:
    """Write the new readings (to records of the caller's session)."""
    for record, redating, reading in records:
        _apply(record, redating.date_text, reading)


def _key(reading: FuzzyDate | None) -> tuple[object, ...]:
    return (reading.edtf, reading.earliest, reading.latest) if reading else ()
