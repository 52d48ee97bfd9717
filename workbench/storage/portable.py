"""SQL functions of SQLite's JSON1 that the services use, written for PostgreSQL too.

Each is an element compiled per dialect: SQLite gets exactly the SQL it always had, and a
project on a server gets PostgreSQL's equivalent.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, SQLColumnExpression, cast, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class _ArrayValues(FunctionElement[Any]):
    """The values of a JSON array given as text, as rows with a column ``value``."""

    name = "json_each"
    inherit_cache = True


@compiles(_ArrayValues)
def _array_values(element: _ArrayValues, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(_ArrayValues, "postgresql")
def _array_values_on_server(element: _ArrayValues, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text(CAST({compiler.process(element.clauses, **kw)} AS json))"


def id_values(values: Collection[int]) -> Select[Any]:
    """``values`` as a subquery over one parameter (a JSON array): a long selection would
    pass SQLite's limit of bound parameters where it is used more than once."""
    each = _ArrayValues(literal(json.dumps(sorted(values)))).table_valued("value")
    return select(cast(each.c.value, Integer))


class _Field(FunctionElement[Any]):
    """One member of a JSON object column: ``json_extract(column, '$.key')`` in SQLite (a
    string, a number, 1 or 0 for true and false, JSON text for an array or object);
    ``column -> 'key'`` on PostgreSQL, which its driver reads as the Python value."""

    name = "json_extract"
    inherit_cache = True


@compiles(_Field)
def _field(element: _Field, compiler: SQLCompiler, **kw: Any) -> str:
    column, path, _key = list(element.clauses)
    return f"json_extract({compiler.process(column, **kw)}, {compiler.process(path, **kw)})"


@compiles(_Field, "postgresql")
def _field_on_server(element: _Field, compiler: SQLCompiler, **kw: Any) -> str:
    column, _path, key = list(element.clauses)
    return f"({compiler.process(column, **kw)} -> {compiler.process(key, **kw)})"


def json_field(column: SQLColumnExpression[Any], key: str) -> ColumnElement[Any]:
    """The member ``key`` of the JSON object in ``column`` (see ``_Field``)."""
    return _Field(column, literal(f"$.{key}"), literal(key))
