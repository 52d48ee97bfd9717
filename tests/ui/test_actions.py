"""The menus are built from tables of entries: each entry lands in its menu, in order, and
does what its row says."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.conftest import shown_window
from ui.actions import SEPARATOR, MenuEntry, _add_entries
from workbench.project import Project


def menu_actions(menu: QMenu) -> list[QAction]:
    """A menu's actions and those of its submenus, depth first."""
    found: list[QAction] = []
    for action in menu.actions():
        found.append(action)
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += menu_actions(sub)
    return found


def test_entries_are_added_in_order_and_only_named_ones_returned(
    qtbot: QtBot, project: Project
) -> None:
    called: list[int] = []
    with shown_window(qtbot, project) as win:
        menu = QMenu(win)
        entries = [
            MenuEntry("one", "&One", lambda: called.append(1), "Ctrl+Alt+1", "The first"),
            SEPARATOR,
            MenuEntry("", "&Two", lambda: called.append(2)),
        ]
        named = _add_entries(win, menu, entries)
        assert [a.isSeparator() for a in menu.actions()] == [False, True, False]
        first, _, second = menu.actions()
        assert named == {"one": first}
        assert (first.toolTip(), second.toolTip()) == ("The first (Ctrl+Alt+1)", "Two")
        first.trigger()
        second.trigger()
    assert called == [1, 2]


def test_every_named_action_is_in_one_menu_of_the_bar(qtbot: QtBot, project: Project) -> None:
    with shown_window(qtbot, project) as win:
        bar = win.menuBar().actions()
        titles = ["&File", "&Edit", "&Annotate", "&Review", "&View", "&Help"]
        assert [a.text() for a in bar] == titles
        shown = [
            a for top in bar if isinstance(top.menu(), QMenu) for a in menu_actions(top.menu())
        ]
        for name, action in win.actions_.items():
            assert shown.count(action) == 1, name


@pytest.mark.parametrize(
    ("name", "method", "expected"),
    [
        ("accept", "set_status", (("accepted",), {})),
        ("reject", "set_status", (("rejected",), {})),
        ("reopen", "set_status", (("suggested",), {})),
        ("extract", "extract", ((), {"all_documents": False})),
        ("extract_all", "extract", ((), {"all_documents": True})),
        ("metadata_listed", "document_actions.edit_metadata", ((), {"listed": True})),
    ],
)
def test_a_row_calls_the_window_with_its_arguments(
    qtbot: QtBot,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    method: str,
    expected: tuple[tuple[object, ...], dict[str, object]],
) -> None:
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    with shown_window(qtbot, project) as win:
        *path, attribute = method.split(".")
        target = win
        for part in path:
            target = getattr(target, part)
        monkeypatch.setattr(target, attribute, lambda *args, **kwargs: calls.append((args, kwargs)))
        win.actions_[name].trigger()
    assert calls == [expected]


def test_bulk_decisions_by_confidence_and_by_type(
    qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    with shown_window(qtbot, project) as win:
        monkeypatch.setattr(win, "bulk_status", lambda status, **kw: calls.append((status, kw)))
        review = win.menuBar().actions()[3].menu()
        assert isinstance(review, QMenu)
        by_text = {a.text(): a for a in menu_actions(review)}
        by_text["Accept suggestions with confidence ≥ 0.85"].trigger()
        by_text["Reject suggestions with confidence < 0.5"].trigger()
        by_text["Persons"].trigger()
    assert calls == [
        ("accepted", {"min_confidence": 0.85}),
        ("rejected", {"max_confidence": 0.5}),
        ("accepted", {"type_name": "person"}),
    ]


def test_the_bulk_menu_follows_the_codebook(qtbot: QtBot, project: Project) -> None:
    with shown_window(qtbot, project) as win:
        review = win.menuBar().actions()[3].menu()
        assert isinstance(review, QMenu)
        bulk = next(a.menu() for a in review.actions() if a.menu() is not None)
        assert isinstance(bulk, QMenu)
        project.codebook.add("Weapon", "record_type")
        project.codebook.update(win.codes["place"].id, label="Location")
        win.apply_changes()
        bulk.aboutToShow.emit()
        labels = [a.text() for a in bulk.actions()]
        assert "Weapons" in labels and "Locations" in labels and "Places" not in labels
