"""The project as stored, one export table per section of a whole-project file: every row
and column of each table, ids included, so the file can be read back into a new project
(of a selection: its part of the project, ``project_scope``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from workbench.export.model import Cell, Rows, Selection, Table
from workbench.services.project_scope import ProjectScope
from workbench.storage.models import (
    Annotation,
    AuditEntry,
    Base,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
    Suppression,
)

BATCH = 1000
DOCUMENT_BATCH = 16  # documents read at a time: each holds its whole text
# section of a whole-project file → the table it holds (in the order they are written)
PROJECT_MODELS: dict[str, type[Base]] = {
    "codebook": Code,
    "documents": Document,
    "annotations": Annotation,
    "records": Record,
    "evidence": Evidence,
    "links": RecordLink,
    "suppressions": Suppression,
    "memos": Memo,
    "history": AuditEntry,
}
Sessions = Callable[[], AbstractContextManager[Session]]


def project_tables(sessions: Sessions, selection: Selection | None = None) -> dict[str, Table]:
    """``project.<section>`` tables, each read lazily in id order, of the whole project or
    of ``selection``'s part of it; JSON columns (a record's fields, an audit entry's detail)
    come as JSON text."""
    scope = ProjectScope(selection or Selection())
    return {
        f"project.{section}": Table(
            f"project.{section}",
            tuple(column.key for column in model.__table__.columns),
            _stored_rows(sessions, model, scope.where(section)),
        )
        for section, model in PROJECT_MODELS.items()
    }


def _stored_rows(sessions: Sessions, model: type[Base], where: ColumnElement[bool]) -> Rows:
    """A reader of the rows of ``model``'s table that meet ``where``, as stored."""
    columns = list(model.__table__.columns)
    query = select(*columns).where(where).order_by(model.__table__.c.id)
    batch = DOCUMENT_BATCH if model is Document else BATCH

    def rows() -> Iterator[Sequence[Cell]]:
        with sessions() as session:
            for row in session.execute(query.execution_options(yield_per=batch)):
                yield tuple(_json_text(v) if isinstance(v, dict) else v for v in row)

    return rows


def _json_text(value: dict[str, object]) -> str:
    """A JSON column's value as the JSON text a writer puts in its file."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
