"""The team's roles on the server (``roles_sql``): a reader reads, an annotator annotates but
deletes no document and rewrites no audit entry, a lead does everything; what a role may not
do is refused in one line and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import import_text, review_rows
from tests.server.conftest import Server, database_of
from workbench.cli import main
from workbench.errors import StorageError
from workbench.project import Project
from workbench.storage.postgres import roles_sql

TEXT = "Свідчення 🙂: Olena Marchenko met Petro Ivanenko in Kherson.\n"
DENIED = (
    "the server does not allow your role this (permission denied): nothing was changed; ask "
    "the project's administrator"
)
NOT_GRANTED = psycopg.errors.InsufficientPrivilege
# Names no other server test gives a password (pg_hba rules stay for the session)
USERS = {"roles_lead": "workbench_lead", "roles_annotator": "workbench_annotator",
         "roles_reader": "workbench_reader"}  # fmt: skip


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def team(
    pg_server: Server, server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[dict[str, str]]:
    """The project with a document and a record, its roles made as README says (the SQL
    ``workbench server-roles`` prints), and a user of each role: user name → the project's
    address for them."""
    database = database_of(server_url)
    with Project(server_url, actor="owner") as owner:
        doc = import_text(owner, tmp_path, "t.txt", TEXT)
        owner.review.annotate(doc.id, *_span("Olena Marchenko"), "person")
    assert main(["server-roles", database]) == 0
    printed = capsys.readouterr().out
    assert printed == roles_sql(database)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(printed)  # what the administrator runs with psql
        conn.execute(printed)  # again: changes nothing
        for user, role in USERS.items():
            name = sql.Identifier(user)
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(name))
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), name))
    yield {user: pg_server.url(database, user=user) for user in USERS}
    pg_server.drop_database(database)
    for user in USERS:
        pg_server.run(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(user)))


def test_a_reader_reads_and_each_write_is_refused_in_one_line(
    team: dict[str, str], tmp_path: Path
) -> None:
    with Project(team["roles_reader"], actor="rita") as rita:
        (record,) = rita.records.list()
        assert record.label == "Olena Marchenko"
        before = review_rows(rita)
        with pytest.raises(StorageError) as refused:
            rita.review.edit(record.id, note="mine")
        assert str(refused.value) == DENIED
        with pytest.raises(StorageError) as refused:
            rita.review.annotate(record.document_ids[0], *_span("Kherson"), "place")
        assert str(refused.value) == DENIED
        assert review_rows(rita) == before


def test_an_annotator_annotates_but_deletes_no_document_nor_rewrites_the_log(
    team: dict[str, str],
) -> None:
    with Project(team["roles_annotator"], actor="anna") as anna:
        (record,) = anna.records.list()
        doc = record.document_ids[0]
        anna.review.annotate(doc, *_span("Kherson"), "place")
        anna.review.edit(record.id, note="seen twice", seen=record.version)
        anna.review.set_status([record.id], "accepted")
        assert len(anna.records.list()) == 2
        before = review_rows(anna)
        with pytest.raises(StorageError) as refused:
            anna.documents.delete([doc])
        assert str(refused.value) == DENIED
        with pytest.raises(StorageError) as refused:
            anna.codebook.add("Hearsay", "code")
        assert str(refused.value) == DENIED
        assert review_rows(anna) == before
        assert [d.id for d in anna.documents.list()] == [doc]
    for statement in (
        "DELETE FROM documents",
        "DELETE FROM records",
        "UPDATE codes SET label = 'x'",
        "UPDATE audit_log SET actor = 'someone else'",
    ):
        with (
            psycopg.connect(team["roles_annotator"]) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(statement)
    with psycopg.connect(team["roles_annotator"]) as conn, pytest.raises(NOT_GRANTED):
        conn.execute("DELETE FROM audit_log")


def test_a_lead_deletes_a_document_and_edits_the_codebook(team: dict[str, str]) -> None:
    with Project(team["roles_lead"], actor="lena") as lena:
        (doc,) = lena.documents.list()
        lena.codebook.add("Hearsay", "code")
        lena.documents.delete([doc.id])
        assert lena.documents.list() == [] and lena.records.list() == []
    with psycopg.connect(team["roles_lead"]) as conn, pytest.raises(NOT_GRANTED):
        conn.execute("DELETE FROM audit_log")  # append-only for the lead too
