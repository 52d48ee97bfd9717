"""Checks of what ``PRAGMA quick_check`` does not see: the FTS5 index and the JSON columns.

Each returns one line per problem (empty when all is well), for ``workbench verify``. They
run in the caller's transaction and change nothing; the caller may roll back.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, case, func, select
from sqlalchemy.exc import DBAPIError

from workbench.errors import WorkbenchError
from workbench.storage.json_column import JSONObject
from workbench.storage.models import Base

# FTS5's own check: with rank 0 the index must be consistent in itself; with rank 1 it must
# also hold exactly what the external content table (documents) says.
_FTS_CHECK = "INSERT INTO documents_fts(documents_fts, rank) VALUES('integrity-check', {rank})"
# Rows listed per JSON column; beyond these a count is given.
ROWS_LISTED = 20
PROBLEMS_SHOWN = 3  # integrity-check problems quoted in a one-line refusal


def check_lines(rows: Iterable[object]) -> list[str]:
    """The problems ``PRAGMA integrity_check`` or ``quick_check`` returned, one a line (none
    for "ok"): one of its rows can hold several, under a "*** in database main ***"."""
    lines = []
    for row in rows:
        for part in str(row).splitlines():
            line = part.strip()
            if line and line != "ok" and not line.startswith("*** in database"):
                lines.append(line)
    return lines


def check_summary(lines: list[str]) -> str:
    """The first problems of ``check_lines`` on one line, and how many more there are."""
    more = len(lines) - PROBLEMS_SHOWN
    return "; ".join(lines[:PROBLEMS_SHOWN]) + (f" (and {more} more)" if more > 0 else "")


def fts_problems(connection: Connection) -> list[str]:
    """Whether the full-text index is intact and agrees with the documents."""
    try:
        connection.exec_driver_sql(_FTS_CHECK.format(rank=0))
    except (DBAPIError, WorkbenchError) as exc:
        return [f"full-text index documents_fts is damaged ({_reason(exc)})"]
    try:
        connection.exec_driver_sql(_FTS_CHECK.format(rank=1))
    except (DBAPIError, WorkbenchError) as exc:
        return [
            "full-text index documents_fts does not match the documents table "
            f"({_reason(exc)}); searches will miss or invent documents"
        ]
    return []


def json_problems(connection: Connection) -> list[str]:
    """Every row of a JSON column whose value is not a JSON object (what reading it refuses)."""
    problems: list[str] = []
    for _name, table in sorted(Base.metadata.tables.items()):
        for column in table.columns:
            if not isinstance(column.type, JSONObject):
                continue
            # CASE evaluates in order, so json_type never sees text that is not JSON.
            verdict = case(
                (func.typeof(column) != "text", "is not JSON text"),
                (func.json_valid(column) == 0, "is not valid JSON"),
                (func.json_type(column) != "object", "is not a JSON object"),
                else_=None,
            ).label("verdict")
            bad = (
                select(table.c.id, verdict)
                .where(verdict.is_not(None))
                .order_by(table.c.id)
                .subquery()
            )
            listed = connection.execute(select(bad).limit(ROWS_LISTED)).all()
            problems.extend(
                f"{table.name}.{column.name} of row {row_id} {reason}" for row_id, reason in listed
            )
            if len(listed) == ROWS_LISTED:
                total = connection.execute(select(func.count()).select_from(bad)).scalar_one()
                if total > ROWS_LISTED:
                    problems.append(
                        f"{table.name}.{column.name}: {total - ROWS_LISTED} more rows like these"
                    )
    return problems


def _reason(exc: DBAPIError | WorkbenchError) -> str:
    """SQLite's message, without the statement."""
    orig = getattr(exc, "orig", None) or exc.__cause__  # the driver's error, if kept
    return str(orig) if orig is not None else str(exc)
