"""REFI-QDA import (``.qdpx`` project, ``.qdc`` codebook) into the open project.

The whole file is read and checked first (``refi_qda_package``, ``refi_qda_model``), then
written in one transaction with its search index and one audit entry: a bad file is one line
and changes nothing. An element with our instruction (``export/refi_qda.py``) is restored
exactly (codebook entries, records, passages with their status and evidence, documents'
metadata); one from another tool becomes what the project has for it: a source a document,
each code a code (nested as in the file), each coding an accepted manual annotation by the
coding's user, descriptions and notes the memos and notes of what they describe.

Documents whose text the project already holds are not added again: their passages go to
the project's document. Codebook entries are matched by name (ours) or by label (another
tool's codes, against the project's codes) and left as they are; new ones go after the
project's own, in the file's order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain import (
    ORIGINS,
    STATUSES,
    CancelFlag,
    CodeId,
    CodeKind,
    Origin,
    Progress,
    Status,
    as_origin,
    as_status,
)
from workbench.errors import InvalidInputError
from workbench.export.refi_qda import now
from workbench.importers import ImportCancelled
from workbench.importers.headline import published_date
from workbench.language import detect_language
from workbench.services.audit import audit
from workbench.services.codebook import LABEL_LIMIT, PALETTE, SHORTCUT, free_name, slug
from workbench.services.project_import import ProjectImportReport
from workbench.services.records import protect_as
from workbench.services.refi_qda_model import (
    Code as RefiCode,
)
from workbench.services.refi_qda_model import (
    Coding,
    RefiProject,
    Selection,
    Source,
    read_codebook,
    read_project,
)
from workbench.services.refi_qda_package import (
    MAX_XML_BYTES,
    Fields,
    Package,
    Refused,
    read_xml,
)
from workbench.storage.fts import index_document
from workbench.storage.models import (
    CODE_KINDS,
    Annotation,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
)

if TYPE_CHECKING:
    from workbench.project import Project

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_SHORT_COLOUR = re.compile(r"#[0-9A-Fa-f]{3}")
FIELD_TYPES = ("text", "number")


def import_qdpx(
    project: Project, path: Path, progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ProjectImportReport:  # fmt: skip
    """Read a REFI-QDA project into this project; one line and no change when the file
    cannot be taken; ``ImportCancelled`` (nothing written) on Cancel."""
    try:
        with Package(path) as package:
            refi = read_project(package, progress, cancel)
        return _Import(project, path.name).project(refi, cancel)
    except Refused as exc:
        raise InvalidInputError(f"{path.name}: {exc}; nothing was imported") from None


def import_qdc(
    project: Project, path: Path, progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ProjectImportReport:  # fmt: skip
    """Add a REFI-QDA codebook's codes to this project's codebook."""
    del progress, cancel
    try:
        if path.stat().st_size > MAX_XML_BYTES:
            raise Refused(f"the file is larger than {MAX_XML_BYTES // 2**20} MB")
        codes = read_codebook(read_xml(path.read_bytes(), path.name))
        return _Import(project, path.name).codebook(codes)
    except Refused as exc:
        raise InvalidInputError(f"{path.name}: {exc}; nothing was imported") from None


class _Import:
    """One import's writing, inside one transaction (``session``)."""

    def __init__(self, project: Project, file_name: str) -> None:
        self._project = project
        self._file = file_name
        self.report = ProjectImportReport()
        self.changes = self.report.changes
        self.codes: dict[str, CodeId] = {}  # file GUID → the project's entry
        self.records: dict[str, Record] = {}  # file GUID of a record's code → the record
        self.authors: set[str] = set()
        self.annotations: list[Annotation] = []  # flushed together (one insert, not one each)
        self.refi = RefiProject()
        self.notes = _NoteTexts(self.refi)

    # --- the two entry points
    def codebook(self, codes: dict[str, RefiCode]) -> ProjectImportReport:
        """Only the codebook (records in it are taken as plain codes)."""
        with self._project.transaction() as session:
            self._codes(session, codes.values(), with_records=False)
            audit(session, self._project.actor, "codebook.import", "code", None,
                  file=self._file, added=sorted(self.changes.added["code"]))  # fmt: skip
        self.report.codes = len(self.changes.added["code"])
        return self.report

    def project(self, refi: RefiProject, cancel: CancelFlag | None) -> ProjectImportReport:
        """Codebook, records, documents, passages, links and memos."""
        self.refi, self.notes = refi, _NoteTexts(refi)
        with self._project.transaction() as session:
            self._codes(session, refi.codes.values(), with_records=True)
            session.flush()  # the records' ids, for links and the change set
            self.changes.add("record", *(record.id for record in self.records.values()))
            for code in refi.codes.values():
                if code.guid in self.records:
                    self.records[code.guid].note = self.notes.take(code.notes)
            for source in refi.sources:
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled("the import was cancelled; nothing was imported")
                self._source(session, source)
            self._links(session)
            session.flush()
            self.changes.add("annotation", *(ann.id for ann in self.annotations))
            own = self.notes.take(refi.note_refs, [refi.description])
            rest = "\n\n".join(text for text in (own, *self.notes.rest()) if text)
            self._memo(session, None, rest, None)
            report = self.report
            report.codes = len(self.changes.added["code"])
            report.records = len(self.records)
            report.users = tuple(sorted(self.authors))
            report.notes.extend(_skipped(refi))
            audit(session, self._project.actor, "project.import", "project", None,
                  file=self._file, documents=report.documents, annotations=report.annotations,
                  records=report.records, codes=report.codes)  # fmt: skip
        return self.report

    # --- codebook and records
    def _codes(self, session: Session, codes: Iterable[RefiCode], *, with_records: bool) -> None:
        existing = list(session.scalars(select(Code)))
        by_name = {code.name: code for code in existing}
        by_label = {_fold(code.label): code for code in existing if code.kind == "code"}
        keys = {code.shortcut.upper() for code in existing if code.shortcut}
        kinds: dict[CodeId, str] = {code.id: code.kind for code in existing}
        added: list[tuple[int, int, Code]] = []  # (place in the file's codebook, order, entry)
        for refi in codes:
            if with_records and refi.record is not None:
                self._record(session, refi, kinds)
                continue
            ours = refi.extras.get("code") if refi.extras else None
            if isinstance(ours, dict):
                entry = _our_entry(refi, Fields(ours, f"code “{refi.name}”"))
                match = by_name.get(entry.name)
                found = match if match is not None and match.kind == entry.kind else None
            else:
                entry = _their_entry(refi)
                found = by_label.pop(_fold(entry.label), None)
            if found is not None:
                self.codes[refi.guid] = found.id
                continue
            parent = self.codes.get(refi.parent) if refi.parent else None
            entry.parent_id = parent if parent and kinds.get(parent) == entry.kind else None
            entry.name = free_name(entry.name, by_name)
            if entry.shortcut and entry.shortcut.upper() in keys:
                self.report.notes.append(f"“{entry.label}” did not get the key "
                                         f"{entry.shortcut}: another entry has it")  # fmt: skip
                entry.shortcut = None
            keys.update({entry.shortcut.upper()} if entry.shortcut else set())
            entry.colour = entry.colour or PALETTE[len(by_name) % len(PALETTE)]
            added.append((entry.position, len(added), entry))
            session.add(entry)
            session.flush()
            by_name[entry.name] = entry
            kinds[entry.id] = entry.kind
            self.codes[refi.guid] = entry.id
            self.changes.add("code", entry.id)
        last = max((code.position for code in existing), default=-1)
        for number, (_, _, entry) in enumerate(sorted(added, key=lambda a: a[:2]), last + 1):
            entry.position = number  # after the project's own, in the file's codebook order

    def _record(self, session: Session, refi: RefiCode, kinds: dict[CodeId, str]) -> None:
        """Our record, from its code's instruction; its type is the code it is nested in."""
        values = Fields(refi.record or {}, f"record “{refi.name}”")
        type_id = self.codes.get(refi.parent) if refi.parent else None
        if type_id is None or kinds.get(type_id) != "record_type":
            raise Refused(f"record “{refi.name}” is not nested in a record type")
        record = Record(
            type_id=type_id, label=values.text("label", refi.name) or refi.name,
            fields=values.mapping("fields"), status=_status(values), origin=_origin(values),
            confidence=values.number("confidence"), note="",
            date_text=values.optional_text("date_text"),
            date_edtf=values.optional_text("date_edtf"),
            date_earliest=_day(values, "date_earliest"), date_latest=_day(values, "date_latest"),
            created_by=values.optional_text("created_by"),
            created_at=_time(values.optional_text("created_at")) or now(),
            updated_at=_time(values.optional_text("updated_at")) or now(),
        )  # fmt: skip
        session.add(record)
        self.records[refi.guid] = record
        protected, pseudonym = values.values.get("protected"), values.optional_text("pseudonym")
        if protected is True:  # a record protected in our file stays protected here
            protect_as(session, record, pseudonym, self._project.actor)

    # --- documents and passages
    def _source(self, session: Session, source: Source) -> None:
        text = source.text
        if not text.strip():
            self.report.notes.append(f"source “{source.name}” has no text: not imported")
            return
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found = session.scalar(select(Document).where(Document.text_sha256 == sha))
        ours = source.extras.get("document") if source.extras else None
        values = Fields(ours if isinstance(ours, dict) else {}, f"source “{source.name}”")
        if isinstance(ours, dict) and values.text("text_sha256", sha) != sha:
            raise Refused(f"the text of source “{source.name}” is not the text it was "
                          "exported with")  # fmt: skip
        if found is None:
            found = self._document(session, source, values, sha)
        else:
            self.report.notes.append(f"“{source.name}” is already in the project as document "
                                     f"{found.id}: its passages were added to it")  # fmt: skip
        extra = [source.description] if ours is None else []
        memo = self.notes.take(source.notes, extra)
        self._memo(session, found.id, memo, self._user(self._note_user(source.notes)))
        for selection in source.selections:
            self._passage(session, found, selection)
        if source.codings:  # coded as a whole: one passage over the whole text
            whole = Selection(source.guid, 0, len(text), source.user, source.created, "",
                              source.codings, [], None)  # fmt: skip
            self._passage(session, found, whole)

    def _document(self, session: Session, source: Source, values: Fields, sha: str) -> Document:
        text, ours = source.text, bool(values.values)
        title = values.text("title", source.name) or source.name or "untitled"
        name = (source.entry or f"{title}.txt").rsplit("/", 1)[-1]
        doc = Document(
            title=title, source=values.optional_text("source"),
            outlet=values.optional_text("outlet"), author=values.optional_text("author"),
            published=_day(values, "published") if ours else _published(text),
            language=values.optional_text("language") if ours else detect_language(text),
            format=values.text("format", "txt"),
            encoding=values.optional_text("encoding") if ours else "utf-8",
            original_name=values.text("original_name", name),
            original_sha256=values.text("original_sha256", source.raw_sha256),
            text_sha256=sha, text=text, chars=len(text),
            imported_at=_time(values.optional_text("imported_at")) or now(),
            imported_by=values.optional_text("imported_by") if ours
            else self._user(source.user) or self._project.actor,
            extra=values.mapping("extra"),
        )  # fmt: skip
        session.add(doc)
        session.flush()
        index_document(session.connection(), doc.id, doc.title, text)
        self.changes.add("document", doc.id)
        self.report.documents += 1
        return doc

    def _passage(self, session: Session, doc: Document, selection: Selection) -> None:
        """One selection: ours as its one annotation with its records as evidence; another
        tool's as one accepted manual annotation per code applied to it."""
        if selection.start == selection.end:
            self.report.notes.append(f"an empty selection in “{doc.title}” was left out")
            return
        ours = selection.extras.get("passage") if selection.extras else None
        if isinstance(ours, dict):
            self._our_passage(session, doc, selection, Fields(ours, "a passage"))
            return
        if not selection.codings:
            self.report.notes.append(f"a passage of “{doc.title}” without a code was left out")
            return
        notes = [*selection.notes, *(n for c in selection.codings for n in c.notes)]
        note = self.notes.take(notes, [selection.description])
        by_code: dict[CodeId, list[Coding]] = {}
        for coding in selection.codings:
            by_code.setdefault(self._code_of(coding.code), []).append(coding)
        for code_id, codings in by_code.items():
            first = codings[0]
            when = _time(first.created or selection.created)
            author = self._user(first.user or selection.user)
            ann = self._annotation(session, doc, selection, code_id=code_id, author=author,
                                   note=note, created=when)  # fmt: skip
            for record in {id(r): r for c in codings if (r := self.records.get(c.code))}.values():
                session.add(Evidence(record=record, annotation=ann))

    def _our_passage(
        self, session: Session, doc: Document, selection: Selection, values: Fields
    ) -> None:
        code = values.text("code")
        if code not in self.refi.codes:
            raise Refused(f"a passage names the code {code}, which is not in the codebook")
        roles = values.mapping("roles")
        exact = "author" in values.values
        author = values.optional_text("author") if exact else self._user(selection.user)
        created = _time(values.optional_text("created_at"))
        ann = self._annotation(session, doc, selection, code_id=self._code_of(code),
                               author=author, note=self.notes.take(selection.notes),
                               created=created)  # fmt: skip
        ann.status, ann.origin = _status(values), _origin(values)
        ann.confidence = values.number("confidence")
        ann.updated_at = _time(values.optional_text("updated_at")) or ann.created_at
        for target in dict.fromkeys(c.code for c in selection.codings if c.code in self.records):
            role = roles.get(target, "mention")
            if not isinstance(role, str):
                raise Refused("a passage's role must be text")
            session.add(Evidence(record=self.records[target], annotation=ann, role=role[:40]))

    def _annotation(self, session: Session, doc: Document, selection: Selection, *,
                    code_id: CodeId, author: str | None, note: str,
                    created: datetime | None) -> Annotation:  # fmt: skip
        ann = Annotation(document_id=doc.id, start=selection.start, end=selection.end,
                         quote=doc.text[selection.start : selection.end], code_id=code_id,
                         author=author, origin="manual", status="accepted", note=note,
                         created_at=created or now(), updated_at=created or now())  # fmt: skip
        session.add(ann)
        self.annotations.append(ann)
        self.report.annotations += 1
        if author:
            self.authors.add(author)
        return ann

    def _code_of(self, guid: str) -> CodeId:
        """The project's entry a file's code maps to (a record's code: its type)."""
        record = self.records.get(guid)
        return record.type_id if record is not None else self.codes[guid]

    def _user(self, guid: str | None) -> str | None:
        return self.refi.users.get(guid) if guid else None

    def _note_user(self, notes: list[str]) -> str | None:
        return next((self.refi.notes[n].user for n in notes if n in self.refi.notes), None)

    # --- links and memos
    def _links(self, session: Session) -> None:
        seen: set[tuple[int, int, str]] = set()
        left = 0
        for role, origin, target in self.refi.links:
            source_record = self.records.get(origin or "")
            target_record = self.records.get(target or "")
            if source_record is None or target_record is None:
                left += 1
                continue
            key = (source_record.id, target_record.id, role[:40])
            if key not in seen:
                seen.add(key)
                session.add(RecordLink(source_id=key[0], target_id=key[1], role=key[2]))
        if left:
            self.report.notes.append(f"{left} link(s) not between records were left out")

    def _memo(self, session: Session, document_id: int | None, text: str,
              author: str | None) -> None:  # fmt: skip
        """Add ``text`` to a memo (the project's when ``document_id`` is None)."""
        if not text.strip():
            return
        memo = session.scalar(select(Memo).where(
            Memo.document_id.is_(None) if document_id is None else Memo.document_id == document_id
        ))  # fmt: skip
        if memo is None:
            memo = Memo(document_id=document_id, text=text, author=author or self._project.actor,
                        updated_at=now())  # fmt: skip
            session.add(memo)
        elif text not in memo.text:
            memo.text = f"{memo.text}\n\n{text}"
            memo.updated_at = now()
        session.flush()
        self.changes.change("memo", memo.id)


class _NoteTexts:
    """The file's notes, each taken by the first thing that refers to it; what nothing
    takes goes to the project's memo."""

    def __init__(self, refi: RefiProject) -> None:
        self._notes = dict(refi.notes)

    def take(self, guids: Iterable[str], extra: Iterable[str] = ()) -> str:
        """The texts of these notes (and ``extra`` first), one blank line apart."""
        texts = [text for text in extra if text.strip()]
        for key in guids:
            note = self._notes.pop(key, None)
            if note is not None:
                exact = note.extras.get("note") if note.extras else None
                value = exact.get("text") if isinstance(exact, dict) else None
                texts.append(value if isinstance(value, str) else note.text)
        return "\n\n".join(texts)

    def rest(self) -> list[str]:
        """Notes nothing took, each under its name."""
        rest = [f"{note.name}\n{note.text}" if note.name else note.text
                for note in self._notes.values() if note.text.strip()]  # fmt: skip
        self._notes.clear()
        return rest


# --- codebook entries
def _our_entry(refi: RefiCode, values: Fields) -> Code:
    """A codebook entry from our instruction."""
    fields = values.mapping("fields")
    if any(not isinstance(kind, str) or kind not in FIELD_TYPES for kind in fields.values()):
        raise Refused(f"code “{refi.name}”: each field must be {' or '.join(FIELD_TYPES)}")
    kind: CodeKind = "record_type" if values.choice("kind", CODE_KINDS, "code") == "record_type" \
        else "code"  # fmt: skip
    shortcut = values.optional_text("shortcut")
    return Code(name=values.text("name") or slug(refi.name), kind=kind,
                label=_label(values.text("label", refi.name) or refi.name),
                colour=_colour(values.text("colour", refi.colour or "")),
                shortcut=shortcut if shortcut and SHORTCUT.fullmatch(shortcut) else None,
                description=values.text("description", refi.description),
                position=values.whole("position"), fields=fields)  # fmt: skip


def _their_entry(refi: RefiCode) -> Code:
    """A code from another tool."""
    label = _label(refi.name)
    return Code(name=slug(label), kind="code", label=label, colour=_colour(refi.colour or ""),
                shortcut=None, description=refi.description, position=0, fields={})  # fmt: skip


def _label(text: str) -> str:
    return " ".join(text.split())[:LABEL_LIMIT] or "code"


def _colour(text: str) -> str:
    """``#rrggbb`` (``#rgb`` widened); "" when the file has none we can use."""
    text = text.strip()
    if _SHORT_COLOUR.fullmatch(text):
        text = "#" + "".join(c * 2 for c in text[1:])
    return text.lower() if _COLOUR.fullmatch(text) else ""


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


# --- values
def _time(value: str | None) -> datetime | None:
    """An ISO time (``xsd:dateTime`` or ours) as the project stores it; None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _day(values: Fields, key: str) -> str | None:
    value = values.optional_text(key)
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{values.where}: {key} must be a date as YYYY-MM-DD") from None
    return value if len(value) == 10 else None


def _published(text: str) -> str | None:
    found = published_date(text)
    return found.isoformat() if found else None


def _status(values: Fields) -> Status:
    return as_status(values.choice("status", STATUSES, "accepted"))


def _origin(values: Fields) -> Origin:
    return as_origin(values.choice("origin", ORIGINS, "manual"))


def _skipped(refi: RefiProject) -> list[str]:
    """What the file holds that the project has no place for, one note each."""
    return [f"{count} {what} not imported" for what, count in sorted(refi.skipped.items())
            if count]  # fmt: skip
