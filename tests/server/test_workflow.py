"""A researcher's day on a project on the server, through the command line: import,
extract, annotate, search, export CSV; and the errors a server gives, one line each."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import TESTIMONY
from tests.server.conftest import Server, database_of
from workbench.cli import main
from workbench.errors import StorageError
from workbench.project import Project
from workbench.services.memos import MemoTarget


def test_import_extract_annotate_search_export_on_the_server(
    server_url: str, testimony_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--project", server_url, "import", str(testimony_file), "--language", "en"]) == 0
    assert main(["--project", server_url, "extract"]) == 0
    stored = TESTIMONY.replace("\r\n", "\n")
    start = stored.index("Я не хотел")
    end = start + len("Я не хотел воевать")
    assert main(["--project", server_url, "annotate", "1", str(start), str(end),
                 "--type", "event", "--label", "refusal 🇺🇦"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--project", server_url, "list", "records", "--type", "event"]) == 0
    assert "refusal 🇺🇦" in capsys.readouterr().out
    output = tmp_path / "annotations.csv"
    assert main(["--project", server_url, "export", "annotations", "--format", "csv",
                 "--output", str(output)]) == 0  # fmt: skip
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mine = [r for r in rows if r["quote"] == "Я не хотел воевать"]
    assert len(mine) == 1
    assert (int(mine[0]["start"]), int(mine[0]["end"])) == (start, end)  # code points
    with Project(server_url) as project:
        assert project.documents.text(project.documents.list()[0].id) == stored
        extracted = [r for r in project.records.list() if r.origin == "extracted"]
        assert any(r.label == "Daniil Alfyorov" for r in extracted)
        hits = project.search.find("хотел воевать")
        assert [(h.start, h.match) for h in hits] == [(stored.index("хотел"), "хотел воевать")]
        assert [h.start for h in project.search.find("alfyorov")] == [
            stored.index("Alfyorov 🙂"),
            stored.index("Alfyorov crossed"),
        ]
        actions = [e.action for e in project.audit.list()]
    assert "document.import" in actions and "record.create" in actions


def test_two_writers_at_once_each_commit_their_own(server_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First testimony.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second testimony.\n", encoding="utf-8")
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        anna.documents.import_paths([tmp_path / "a.txt"])
        boris.documents.import_paths([tmp_path / "b.txt"])
        assert [d.title for d in anna.documents.list()] == ["a", "b"]
        by = {e.actor for e in boris.audit.list() if e.action == "document.import"}
    assert by == {"anna", "boris"}


def test_a_lost_connection_is_one_line_and_the_next_write_works(
    pg_server: Server, server_url: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("A testimony.\n", encoding="utf-8")
    with Project(server_url, actor="anna") as project:
        with pytest.raises(StorageError) as caught, project.transaction() as session:
            session.execute(text("SELECT 1"))
            pg_server.run(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{database_of(server_url)}' AND pid <> pg_backend_pid()"
            )
            session.execute(text("SELECT 1"))
        assert str(caught.value) == (
            "the project's server ended the connection (it restarted, or its administrator "
            "stopped it): the change in flight was not saved; try again in a moment"
        )
        report = project.documents.import_paths([tmp_path / "a.txt"])  # a new connection
        assert len(report.imported) == 1


def test_permission_denied_is_one_line_and_changes_nothing(
    pg_server: Server, server_url: str, tmp_path: Path
) -> None:
    database = database_of(server_url)
    pg_server.run("DROP ROLE IF EXISTS reader")
    pg_server.run("CREATE ROLE reader LOGIN")
    pg_server.run("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader", database)
    (tmp_path / "a.txt").write_text("A testimony.\n", encoding="utf-8")
    with Project(pg_server.url(database, user="reader"), actor="reader") as project:
        report = project.documents.import_paths([tmp_path / "a.txt"])
        assert report.imported == []
        (refused,) = report.refused
        assert refused.message.startswith("the server does not allow your role this")
        assert project.documents.list() == []


def test_a_nul_character_is_one_line_and_changes_nothing(project: Project) -> None:
    """SQLite stores U+0000 in text; PostgreSQL cannot (a memo, an imported project's text)."""
    with pytest.raises(StorageError) as caught:
        project.memos.write(MemoTarget.project(), "before\x00after")
    assert str(caught.value) == (
        "the server cannot store the character NUL (U+0000), which this text holds: "
        "nothing was changed"
    )
    assert project.memos.read(MemoTarget.project()) == ""


def test_the_readme_s_set_up_lets_two_annotators_work_in_one_project(
    pg_server: Server, testimony_file: Path
) -> None:
    """The administrator's statements of README.md ("A team project on a server")."""
    for role in ("anna", "boris"):
        pg_server.run(f"DROP ROLE IF EXISTS {role}")
    pg_server.run("CREATE ROLE anna LOGIN")
    pg_server.run("CREATE ROLE boris LOGIN")
    database = pg_server.create_database()
    pg_server.run(f"ALTER DATABASE {database} OWNER TO anna")
    for statement in (
        "GRANT ALL ON SCHEMA public TO anna, boris",
        "ALTER DEFAULT PRIVILEGES FOR ROLE anna IN SCHEMA public GRANT ALL ON TABLES TO boris",
        "ALTER DEFAULT PRIVILEGES FOR ROLE anna IN SCHEMA public GRANT ALL ON SEQUENCES TO boris",
    ):
        pg_server.run(statement, database)
    try:
        with Project(pg_server.url(database, user="anna"), actor="anna"):
            pass
        boris = pg_server.url(database, user="boris")
        assert main(["--project", boris, "import", str(testimony_file)]) == 0
        assert main(["--project", boris, "extract"]) == 0
        with Project(pg_server.url(database, user="anna"), actor="anna") as project:
            assert project.records.list()
            actors = {e.actor for e in project.audit.list()}
        assert actors >= {"anna", "tester"}  # the CLI's annotator: $WORKBENCH_ANNOTATOR
    finally:
        pg_server.drop_database(database)


def test_the_address_comes_from_the_environment_and_file_commands_say_what_to_do(
    server_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_PROJECT", server_url)
    assert main(["list", "documents"]) == 0
    for command in (["backup"], ["verify"], ["encrypt", "x.twb"]):
        capsys.readouterr()
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1
    assert "pg_dump" in (main(["backup"]), capsys.readouterr().err)[1]
    launched: list[object] = []
    assert main(["gui"], launch_gui=lambda p: launched.append(p) or 0) == 0
    assert launched == [server_url]  # the window opens the address as given
