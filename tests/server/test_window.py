"""The window on a team project: opened on a real server, refreshed by another annotator's
commits, never by its own; the Open Team Project dialog's errors in one line each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from tests.conftest import import_text
from tests.server.conftest import Server, database_of, require_password
from tests.ui.conftest import _qt_test_settings  # noqa: F401 - the same Qt settings
from ui.app import open_window
from ui.main_window import MainWindow
from ui.team_dialog import TeamDialog, recent_team_projects
from workbench.project import Project

# Cyrillic and emoji before the passage: offsets are code points into the stored text
TEXT = "Свидетель 👩‍⚖️ сказал: " + "строка\n" * 400 + "Vera saw the convoy at dawn.\n"


@pytest.fixture
def vera(server_url: str) -> Iterator[Project]:
    """Another annotator's open project on the same database."""
    with Project(server_url, actor="vera") as opened:
        yield opened


@pytest.fixture
def window(qtbot: QtBot, server_url: str, vera: Project, tmp_path: Path) -> Iterator[MainWindow]:
    """The window opened on the team project as File → Open would, with one document."""
    import_text(vera, tmp_path, "statement.txt", TEXT)
    opened = open_window(server_url, "tester")
    assert opened is not None
    qtbot.addWidget(opened)
    qtbot.waitExposed(opened)
    yield opened
    if isValid(opened):  # pytest-qt closes (so deletes) it first
        opened.close()


def test_the_window_names_the_database_and_host_and_disables_file_things(
    window: MainWindow, server_url: str, pg_server: Server
) -> None:
    title = window.windowTitle()
    assert f"database {database_of(server_url)} on {pg_server.socket}" in title
    for name in ("back_up", "restore", "backups_keep"):
        action = window.actions_[name]
        assert not action.isEnabled()
        assert "pg_dump" in action.toolTip()
    for name in ("verify", "encrypt", "passphrase"):
        assert not window.actions_[name].isEnabled()
        assert window.actions_[name].toolTip()
    # the team project is copied into a file (tests/server/test_save_copy_window)
    assert window.actions_["save_copy"].isEnabled()
    # a copy worked on offline merges into the team's project (tests/server/test_merge_server)
    assert window.actions_["merge_project"].isEnabled()
    assert window.actions_["open_team"].isEnabled()
    assert recent_team_projects() == [server_url]  # as given: it had no password


def test_another_annotators_passage_shows_within_seconds_keeping_place(
    qtbot: QtBot, window: MainWindow, vera: Project
) -> None:
    document = vera.documents.list()[0]
    window.open_document(document.id)
    view = window.document_view
    view.resize(600, 300)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    start = TEXT.index("convoy")
    assert window.listed_record_ids() == []

    vera.review.annotate(document.id, start, start + len("convoy"), "event")

    qtbot.waitUntil(lambda: len(window.listed_record_ids()) == 1, timeout=15_000)
    spans = [(h.start, h.end) for h in view.highlights()]
    assert (start, start + len("convoy")) in spans
    assert window.document_id == document.id
    assert bar.value() == place  # the reader's place stays
    assert window.team is not None
    assert window.team.last_message == "vera added 1 passage and 1 record"
    assert window.statusBar().currentMessage() == window.team.last_message


def test_the_windows_own_writes_refresh_nothing_again(
    qtbot: QtBot, window: MainWindow, vera: Project
) -> None:
    document = vera.documents.list()[0]
    window.open_document(document.id)
    heard: list[object] = []
    window.changesApplied.connect(lambda _changes, initiator: heard.append(initiator))
    start = TEXT.index("dawn")
    window.run_step(
        "Annotate",
        lambda: window.project.review.annotate(document.id, start, start + 4, "event"),
    )
    assert len(window.listed_record_ids()) == 1
    qtbot.wait(2500)  # more than two polls
    assert window.team is not None
    assert window.team not in heard  # the own step's broadcast only
    assert window.team.poll() is False
    assert vera.records.list()  # yet it is on the server for the others


def test_a_lost_listening_connection_is_opened_again_and_misses_nothing(
    qtbot: QtBot, window: MainWindow, vera: Project, pg_server: Server, server_url: str
) -> None:
    document = vera.documents.list()[0]
    window.open_document(document.id)
    ended = pg_server.run(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database_of(server_url)}' AND query LIKE 'LISTEN %'"
    )
    assert ended == [(True,)]  # the window's listening connection, and only it
    start = TEXT.index("convoy")
    vera.review.annotate(document.id, start, start + len("convoy"), "event")  # unheard
    qtbot.waitUntil(lambda: len(window.listed_record_ids()) == 1, timeout=15_000)
    assert window.team is not None
    assert window.team.last_message == "vera added 1 passage and 1 record"


@pytest.fixture
def password_role(pg_server: Server, server_url: str) -> str:
    """A role that must give its password ('right one') over the socket, allowed into the
    test's project."""
    require_password(pg_server, "mira")
    database = database_of(server_url)
    for grant in ("ALL ON SCHEMA public", "ALL ON ALL TABLES IN SCHEMA public",
                  "ALL ON ALL SEQUENCES IN SCHEMA public"):  # fmt: skip
        pg_server.run(f"GRANT {grant} TO mira", database)
    return "mira"


def _dialog(qtbot: QtBot, address: str, password: str = "") -> TeamDialog:
    dialog = TeamDialog(None, "tester")
    qtbot.addWidget(dialog)
    dialog.address.setEditText(address)
    dialog.password.setText(password)
    return dialog


def test_the_dialog_says_each_failure_in_one_line_and_opens_nothing(
    qtbot: QtBot,
    pg_server: Server,
    server_url: str,
    password_role: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    database = database_of(server_url)
    address = pg_server.url(database, user=password_role)
    unreachable = f"postgresql://postgres@/{database}?host={pg_server.socket}&port=1"
    cases = [
        (address, "wrong-guess", "the server refused the password for database "),
        (address, "", "asks for a password"),
        (unreachable, "", f"cannot reach database {database} on "),
        (f"mysql://x@/{database}", "", "the address begins with postgresql://"),
    ]
    other = pg_server.create_database()  # another application's database
    pg_server.run("CREATE TABLE notes (id integer PRIMARY KEY, body text)", other)
    newer = pg_server.create_database(template=database)
    pg_server.run("UPDATE alembic_version SET version_num = '9999_future'", newer)
    cases += [
        (pg_server.url(other), "", "is not a Testimony Workbench project"),
        (pg_server.url(newer), "", "made by a newer version of Testimony Workbench"),
    ]
    for typed, password, said in cases:
        dialog = _dialog(qtbot, typed, password)
        assert dialog.try_open() is False
        shown = dialog.error.text()
        assert said in shown and "\n" not in shown and "wrong-guess" not in shown
        assert dialog.error.isVisibleTo(dialog) and dialog.project is None
    assert recent_team_projects() == []
    assert pg_server.tables(other) == ["notes"]  # untouched
    for made in (other, newer):
        pg_server.drop_database(made)

    dialog = _dialog(qtbot, address, "right one")  # corrected: it opens
    assert dialog.try_open() is True
    assert dialog.project is not None
    with dialog.project as project:
        assert project.actor == "tester" and project.codebook.list()
    assert recent_team_projects() == [address]  # without the password
    assert dialog.password.text() == ""
    assert "right one" not in str(QSettings().value("recentTeamProjects"))
