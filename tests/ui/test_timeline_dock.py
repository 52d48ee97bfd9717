"""The timeline dock in the window: hidden and shown from the View menu, and never squeezing
the document text below a readable width in a small window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDockWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.main_window import MainWindow
from workbench.project import Project

READABLE = 40  # characters of the document text a small window still shows

TEXT = "Ivan deserted in late March, his lawyer said. " * 40 + "\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    import_text(project, tmp_path, "statement.txt", TEXT, published="2024-05-20")
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading)
        yield win


def timeline_dock(window: MainWindow) -> QDockWidget:
    dock = window.findChild(QDockWidget, "timelineDock")
    assert isinstance(dock, QDockWidget)
    return dock


def test_the_view_menu_hides_and_shows_the_timeline(window: MainWindow, qtbot: QtBot) -> None:
    toggles = [dock.toggleViewAction() for dock in window.findChildren(QDockWidget)]
    assert toggles and all(t.isEnabled() for t in toggles)  # none greyed out
    toggle, dock = window.actions_["timeline"], timeline_dock(window)
    assert toggle.isChecked() and dock.isVisible()
    toggle.trigger()
    qtbot.waitUntil(lambda: not dock.isVisible())
    assert not toggle.isChecked() and not window.timeline.isVisible()
    toggle.trigger()
    qtbot.waitUntil(window.timeline.isVisible)
    assert toggle.isChecked()


def characters_shown(window: MainWindow) -> float:
    view = window.document_view
    return view.viewport().width() / view.fontMetrics().averageCharWidth()


@pytest.mark.parametrize("size", [(1000, 640), (760, 520), (600, 420)])
def test_a_small_window_keeps_the_text_readable_beside_the_timeline(
    window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    QApplication.processEvents()
    assert window.timeline.isVisible()
    assert characters_shown(window) >= READABLE
    # the timeline does not hold the window wider than the docks beside the text need
    assert window.timeline.minimumSizeHint().width() < READABLE * 8
    assert window.width() <= max(size[0], window.minimumSizeHint().width())
    assert timeline_dock(window).width() >= window.width() - 2  # still across the window
