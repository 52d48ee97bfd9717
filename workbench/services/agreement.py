"""Agreement between annotators: their passages read from the project, measured by
``workbench.agreement``, written as CSV or XLSX.

An annotator's passages are the annotations they made by hand (not rejected) and the
suggestions they accepted; unreviewed suggestions, rejected passages and passages with no
annotator are left out. Offsets are code points into the stored text."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_, select

from workbench.agreement.report import COLUMNS, Passages, Report, Text, build
from workbench.agreement.spans import Span
from workbench.domain import CancelFlag, Progress
from workbench.errors import InvalidInputError, NotFoundError, StorageError
from workbench.export.csv_writer import CsvWriter
from workbench.export.model import Dataset, Table, WriteOptions
from workbench.services.redaction import build_redactor
from workbench.storage.models import Annotation, Code, Document

if TYPE_CHECKING:
    from workbench.project import Project

FORMATS = ("csv", "xlsx")
SHEET = "Agreement"
TABLE = "agreement"


def counted() -> ColumnElement[bool]:
    """The annotations that are an annotator's passages."""
    return and_(
        Annotation.author.is_not(None),
        Annotation.status != "rejected",
        or_(Annotation.origin == "manual", Annotation.status == "accepted"),
    )


# The annotator of the reviewed layer, where the lead's adjudication decisions are written
# (``services/adjudication.py``): a name no person is given, since annotators' names come
# from their accounts or ``--annotator``. Agreement compares it only when asked by name.
REVIEWED = "(reviewed)"


class AgreementService:
    """Agreement figures of a project's annotators, per code and overall, per document and
    for the corpus (or the documents chosen)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def annotators(self, document_ids: Collection[int] | None = None) -> list[str]:
        """Everyone with passages in the documents (all documents when None), by name."""
        query = select(Annotation.author).where(counted()).distinct()
        if document_ids is not None:
            query = query.where(Annotation.document_id.in_(document_ids))
        with self._project.session() as session:
            return sorted(name for name in session.scalars(query) if name is not None)

    def compute(
        self,
        annotators: Sequence[str] | None = None,
        document_ids: Collection[int] | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> Report:
        """The agreement table of ``annotators`` (everyone with passages in the documents
        when None) over the documents (all when None); unknown document ids and names
        without a passage in the project are refused in one line."""
        texts = self._texts(document_ids)
        chosen = document_ids if document_ids is None else [t.id for t in texts]
        if annotators is None:  # the team: the lead's decisions are compared only when named
            names = [name for name in self.annotators(chosen) if name != REVIEWED]
        else:  # a name nobody annotated with is a slip of the keyboard
            names = list(annotators)
            known = self.annotators()
            unknown = [name for name in dict.fromkeys(names) if name not in known]
            if unknown:
                quoted = ", ".join(f"'{name}'" for name in unknown)
                raise InvalidInputError(f"no passages by {quoted} in this project")
        passages = self._passages(chosen, names)
        return build(texts, passages, names, progress=progress, cancel=cancel)

    def _texts(self, document_ids: Collection[int] | None) -> list[Text]:
        query = select(Document.id, Document.title, Document.chars).order_by(Document.id)
        if document_ids is not None:
            query = query.where(Document.id.in_(set(document_ids)))
        with self._project.session() as session:
            texts = [Text(i, title, chars) for i, title, chars in session.execute(query)]
        if document_ids is not None:
            missing = sorted(set(document_ids) - {t.id for t in texts})
            if missing:
                named = ", ".join(map(str, missing))
                raise NotFoundError(f"no document with id {named}")
        return texts

    def _passages(self, document_ids: Collection[int] | None, names: Sequence[str]) -> Passages:
        query = (
            select(Annotation.document_id, Code.name, Annotation.author, Annotation.start,
                   Annotation.end)
            .join(Code, Annotation.code_id == Code.id)
            .where(counted(), Annotation.author.in_(set(names)))
        )  # fmt: skip
        if document_ids is not None:
            query = query.where(Annotation.document_id.in_(document_ids))
        found: defaultdict[int, defaultdict[str, defaultdict[str, list[Span]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(list))
        )
        with self._project.session() as session:
            for document_id, code, author, start, end in session.execute(query):
                found[document_id][code][str(author)].append((start, end))
        return found

    def redacted(self, report: Report, redact: bool | None = None) -> Report:
        """The table with protected records' names in titles and names replaced by their
        pseudonyms, as every export does: by default (None) when any record is protected."""
        if redact is False:
            return report
        redactor = build_redactor(self._project)
        if redactor is None:
            return report
        rows = tuple(
            replace(row, document_title=redactor.replace(row.document_title),
                    annotators=tuple(redactor.replace(name) for name in row.annotators))
            for row in report.rows
        )  # fmt: skip
        names = tuple(redactor.replace(name) for name in report.annotators)
        return replace(report, annotators=names, rows=rows)

    def write(
        self, report: Report, fmt: str, output: Path, *, force: bool = False,
        neutralise: bool = True, redact: bool | None = None,
    ) -> int:  # fmt: skip
        """Write the table (``redacted`` as ``redact`` asks) as CSV or XLSX into a temporary
        file beside ``output``, renamed over it when complete (refused over an existing
        file unless ``force``); returns the number of rows."""
        if fmt not in FORMATS:
            raise InvalidInputError(f"agreement exports as {' or '.join(FORMATS)}, not {fmt}")
        target = self._project.exports.check_output(output, force=force)
        report = self.redacted(report, redact)
        table = Table(TABLE, COLUMNS, lambda: iter(row.cells() for row in report.rows))
        options = WriteOptions(neutralise=neutralise)
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                        dir=target.parent)  # fmt: skip
        except OSError as exc:
            raise StorageError(f"could not write {target}: {exc.strerror or exc}") from exc
        os.close(fd)
        partial = Path(name)
        try:
            if fmt == "csv":
                CsvWriter().write(Dataset({TABLE: table}), TABLE, partial, options=options)
            else:
                _write_xlsx(table, partial, options)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(f"could not write {target}: {exc.strerror or exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return len(report.rows)


def _write_xlsx(table: Table, path: Path, options: WriteOptions) -> None:
    """The table as the one sheet of a workbook, written as every XLSX export is (a frozen
    header, an autofilter, numbers as numbers, text that never becomes a formula)."""
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 - only when asked

    from workbench.export.xlsx_writer import MAX_ROWS, _Sheets  # noqa: PLC0415

    book_options = {"constant_memory": True, "strings_to_formulas": False,
                    "strings_to_urls": False, "strings_to_numbers": False,
                    "tmpdir": str(path.parent)}  # fmt: skip
    with xlsxwriter.Workbook(str(path), book_options) as book:
        _Sheets(book, options, MAX_ROWS).write(table, SHEET, None, None)
