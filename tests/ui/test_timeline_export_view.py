"""Export view… saves the whole timeline: every lane (not only those scrolled into the dock),
the records without a year, the legend and the filter summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.ui.test_timeline import ITEMS, dated, shown_panel
from tests.ui.test_timeline_year_unknown import UNKNOWN
from ui.timeline.frame import AXIS_HEIGHT, HEADER_WIDTH, kind_colour
from ui.timeline.panel import TimelinePanel
from workbench.timeline.model import TimelineItem, sort_key


def people(count: int) -> list[TimelineItem]:
    """One event for each of ``count`` people, so that person lanes fill many screens."""
    return [
        dated(100 + i, "May 2024", "2024-05", "2024-05-01", "2024-05-31",
              persons=(f"Person {i:02d}",), event_type="detention")
        for i in range(count)
    ]  # fmt: skip


def tall_panel(qtbot: QtBot) -> TimelinePanel:
    """A short dock over 30 person lanes, filtered to one event type."""
    panel = shown_panel(qtbot, sorted([*ITEMS, *people(30), *UNKNOWN], key=sort_key), 900, 320)
    panel.set_lane_mode("person")
    panel.event_type.setCurrentIndex(panel.event_type.findData("detention"))
    return panel


def test_every_lane_the_year_unknown_records_legend_and_summary_are_saved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    panel = tall_panel(qtbot)
    canvas = panel.canvas
    lanes = canvas.layout_now()
    visible = canvas.viewport().height() - AXIS_HEIGHT
    assert lanes.height > 3 * visible  # the dock shows a few lanes only
    svg = tmp_path / "timeline.svg"
    panel.export_view(svg)
    text = svg.read_text(encoding="utf-8")
    for lane in lanes.lanes:
        assert lane.lane.title in text  # Person 00 … Person 29, Aigerim, Roman…
    assert "Year unknown (1 of 3)" in text and "in March" in text  # the detention one
    assert "event type: detention" in text  # the filter summary
    assert "Detention" in text and "Colours name the event type" in text  # the legend


def test_the_png_is_as_tall_as_the_lanes_and_drawn_to_the_bottom(
    qtbot: QtBot, tmp_path: Path
) -> None:
    panel = tall_panel(qtbot)
    lanes = panel.canvas.layout_now()
    png = tmp_path / "timeline.png"
    panel.export_view(png)
    image = QImage(str(png))
    assert image.width() == panel.canvas.viewport().width()
    assert image.height() > AXIS_HEIGHT + lanes.height > panel.height()
    # every lane is drawn: a band of the detention colour for each of the 32 person lanes
    hue = kind_colour("detention").hue()
    bands, inside = 0, False
    for y in range(image.height()):
        row = (image.pixelColor(x, y) for x in range(int(HEADER_WIDTH), image.width(), 2))
        found = any(abs(c.hue() - hue) < 10 and c.saturation() > 80 for c in row)
        bands += found and not inside
        inside = found
    assert bands >= len(lanes.lanes) == 32
    wide = tmp_path / "wide.png"
    panel.export_view(wide, 1400, 200)  # at least 200 high: taller to hold every lane
    assert QImage(str(wide)).width() == 1400 and QImage(str(wide)).height() > 200
