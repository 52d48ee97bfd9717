"""Alembic, driven from code: stamp new files, upgrade old ones, recognise newer ones.

Alembic is imported only when a file must be stamped, upgraded or classified: opening a file
already at ``HEAD_REVISION`` reads one row and costs no Alembic import (half a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, inspect, text

from workbench.paths import MIGRATIONS

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# The newest migration in db/migrations/versions; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0008_record_versions"
_SHIPPED = MIGRATIONS  # HEAD_REVISION names these scripts' head, not those a test swaps in


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for db/migrations that runs on ``connection`` when given."""
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    """The migration scripts shipped with this version of the application."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this application knows (read from the scripts)."""
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the project always ships migrations
        raise RuntimeError("no migrations found")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is stamped with, or None."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def classify(revision: str | None) -> Literal["current", "older", "unknown"]:
    """Whether a file's revision is ours-and-current, ours-and-older, or not ours (newer)."""
    if revision is None:
        return "unknown"
    if revision == HEAD_REVISION and MIGRATIONS == _SHIPPED:
        return "current"
    if revision == head_revision():
        return "current"
    from alembic.util.exc import CommandError  # noqa: PLC0415

    try:
        known = script_directory().get_revision(revision)
    except CommandError:
        return "unknown"
    return "older" if known is not None else "unknown"


def stamp_head(connection: Connection) -> None:
    """Mark a freshly created schema as being at the newest revision."""
    from alembic import command  # noqa: PLC0415

    command.stamp(alembic_config(connection), "head")


def upgrade_head(connection: Connection) -> None:
    """Apply every pending migration on ``connection``."""
    from alembic import command  # noqa: PLC0415

    command.upgrade(alembic_config(connection), "head")
