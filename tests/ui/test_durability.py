"""The window and the project file: failures leave the project and the undo stack true."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.conftest import shown_window
from ui.audit_dialog import AuditLogDialog
from ui.main_window import MainWindow
from workbench.changes import ChangeSet
from workbench.project import Project

ROOT = Path(__file__).resolve().parents[2]
TEXT = "🙂🇺🇦 Daniil Alfyorov left the 47th Tank Division in late March 2024.\n"


@pytest.fixture
def window(qtbot: QtBot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """A window whose project waits only 0.3 s for another writer."""
    path = tmp_path / "emoji.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Project(project_path, busy_wait=0.3) as project:
        project.documents.import_file(path)
        with shown_window(qtbot, project) as win:
            yield win


def _errors(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", shown.append)
    return shown


def test_a_busy_project_keeps_the_undo_stack_true(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = _errors(window, monkeypatch)
    start = TEXT.index("Daniil")
    assert window.run_step(
        "Annotate", lambda: window.project.review.annotate(1, start, start + 15, "person")
    )
    other = sqlite3.connect(window.project.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the project
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.undo_stack.index() == 1)  # stepped back: nothing undone
    assert len(errors) == 1 and "busy" in errors[0] and "Daniil" not in errors[0]
    assert [r.label for r in window.project.records.list(type_name="person")] == ["Daniil Alfyorov"]
    other.execute("ROLLBACK")
    window.undo_stack.undo()  # now it works
    assert window.undo_stack.index() == 0
    assert window.project.records.list(type_name="person") == []
    other.execute("BEGIN IMMEDIATE")
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0)  # the redo did not happen
    assert window.project.records.list(type_name="person") == []
    other.execute("ROLLBACK")
    other.close()
    window.undo_stack.redo()
    assert window.undo_stack.index() == 1
    assert len(window.project.records.list(type_name="person")) == 1


def test_a_busy_project_refuses_a_step_in_one_line(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = _errors(window, monkeypatch)
    other = sqlite3.connect(window.project.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    result = window.run_step("Annotate", lambda: window.project.review.annotate(1, 5, 11, "person"))
    other.execute("ROLLBACK")
    other.close()
    assert result is None and window.undo_stack.count() == 0
    assert errors == [
        "the project is busy: another program kept it locked for more than 0.3 s; nothing was "
        "changed, try again"
    ]


def test_the_file_dialog_over_the_project_folder_lets_no_other_process_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Qt's file dialog opens the files it lists to guess their type, which drops SQLite's
    locks in this process; the project lock keeps the command line out all the same."""
    project = window.project
    dialog = QFileDialog(window, "Import files", str(project.path.parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.findChildren(object) != [])
    qtbot.wait(300)  # the dialog reads the folder and sniffs the files on its own thread
    refused = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--project", str(project.path), "--wait", "0",
         "annotate", "1", "0", "5", "--type", "place"],
        capture_output=True, text=True, check=False, timeout=120, cwd=ROOT,
    )  # fmt: skip
    dialog.close()
    assert refused.returncode == 1 and "is open in" in refused.stderr
    start = TEXT.index("Daniil")
    assert window.run_step(
        "Annotate", lambda: project.review.annotate(1, start, start + 15, "person")
    )
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1


def _run_in_background(window: MainWindow, qtbot: QtBot, start: object) -> None:
    with qtbot.waitSignal(window.background.busyChanged, timeout=120_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        assert start()


def test_import_extract_accept_extract_quit_reopen_keeps_every_decision(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The flow that once corrupted projects: a file dialog over the project's folder, two
    imports, extraction, review, extraction again, quit, reopen."""
    folder = tmp_path / "work"
    folder.mkdir()
    for name, text in (("one.txt", TEXT), ("two.txt", "Ivan Petrov fled to Almaty in May 2023.\n")):
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "project.twb"
    project = Project(path)
    with shown_window(qtbot, project) as window:
        dialog = QFileDialog(window, "Import files", str(folder))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.show()
        qtbot.wait(300)
        dialog.close()
        _run_in_background(window, qtbot, lambda: window.import_paths([folder / "one.txt"]))
        _run_in_background(window, qtbot, lambda: window.import_paths([folder / "two.txt"]))
        window.document_list.select_document(1)
        _run_in_background(window, qtbot, window.extract)
        suggested = [r.id for r in project.records.list(status="suggested")]
        assert len(suggested) >= 2
        for record_id in suggested[:2]:
            assert window.run_step(
                "Accept", lambda r=record_id: project.review.set_status([r], "accepted")
            )
        window.document_list.select_document(2)
        _run_in_background(window, qtbot, window.extract)
        accepted = {r.id: r.label for r in project.records.list(status="accepted")}
    project.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Project(path) as reopened:
        assert {r.id: r.label for r in reopened.records.list(status="accepted")} == accepted
        assert len(accepted) == 2
        assert len(reopened.documents.list()) == 2
        assert reopened.records.list(status="suggested")


def _fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as fh:
        for size in (65536, 4096, 512, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                continue
    return filler


def test_a_full_disk_fails_the_edit_cleanly_and_the_window_keeps_working(
    qtbot: QtBot, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = small_disk / "emoji.txt"
    source.write_text(TEXT, encoding="utf-8")
    project = Project(small_disk / "project.twb")
    project.documents.import_file(source)
    start = TEXT.index("Daniil")
    with shown_window(qtbot, project) as window:
        errors = _errors(window, monkeypatch)
        filler = _fill(small_disk)
        steps = 0
        while not errors and steps < 200:  # until the WAL can grow no more
            window.run_step("Annotate", lambda: project.review.annotate(1, 0, 2, "event"))
            steps += 1
        assert len(errors) == 1 and "full" in errors[0] and "not saved" in errors[0]
        count = window.undo_stack.count()
        assert count == steps - 1  # the failed step is not on the stack
        filler.unlink()
        assert window.run_step(
            "Annotate", lambda: project.review.annotate(1, start, start + 15, "person")
        )
        window.undo_stack.undo()
        window.undo_stack.redo()
        assert window.undo_stack.count() == count + 1
    project.close()
    with sqlite3.connect(small_disk / "project.twb") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    assert stored == count + 1  # every acknowledged annotation, nothing else


def test_extraction_s_changes_reach_the_views_without_a_full_reload(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The owner stores what the worker sends and refreshes by that ChangeSet: the timeline
    re-reads only the new records (no reading of every dated record on a worker thread)."""
    qtbot.waitUntil(lambda: not window.timeline.loading)
    assert window.timeline.shown_items() == []
    reloads: list[bool] = []
    original = window.timeline.reload_in_background
    window.timeline.reload_in_background = lambda: reloads.append(True) or original()  # type: ignore[method-assign]
    _run_in_background(window, qtbot, window.extract)
    assert any("March 2024" in (i.date.text or "") for i in window.timeline.shown_items())
    assert reloads == []


def test_each_step_undo_and_redo_is_broadcast_once_to_every_open_view(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The change contract: one (changes, initiator) per step; open dialogs follow it."""
    heard: list[tuple[object, object]] = []
    window.changesApplied.connect(lambda changes, initiator: heard.append((changes, initiator)))
    window.actions_["audit"].trigger()
    audit = window.findChild(AuditLogDialog)
    assert audit is not None
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0)
    rows = audit.model.rowCount()
    start = TEXT.index("Daniil")
    assert window.run_step(
        "Annotate", lambda: window.project.review.annotate(1, start, start + 15, "person")
    )
    assert len(heard) == 1
    (changes, _initiator) = heard[0]
    assert isinstance(changes, ChangeSet) and changes.touches("record")
    assert audit.model.rowCount() > rows  # the open audit log read the new entries
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert len(heard) == 3
