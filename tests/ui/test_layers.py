"""Annotators as layers in the window: each one's passages shown or hidden in the document
view, marked in their colour, and the records panel and the timeline limited to the
records of those shown, "My work only" included; on a real project file of three annotators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence, QTextCharFormat
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from ui.document_view import annotator_colour
from ui.main_window import MainWindow
from workbench.project import Project

# emoji and Cyrillic before every passage: UTF-16 offsets would put the layers elsewhere
TEXT = (
    "🙂 Олена saw 🙂🙂 Іван Петренко leave Херсон on May 4, 2024; "
    "🙂 then Олена left Херсон in June 2024.\n"
)
WORK = {  # (type, phrase, which occurrence, date phrase)
    "Anna": [("person", "Олена", 0, ""), ("person", "Іван Петренко", 0, ""),
             ("place", "Херсон", 0, ""), ("event", "leave Херсон on May 4, 2024", 0, "May 4, 2024"),
             ("place", "Херсон", 1, "")],
    "Boris": [("person", "Олена", 0, ""), ("person", "Петренко", 0, ""),
              ("person", "Херсон", 0, ""),
              ("event", "Олена left Херсон in June 2024", 0, "June 2024")],
    "Vera": [("person", "Олена", 1, "")],
}  # fmt: skip


def span(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def team_file(tmp_path: Path) -> Path:
    """A project whose one document Anna, Boris and Vera annotated, each in their own run."""
    path = tmp_path / "team.twb"
    with Project(path, create=True, actor="lead") as project:
        import_text(project, tmp_path, "kherson.txt", TEXT)
    for actor, passages in WORK.items():
        with Project(path, actor=actor) as project:
            for type_name, phrase, nth, when in passages:
                result = project.review.annotate(1, *span(phrase, nth), type_name)
                if when:
                    project.review.edit(result.record_ids[0], date_text=when)
    return path


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return team_file(tmp_path)


@pytest.fixture
def window(qtbot: QtBot, team: Path) -> Iterator[MainWindow]:
    """The window of Anna over the team's project."""
    with Project(team, actor="Anna") as project, shown_window(qtbot, project) as win:
        win.timeline.reload()
        yield activated(qtbot, win)


def authors(win: MainWindow) -> set[str | None]:
    return {h.author for h in win.document_view.highlights()}


def panel_labels(win: MainWindow) -> set[str]:
    model = win.records_panel.model
    return {r.label for i in model.matching_ids() if (r := model.record_of(i)) is not None}


def timeline_labels(win: MainWindow) -> set[str]:
    return {i.label for i in win.timeline.shown_items()}


def test_everyone_is_shown_at_first_each_in_a_colour(window: MainWindow) -> None:
    bar = window.layers_bar
    assert bar.isVisible() and bar.button.text() == "everyone"
    assert authors(window) == {"Anna", "Boris", "Vera"}
    assert timeline_labels(window) == {
        "leave Херсон on May 4, 2024",
        "Олена left Херсон in June 2024",
    }
    window.document_view._paint_visible()
    lines = {s.format.underlineColor().name() for s in window.document_view.extraSelections()}
    assert lines == {annotator_colour(n).name() for n in ("Anna", "Boris", "Vera")}
    assert len(lines) == 3  # three names, three colours


def test_unticking_a_layer_hides_its_passages_records_and_events(
    window: MainWindow, qtbot: QtBot
) -> None:
    bar = window.layers_bar
    bar.menu.aboutToShow.emit()
    ticks = {a.text(): a for a in bar.menu.actions() if a.isCheckable()}
    assert list(ticks) == ["Anna", "Boris", "Vera"]
    with qtbot.waitSignal(bar.layersChanged):
        ticks["Anna"].setChecked(False)
    assert authors(window) == {"Boris", "Vera"}
    assert "Іван Петренко" not in panel_labels(window)
    assert {"Петренко", "Олена"} <= panel_labels(window)
    assert timeline_labels(window) == {"Олена left Херсон in June 2024"}
    assert "annotator: Boris, Vera" in window.timeline.state.text()
    assert bar.button.text() == "Boris, Vera"
    # the spans drawn are where Boris and Vera marked them, in code points
    drawn = {(h.start, h.end) for h in window.document_view.highlights()}
    assert span("Петренко") in drawn and span("Іван Петренко") not in drawn
    ticks["Boris"].setChecked(False)
    ticks["Vera"].setChecked(False)
    assert window.document_view.highlights() == []
    assert panel_labels(window) == set() and timeline_labels(window) == set()
    bar.menu.actions()[0].trigger()  # Everyone
    assert authors(window) == {"Anna", "Boris", "Vera"}
    assert len(timeline_labels(window)) == 2


def test_my_work_only_shows_the_window_annotator_alone(window: MainWindow) -> None:
    bar = window.layers_bar
    everything = panel_labels(window)
    bar.mine.click()
    assert authors(window) == {"Anna"}
    assert panel_labels(window) == {
        "Олена",
        "Іван Петренко",
        "Херсон",
        "leave Херсон on May 4, 2024",
    }
    assert timeline_labels(window) == {"leave Херсон on May 4, 2024"}
    assert not bar.button.isEnabled()
    # a new passage of Anna's joins at once; clearing the panel's filters keeps the choice
    window.run_step("annotate", lambda: window.project.review.annotate(1, *span("saw"), "event"))
    assert "saw" in panel_labels(window)
    window.records_panel.clear_filters()
    assert "Петренко" not in panel_labels(window)
    bar.mine.click()
    assert panel_labels(window) == everything | {"saw"}


def test_one_annotator_needs_no_layers(qtbot: QtBot, tmp_path: Path) -> None:
    with Project(tmp_path / "alone.twb", create=True, actor="Anna") as project:
        import_text(project, tmp_path, "kherson.txt", TEXT)
        project.review.annotate(1, *span("Олена"), "person")
        with shown_window(qtbot, project) as win:
            assert not win.layers_bar.isVisible()
            win.document_view._paint_visible()
            styles = {s.format.underlineStyle() for s in win.document_view.extraSelections()}
            assert styles == {QTextCharFormat.UnderlineStyle.NoUnderline}


def test_names_show_as_written(qtbot: QtBot, tmp_path: Path) -> None:
    """A name with "&" or markup marks no shortcut key and is no rich text."""
    from ui.actions import open_compare  # noqa: PLC0415

    path = tmp_path / "names.twb"
    names = ("R&D", "<b>Bo</b>")
    with Project(path, create=True, actor="lead") as project:
        import_text(project, tmp_path, "kherson.txt", TEXT)
    for actor in names:
        with Project(path, actor=actor) as project:
            project.review.annotate(1, *span("Олена"), "person")
    with Project(path, actor="lead") as project, shown_window(qtbot, project) as win:
        bar = win.layers_bar
        bar.menu.aboutToShow.emit()
        shown = [a.text() for a in bar.menu.actions() if a.isCheckable()]
        assert [QKeySequence.mnemonic(text).isEmpty() for text in shown] == [True, True]
        assert sorted(text.replace("&&", "&") for text in shown) == sorted(names)
        view = open_compare(win)
        boxes = [box.text() for box in view._ticks.values()]
        assert [QKeySequence.mnemonic(text).isEmpty() for text in boxes] == [True, True]
        assert [cell.text() for cell in (view.table.item(0, 3), view.table.item(0, 4))] == [
            f"person: “Олена” ({span('Олена')[0]}–{span('Олена')[1]})"
        ] * 2
        view.close()
