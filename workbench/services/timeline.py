"""Timeline: the project's dated records with their passages, people and places."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workbench.storage.models import Annotation, Code, Document, Evidence, Record, RecordLink
from workbench.storage.portable import json_field
from workbench.timeline.model import (
    DateSpan,
    Passage,
    TimelineItem,
    make_item,
    parse_day,
    sort_key,
)

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection

    from workbench.project import Project

LABEL_CHUNK = 10_000  # records whose labels one read asks for


def date_spans(values: Iterable[Any]) -> tuple[DateSpan, ...]:
    """Other dates kept on a merged record (``fields["dates"]``), skipping malformed ones."""
    spans = []
    for value in values:
        if not isinstance(value, dict):
            continue
        earliest, latest = parse_day(value.get("earliest")), parse_day(value.get("latest"))
        if earliest is None and latest is None:
            continue
        spans.append(
            DateSpan(
                value.get("text"), value.get("edtf"), earliest, latest, str(value.get("source", ""))
            )
        )
    return tuple(spans)


def _distinct(labels: list[str] | None) -> tuple[str, ...]:
    if not labels:
        return ()
    return (labels[0],) if len(labels) == 1 else tuple(dict.fromkeys(labels))


class TimelineService:
    """Read the dated records as timeline items."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def first_ids(self, count: int, *, include_rejected: bool = False) -> list[int]:
        """The ids of the ``count`` records that come first on the timeline (its order,
        worked out in SQL: a preview needs them without building every item)."""
        bounded = Record.date_earliest.is_not(None) | Record.date_latest.is_not(None)
        dated = bounded | (Record.date_edtf.is_not(None) & (Record.date_edtf != ""))
        if not include_rejected:
            dated = dated & (Record.status != "rejected")
        query = (
            select(Record.id)
            .where(dated)
            .order_by(
                ~bounded,  # year unknown last
                Record.date_earliest.is_not(None), Record.date_earliest,
                Record.date_latest.is_not(None), Record.date_latest,
                Record.date_edtf, Record.id,
            )
            .limit(count)
        )  # fmt: skip
        with self._project.engine.connect() as connection:
            return list(connection.scalars(query))

    def items(
        self,
        *,
        include_rejected: bool = False,
        today: date | None = None,
        record_ids: Collection[int] | None = None,
    ) -> list[TimelineItem]:
        """Every dated record, by earliest date (undated starts first), then latest, then id;
        then the records whose year could not be worked out (an EDTF such as "XXXX-03-10"
        and no bounds: a year-less phrase in a document without a published date), as
        year-unknown items in month order.

        ``today`` is where open intervals without a known end stop (default: today).
        ``record_ids`` limits the answer to those records and the records linked to them (an
        event names a person: a renamed person changes the event's item), for updates after
        a change; records among them that are no longer dated are simply not returned.
        """
        today = today or date.today()
        dated = (
            Record.date_earliest.is_not(None)
            | Record.date_latest.is_not(None)
            | (Record.date_edtf.is_not(None) & (Record.date_edtf != ""))  # year unknown
        )
        if not include_rejected:
            dated = dated & (Record.status != "rejected")
        # Core, not the ORM: these are plain rows, and ORM loading doubled the time
        with self._project.engine.connect() as session:
            links = RecordLink.source_id.is_not(None)
            if record_ids is not None:
                wanted = set(record_ids)
                wanted.update(session.scalars(
                    select(RecordLink.source_id).where(RecordLink.target_id.in_(wanted))
                ))  # fmt: skip
                dated = dated & Record.id.in_(wanted)
                links = RecordLink.source_id.in_(wanted)
            ids = select(Record.id).where(dated)
            passages: dict[int, list[Passage]] = {}
            for record_id, ann_id, doc_id, title, start, end, quote in session.execute(
                select(Evidence.record_id, Annotation.id, Annotation.document_id, Document.title,
                       Annotation.start, Annotation.end, Annotation.quote)
                .join(Annotation, Evidence.annotation_id == Annotation.id)
                .join(Document, Annotation.document_id == Document.id)
                .where(Evidence.record_id.in_(ids))
                .order_by(Evidence.record_id, Annotation.id)
            ):  # fmt: skip
                passages.setdefault(record_id, []).append(
                    Passage(ann_id, doc_id, title, start, end, quote)
                )
            linked = _linked(session, links)
            rows = session.execute(
                select(Record.id, Code.name, Record.label, Record.status,
                       json_field(Record.fields, "event_type"),
                       json_field(Record.fields, "date_inferred"),
                       json_field(Record.fields, "dates"),
                       Record.date_text, Record.date_edtf, Record.date_earliest,
                       Record.date_latest)
                .join(Code, Record.type_id == Code.id)
                .where(dated)
            ).all()  # fmt: skip
        items = []
        for rid, type_name, label, status, event_type, inferred, dates, *said in rows:
            items.append(
                make_item(
                    record_id=rid,
                    record_type=type_name,
                    label=label,
                    status=status,
                    date=DateSpan(said[0], said[1], parse_day(said[2]), parse_day(said[3])),
                    today=today,
                    event_type=event_type,
                    inferred=bool(inferred),
                    alternatives=date_spans(_decoded(dates)) if dates else (),
                    passages=tuple(passages.get(rid, ())),
                    persons=_distinct(linked.get((rid, "person"))),
                    places=_distinct(linked.get((rid, "place"))),
                )
            )
        return sorted(items, key=sort_key)


def _decoded(value: Any) -> Any:
    """A JSON member as SQLite gives it (text) or as PostgreSQL's driver does (decoded)."""
    return json.loads(value) if isinstance(value, str) else value


def _linked(session: Connection, links: ColumnElement[bool]) -> dict[tuple[int, str], list[str]]:
    """The labels of the people and places each record links to, in link order. Two reads:
    joined in one, SQLite starts from every person and place and probes their links (for
    every link, seconds for 20,000 events; for a few records' links, 0.4 s in a project
    of 400,000 people and places and no links at all)."""
    pairs = session.execute(
        select(RecordLink.source_id, RecordLink.target_id).where(links).order_by(RecordLink.id)
    ).all()
    targets = sorted({target_id for _, target_id in pairs})
    named: dict[int, tuple[str, str]] = {}
    for first in range(0, len(targets), LABEL_CHUNK):  # under SQLite's limit on parameters
        chunk = targets[first : first + LABEL_CHUNK]
        for target_id, kind, label in session.execute(
            select(Record.id, Code.name, Record.label)
            .join(Code, Record.type_id == Code.id)
            .where(Record.id.in_(chunk), Code.name.in_(("person", "place")),
                   Record.status != "rejected")
        ):  # fmt: skip
            named[target_id] = (kind, label)
    linked: dict[tuple[int, str], list[str]] = {}
    for source_id, target_id in pairs:
        if target_id in named:
            kind, label = named[target_id]
            linked.setdefault((source_id, kind), []).append(label)
    return linked
