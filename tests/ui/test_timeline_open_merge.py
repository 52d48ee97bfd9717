"""A record merged with an open-ended date ("since 2020", no known end) still paints."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.main_window import MainWindow
from ui.timeline.export import export_timeline
from ui.timeline.render import Style, paint
from workbench.project import Project

UNDATED = "Ivan has served since 2020, his mother said.\n"
DATED = "Ivan deserted in late March, his lawyer said.\n"


def _event(project: Project, document_id: int, text: str, phrase: str, date: str) -> int:
    """Annotate ``phrase`` as an event and give it a date phrase; returns the record id."""
    start = text.index(phrase)
    made = project.review.annotate(document_id, start, start + len(phrase), "event")
    project.review.edit(made.record_ids[0], date_text=date)
    return made.record_ids[0]


@pytest.fixture
def merged(project: Project, tmp_path: Path) -> int:
    """A dated event merged with a "since 2020" one from a document without a date."""
    first = import_text(project, tmp_path, "undated.txt", UNDATED)
    second = import_text(project, tmp_path, "dated.txt", DATED, published="2024-05-20")
    open_ended = _event(project, first.id, UNDATED, "Ivan has served since 2020", "since 2020")
    target = _event(project, second.id, DATED, "Ivan deserted in late March", "late March")
    project.review.merge(target, [open_ended])
    (item,) = project.timeline.items()
    (alternative,) = item.alternatives
    assert (alternative.text, alternative.latest) == ("since 2020", None)  # no known end
    return target


@pytest.fixture
def window(qtbot: QtBot, project: Project, merged: int) -> Iterator[MainWindow]:
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading and bool(win.timeline.shown_items()))
        yield win


def _differs_from(image: QImage, colour: QColor, x0: int, x1: int, y: int) -> bool:
    return any(image.pixelColor(x, y) != colour for x in range(max(0, x0), min(x1, image.width())))


def test_the_timeline_paints_after_merging_an_open_date(
    window: MainWindow, merged: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: errors.append(exc))
    canvas = window.timeline.canvas
    canvas.fit_all()
    (rect,) = canvas.item_rects(merged)
    image = canvas.viewport().grab().toImage()
    assert errors == []  # a paint error is only printed by Qt
    background = Style.from_palette(canvas.palette(), canvas.font()).background
    y = int(rect.center().y())
    assert _differs_from(image, background, int(rect.left()), int(rect.right()), y)

    direct = QImage(image.size(), QImage.Format.Format_ARGB32)
    painter = QPainter(direct)
    try:
        drawn = paint(painter, canvas.frame(), Style.from_palette(canvas.palette(), canvas.font()))
    finally:
        painter.end()
    assert drawn == 1


def test_the_png_export_draws_the_merged_record(
    project: Project, merged: int, tmp_path: Path
) -> None:
    png = tmp_path / "timeline.png"
    assert export_timeline(project, "png", png, width=800, height=400) == 1
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 400)  # the height asked holds the sheet
    white = QColor("#ffffff")
    assert any(_differs_from(image, white, 200, 800, y) for y in range(80, 110))  # its lane
