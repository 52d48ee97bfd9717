"""The first view and Fit all show where the items are; far-off ones are counted at the edges
and brought into view by a click or a key; the whole range stays one key away."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.ui.test_timeline import d, dated, shown_panel
from ui.timeline.edges import EARLIER, LATER, EdgeMarker, edge_markers
from ui.timeline.frame import Style
from ui.timeline.panel import TimelinePanel
from workbench.timeline.model import TimelineItem


def bulk(count: int = 40) -> list[TimelineItem]:
    """Events every three weeks from February 2022, of two types."""
    first = d("2022-02-01")
    days = [first + timedelta(days=21 * i) for i in range(count)]
    return [
        dated(i + 1, day.isoformat(), day.isoformat(), day.isoformat(), day.isoformat(),
              event_type="desertion" if i % 2 else "detention")
        for i, day in enumerate(days)
    ]  # fmt: skip


NINETIES = dated(90, "the early 1990s", "199X", "1990-01-01", "1993-12-31",
                 event_type="deployment", label="Served in the early 1990s")  # fmt: skip


@pytest.fixture
def panel(qtbot: QtBot) -> TimelinePanel:
    return shown_panel(qtbot, [NINETIES, *bulk()], 1200, 400)


def shown_years(panel: TimelinePanel) -> tuple[int, int]:
    view = panel.canvas.view
    return date.fromordinal(int(view.start)).year, date.fromordinal(int(view.end)).year


def markers(panel: TimelinePanel) -> list[EdgeMarker]:
    canvas = panel.canvas
    return edge_markers(canvas.frame(), canvas.font())


def test_the_first_view_fits_the_dense_years_and_counts_the_outlier(panel: TimelinePanel) -> None:
    assert shown_years(panel) == (2021, 2024)  # not 1990-2024
    (marker,) = markers(panel)
    assert (marker.lane.lane.title, marker.side, marker.count) == ("Deployment", EARLIER, 1)
    card = panel.canvas.card_at(marker.rect.center())
    assert "1 item before the view" in card and "Served in the early 1990s" in card
    # drawn: the marker's box differs from the lane behind it
    image = panel.canvas.viewport().grab().toImage()
    background = Style.from_palette(panel.canvas.palette(), panel.canvas.font()).background
    assert differs(image, marker, background)


def differs(image: QImage, marker: EdgeMarker, background: QColor) -> bool:
    rect = marker.rect.toRect()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(rect.left() + 1, rect.right())
        for y in range(rect.top() + 2, rect.bottom() - 1)
    }
    return len(colours - {background.name()}) >= 2  # the box and its arrow and count


def test_clicking_a_marker_brings_its_items_into_view(panel: TimelinePanel, qtbot: QtBot) -> None:
    (marker,) = markers(panel)
    end = panel.canvas.view.end
    qtbot.mouseClick(panel.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=marker.rect.center().toPoint())  # fmt: skip
    assert panel.canvas.view.start <= d("1990-01-01").toordinal()
    assert panel.canvas.view.end >= end  # what was in view stays in view
    assert markers(panel) == []
    assert panel.canvas.item_rects(90)


def test_keys_fit_the_dense_years_the_whole_range_and_each_side(
    panel: TimelinePanel, qtbot: QtBot
) -> None:
    canvas = panel.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Home)  # the whole range: the old Fit all
    assert shown_years(panel)[0] <= 1990
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert shown_years(panel) == (2021, 2024)
    qtbot.keyClick(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert shown_years(panel)[0] <= 1990
    canvas.fit(d("2022-06-01").toordinal(), d("2023-01-01").toordinal())
    later = sum(m.count for m in markers(panel) if m.side == LATER)
    assert later > 0
    panel.actions_["later"].trigger()
    assert not any(m.side == LATER for m in markers(panel))
    assert panel.actions_["fit_everything"].shortcut().toString() == "Home"


def test_a_spread_out_timeline_is_fitted_whole_without_markers(qtbot: QtBot) -> None:
    widget = shown_panel(qtbot, bulk(12), 1000, 300)
    first, last = widget.shown_items()[0], widget.shown_items()[-1]
    assert widget.canvas.view.start < first.start and widget.canvas.view.end > last.end
    assert markers(widget) == []
