"""Exports: a selection of the project as tables, one transformation, one writer a format."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import aliased

from workbench.domain import CancelFlag, Progress
from workbench.errors import InvalidInputError, StorageError
from workbench.export import registry
from workbench.export.columns import DOCUMENT_COLUMNS, RECORD_COLUMNS, TIMELINE_COLUMNS
from workbench.export.model import (
    Cell,
    Dataset,
    ExportCancelled,
    ExportRequest,
    Selection,
    Table,
    Transform,
    WriteOptions,
    redacted,
)
from workbench.services.export_redaction import DatasetRedaction
from workbench.services.export_text import span_text
from workbench.services.memos import MemoTarget
from workbench.services.project_tables import project_tables
from workbench.storage.models import Annotation, Code, Document, Evidence, Memo, Record

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.timeline.model import TimelineItem

BATCH = 1000
SPAN_TIME = RECORD_COLUMNS.index("created_at")
# the order of ix_annotations_document_span: annotation rows stream without a sort
ANNOTATION_ORDER = (Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)
SIDECARS = ("-wal", "-shm", "-journal", ".lock")  # files SQLite and the lock keep beside it
FIELD_COLUMNS: tuple[str, ...] = ("record_id", "record_type", "label", "field", "value")
TEXT_COLUMNS: tuple[str, ...] = ("document_id", "text")
TEXT_BATCH = 16  # documents read at a time: each holds its whole text
CODEBOOK_COLUMNS: tuple[str, ...] = (
    "code_id", "name", "label", "kind", "colour", "shortcut", "description", "parent_id",
    "position",
)  # fmt: skip


class ExportService:
    """Write the project's data to files other tools read: a selection read as tables,
    one transformation, one writer per format (``workbench/export/registry.py``)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        # the one step between the data and writers: it applies the dataset's redaction
        self.transform: Transform = redacted

    def export(
        self,
        what: str,
        fmt: str,
        output: Path,
        *,
        safe: bool = True,
        bom: bool = False,
        force: bool = False,
        selection: Selection | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
        redact: bool | None = None,
    ) -> int:
        """Write one export; returns the number of data rows (or items) written."""
        request = ExportRequest(
            what, fmt, Path(output), selection or Selection(),
            WriteOptions(neutralise=safe, bom=bom), force=force, redact=redact,
        )  # fmt: skip
        return self.run(request, progress, cancel)

    def run(
        self,
        request: ExportRequest,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> int:
        """Carry out an export request: into a private temporary file beside the output,
        renamed over it when complete; on failure or Cancel nothing is left behind."""
        writer = registry.writer(request.format)
        if request.what not in writer.kinds:
            known = ", ".join(writer.kinds)
            raise InvalidInputError(f"{request.format} exports {known}, not {request.what}")
        output = self.check_output(request.output, force=request.force)
        data = self.prepared(request.selection, request.redact)
        try:
            fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial",
                                        dir=output.parent)  # fmt: skip
        except OSError as exc:
            raise StorageError(_write_failure(output, exc)) from exc
        os.close(fd)
        partial = Path(name)
        try:
            count = writer.write(
                data, request.what, partial, options=request.options, progress=progress,
                cancel=cancel,
            )  # fmt: skip
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            partial.replace(output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(_write_failure(output, exc)) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return count

    def check_output(self, output: Path, *, force: bool = True) -> Path:
        """The resolved path an export may write to: never the project file, in a folder
        that exists, and not over an existing file unless ``force``."""
        output = Path(output).expanduser().resolve()
        project = self._project.path
        own = {project, *(project.with_name(project.name + end) for end in SIDECARS)}
        if output in own or project.with_name(project.name + "-backups") in output.parents:
            raise InvalidInputError("refusing to overwrite the project's own files with an export")
        if not output.parent.is_dir():
            raise InvalidInputError(f"folder {output.parent} does not exist")
        if output.is_dir():
            raise InvalidInputError(f"{output} is a folder; name a file to write")
        if output.exists() and not force:
            raise InvalidInputError(f"{output} exists; choose another name or replace it")
        return output

    def prepared(self, selection: Selection, redact: bool | None = None) -> Dataset:
        """What a writer gets: the selection's dataset through the transformation (redacted
        unless ``redact`` is False, when the project has protected records)."""
        return self.transform(self.dataset(selection, redact))

    def picture_redaction(self, redact: bool | None = None) -> DatasetRedaction | None:
        """What a picture drawn outside the export path (the timeline dock's Export) passes
        its items and texts through; None when nothing is redacted."""
        return DatasetRedaction.of(self._project) if redact is not False else None

    def redacts(self, redact: bool | None = None) -> bool:
        """Whether an export asked with ``redact`` replaces protected names: by default
        (None) when the project has protected records."""
        if redact is False:
            return False
        with self._project.session() as session:
            return session.scalar(select(Record.id).where(Record.protected.is_(True))) is not None

    def dataset(self, selection: Selection, redact: bool | None = None) -> Dataset:
        """Every table an export may use, each read lazily (and only if a writer asks) for
        this selection, with the redaction of protected records unless ``redact`` is False
        (the transformation applies it)."""
        tables = {
            "records": self._span_table(
                "records", lambda t: self._records_query(selection, t), Record, (Record.id,),
                selection.statuses,
            ),
            "annotations": self._span_table(
                "annotations", lambda t: self._annotations_query(selection, t), Annotation,
                ANNOTATION_ORDER, selection.statuses,
            ),
            "timeline": Table("timeline", TIMELINE_COLUMNS,
                              lambda: self._timeline_rows(selection),
                              lambda count: self._timeline_rows(selection, head=count)),
            "documents": Table("documents", DOCUMENT_COLUMNS,
                               lambda: self._document_rows(selection)),
            "texts": Table("texts", TEXT_COLUMNS, lambda: self._text_rows(selection)),
            "codebook": Table("codebook", CODEBOOK_COLUMNS, self._codebook_rows),
            "fields": Table("fields", FIELD_COLUMNS, lambda: self._field_rows(selection)),
        }  # fmt: skip
        tables.update(project_tables(self._project.session, selection))  # as stored
        memo = self._project.memos.read(MemoTarget.project())
        redaction = DatasetRedaction.of(self._project) if redact is not False else None
        return Dataset(tables, title=self._project.path.stem, project_memo=memo,
                       timeline_items=lambda: self._timeline_items(selection),
                       redaction=redaction)  # fmt: skip

    def _timeline_items(
        self, selection: Selection, *, head: int | None = None
    ) -> list[TimelineItem]:
        """The selection's timeline items in order; ``head``: only enough to give that many
        (read from the records that come first, with room for the selection's filters)."""
        rejected = "rejected" in selection.statuses
        chosen: Collection[int] | None = selection.record_ids
        if head is not None:
            candidates = set(self._project.timeline.first_ids(head * 5, include_rejected=rejected))
            chosen = candidates & set(chosen) if chosen is not None else candidates
        items = self._project.timeline.items(include_rejected=rejected, record_ids=chosen)
        return [item for item in items if _timeline_selected(item, selection)]

    def _field_rows(self, selection: Selection) -> Iterator[Sequence[Cell]]:
        """One row per field of each selected record (a figure's value, unit, qualifier…)."""
        query = (
            select(Record.id, Code.name, Record.label, Record.fields)
            .join(Code, Record.type_id == Code.id)
            .where(Record.status.in_(selection.statuses))
            .order_by(Record.id)
        )
        if selection.type_name is not None:
            query = query.where(Code.name == selection.type_name)
        if selection.record_ids is not None:
            query = query.where(Record.id.in_(selection.record_ids))
        with self._project.session() as session:
            for record_id, type_name, label, fields in session.execute(query):
                for name, value in fields.items():
                    if isinstance(value, str | int | float) and not isinstance(value, bool):
                        yield (record_id, type_name, label, name, value)

    def _timeline_rows(
        self, selection: Selection, *, head: int | None = None
    ) -> Iterator[Sequence[Cell]]:
        """One row per dated record (not rejected), by earliest date, then one per record
        whose year is unknown (empty bounds): its first passage and the people and places
        linked to it, each joined by "; "."""
        for item in self._timeline_items(selection, head=head):
            first = item.passages[0] if item.passages else None
            passage: tuple[Cell, ...] = (
                (first.document_id, first.document_title, first.start, first.end, first.quote)
                if first
                else (None,) * 5
            )
            date = item.date
            yield (
                item.record_id, item.record_type, item.label, date.text, date.edtf,
                date.earliest.isoformat() if date.earliest else None,
                date.latest.isoformat() if date.latest else None,
                *passage,
                "; ".join(item.persons), "; ".join(item.places),
                item.status, item.event_type, "yes" if item.inferred else "",
            )  # fmt: skip

    def _document_rows(self, selection: Selection) -> Iterator[Sequence[Cell]]:
        query = (
            select(
                Document.id,
                Document.title,
                Document.published,
                Document.source,
                Document.language,
                Document.chars,
                Document.original_sha256,
                Document.imported_at,
                Document.outlet,
                Document.author,
                Document.format,
                Document.original_name,
                Document.text_sha256,
                Document.encoding,
                Memo.text,
            )
            .outerjoin(Memo, Memo.document_id == Document.id)
            .order_by(Document.id)
        )
        with self._project.session() as session:
            for row in session.execute(_documents_chosen(query, selection)):
                yield tuple(row)

    def _text_rows(self, selection: Selection) -> Iterator[Sequence[Cell]]:
        """Each document's id and whole text, of the documents in the documents table."""
        query = select(Document.id, Document.text).order_by(Document.id)
        query = _documents_chosen(query, selection).execution_options(yield_per=TEXT_BATCH)
        with self._project.session() as session:
            for row in session.execute(query):
                yield tuple(row)

    def _span_table(
        self,
        name: str,
        query: Callable[[bool], Select[Any]],
        review: type[Record | Annotation],
        key: tuple[Any, ...],
        statuses: Collection[str],
    ) -> Table:
        """A table of span rows sorted by ``key`` (columns of ``review``, ending with its id);
        ``query(True)`` reads its time as stored text."""

        def key_query() -> Select[Any]:
            return select(*key).where(review.status.in_(statuses)).order_by(*key)

        text = span_text(
            self._project, query=lambda: query(True), time_column=SPAN_TIME, key=key,
            key_query=key_query, batch=BATCH,
        )  # fmt: skip
        return Table(name, RECORD_COLUMNS, lambda: self._span_rows(query(False)), text=text)

    @staticmethod
    def _span_select(
        review: type[Record | Annotation], code: Any, time_as_text: bool
    ) -> Select[*tuple[Any, ...]]:
        """Columns of a span row in RECORD_COLUMNS order; ``review`` says whose status, origin,
        confidence, note; a code-only annotation takes its code as the type, and the passage's
        author and time come first, then the record's (``time_as_text``: as stored)."""
        created = func.coalesce(Annotation.created_at, Record.created_at)
        return select(
            Record.id, func.coalesce(func.nullif(Code.name, ""), code.name), Record.label,
            review.status, review.origin, review.confidence, Document.id, Document.title,
            Annotation.start, Annotation.end, Annotation.quote, Record.date_text,
            Record.date_edtf, Record.date_earliest, Record.date_latest,
            func.coalesce(func.nullif(Annotation.author, ""), Record.created_by),
            type_coerce(created, String) if time_as_text else created, review.note,
            Annotation.id, code.name,
        )  # fmt: skip

    def _records_query(
        self, selection: Selection, time_as_text: bool = False
    ) -> Select[*tuple[Any, ...]]:
        """One row per record evidence span; records without evidence get one empty-span row."""
        code = aliased(Code)
        query = (
            self._span_select(Record, code, time_as_text)
            .join(Code, Record.type_id == Code.id)
            .outerjoin(Evidence, Evidence.record_id == Record.id)
            .outerjoin(Annotation, Evidence.annotation_id == Annotation.id)
            .outerjoin(code, Annotation.code_id == code.id)
            .outerjoin(Document, Annotation.document_id == Document.id)
            .order_by(Record.id, Document.id, Annotation.start, Annotation.id)
            .where(Record.status.in_(selection.statuses))
        )
        if selection.type_name is not None:
            query = query.where(Code.name == selection.type_name)
        return _chosen(query, selection)

    def _annotations_query(
        self, selection: Selection, time_as_text: bool = False
    ) -> Select[*tuple[Any, ...]]:
        """One row per annotation (and per record it supports), in document order."""
        code = aliased(Code)
        query = (
            self._span_select(Annotation, code, time_as_text)
            .select_from(Annotation)
            .join(Document, Annotation.document_id == Document.id)
            .join(code, Annotation.code_id == code.id)
            .outerjoin(Evidence, Evidence.annotation_id == Annotation.id)
            .outerjoin(Record, Evidence.record_id == Record.id)
            .outerjoin(Code, Record.type_id == Code.id)
            # the order of ix_annotations_document_span, so rows stream without any sort (the
            # records of one passage follow in the order they were linked to it)
            .order_by(*ANNOTATION_ORDER)
            .where(Annotation.status.in_(selection.statuses))
        )
        if selection.type_name is not None:
            query = query.where(code.name == selection.type_name)
        return _chosen(query, selection)

    def _span_rows(self, query: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Cell]]:
        """The query's rows as they come: Core rows (the ORM's layer halves the speed)."""
        with self._project.session() as session:
            yield from session.connection().execute(query.execution_options(yield_per=BATCH))

    def _codebook_rows(self) -> Iterator[Sequence[Cell]]:
        for code in self._project.codebook.list():
            yield (code.id, code.name, code.label, code.kind, code.colour, code.shortcut,
                   code.description, code.parent_id, code.position)  # fmt: skip


def _chosen(query: Select[*tuple[Any, ...]], selection: Selection) -> Select[*tuple[Any, ...]]:
    """Rows of the selection's records and documents only."""
    if selection.record_ids is not None:
        query = query.where(Record.id.in_(selection.record_ids))
    if selection.document_ids is not None:
        query = query.where(Document.id.in_(selection.document_ids))
    return query


def _documents_chosen(
    query: Select[*tuple[Any, ...]], selection: Selection
) -> Select[*tuple[Any, ...]]:
    """Rows of the selection's documents only (with chosen records: the documents their
    passages are in, as in a project export), read in batches."""
    if selection.document_ids is not None:
        query = query.where(Document.id.in_(selection.document_ids))
    if selection.record_ids is not None:
        cited = (
            select(Annotation.document_id)
            .join(Evidence, Evidence.annotation_id == Annotation.id)
            .where(Evidence.record_id.in_(selection.record_ids))
        )
        query = query.where(Document.id.in_(cited))
    return query.execution_options(yield_per=BATCH)


def _timeline_selected(item: TimelineItem, selection: Selection) -> bool:
    """Whether a timeline item is in the selection (type, status and documents)."""
    if selection.type_name is not None and item.record_type != selection.type_name:
        return False
    if item.status not in selection.statuses:
        return False
    chosen = selection.document_ids
    return chosen is None or any(doc_id in chosen for doc_id, _ in item.documents)


def _write_failure(output: Path, exc: OSError) -> str:
    """One line for a write that failed; the partial file is already gone."""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: {output.name} was not written (nothing was left behind)"
    reason = exc.strerror or type(exc).__name__
    return f"cannot write {output}: {reason} (nothing was left behind)"
