"""File → Merge project… and the conflicts list, on a real window over real project files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.core.test_merge_projects import _copy, _digest, _diverge, _record, make_base
from tests.ui.conftest import activated, shown_window
from tests.ui.test_presentation import present
from ui.merge_dialog import HIDDEN, ConflictsDialog, merge_file, open_conflicts
from ui.presentation import present_in_session
from workbench.project import Project
from workbench.services.merge_conflicts import ConflictService


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The lead's project the annotators copy."""
    return make_base(tmp_path / "base.twb")


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _merged(qtbot: QtBot, window: object, path: Path) -> None:
    assert merge_file(window, path)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: not window.background.busy)  # type: ignore[attr-defined]


def test_merging_says_what_came_in_and_opens_the_conflicts(qtbot: QtBot, base: Path) -> None:
    anna, boris, chen = _diverge(base)
    copies = (_digest(boris), _digest(chen))
    with Project(anna, actor="lead") as project, shown_window(qtbot, project) as window:
        window.undo_stack.clear()
        _merged(qtbot, window, boris)
        assert "Merged boris.twb" in window.statusBar().currentMessage()
        box = _boxes()[-1]
        assert "Documents: 1" in box.text() and "Annotators of the copy: boris" in box.text()
        assert window.findChild(ConflictsDialog) is None  # none yet
        box.close()
        _merged(qtbot, window, chen)
        dialog = window.findChild(ConflictsDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.table.rowCount() == 1
        cells = [dialog.table.item(0, c).text() for c in range(5)]
        assert cells[1:] == ["Label", "Ivan Petrov (private)", "I. Petrov", "chen.twb (chen)"]
        grab = dialog.grab()
        assert not grab.isNull()
        if os.environ.get("WORKBENCH_SCREENSHOTS"):
            grab.save(os.environ["WORKBENCH_SCREENSHOTS"])
        for box in _boxes():
            box.close()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog.table, Qt.Key.Key_T)  # take theirs
        assert dialog.table.rowCount() == 0
        record = _record(project, "I. Petrov")
        assert window.undo_stack.count() == 1
        window.undo_stack.undo()
        assert _record(project, "Ivan Petrov (private)").id == record.id
        assert dialog.table.rowCount() == 1  # open again
        window.undo_stack.redo()
        assert _record(project, "I. Petrov").id == record.id
        assert ConflictService(project).list() == []
        window.undo_stack.undo()
        qtbot.keyClick(dialog.table, Qt.Key.Key_O)  # keep ours
        assert _record(project, "Ivan Petrov (private)").id == record.id
        assert dialog.table.rowCount() == 0
        _merged(qtbot, window, chen)  # again: nothing new, no conflict listed again
        assert "Nothing new in chen.twb" in window.statusBar().currentMessage()
        assert dialog.table.rowCount() == 0
    assert (_digest(boris), _digest(chen)) == copies


def test_a_refused_file_is_one_line_and_nothing_changes(
    qtbot: QtBot, base: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.twb"
    bogus.write_text("not a project")
    with Project(base) as project, shown_window(qtbot, project) as window:
        before = [r.label for r in project.records.list()]
        errors: list[str] = []
        window.show_error = errors.append  # type: ignore[method-assign]
        _merged(qtbot, window, bogus)
        assert len(errors) == 1 and "not a Testimony Workbench project" in errors[0]
        assert "\n" not in errors[0]
        assert [r.label for r in project.records.list()] == before


@pytest.mark.parametrize("entry", ["merge_project", "conflicts"])
def test_the_menus_offer_merging(qtbot: QtBot, base: Path, entry: str) -> None:
    with Project(base) as project, shown_window(qtbot, project) as window:
        activated(qtbot, window)
        assert entry in window.actions_
        if entry == "conflicts":
            window.actions_[entry].trigger()
            dialog = window.findChild(ConflictsDialog)
            assert dialog is not None and dialog.table.rowCount() == 0
            assert not dialog.theirs_button.isEnabled()


def test_presentation_mode_hides_a_protected_record_in_the_conflicts(
    qtbot: QtBot, base: Path
) -> None:
    anna, boris = _copy(base, "anna.twb"), _copy(base, "boris.twb")
    with Project(anna, actor="anna") as project:
        kharkiv = _record(project, "Харкова").id
        project.review.edit(kharkiv, label="Харків")
        project.records.protect([kharkiv])
    with Project(boris, actor="boris") as project:
        project.review.edit(_record(project, "Харкова").id, label="Kharkiv city")
    with Project(anna, actor="lead") as project, shown_window(qtbot, project) as window:
        _merged(qtbot, window, boris)
        dialog = window.findChild(ConflictsDialog)
        assert dialog is not None
        shown = [dialog.table.item(0, c).text() for c in range(5)]
        assert "Kharkiv city" in shown
        present(window, qtbot)
        try:
            shown = " ".join(dialog.table.item(0, c).text() for c in range(5))
            assert "Kharkiv" not in shown and "Харків" not in shown, shown
            assert HIDDEN in shown
        finally:
            present_in_session(False)


def test_a_closed_conflicts_list_follows_no_more_changes(qtbot: QtBot, base: Path) -> None:
    with Project(base) as project, shown_window(qtbot, project) as window:
        dialog = open_conflicts(window)
        dialog.close()
        qtbot.waitUntil(lambda: window.findChild(ConflictsDialog) is None)
        window.apply_changes(None)  # would call into the deleted dialog
        assert open_conflicts(window).table.rowCount() == 0
