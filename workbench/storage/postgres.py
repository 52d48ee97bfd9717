"""What only a project on a PostgreSQL server needs: its address, its marker, its errors.

A team project lives in a PostgreSQL database (``postgresql://user@host/db``), with the same
models, migrations and services as a project file. The engine is made in
``storage/database.py`` like every other; this module holds what differs. The password comes
from the address, ``PGPASSWORD`` or ``~/.pgpass`` (libpq reads them), or a prompt; no message
ever holds it (``where`` names the database, the host and the user only).

The marker: a database is a project when it holds the table ``workbench_meta`` with the row
``application = 'Testimony Workbench'`` (a file's ``PRAGMA application_id``), made with the
schema; the Alembic revision in ``alembic_version`` then says which schema it has.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from workbench.errors import ProjectError, StorageError

if TYPE_CHECKING:
    from psycopg import Notify

SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"
MARKER_TABLE = "workbench_meta"
APPLICATION = "Testimony Workbench"
MARKER_DDL = (
    f"CREATE TABLE {MARKER_TABLE} (name VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)",
    f"INSERT INTO {MARKER_TABLE} VALUES ('application', '{APPLICATION}')",  # noqa: S608
)
# Taken by whoever creates or upgrades the schema, so two clients never do it at once.
SCHEMA_LOCK = text("SELECT pg_advisory_xact_lock(1415004721)")  # 0x54574231, "TWB1"


def is_server(location: object) -> bool:
    """Whether ``location`` (a ``--project`` value) names a PostgreSQL database."""
    if not isinstance(location, str):
        return False
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme.split("+", 1)[0] in SCHEMES


def server_url(location: str) -> URL:
    """The SQLAlchemy URL of a ``postgresql://`` address, on the psycopg 3 driver."""
    try:
        url = make_url(location)
    except (ArgumentError, ValueError):
        raise ProjectError("not a valid postgresql:// address") from None
    if not url.database:
        raise ProjectError(f"the address names no database: {where(url)}")
    return url.set(drivername=DRIVER)


def where(url: URL) -> str:
    """The database, host and user of ``url``, for messages (never its password)."""
    host = url.host or url.query.get("host") or "the local server"
    if isinstance(host, tuple):
        host = ",".join(host)
    port = f":{url.port}" if url.port else ""
    user = f" as {url.username}" if url.username else ""
    return f"database {url.database} on {host}{port}{user}"


def _root(exc: BaseException) -> BaseException:
    """The driver's exception behind ``exc`` (SQLAlchemy's ``orig``, or the cause)."""
    seen = exc
    while True:
        orig = getattr(seen, "orig", None)
        inner = orig if isinstance(orig, BaseException) else seen.__cause__
        if inner is None:
            return seen
        seen = inner


def _sqlstate(exc: BaseException) -> str | None:
    state = getattr(_root(exc), "sqlstate", None)
    return state if isinstance(state, str) else None


def reason(exc: BaseException) -> str:
    """The driver's first line (its DETAIL lines may quote values), without libpq's
    "connection to server at … failed:" prefix."""
    root = _root(exc)
    said = str(root).strip()
    line = said.splitlines()[0] if said else type(root).__name__
    return re.sub(r"^connection to server (at|on) .*? failed: ", "", line)


NO_PASSWORD = "no password supplied"  # noqa: S105 - libpq's words


def needs_password(exc: BaseException) -> bool:
    """Whether a connection failed only because no password was given."""
    return NO_PASSWORD in reason(exc)


def connect_failure(exc: BaseException, url: URL) -> ProjectError:
    """One line for a connection that failed: unreachable, refused, or not allowed."""
    state, said = _sqlstate(exc), reason(exc)
    if state == "28P01" or "password authentication failed" in said:
        return ProjectError(f"the server refused the password for {where(url)}")
    if needs_password(exc):
        return ProjectError(
            f"{where(url)} asks for a password: give it in PGPASSWORD, ~/.pgpass or at the prompt"
        )
    if state == "3D000" or ("database" in said and "does not exist" in said):
        return ProjectError(
            f"there is no {where(url)}: its administrator creates it (see README, team server)"
        )
    if state is not None and state.startswith("28"):
        return ProjectError(f"the server does not let in {where(url)}: {said}")
    return ProjectError(f"cannot reach {where(url)}: {said}")


# SQLSTATE (or its class, the first two characters) and what the user is told; the
# transaction was rolled back, the project is as it was.
_FAILURES = {
    "40001": "another annotator changed the same rows at the same moment: nothing was "
    "changed, try again",
    "40P01": "another annotator changed the same rows at the same moment: nothing was "
    "changed, try again",
    "53100": "the disk of the project's server is full: the change was not saved; ask its "
    "administrator to free some space",
    "42501": "the server does not allow your role this (permission denied): nothing was "
    "changed; ask the project's administrator",
    "25006": "the project on the server is read-only for you: nothing was changed",
    "53": "the project's server is out of resources: the change was not saved; try again",
    "08": "the connection to the project's server was lost: the change in flight was not "
    "saved; check the network and try again",
    "57": "the project's server ended the connection (it restarted, or its administrator "
    "stopped it): the change in flight was not saved; try again in a moment",
}


def storage_failure(exc: BaseException) -> StorageError | None:
    """The ``StorageError`` that stands for a server error, if one does."""
    state = _sqlstate(exc)
    if "NUL (0x00)" in str(_root(exc)):  # the driver's refusal, before the server sees it
        return StorageError(
            "the server cannot store the character NUL (U+0000), which this text holds: "
            "nothing was changed"
        )
    if state is None:
        from psycopg import OperationalError  # noqa: PLC0415 - only servers load the driver

        if isinstance(_root(exc), OperationalError):  # the socket closed: libpq has no SQLSTATE
            return StorageError(_FAILURES["08"])
        return None
    message = _FAILURES.get(state) or _FAILURES.get(state[:2])
    return None if message is None else StorageError(message)


def on_error(context: ExceptionContext) -> None:
    """The engine's ``handle_error``: a server failure becomes one line for the user (the
    statement and its parameters, which hold document text, are never shown)."""
    failure = storage_failure(context.original_exception)
    if failure is not None:
        raise failure from context.original_exception


def create_marker(conn: Connection) -> None:
    """Mark a database being made into a project (inside the creating transaction)."""
    for ddl in MARKER_DDL:
        conn.exec_driver_sql(ddl)


def is_marked(conn: Connection) -> bool:
    """Whether the database carries our marker."""
    if not inspect(conn).has_table(MARKER_TABLE):
        return False
    value = conn.execute(
        text(f"SELECT value FROM {MARKER_TABLE} WHERE name = 'application'")  # noqa: S608
    ).scalar()
    return value == APPLICATION


def user_tables(conn: Connection) -> list[str]:
    """The tables of the database's search path (empty: a database ready to be a project)."""
    return inspect(conn).get_table_names()


def reset_sequences(conn: Connection, tables: Iterable[str]) -> None:
    """Move each table's id sequence past its largest id (never back): rows written with
    their ids (a copy, an imported project) must never be given again."""
    for table in tables:
        top = f"coalesce((SELECT max(id) FROM {table}), 0)"  # noqa: S608 - our tables
        last = "coalesce(pg_sequence_last_value(seq), 0)"
        sequence = "CAST(pg_get_serial_sequence(:t, 'id') AS regclass) seq"
        move = f"SELECT setval(seq, greatest({last}, {top}) + 1, false) FROM {sequence}"  # noqa: S608
        conn.execute(text(move), {"t": table})


def reserve_ids(conn: Connection, table: str, count: int) -> list[int]:
    """``count`` new ids of ``table`` from its sequence, which no other writer will get."""
    rows = conn.execute(
        text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
        {"t": table, "n": count},
    )
    return [row[0] for row in rows]


# Every committed write to a project on a server announces itself on this channel (NOTIFY
# is sent only when its transaction commits): who wrote, and which open project did.
CHANNEL = "workbench_changes"
_ANNOUNCE = text("SELECT pg_notify(:channel, :payload)")


def announce(conn: Connection, actor: str, origin: str) -> None:
    """Tell the other open projects, when ``conn``'s transaction commits, that ``actor``
    (in the open project ``origin``) changed the project."""
    payload = json.dumps({"by": actor, "from": origin})
    conn.execute(_ANNOUNCE, {"channel": CHANNEL, "payload": payload})


@dataclass(frozen=True)
class Notice:
    """A change another open project committed: who made it."""

    by: str


class ChangeListener:
    """The changes other open projects commit to one project on a server (LISTEN), for a
    window to refresh after: ``pending()`` returns them without waiting (or waits up to
    ``timeout`` seconds for the first). It has a connection of its own."""

    def __init__(self, url: URL, own: str) -> None:
        import psycopg  # noqa: PLC0415 - only servers load the driver

        address = url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self._conn = psycopg.connect(address, autocommit=True)
        except psycopg.Error as exc:
            raise connect_failure(exc, url) from None
        self._own = own
        self._conn.execute(f"LISTEN {CHANNEL}")

    def pending(self, timeout: float = 0.0) -> list[Notice]:
        """Others' changes since the last call, oldest first (one per transaction). One's
        own changes heard first do not end the wait: it lasts until another's comes."""
        deadline = time.monotonic() + timeout
        notices: list[Notice] = []
        while not notices:
            left = max(0.0, deadline - time.monotonic())
            heard = list(self._conn.notifies(timeout=left, stop_after=1))
            if not heard:
                return notices
            heard += self._conn.notifies(timeout=0)  # then only what is there already
            notices = self._others(heard)
        return notices

    def _others(self, heard: Iterable[Notify]) -> list[Notice]:
        notices = []
        for notify in heard:
            said: dict[str, Any] = json.loads(notify.payload)
            if said.get("from") != self._own:
                notices.append(Notice(str(said.get("by", ""))))
        return notices

    def close(self) -> None:
        self._conn.close()


# The roles of a team (``roles_sql``): what each may do to a project's tables.
LEAD, ANNOTATOR, READER = "workbench_lead", "workbench_annotator", "workbench_reader"
ROLES = (LEAD, ANNOTATOR, READER)
# An annotator marks passages, makes and edits records, decides on suggestions, writes memos
# and imports documents; deleting or merging records, deleting documents, the codebook and
# merge decisions are the lead's (removing a record or document rewrites the older audit
# entries naming it, and the audit log is append-only for annotators).
_ANNOTATOR_WRITES = {
    "annotations": "INSERT, UPDATE, DELETE",
    "evidence": "INSERT, UPDATE, DELETE",
    "record_links": "INSERT, UPDATE, DELETE",
    "extraction_suppressions": "INSERT, UPDATE, DELETE",
    "memos": "INSERT, UPDATE, DELETE",
    "records": "INSERT, UPDATE",
    "documents": "INSERT, UPDATE",
    "audit_log": "INSERT",
}


def roles_sql(database: str) -> str:
    """The SQL an administrator runs (as the owner of ``database``'s tables, once the
    project has been opened, and again after an upgrade adds tables) to make the three
    roles and grant them their rights; users are then given a role with ``GRANT
    workbench_annotator TO anna``. Running it again changes nothing."""
    db = '"' + database.replace('"', '""') + '"'
    everyone = ", ".join(ROLES)
    lines = [
        "DO $$ BEGIN",
        *(
            f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF;"
            for role in ROLES
        ),
        "END $$;",
        f"GRANT CONNECT ON DATABASE {db} TO {everyone};",
        f"GRANT USAGE ON SCHEMA public TO {everyone};",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone};",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {LEAD};",
        f"REVOKE UPDATE, DELETE ON audit_log FROM {LEAD};",
        f"GRANT UPDATE (detail) ON audit_log TO {LEAD};",
        *(
            f"GRANT {rights} ON {table} TO {ANNOTATOR};"
            for table, rights in _ANNOTATOR_WRITES.items()
        ),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {LEAD}, {ANNOTATOR};",
    ]
    return "\n".join(lines) + "\n"
