"""Alembic, driven from code: stamp new files, upgrade old ones, recognise newer ones."""

from __future__ import annotations

from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection

from workbench.paths import MIGRATIONS


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for db/migrations that runs on ``connection`` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    """The migration scripts shipped with this version of the application."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this application knows."""
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the project always ships migrations
        raise RuntimeError("no migrations found")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped with, or None."""
    return MigrationContext.configure(connection).get_current_revision()


def classify(revision: str | None) -> Literal["current", "older", "unknown"]:
    """Whether a file's revision is ours-and-current, ours-and-older, or not ours (newer)."""
    if revision is None:
        return "unknown"
    if revision == head_revision():
        return "current"
    try:
        known = script_directory().get_revision(revision)
    except CommandError:
        return "unknown"
    return "older" if known is not None else "unknown"


def stamp_head(connection: Connection) -> None:
    """Mark a freshly created schema as being at the newest revision."""
    command.stamp(alembic_config(connection), "head")


def upgrade_head(connection: Connection) -> None:
    """Apply every pending migration on ``connection``."""
    command.upgrade(alembic_config(connection), "head")
