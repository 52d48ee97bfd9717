"""Plain, immutable views of stored things that services hand to the CLI and the UI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NewType, Protocol, get_args

from workbench.errors import InvalidInputError

Progress = Callable[[int, int, str], None]

# Ids of stored rows, distinct types so a record id cannot be passed where a document id is
# meant. ``RecordId(7)`` costs nothing at run time.
DocumentId = NewType("DocumentId", int)
RecordId = NewType("RecordId", int)
AnnotationId = NewType("AnnotationId", int)
CodeId = NewType("CodeId", int)

# The project's vocabularies: checked by mypy where code names them, and by ``vocabulary``
# where text comes in (the command line, a combo box, a file).
Status = Literal["suggested", "accepted", "rejected"]
Origin = Literal["extracted", "manual"]
CodeKind = Literal["record_type", "code"]
STATUSES: tuple[Status, ...] = get_args(Status)
ORIGINS: tuple[Origin, ...] = get_args(Origin)


def as_status(value: str) -> Status:
    """``value`` as a status, or one clear line naming the known ones."""
    for status in STATUSES:
        if value == status:
            return status
    raise InvalidInputError(f"unknown status '{value}' (known: {', '.join(STATUSES)})")


def as_origin(value: str) -> Origin:
    """``value`` as an origin (stored values are constrained by the schema)."""
    for origin in ORIGINS:
        if value == origin:
            return origin
    raise InvalidInputError(f"unknown origin '{value}' (known: {', '.join(ORIGINS)})")


def type_title(name: str) -> str:
    """A record or event type for people: ``border_crossing`` → ``Border crossing``."""
    return name.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """[start, end) in code points of a document's stored text."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """How many code points the span covers."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of one document."""

    document_id: DocumentId
    start: int
    end: int

    @property
    def span(self) -> Span:
        """The passage's offsets without its document."""
        return Span(self.start, self.end)


class CancelFlag(Protocol):
    """Anything with ``is_set()``, such as ``threading.Event``."""

    def is_set(self) -> bool:
        """True once the user asked to stop."""
        ...


@dataclass(frozen=True)
class DocumentInfo:
    """A document's metadata and counts, without its text."""

    id: DocumentId
    title: str
    published: str | None
    source: str | None
    outlet: str | None
    author: str | None
    language: str | None
    format: str
    encoding: str | None
    original_name: str
    original_sha256: str
    text_sha256: str
    chars: int
    imported_at: datetime
    suggested: int = 0
    accepted: int = 0


@dataclass(frozen=True)
class CodeInfo:
    """One codebook entry."""

    id: CodeId
    name: str
    label: str
    kind: CodeKind
    colour: str
    shortcut: str | None
    description: str
    parent_id: CodeId | None
    position: int
    # A record type's fields in order, as (name, "text" | "number"): the editor's form
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def is_record_type(self) -> bool:
        """Whether annotating with this entry creates a record."""
        return self.kind == "record_type"


@dataclass(frozen=True)
class AnnotationInfo:
    """A span of a document with its code and review state."""

    id: AnnotationId
    document_id: DocumentId
    start: int
    end: int
    quote: str
    code: str
    author: str | None
    origin: Origin
    status: Status
    confidence: float | None
    note: str
    created_at: datetime
    record_ids: tuple[RecordId, ...] = ()


@dataclass(frozen=True)
class RecordInfo:
    """A record with its fuzzy date and how much evidence supports it."""

    id: RecordId
    type: str
    label: str
    status: Status
    origin: Origin
    confidence: float | None
    note: str
    date_text: str | None
    date_edtf: str | None
    date_earliest: str | None
    date_latest: str | None
    created_by: str | None
    created_at: datetime
    evidence_count: int = 0
    document_ids: tuple[DocumentId, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    protected: bool = False  # kept out of exports under its pseudonym
    pseudonym: str | None = None  # given on first protection, kept after
    version: int = 1  # counts its writes: an edit passes it back as ``seen`` (services/steps)


@dataclass(frozen=True)
class AuditInfo:
    """One entry of the audit log: who changed what, when (UTC)."""

    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    detail: Mapping[str, Any] = field(default_factory=dict)
