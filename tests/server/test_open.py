"""Opening a project on a PostgreSQL server: create, reopen, migrate, refuse, one line each."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from tests.server.conftest import Server, database_of, require_password
from workbench.errors import ProjectError
from workbench.project import Project
from workbench.storage import migrate
from workbench.storage.database import make_engine
from workbench.storage.models import Base
from workbench.storage.postgres import server_url


def test_a_new_database_becomes_a_project_and_opens_again(pg_server: Server, database: str) -> None:
    url = pg_server.url(database)
    with Project(url, actor="anna") as project:
        assert project.created and project.server is not None
        assert project.path.name == database
        codes = project.codebook.list()
        assert codes  # the default codebook, seeded in the creating transaction
    with Project(url, actor="boris", create=False) as again:
        assert not again.created
        assert [c.name for c in again.codebook.list()] == [c.name for c in codes]
    assert "workbench_meta" in pg_server.tables(database)


# The full-text words: a generated column and its index, outside the models.
_WORDS = (
    "SELECT (SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_words'), "
    "(SELECT generation_expression FROM information_schema.columns "
    "WHERE table_name = 'documents' AND column_name = 'words')"
)


def test_the_migration_chain_builds_the_models_schema(
    pg_server: Server, database: str, project_template: str
) -> None:
    engine = make_engine(server_url(pg_server.url(database)))
    try:
        with engine.begin() as conn:
            cfg = migrate.alembic_config(conn)
            command.upgrade(cfg, "head")
            command.downgrade(cfg, "base")
        assert pg_server.tables(database) == ["alembic_version"]
        with engine.begin() as conn:
            migrate.upgrade_head(conn)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,  # the full-text index is not the models': below
                    "include_name": lambda name, _kind, _parent: (
                        name not in ("ix_documents_words", "words")
                    ),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
            migrated = conn.execute(text(_WORDS)).one()
    finally:
        engine.dispose()
    created = pg_server.run(_WORDS, project_template)
    assert [tuple(migrated)] == created  # the same as a created project's
    index, expression = migrated
    assert index.endswith("USING gin (words)")
    assert expression.startswith("to_tsvector('simple'::regconfig, translate(text,")


def test_an_older_schema_is_upgraded_on_open(pg_server: Server, database: str) -> None:
    url = pg_server.url(database)
    engine = make_engine(server_url(url))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0005_record_labels")
        conn.exec_driver_sql(
            "CREATE TABLE workbench_meta (name VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)"
        )
        conn.exec_driver_sql(
            "INSERT INTO workbench_meta VALUES ('application', 'Testimony Workbench')"
        )
    engine.dispose()
    with Project(url, create=False) as project:
        assert not project.created
        with project.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            protected = conn.execute(text("SELECT count(*) FROM records WHERE protected")).scalar()
    assert protected == 0


def _refusal(location: str, **options: object) -> str:
    with pytest.raises(ProjectError) as caught:
        Project(location, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_database_of_another_application_is_refused_untouched(
    pg_server: Server, database: str
) -> None:
    pg_server.run("CREATE TABLE notes (id integer PRIMARY KEY, body text)", database)
    message = _refusal(pg_server.url(database))
    assert (
        message == f"database {database} on {pg_server.socket} as postgres is not a "
        "Testimony Workbench project (it holds other tables)"
    )
    assert pg_server.tables(database) == ["notes"]


def test_a_newer_schema_is_refused_untouched(pg_server: Server, server_url: str) -> None:
    database = database_of(server_url)
    pg_server.run("UPDATE alembic_version SET version_num = '9999_future'", database)
    message = _refusal(server_url)
    assert "made by a newer version of Testimony Workbench (schema 9999_future)" in message
    assert pg_server.run("SELECT version_num FROM alembic_version", database) == [("9999_future",)]


def test_an_empty_database_is_not_made_a_project_without_create(
    pg_server: Server, database: str
) -> None:
    message = _refusal(pg_server.url(database), create=False)
    assert message.startswith(f"no project in database {database}")
    assert pg_server.tables(database) == []


def test_a_missing_database_is_one_line(pg_server: Server) -> None:
    message = _refusal(pg_server.url("nosuchdb"))
    assert message.startswith("there is no database nosuchdb on ")


def test_an_unreachable_server_is_one_line() -> None:
    message = _refusal("postgresql://anna:secret-word@127.0.0.1:1/team")
    assert message.startswith("cannot reach database team on 127.0.0.1:1 as anna: ")
    assert "secret-word" not in message


@pytest.fixture
def password_role(pg_server: Server) -> str:
    """A role that must give its password ('right one') over the socket."""
    return require_password(pg_server, "lena")


def test_a_wrong_password_is_one_line_without_the_password(
    pg_server: Server, server_url: str, password_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    database = database_of(server_url)
    wrong = pg_server.url(database, user=password_role, password="wrong-guess")
    message = _refusal(wrong)
    assert message == (
        f"the server refused the password for database {database} on {pg_server.socket} "
        f"as {password_role}"
    )
    missing = _refusal(pg_server.url(database, user=password_role))
    assert "asks for a password" in missing
    asked: list[str] = []

    def prompt() -> str:
        asked.append("yes")
        return "right one"

    pg_server.run(f"GRANT ALL ON SCHEMA public TO {password_role}", database)
    pg_server.run(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {password_role}", database)
    with Project(pg_server.url(database, user=password_role), password=prompt) as project:
        assert project.codebook.list()
    assert asked == ["yes"]
    monkeypatch.setenv("PGPASSWORD", "right one")
    with Project(pg_server.url(database, user=password_role)) as project:
        assert project.codebook.list()
