"""The schema objects this application's own code makes for a revision, built once per process.

A shape maps each ``sqlite_master`` name to its type, table and normalised SQL. The shape of
a created file comes from the models' DDL run in an in-memory database, without Alembic (so
opening a current project does not import it); the shape of a migrated file comes from
running the migrations in memory, only when a file needs it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, create_engine
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from workbench.storage import migrate
from workbench.storage.fts import FTS_DDL
from workbench.storage.models import Base
from workbench.storage.schema_sql import normalise

SCHEMA_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_master"

# The table Alembic stamps revisions in, as Alembic defines it (a test compares the two).
ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


class SchemaObject(NamedTuple):
    """One ``sqlite_master`` row with its SQL in normal form."""

    type: str
    name: str
    tbl_name: str
    sql: str | None


Shape = dict[str, SchemaObject]

# Tables SQLite itself makes on ANALYZE or PRAGMA optimize: allowed, with SQLite's definition.
SQLITE_STATISTICS: Shape = {
    name: SchemaObject("table", name, name, normalise(f"CREATE TABLE {name}({columns})"))
    for name, columns in (
        ("sqlite_stat1", "tbl,idx,stat"),
        ("sqlite_stat4", "tbl,idx,neq,nlt,ndlt,sample"),
    )
}


def schema_object(row: Sequence[object]) -> SchemaObject:
    """A ``sqlite_master`` row as read (values a crafted file may give any type)."""
    kind, name, table, sql = row
    return SchemaObject(
        str(kind), str(name), str(table), normalise(sql if sql is None else str(sql))
    )


def shape_of(rows: Iterable[Sequence[object]]) -> Shape:
    """The shape of a database from its ``sqlite_master`` rows."""
    return {obj.name: obj for obj in map(schema_object, rows)}


@cache
def created_shape() -> Shape:
    """What creating a project makes (create_all, FTS5 DDL, the revision table)."""
    dialect = SQLiteDialect_pysqlite()
    statements: list[str] = []
    for table in [*Base.metadata.sorted_tables, ALEMBIC_VERSION]:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements.extend(str(CreateIndex(ix).compile(dialect=dialect)) for ix in table.indexes)
    statements.extend(FTS_DDL)
    memory = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            memory.execute(statement)
        return shape_of(memory.execute(SCHEMA_QUERY).fetchall())
    finally:
        memory.close()


def migrated_shape(revision: str) -> Shape:
    """What running the migrations from nothing up to ``revision`` makes."""
    scripts = migrate.alembic_config().get_main_option("script_location")
    return _migrated_shape(str(scripts), revision)


@cache
def _migrated_shape(_scripts: str, revision: str) -> Shape:
    """Cached per migration folder (tests swap in a newer one) and revision."""
    from alembic import command  # noqa: PLC0415 - only files that need it pay for Alembic

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), revision)
            return shape_of(conn.exec_driver_sql(SCHEMA_QUERY).all())
    finally:
        engine.dispose()
