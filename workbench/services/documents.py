"""Documents: importing files and folders exactly as written, listing and reading them."""

from __future__ import annotations

import builtins
import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import case, func, insert, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, DocumentId, DocumentInfo, Progress
from workbench.errors import InvalidInputError, NotFoundError, StorageError
from workbench.importers import (
    SYMLINK_REFUSAL,
    ImportCancelled,
    ImportLimits,
    ImportRefused,
    is_supported,
    read_and_extract,
)
from workbench.importers.headline import headline, published_date
from workbench.importers.isolated import reader_batch
from workbench.language import detect_language
from workbench.services import dating
from workbench.services.audit import audit
from workbench.services.snapshots import DOCUMENT_METADATA, Scope, SpanKey
from workbench.services.steps import StepResult
from workbench.storage.fts import index_document, unindex_document
from workbench.storage.models import (
    Annotation,
    Document,
    Evidence,
    Record,
    Suppression,
    utcnow,
)
from workbench.text_safety import printable

if TYPE_CHECKING:
    from workbench.project import Project


@dataclass(frozen=True)
class ImportOptions:
    """Metadata the user gives for the imported files, overriding what files state."""

    published: str | None = None
    title: str | None = None
    source: str | None = None
    outlet: str | None = None
    language: str | None = None
    # Without a published date given or stated by the file, look for one in the opening
    # lines (a dateline or byline); year-less dates in the text resolve against it.
    detect_published: bool = True
    limits: ImportLimits = field(default_factory=ImportLimits)


@dataclass(frozen=True)
class Refusal:
    """A path that was not imported, and why, in one line."""

    path: Path
    message: str


@dataclass
class ImportReport:
    """What a batch import did."""

    imported: list[DocumentInfo] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    notes: list[Refusal] = field(default_factory=list)
    skipped: int = 0  # files in folders with unsupported types
    cancelled: bool = False
    changes: ChangeSet = field(default_factory=ChangeSet)


_INSERT_DOCUMENT = insert(Document).returning(Document.id)
EDITABLE = DOCUMENT_METADATA


def _is_candidate(path: Path) -> bool:
    """A file in a folder worth trying: supported type, not hidden, not an Office lock file."""
    return not path.name.startswith((".", "~$")) and is_supported(path)


def collect_files(paths: list[Path], report: ImportReport) -> list[Path]:
    """Expand folders recursively into supported files; refuse what cannot be expanded.

    Symbolic links are refused, never followed: a link named on the command line or found
    in a folder could point anywhere (``x.txt -> /etc/passwd``).
    """
    files: list[Path] = []
    for path in paths:
        if path.is_symlink():
            report.refused.append(Refusal(path, _link_refusal(path)))
        elif path.is_dir():
            found = _folder_files(path, report)
            if not found:
                report.refused.append(Refusal(path, "the folder contains no supported files"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            report.refused.append(Refusal(path, "no such file or folder"))
    return files


def _folder_files(folder: Path, report: ImportReport) -> list[Path]:
    """The supported files under ``folder``, sorted; links to files or folders are refused."""
    found: list[Path] = []
    for root, folders, names in os.walk(folder):  # lists linked folders but never enters them
        folders.sort()
        links = [Path(root, name) for name in folders if Path(root, name).is_symlink()]
        for name in sorted(names):
            path = Path(root, name)
            if not (path.is_symlink() or path.is_file()):
                continue
            if not _is_candidate(path):
                report.skipped += 1
            elif path.is_symlink():
                links.append(path)
            else:
                found.append(path)
        report.refused.extend(Refusal(link, _link_refusal(link)) for link in links)
    return sorted(found)


def _link_refusal(path: Path) -> str:
    """Why a symbolic link is not imported, in words for a link to a file or to a folder."""
    if path.is_dir():
        return "it is a symbolic link to a folder; import that folder directly"
    return SYMLINK_REFUSAL


def _documents(session: Session, document_ids: list[DocumentId]) -> dict[DocumentId, Document]:
    """Documents by id, their text left unloaded until needed; raises NotFoundError."""
    query = select(Document).where(Document.id.in_(document_ids)).options(defer(Document.text))
    docs = {doc.id: doc for doc in session.scalars(query)}
    missing = sorted(set(document_ids) - docs.keys())
    if missing:
        raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
    return docs


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting documents takes with it."""

    documents: int
    annotations: int
    records_removed: int  # supported by nothing else
    records_kept: int  # they lose these passages, keep their others


def _check_metadata(document_ids: list[DocumentId], values: dict[str, str | None]) -> None:
    """One clear line for an empty selection, an unknown field, a bad date or no title."""
    if not document_ids:
        raise InvalidInputError("no documents given")
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInputError(f"cannot edit {', '.join(sorted(unknown))}")
    if values.get("published"):
        try:
            date.fromisoformat(str(values["published"]))
        except ValueError:
            raise InvalidInputError(
                f"'{values['published']}' is not a date as YYYY-MM-DD"
            ) from None
    if "title" in values and not (values["title"] or "").strip():
        raise InvalidInputError("a document needs a title")


def _deletion_scope(
    session: Session, document_ids: list[DocumentId]
) -> tuple[set[int], set[int], set[int]]:
    """The documents' annotations, the records they support, and those of the records that
    nothing outside these documents supports."""
    annotations: set[int] = set(
        session.scalars(select(Annotation.id).where(Annotation.document_id.in_(document_ids)))
    )
    records: set[int] = set(
        session.scalars(select(Evidence.record_id).where(Evidence.annotation_id.in_(annotations)))
    )
    elsewhere: set[int] = set(
        session.scalars(
            select(Evidence.record_id)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(Evidence.record_id.in_(records), Annotation.document_id.not_in(document_ids))
        )
    )
    return annotations, records, records - elsewhere


def _detected(text: str, options: ImportOptions) -> str | None:
    """The published date the opening lines state, when the user asked for detection."""
    if not options.detect_published:
        return None
    found = published_date(text)
    return found.isoformat() if found else None


def document_info(doc: Document, suggested: int = 0, accepted: int = 0) -> DocumentInfo:
    """The immutable view of a document row."""
    return DocumentInfo(
        id=doc.id,
        title=doc.title,
        published=doc.published,
        source=doc.source,
        outlet=doc.outlet,
        author=doc.author,
        language=doc.language,
        format=doc.format,
        encoding=doc.encoding,
        original_name=doc.original_name,
        original_sha256=doc.original_sha256,
        text_sha256=doc.text_sha256,
        chars=doc.chars,
        imported_at=doc.imported_at,
        suggested=suggested,
        accepted=accepted,
    )


class DocumentService:
    """Import, list and read documents."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def import_paths(
        self,
        paths: list[Path],
        options: ImportOptions | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> ImportReport:
        """Import files and folders; each file is one transaction, bad files are reported."""
        options = options or ImportOptions()
        report = ImportReport()
        files = collect_files([Path(p) for p in paths], report)
        with reader_batch(cancel):  # one PDF reader process serves the whole batch
            for done, path in enumerate(files):
                if cancel is not None and cancel.is_set():
                    report.cancelled = True
                    break
                if progress is not None:  # the label is shown as is: escape a crafted name
                    progress(done, len(files), printable(path.name))
                try:
                    info, notes = self.import_file(path, options)
                except ImportCancelled:  # stopped while reading this file: it is not imported
                    report.cancelled = True
                    break
                except (ImportRefused, StorageError) as exc:  # this file only: the batch goes on
                    report.refused.append(Refusal(path, str(exc)))
                    continue
                report.imported.append(info)
                report.notes.extend(Refusal(path, note) for note in notes)
                report.changes.add("document", info.id)
        if progress is not None and not report.cancelled:
            progress(len(files), len(files), "")
        return report

    def import_file(
        self, path: Path, options: ImportOptions | None = None
    ) -> tuple[DocumentInfo, tuple[str, ...]]:
        """Import one file in one transaction; raises ImportRefused and changes nothing."""
        options = options or ImportOptions()
        data, extracted = read_and_extract(path, options.limits)
        text = extracted.text
        if not text.strip():
            raise ImportRefused("the file contains no text")
        text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc = Document(
            title=options.title or extracted.title or headline(text) or path.stem,
            source=options.source or extracted.source,
            outlet=options.outlet or extracted.outlet,
            author=extracted.author,
            published=options.published or extracted.published or _detected(text, options),
            language=options.language or extracted.language or detect_language(text),
            format=extracted.format,
            encoding=extracted.encoding,
            original_name=path.name,
            original_sha256=hashlib.sha256(data).hexdigest(),
            text_sha256=text_sha,
            text=text,
            chars=len(text),
            imported_at=utcnow(),
            imported_by=self._project.actor,
            extra={},
        )
        values = {c.key: getattr(doc, c.key) for c in Document.__table__.columns if c.key != "id"}
        try:
            with self._project.write_connection() as conn:
                doc.id = conn.execute(_INSERT_DOCUMENT, values).scalar_one()
                index_document(conn, doc.id, doc.title, text)
                audit(
                    conn,
                    self._project.actor,
                    "document.import",
                    "document",
                    doc.id,
                    file=path.name,
                    sha256=doc.original_sha256,
                    chars=doc.chars,
                )
        except IntegrityError as exc:
            raise self._duplicate_refusal(text_sha) from exc
        return document_info(doc), extracted.notes

    def _duplicate_refusal(self, text_sha: str) -> ImportRefused:
        """The message for a text already in the project (its unique hash refused the insert)."""
        with self._project.session() as session:
            existing = session.execute(
                select(Document.id, Document.title).where(Document.text_sha256 == text_sha)
            ).first()
        if existing is None:  # pragma: no cover - only a concurrent delete could cause this
            return ImportRefused("the same text is already in the project")
        return ImportRefused(
            f"the same text is already in the project as document {existing.id} “{existing.title}”"
        )

    def update_metadata(
        self, document_ids: list[DocumentId], *, redate_accepted: bool = False, **values: str | None
    ) -> StepResult:
        """Set title, published (YYYY-MM-DD), source, outlet, author or language of documents,
        as one undoable step.

        A new published date re-dates, in the same step, the records whose date phrase reads
        differently against it ("March 10", "last August"): suggested and rejected ones always,
        accepted ones when ``redate_accepted`` (see ``redatings`` for what would change).
        """
        _check_metadata(document_ids, values)
        with self._project.session() as session:
            _documents(session, document_ids)  # one line naming any that do not exist
            redate = self._redating_ids(session, document_ids, values, redate_accepted)

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            conn = session.connection()
            if "published" in values:
                found = dating.redatings(session, document_ids, values["published"])
                dating.redate([r for r in found if r[1].record_id in redate])
            for doc in _documents(session, document_ids).values():
                if "title" in values and values["title"] != doc.title:
                    unindex_document(conn, doc.id, doc.title, doc.text)
                    index_document(conn, doc.id, str(values["title"]), doc.text)
                for key, value in values.items():
                    setattr(doc, key, value)
            return ()

        return self._project.steps.run(
            "document.metadata",
            Scope(record_ids=set(redate), document_ids=set(document_ids)),
            mutate,
            subject=("document", document_ids[0]),
            documents=sorted(document_ids),
            redated=sorted(redate),
            **values,
        )

    def redatings(
        self, document_ids: list[DocumentId], published: str | None
    ) -> builtins.list[dating.Redating]:
        """The records whose date would read differently with this published date."""
        _check_metadata(document_ids, {"published": published})
        with self._project.session() as session:
            return [change for _, change, _ in dating.redatings(session, document_ids, published)]

    @staticmethod
    def _redating_ids(
        session: Session,
        document_ids: list[DocumentId],
        values: dict[str, str | None],
        redate_accepted: bool,
    ) -> set[int]:
        if "published" not in values:
            return set()
        return {
            change.record_id
            for _, change, _ in dating.redatings(session, document_ids, values["published"])
            if redate_accepted or change.status != "accepted"
        }

    def deletion_impact(self, document_ids: list[DocumentId]) -> DeletionImpact:
        """What deleting these documents takes with it, to say before the user confirms."""
        with self._project.session() as session:
            _documents(session, document_ids)
            annotations, records, orphans = _deletion_scope(session, document_ids)
        return DeletionImpact(len(document_ids), len(annotations), len(orphans),
                              len(records - orphans))  # fmt: skip

    def delete(self, document_ids: list[DocumentId]) -> StepResult:
        """Delete documents with their annotations, and the records no other document
        supports; records with evidence elsewhere stay. One undoable step, which leaves none
        of their text in the file, its WAL or its index (``steps.erase``); the audit entry
        names the ids, never a title."""
        if not document_ids:
            raise InvalidInputError("no documents given")
        with self._project.session() as session:
            _documents(session, document_ids)  # one line naming any that do not exist
            annotations, records, orphans = _deletion_scope(session, document_ids)
            suppressed = select(
                Suppression.document_id, Suppression.start, Suppression.end, Suppression.code_id
            ).where(Suppression.document_id.in_(document_ids))
            spans: set[SpanKey] = {(d, s, e, c) for d, s, e, c in session.execute(suppressed)}

        def mutate(session: Session, _scope: Scope) -> tuple[int, ...]:
            conn = session.connection()
            session.execute(sa_delete(Record).where(Record.id.in_(orphans)))
            for doc in _documents(session, document_ids).values():
                unindex_document(conn, doc.id, doc.title, doc.text)
            session.execute(sa_delete(Document).where(Document.id.in_(document_ids)))
            return ()

        scope = Scope(records, annotations, spans, whole_document_ids=set(document_ids))
        return self._project.steps.run("document.delete", scope, mutate,
                                       subject=("document", document_ids[0]),
                                       documents=sorted(document_ids),
                                       records=sorted(orphans))  # fmt: skip

    def rename(self, document_id: DocumentId, title: str) -> StepResult:
        """Give a document a new title (undoable)."""
        return self.update_metadata([document_id], title=title.strip())

    def list(self) -> list[DocumentInfo]:
        """All documents, oldest import first, with counts of suggested and accepted spans."""
        counts = (
            select(
                Annotation.document_id,
                func.sum(case((Annotation.status == "suggested", 1), else_=0)).label("suggested"),
                func.sum(case((Annotation.status == "accepted", 1), else_=0)).label("accepted"),
            )
            .group_by(Annotation.document_id)
            .subquery()
        )
        query = (
            select(Document, counts.c.suggested, counts.c.accepted)
            .outerjoin(counts, counts.c.document_id == Document.id)
            .options(defer(Document.text))
            .order_by(Document.id)
        )
        with self._project.session() as session:
            return [
                document_info(doc, int(sug or 0), int(acc or 0))
                for doc, sug, acc in session.execute(query)
            ]

    def get(self, document_id: DocumentId) -> DocumentInfo:
        """One document's metadata; raises NotFoundError."""
        with self._project.session() as session:
            doc = session.get(Document, document_id, options=[defer(Document.text)])
            if doc is None:
                raise NotFoundError(f"no document with id {document_id}")
            return document_info(doc)

    def text(self, document_id: DocumentId) -> str:
        """The stored, immutable text of a document."""
        with self._project.session() as session:
            text = session.scalar(select(Document.text).where(Document.id == document_id))
            if text is None:
                raise NotFoundError(f"no document with id {document_id}")
            return text
