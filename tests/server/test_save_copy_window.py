"""File → Save a copy as… on a team project: the server project copied into a new file in
the background, with progress and Cancel; a cancelled or failed copy leaves no file, an
existing file is never replaced, the server project is only read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from tests.server.conftest import Server, database_of
from tests.server.test_copy import _contents, _tables
from tests.server.test_copy_progress import fill
from tests.ui.conftest import _qt_test_settings  # noqa: F401 - the same Qt settings
from tests.ui.test_welcome import choose, when_modal
from ui.app import open_window
from ui.main_window import MainWindow
from workbench.project import Project

BLOCKED = "extraction_suppressions"  # a table the window does not read while idle


@pytest.fixture
def window(qtbot: QtBot, server_url: str, tmp_path: Path) -> Iterator[MainWindow]:
    """The lead's window on a team project another annotator filled."""
    with Project(server_url, actor="vera") as vera:
        fill(vera, tmp_path)
    opened = open_window(server_url, "lead")
    assert opened is not None
    qtbot.addWidget(opened)
    qtbot.waitExposed(opened)
    yield opened
    if isValid(opened):
        opened.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "copies"
    made.mkdir()
    return made


def _errors(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.background.busy, timeout=30_000)


def test_save_a_copy_writes_a_file_holding_the_whole_team_project(
    qtbot: QtBot, window: MainWindow, server_url: str, folder: Path
) -> None:
    action = window.actions_["save_copy"]
    assert action.isEnabled()
    assert action.toolTip() == "Write a copy of the whole project to a new file (Ctrl+Shift+S)"
    suggested: list[list[str]] = []

    def pick(dialog: QFileDialog) -> None:
        suggested.append(dialog.selectedFiles())
        choose(folder / "handover")(dialog)

    when_modal(QFileDialog, pick)
    action.trigger()  # File → Save a copy as…
    _idle(qtbot, window)
    assert suggested == [[str(Path.home() / f"{database_of(server_url)} copy.twb")]]
    copy = folder / "handover.twb"
    assert window.statusBar().currentMessage() == (
        f"Saved a copy as {copy}: 2 document(s), 2 passage(s), 2 record(s), 1 memo(s)"
    )
    assert _errors(window) == []
    assert sorted(folder.iterdir()) == [copy]  # no lock or temporary file left beside it
    server = _tables(window.project.engine)
    assert all(server[t] for t in ("documents", "annotations", "records", "memos", "audit_log"))
    assert _contents(copy) == server  # every row of every table, ids and offsets alike
    with Project(copy, actor="lead") as offline:  # it opens and searches as a project file
        assert [h.document_id for h in offline.search.find("колонну")] == [1]


def _block(pg_server: Server, server_url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A connection holding a lock that makes the copy wait while reading the server."""
    blocker = psycopg.connect(pg_server.url(database_of(server_url)))
    blocker.execute(f"LOCK TABLE {BLOCKED} IN ACCESS EXCLUSIVE MODE")
    return blocker


def _shown_progress(qtbot: QtBot, window: MainWindow) -> QProgressDialog:
    def shown() -> list[QProgressDialog]:
        return [d for d in window.findChildren(QProgressDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=10_000)
    return shown()[0]


def test_cancel_leaves_no_file_and_the_server_untouched(
    qtbot: QtBot, window: MainWindow, pg_server: Server, server_url: str, folder: Path
) -> None:
    before = _tables(window.project.engine)
    blocker = _block(pg_server, server_url)
    try:
        assert window.document_actions.save_copy_to(folder / "copy.twb")
        dialog = _shown_progress(qtbot, window)
        assert dialog.windowTitle() == "Saving a copy as copy.twb"
        assert list(folder.iterdir())  # the copy is being built there
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()
    finally:
        blocker.close()  # the copy reads on, and stops at its next batch
    _idle(qtbot, window)
    assert window.statusBar().currentMessage() == "Copy cancelled; no file was written"
    assert _errors(window) == []  # a cancel is not an error
    assert list(folder.iterdir()) == []
    assert _tables(window.project.engine) == before


def test_a_server_lost_mid_copy_is_one_line_and_leaves_no_file(
    qtbot: QtBot, window: MainWindow, pg_server: Server, server_url: str, folder: Path
) -> None:
    blocker = _block(pg_server, server_url)
    try:
        assert window.document_actions.save_copy_to(folder / "copy.twb")
        _shown_progress(qtbot, window)
        ended = pg_server.run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database_of(server_url)}' AND wait_event_type = 'Lock'"
        )
        assert ended == [(True,)]  # the copy's reading connection, waiting for the lock
    finally:
        blocker.close()
    _idle(qtbot, window)
    errors = _errors(window)
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith(f"the copy stopped: database {database_of(server_url)} on ")
    assert list(folder.iterdir()) == []
    assert len(window.project.documents.list()) == 2  # the window works on


def test_an_existing_file_is_never_replaced(qtbot: QtBot, window: MainWindow, folder: Path) -> None:
    existing = folder / "copy.twb"
    existing.write_bytes(b"a colleague's notes")
    assert not window.document_actions.save_copy_to(existing)
    assert not window.background.busy
    assert _errors(window) == ["copy.twb already exists; choose a new file name"]
    assert existing.read_bytes() == b"a colleague's notes"
