"""Extraction: store suggestions idempotently, never touching what the user decided."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import Session

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, DocumentId, Progress
from workbench.errors import NotFoundError
from workbench.services.audit import audit
from workbench.services.extraction_resume import known_names, resume_points
from workbench.services.type_votes import (
    ENTITY_TYPES,
    project_votes,
    retype_suggestion,
    winner,
)
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Record,
    RecordLink,
    Suppression,
    utcnow,
)
from workbench.storage.postgres import reserve_ids

if TYPE_CHECKING:
    from workbench.extraction.pieces import KnownName
    from workbench.extraction.pipeline import (
        DocumentExtraction,
        DocumentInput,
        Extractor,
        Suggestion,
    )
    from workbench.project import Project

# A suggestion to store: the suggestion, its code, the suggested record it joins (None: a new
# one) and its spans not stored yet.
_Planned = tuple["Suggestion", int, int | None, list[tuple[int, int]]]


@dataclass
class ExtractionReport:
    """What a run added, per record type, and what the user should know."""

    documents: int = 0  # documents stored to their end
    pieces_kept: int = 0  # pieces stored of documents a stopped run left unfinished
    added: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (document id, note)
    cancelled: bool = False
    changes: ChangeSet = field(default_factory=ChangeSet)


@dataclass
class PieceRun:
    """The piece of a document being stored, and what the document's earlier pieces stored
    in this run: their records by suggestion key (None: the user has decided on that name,
    which adds nothing more) and the labels of the records the run made, which a later
    piece may improve ("Petrov" becomes "Ivan Petrov")."""

    start: int = 0
    end: int | None = None  # None: the whole document at once
    last: bool = True
    chars: int = 0  # the document's length
    keys: dict[str, int | None] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """Whether the piece is less than the whole document."""
        return self.end is not None and not (self.start == 0 and self.last)


def describe_counts(added: Mapping[str, int]) -> str:
    """ "3 event, 1 person" — what a run suggested, for the CLI and the window."""
    return ", ".join(f"{n} {kind}" for kind, n in sorted(added.items())) or "nothing new"


class ExtractionService:
    """Run extraction over documents and store what it suggests."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._extractor: Extractor | None = None

    def run(
        self,
        document_ids: list[DocumentId] | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> ExtractionReport:
        """Extract from the given documents (all when None) in this process, a piece at a
        time; each piece commits on its own, and ``cancel`` is looked at between pieces.
        The command line and the window use processes instead
        (``workbench.services.extraction_processes``)."""
        from workbench.services.extraction_feed import ExtractionFeed  # noqa: PLC0415

        feed = ExtractionFeed(self, document_ids, processes=False)
        extractor = self._pipeline()
        while not (cancel is not None and cancel.is_set()):
            piece = feed.next_piece()
            if piece is None:
                break
            span = (piece.start, piece.start + len(piece.text))
            feed.store(DocumentId(piece.document), span, extractor.extract_piece(piece), progress)
        return feed.finish()

    def document_ids(self, document_ids: list[DocumentId] | None) -> list[DocumentId]:
        """The documents a run covers (all when None); unknown ids are refused."""
        with self._project.session() as session:
            known = list(session.scalars(select(Document.id).order_by(Document.id)))
        if document_ids is None:
            return known
        missing = sorted(set(document_ids) - set(known))
        if missing:
            raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
        return list(dict.fromkeys(document_ids))

    def languages(self, ids: list[DocumentId]) -> list[tuple[DocumentId, str | None, int]]:
        """(id, language, characters) of the given documents, in their order."""
        wanted = set(ids)
        with self._project.session() as session:
            rows = session.execute(select(Document.id, Document.language, Document.chars))
            found = {row[0]: (row[0], row[1], row[2]) for row in rows if row[0] in wanted}
        return [found[doc_id] for doc_id in ids if doc_id in found]

    def resume_points(self, chars: Mapping[DocumentId, int]) -> dict[DocumentId, int]:
        """Document -> the offset a run continues from, for long documents an earlier run
        stopped inside (``extraction_resume``)."""
        from workbench.extraction.pieces import PIECE  # noqa: PLC0415 - loads the pipeline

        long = [doc_id for doc_id, n in chars.items() if n > PIECE]
        with self._project.session() as session:
            return resume_points(session, long, chars)

    def resume(
        self, doc_id: DocumentId, before: int
    ) -> tuple[list[KnownName], dict[str, int | None]]:
        """The names stored for a document's text before ``before``, and their records."""
        with self._project.session() as session:
            return known_names(session, doc_id, before)

    def store(
        self,
        doc_id: DocumentId,
        extraction: DocumentExtraction,
        report: ExtractionReport,
        *,
        piece: PieceRun | None = None,
    ) -> None:
        """Add the suggestions of a document, or of one piece of it (one transaction), and
        count them in ``report``; ``piece`` carries what earlier pieces stored."""
        self._store(doc_id, extraction, report, piece or PieceRun())
        if piece is None or piece.last:
            report.documents += 1
        report.notes += [(doc_id, note) for note in extraction.notes]

    def _pipeline(self) -> Extractor:
        """The extractor, made on first use: its rules and date grammar cost start-up time."""
        if self._extractor is None:
            from workbench.extraction.pipeline import Extractor  # noqa: PLC0415

            self._extractor = Extractor()
        return self._extractor

    def read_input(self, doc_id: DocumentId) -> DocumentInput:
        """What extraction needs of one document."""
        from workbench.extraction.pipeline import DocumentInput  # noqa: PLC0415 - see _pipeline

        with self._project.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                raise NotFoundError(f"no document with id {doc_id}")
            published = date.fromisoformat(doc.published) if doc.published else None
            return DocumentInput(doc.text, published, doc.language)

    def _store(
        self, doc_id: int, extraction: DocumentExtraction, report: ExtractionReport, piece: PieceRun
    ) -> None:
        """Add new suggestions for one document or piece in one transaction (bulk
        statements); the piece's carried keys and labels are updated once it commits."""
        actor = self._project.actor
        changes = ChangeSet()
        with self._project.transaction() as session:
            text = _piece_text(session, doc_id, piece)
            if text is None:  # deleted while extraction ran
                return
            codes = {c.name: c.id for c in session.scalars(select(Code))}
            taken = self._taken_spans(session, doc_id, piece)
            suggestions = _voted(
                session,
                doc_id,
                extraction.suggestions,
                codes=codes,
                taken=taken,
                changes=changes,
            )
            keys = _carried(session, piece, suggestions, codes)
            plan = _plan(suggestions, codes, taken, keys)
            conn = session.connection()
            new = [item for item in plan if item[2] is None]
            ids = self._insert_records(conn, [(s, c) for s, c, _, _ in new])
            counts: Counter[str] = Counter()
            for (suggestion, _, _, _), record_id in zip(new, ids, strict=True):
                keys[suggestion.key] = record_id
                changes.add("record", record_id)
                counts[suggestion.type] += 1
            labels = _relabel(conn, plan, piece.labels)
            changes.change("record", *(r for _, _, r, _ in plan if r is not None))
            self._insert_annotations(
                conn, doc_id, (piece.start, text), plan, keys=keys, changes=changes
            )
            self._insert_links(conn, extraction.suggestions, keys, set(ids))
            where = {"piece": [piece.start, piece.end]} if piece.partial else {}
            audit(session, actor, "extraction.run", "document", doc_id, added=dict(counts), **where)
        report.added.update(counts)
        report.changes.merge(changes)
        piece.keys = keys
        piece.labels = {**labels, **{r: s.label for (s, _, _, _), r in zip(new, ids, strict=True)}}

    def _insert_records(self, conn: Connection, items: list[tuple[Suggestion, int]]) -> list[int]:
        if not items:
            return []
        now = utcnow()
        rows = [
            {
                "type_id": code_id,
                "label": s.label,
                "fields": s.fields,
                "status": "suggested",
                "origin": "extracted",
                "confidence": s.confidence,
                "note": "",
                "date_text": s.date.text if s.date else None,
                "date_edtf": s.date.edtf if s.date else None,
                "date_earliest": _iso(s.date.earliest) if s.date else None,
                "date_latest": _iso(s.date.latest) if s.date else None,
                "created_by": self._project.actor,
                "created_at": now,
                "updated_at": now,
            }
            for s, code_id in items
        ]
        ids = _new_ids(conn, Record, len(rows))
        conn.execute(insert(Record), [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids

    def _insert_annotations(
        self,
        conn: Connection,
        doc_id: int,
        text: tuple[int, str],
        plan: list[_Planned],
        *,
        keys: dict[str, int | None],
        changes: ChangeSet,
    ) -> None:
        """The passages of the plan, each the evidence of its record (``text``: the piece's
        offset and text, for the quotes)."""
        now = utcnow()
        offset, piece = text
        rows, owners = [], []
        for suggestion, code_id, _, spans in plan:
            for start, end in spans:
                rows.append(
                    {
                        "document_id": doc_id, "start": start, "end": end,
                        "quote": piece[start - offset : end - offset], "code_id": code_id,
                        "author": self._project.actor, "origin": "extracted",
                        "status": "suggested", "confidence": suggestion.confidence, "note": "",
                        "created_at": now, "updated_at": now,
                    }
                )  # fmt: skip
                owners.append(keys[suggestion.key])  # set for every planned suggestion
        if not rows:
            return
        ids = _new_ids(conn, Annotation, len(rows))
        for annotation_id, row in zip(ids, rows, strict=True):
            row["id"] = annotation_id
        conn.execute(insert(Annotation), rows)
        changes.add("annotation", *ids)
        conn.execute(
            insert(Evidence),
            [
                {"record_id": r, "annotation_id": a, "role": "mention", "created_at": now}
                for a, r in zip(ids, owners, strict=True)
            ],
        )

    @staticmethod
    def _taken_spans(
        session: Session, doc_id: int, piece: PieceRun
    ) -> dict[tuple[int, int, int], int | None]:
        """Spans already decided or suppressed -> the suggested record they support, if any
        (those that start inside the piece)."""
        inside = [Annotation.document_id == doc_id]
        suppressed = [Suppression.document_id == doc_id]
        if piece.end is not None:
            inside += [Annotation.start >= piece.start, Annotation.start < piece.end]
            suppressed += [Suppression.start >= piece.start, Suppression.start < piece.end]
        rows = session.execute(
            select(Annotation.start, Annotation.end, Annotation.code_id, Record.id, Record.status)
            .outerjoin(Evidence, Evidence.annotation_id == Annotation.id)
            .outerjoin(Record, Evidence.record_id == Record.id)
            .where(*inside)
        )
        taken: dict[tuple[int, int, int], int | None] = {}
        for start, end, code_id, record_id, status in rows:
            usable = record_id if status == "suggested" else None
            taken[(start, end, code_id)] = taken.get((start, end, code_id)) or usable
        for start, end, code_id in session.execute(
            select(Suppression.start, Suppression.end, Suppression.code_id).where(*suppressed)
        ):
            taken.setdefault((start, end, code_id), None)
        return taken

    @staticmethod
    def _insert_links(
        conn: Connection,
        suggestions: list[Suggestion],
        keys: dict[str, int | None],
        new: set[int],
    ) -> None:
        """Link the document's new events to the people, places, groups and figures of their
        clause (records made by earlier runs keep the links they have)."""
        links: dict[tuple[int, int, str], None] = {}  # in order, each once
        for suggestion in suggestions:
            source = keys.get(suggestion.key)
            if source not in new:
                continue
            for role, target_key in suggestion.links:
                target = keys.get(target_key)
                if target is not None:
                    links[(source, target, role)] = None
        if links:
            conn.execute(
                insert(RecordLink),
                [{"source_id": s, "target_id": t, "role": r} for s, t, r in links],
            )


def _voted(
    session: Session,
    document_id: int,
    suggestions: list[Suggestion],
    *,
    codes: Mapping[str, int],
    taken: dict[tuple[int, int, int], int | None],
    changes: ChangeSet,
) -> list[Suggestion]:
    """The suggestions with the type the project gives their names (``type_votes``); a
    suggestion an earlier run stored under another type is re-typed in place."""
    labels = {s.label for s in suggestions if s.type in ENTITY_TYPES}
    votes = project_votes(session, labels, document_id)
    voted = []
    for suggestion in suggestions:
        if suggestion.type not in ENTITY_TYPES:
            voted.append(suggestion)
            continue
        counts = votes.get(suggestion.label, Counter()) + Counter(
            {suggestion.type: len(suggestion.spans)}
        )
        wanted = winner(counts, suggestion.type)
        if wanted == suggestion.type:
            voted.append(suggestion)
            continue
        old, new = codes[suggestion.type], codes[wanted]
        for start, end in suggestion.spans:
            record_id = taken.get((start, end, old))
            if record_id is not None and (start, end, new) not in taken:
                retype_suggestion(session, record_id, old, new)
                taken[(start, end, new)] = taken.pop((start, end, old))
                changes.change("record", record_id)
        voted.append(replace(suggestion, type=wanted))
    return voted


def _new_ids(conn: Connection, table: type[Record | Annotation], count: int) -> list[int]:
    """Ids for ``count`` new rows, the ones SQLite would give them: a writing transaction holds
    the write lock from its BEGIN IMMEDIATE, so no other row comes in between. Rows with
    their ids go in as one ``executemany``; RETURNING them in order costs a statement each.
    On a server other writers do come in between: the ids are taken from the table's
    sequence, which gives each once."""
    if conn.dialect.name != "sqlite":
        return reserve_ids(conn, table.__tablename__, count)
    top = conn.scalar(select(func.max(table.id))) or 0
    return list(range(top + 1, top + 1 + count))


def _piece_text(session: Session, doc_id: int, piece: PieceRun) -> str | None:
    """The text of the piece (the whole document's when it is all one), None if the
    document is gone; only the piece is read, however long the document."""
    if piece.end is None:
        return session.scalar(select(Document.text).where(Document.id == doc_id))
    part = func.substr(Document.text, piece.start + 1, piece.end - piece.start)
    return session.scalar(select(part).where(Document.id == doc_id))


def _carried(
    session: Session, piece: PieceRun, suggestions: list[Suggestion], codes: Mapping[str, int]
) -> dict[str, int | None]:
    """The records earlier pieces gave this piece's keys, while they are still suggestions
    of the same type (the user may review while a run goes on)."""
    keys = dict(piece.keys)
    wanted = {keys[s.key] for s in suggestions if keys.get(s.key) is not None}
    if not wanted:
        return keys
    rows = session.execute(
        select(Record.id, Record.type_id).where(
            Record.id.in_(sorted(r for r in wanted if r is not None)),
            Record.status == "suggested",
        )
    )
    usable: dict[int, int] = {row[0]: row[1] for row in rows}
    for suggestion in suggestions:
        record_id = keys.get(suggestion.key)
        if record_id is None:
            continue
        if record_id not in usable:
            keys[suggestion.key] = None  # accepted, rejected or deleted meanwhile
        elif usable[record_id] != codes.get(suggestion.type):
            del keys[suggestion.key]  # re-typed by the vote: this piece's type starts afresh
    return keys


def _plan(
    suggestions: list[Suggestion],
    codes: Mapping[str, int],
    taken: dict[tuple[int, int, int], int | None],
    keys: dict[str, int | None],
) -> list[_Planned]:
    """What to store of each suggestion: its new spans, joined to the suggested record its
    stored spans (or the document's earlier pieces) give it; nothing of what the user
    accepted, rejected or deleted. ``keys`` learns the records found."""
    plan: list[_Planned] = []
    for suggestion in suggestions:
        code_id = codes.get(suggestion.type)
        if code_id is None:
            continue
        spans = [(a, b) for a, b in suggestion.spans if (a, b, code_id) not in taken]
        known = [taken[(a, b, code_id)] for a, b in suggestion.spans if (a, b, code_id) in taken]
        existing = next((r for r in known if r is not None), None)
        if existing is None and not known:
            if suggestion.key in keys and keys[suggestion.key] is None:
                continue  # an earlier piece's passages of it are decided
            existing = keys.get(suggestion.key)
        if existing is not None:
            keys[suggestion.key] = existing
        elif known:
            keys[suggestion.key] = None
        if not spans or (known and existing is None):
            continue  # nothing new, or the user accepted, rejected or deleted it
        for a, b in spans:
            taken[(a, b, code_id)] = existing
        plan.append((suggestion, code_id, existing, spans))
    return plan


def _relabel(conn: Connection, plan: list[_Planned], labels: dict[int, str]) -> dict[int, str]:
    """Records this run made take the label and fields a later piece gives their name."""
    changed: dict[int, str] = {}
    for suggestion, _, record_id, _ in plan:
        if record_id is None or labels.get(record_id, suggestion.label) == suggestion.label:
            continue
        values: dict[str, Any] = {"label": suggestion.label, "fields": suggestion.fields}
        conn.execute(update(Record).where(Record.id == record_id).values(**values))
        changed[record_id] = suggestion.label
    return {**labels, **changed}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
