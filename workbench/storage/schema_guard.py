"""Refuse a project file whose schema is not exactly what this application makes.

A file from elsewhere can carry triggers (copying quotes away, rewriting or deleting rows,
growing the file on each insert), views shadowing our tables, or altered definitions;
``PRAGMA trusted_schema=OFF`` stops none of these. ``check_schema`` runs before any other
statement of the application touches the file: it reads ``sqlite_master`` only, then the
revision from ``alembic_version`` once that is known to be a plain table of ours, and
compares every table, index, trigger and view with the shapes our own code makes for that
revision (see ``schema_shapes``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from workbench.errors import DamagedProjectError
from workbench.storage import migrate
from workbench.storage.cipher import DATABASE_ERRORS
from workbench.storage.schema_shapes import (
    SCHEMA_QUERY,
    SQLITE_STATISTICS,
    SchemaObject,
    Shape,
    created_shape,
    migrated_shape,
    schema_object,
)

_REFUSE = "refusing to open it"
# Errors of SQLAlchemy and of either driver.
_SQL_ERRORS: tuple[type[Exception], ...] = (DBAPIError, *DATABASE_ERRORS)
_REVISION = re.compile(r"\w{1,64}\Z", re.ASCII)
# Which problem a one-line message names first: the most dangerous kinds of object.
_EXTRA_ORDER = {"trigger": 0, "view": 1}


def check_schema(connection: Connection | sqlite3.Connection, path: Path) -> str:
    """The file's Alembic revision, after checking its schema is one our code makes for it.

    Raises ``DamagedProjectError`` (a ``ProjectError``) naming the first difference. A
    revision this version does not know is returned unchecked: the caller refuses it. The
    connection is the application's or a driver connection (a backup being checked).
    """
    found = _read_schema(connection, path)
    revision = _read_revision(connection, path, found)
    state = migrate.classify(revision)
    if state == "unknown":
        return revision
    if state == "older" and not _is_exact(revision):
        raise DamagedProjectError(f"{path} has an unreadable schema revision; {_REFUSE}")
    candidates: list[Callable[[], Shape]] = [lambda: migrated_shape(revision)]
    if state == "current":
        candidates.insert(0, created_shape)
    best: list[tuple[int, str]] = []
    for expected in candidates:
        problems = _differences(found, expected(), path)
        if not problems:
            return revision
        if not best or len(problems) < len(best):
            best = problems
    raise DamagedProjectError(_summary(best))


def _rows(connection: Connection | sqlite3.Connection, sql: str) -> Sequence[Sequence[object]]:
    if isinstance(connection, Connection):
        return connection.exec_driver_sql(sql).all()
    return connection.execute(sql).fetchall()  # a driver connection (sqlite3 or sqlcipher3)


def _read_schema(connection: Connection | sqlite3.Connection, path: Path) -> Shape:
    """Every schema object of the file, read from ``sqlite_master`` and nothing else."""
    try:
        rows = _rows(connection, SCHEMA_QUERY)
    except _SQL_ERRORS as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise DamagedProjectError(
            f"{path} has a damaged schema ({_shown(str(reason))}); {_REFUSE}"
        ) from exc
    found: Shape = {}
    for row in rows:
        obj = schema_object(tuple(row))
        if obj.name in found:
            raise DamagedProjectError(
                f"{path} has two schema objects named '{_shown(obj.name)}'; {_REFUSE}"
            )
        found[obj.name] = obj
    return found


def _read_revision(connection: Connection | sqlite3.Connection, path: Path, found: Shape) -> str:
    """The stamped revision, read only once ``alembic_version`` is our plain table."""
    ours = created_shape()["alembic_version"]
    stamp = found.get(ours.name)
    if stamp is None:
        raise DamagedProjectError(f"{path} is missing table '{ours.name}'; {_REFUSE}")
    problem = _difference(stamp, ours, path)
    if problem is not None:
        raise DamagedProjectError(problem[1])
    rows = _rows(connection, "SELECT version_num FROM alembic_version LIMIT 2")
    if len(rows) != 1:
        count = "no" if not rows else "more than one"
        raise DamagedProjectError(f"{path} has {count} schema revision; {_REFUSE}")
    revision = rows[0][0]
    if not isinstance(revision, str) or not _REVISION.match(revision):
        raise DamagedProjectError(f"{path} has an unreadable schema revision; {_REFUSE}")
    return revision


def _is_exact(revision: str) -> bool:
    """Whether an older revision is stamped by its full id, as Alembic stamps it (Alembic
    would also resolve "head" or a prefix of an id)."""
    script = migrate.script_directory().get_revision(revision)
    return script is not None and script.revision == revision


def _differences(found: Shape, expected: Shape, path: Path) -> list[tuple[int, str]]:
    """Every difference as (priority, message), the most dangerous first."""
    problems: list[tuple[int, str]] = []
    for name, obj in found.items():
        ours = expected.get(name)
        if ours is None:
            if SQLITE_STATISTICS.get(name) != obj:
                problems.append(
                    (
                        _EXTRA_ORDER.get(obj.type, 3),
                        f"{path} has {_a(obj.type)} '{_shown(name)}' that "
                        f"Testimony Workbench does not create; {_REFUSE}",
                    )
                )
            continue
        problem = _difference(obj, ours, path)
        if problem is not None:
            problems.append(problem)
    problems.extend(
        (5 if ours.type == "table" else 6, f"{path} is missing {ours.type} '{name}'; {_REFUSE}")
        for name, ours in expected.items()
        if name not in found
    )
    return sorted(problems)


def _difference(obj: SchemaObject, ours: SchemaObject, path: Path) -> tuple[int, str] | None:
    """How an object differs from ours of the same name, if it does."""
    if obj.type != ours.type:
        return (
            2,
            f"{path} has {_a(obj.type)} '{ours.name}' where Testimony Workbench "
            f"has {_a(ours.type)}; {_REFUSE}",
        )
    if obj != ours:
        return (
            4,
            f"{path}: {ours.type} '{ours.name}' differs from the one Testimony Workbench "
            f"creates; {_REFUSE}",
        )
    return None


def _summary(problems: list[tuple[int, str]]) -> str:
    """One line: the first problem, and how many others there are."""
    first = problems[0][1]
    others = len(problems) - 1
    if others:
        first += f" ({others} other difference{'s' if others > 1 else ''})"
    return first


def _a(kind: str) -> str:
    """The kind of a schema object with its article ("a table", "an index")."""
    shown = _shown(kind)
    return f"{'an' if shown[:1] in set('aeiou') else 'a'} {shown}"


def _shown(text: str, limit: int = 80) -> str:
    """A name from the file, made printable on one line and short."""
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
