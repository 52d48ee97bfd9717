"""A redacted export: every table, text and timeline item of a dataset with the protected
records' names replaced by their pseudonyms (``services/redaction.py`` finds the names).

What changes, table by table:

* every text cell (labels, quotes, titles, notes, memos, date phrases, file names, the
  codebook, the timeline's persons and places, the audit log's actors): names replaced;
* JSON cells (a record's fields and aliases, an audit entry's detail): read, each text in
  them redacted, written again, so an escape (``\\n``) cannot hide a name;
* a protected record's label: its pseudonym;
* a document's text: redacted, and every passage's ``start`` and ``end`` moved into the
  redacted text, its quote taken from there (``quote == text[start:end]`` still holds), its
  length and SHA-256 those of the redacted text (a redacted project file imports);
* the dataset's title and project memo, and the timeline items pictures are drawn from.

Tables built with ``Table.with_rows`` lose the text fast path of CSV, so no writer can read
the stored rows past the redaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.export.model import Cell, Dataset, Table
from workbench.services.project_tables import PROJECT_MODELS
from workbench.services.redaction import Moves, Redactor, build_redactor
from workbench.storage.json_column import JSONObject
from workbench.storage.models import Document

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.timeline.model import DateSpan, Passage, TimelineItem

Sessions = Callable[[], AbstractContextManager[Session]]
CACHED_TEXTS = 16  # redacted documents kept while rows of their passages stream by


class RedactedTexts:
    """Documents' texts redacted, with the moves that take their offsets along; the last
    few are kept (passages come in document order in most tables)."""

    def __init__(self, redactor: Redactor, sessions: Sessions) -> None:
        self._redactor = redactor
        self._sessions = sessions
        self._cache: OrderedDict[int, tuple[str, Moves]] = OrderedDict()

    def of(self, document_id: int, text: str | None = None) -> tuple[str, Moves]:
        """The redacted text of a document (read from the project unless given)."""
        found = self._cache.get(document_id)
        if found is not None:
            self._cache.move_to_end(document_id)
            return found
        if text is None:
            with self._sessions() as session:
                text = session.scalar(select(Document.text).where(Document.id == document_id))
        found = self._redactor.rewrite(text or "")
        self._cache[document_id] = found
        if len(self._cache) > CACHED_TEXTS:
            self._cache.popitem(last=False)
        return found


@dataclass(frozen=True)
class DatasetRedaction:
    """The redaction a dataset carries to the transformation (``export/model.py``)."""

    redactor: Redactor
    sessions: Sessions

    @classmethod
    def of(cls, project: Project) -> DatasetRedaction | None:
        """The project's redaction, or None when no record is protected."""
        redactor = build_redactor(project)
        return None if redactor is None else cls(redactor, project.session)

    def apply(self, data: Dataset) -> Dataset:
        """Every table, the title, the memo and the timeline items, redacted."""
        texts = RedactedTexts(self.redactor, self.sessions)
        tables = {name: self._table(table, texts) for name, table in data.tables.items()}
        items = data.timeline_items
        return Dataset(
            tables,
            title=self.redactor.replace(data.title),
            project_memo=self.redactor.replace(data.project_memo),
            timeline_items=lambda: [self._item(item, texts) for item in items()],
            redaction=None,
        )

    def _table(self, table: Table, texts: RedactedTexts) -> Table:
        rewrite = _RowRewriter(self.redactor, table, texts)
        source = table.rows

        def rows() -> Iterator[Sequence[Cell]]:
            for row in source():
                yield rewrite(row)

        return table.with_rows(rows)

    def items(self, items: Iterable[TimelineItem]) -> list[TimelineItem]:
        """Timeline items as a redacted picture shows them (the timeline dock's export)."""
        texts = RedactedTexts(self.redactor, self.sessions)
        return [self._item(item, texts) for item in items]

    def text(self, text: str) -> str:
        """A text drawn beside them (a summary naming a filter's person), redacted."""
        return self.redactor.replace(text)

    def _item(self, item: TimelineItem, texts: RedactedTexts) -> TimelineItem:
        """A timeline item as a redacted picture or report shows it."""
        redact = self.redactor.replace
        label = self.redactor.pseudonyms.get(item.record_id) or redact(item.label)
        return replace(
            item,
            label=label,
            event_type=redact(item.event_type) if item.event_type else item.event_type,
            date=self._date(item.date),
            alternatives=tuple(self._date(alt) for alt in item.alternatives),
            passages=tuple(self._passage(p, texts) for p in item.passages),
            persons=tuple(redact(p) for p in item.persons),
            places=tuple(redact(p) for p in item.places),
            documents=tuple((i, redact(title)) for i, title in item.documents),
        )

    def _date(self, span: DateSpan) -> DateSpan:
        text = self.redactor.replace(span.text) if span.text else span.text
        return replace(span, text=text, source=self.redactor.replace(span.source))

    def _passage(self, passage: Passage, texts: RedactedTexts) -> Passage:
        text, moves = texts.of(passage.document_id)
        start = moves.remap(passage.start, is_end=False)
        end = moves.remap(passage.end, is_end=True)
        return replace(passage, document_title=self.redactor.replace(passage.document_title),
                       start=start, end=end, quote=text[start:end])  # fmt: skip


class _RowRewriter:
    """Redacts the rows of one table, knowing from its columns which hold what."""

    def __init__(self, redactor: Redactor, table: Table, texts: RedactedTexts) -> None:
        self._redactor = redactor
        self._texts = texts
        columns = table.columns
        at = {name: i for i, name in enumerate(columns)}
        section = table.name.removeprefix("project.") if table.name.startswith("project.") else ""
        model = PROJECT_MODELS.get(section)
        self._json = (
            {i for i, c in enumerate(model.__table__.columns) if isinstance(c.type, JSONObject)}
            if model is not None
            else set()
        )
        # a protected record's label: the record's id column and its label column
        record = "id" if section == "records" else "record_id"
        self._label = (at[record], at["label"]) if record in at and "label" in at else None
        # a document's own row: its id, text, length and SHA-256 of the text
        document = "id" if section == "documents" else "document_id"
        self._document = at.get(document) if section == "documents" or not section else None
        self._text = at.get("text")
        self._chars = at.get("chars")
        self._sha = at.get("text_sha256")
        # a passage: its document, start, end and quote
        span = ("document_id", "start", "end", "quote")
        self._span = tuple(at[c] for c in span) if all(c in at for c in span) else None

    def __call__(self, row: Sequence[Cell]) -> tuple[Cell, ...]:
        redact = self._redactor.replace
        quote = self._span[3] if self._span is not None else -1  # read from the text
        out: list[Cell] = [
            _json_redacted(cell, redact) if i in self._json and isinstance(cell, str)
            else redact(cell) if isinstance(cell, str) and i != quote else cell
            for i, cell in enumerate(row)
        ]  # fmt: skip
        if self._label is not None:
            record_id = row[self._label[0]]
            pseudonym = (
                self._redactor.pseudonyms.get(record_id) if isinstance(record_id, int) else None
            )
            if pseudonym is not None:
                out[self._label[1]] = pseudonym
        if self._span is not None:
            self._passage(row, out)
        if self._document is not None and (self._text, self._chars, self._sha) != (None,) * 3:
            self._document_row(row, out, self._document)
        return tuple(out)

    def _passage(self, row: Sequence[Cell], out: list[Cell]) -> None:
        """Offsets moved into the redacted text and the quote read from there."""
        assert self._span is not None
        doc, start, end, quote = self._span
        document_id, first, last = row[doc], row[start], row[end]
        if not (isinstance(document_id, int) and isinstance(first, int) and isinstance(last, int)):
            cell = row[quote]  # a record without evidence has no passage; any text is redacted
            out[quote] = self._redactor.replace(cell) if isinstance(cell, str) else cell
            return
        text, moves = self._texts.of(document_id)
        moved = moves.remap(first, is_end=False), moves.remap(last, is_end=True)
        out[start], out[end] = moved
        out[quote] = text[moved[0] : moved[1]]

    def _document_row(self, row: Sequence[Cell], out: list[Cell], doc: int) -> None:
        """A document's text redacted, with its length and SHA-256."""
        document_id = row[doc]
        if not isinstance(document_id, int):
            return
        given = row[self._text] if self._text is not None else None
        text, _ = self._texts.of(document_id, given if isinstance(given, str) else None)
        if self._text is not None and isinstance(given, str):
            out[self._text] = text
        if self._chars is not None:
            out[self._chars] = len(text)
        if self._sha is not None:
            out[self._sha] = hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_redacted(cell: str, redact: Callable[[str], str]) -> str:
    """A JSON cell with every text in it (keys too) redacted."""
    try:
        value = json.loads(cell)
    except ValueError:
        return redact(cell)
    return json.dumps(_redacted_value(value, redact), ensure_ascii=False, allow_nan=False)


def _redacted_value(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted_value(v, redact) for v in value]
    if isinstance(value, dict):
        return {redact(k): _redacted_value(v, redact) for k, v in value.items()}
    return value
