"""The command line's timeline picture is the sheet the window's Export view draws: the
summary on top, every lane, then the records without a year and the legend below."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from main import main as app_main
from tests.conftest import import_text
from workbench.project import Project

PLACES = ("Kherson", "Mariupol", "Bakhmut", "Avdiivka", "Izium", "Kupiansk", "Vuhledar")


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    """Seven documents with one dated event each (a lane each by document), and one whose
    event has no year: its document has no published date."""
    path = tmp_path / "p.twb"
    with Project(path, actor="anna") as project:
        for number, place in enumerate(PLACES, start=1):
            text = f"Shelling in {place} on 3 May 2024 killed {number} people.\n"
            doc = import_text(project, tmp_path, f"{place}.txt", text, title=place).id
            made = project.review.annotate(doc, 0, text.index(" killed"), "event")
            project.review.edit(made.record_ids[0], date_text="3 May 2024")
        text = "Ivan crossed the border on March 10, his lawyer said.\n"
        doc = import_text(project, tmp_path, "undated.txt", text, title="Undated").id
        made = project.review.annotate(doc, 0, text.index(","), "event")
        project.review.edit(made.record_ids[0], date_text="March 10")
    return path


def draw(path: Path, output: Path, *options: str) -> None:
    common = ["--project", str(path), "export", "timeline", "--lanes", "document"]
    assert app_main([*common, "--output", str(output), *options]) == 0


def test_the_picture_has_the_summary_every_lane_the_year_unknown_records_and_the_legend(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg = tmp_path / "timeline.svg"
    draw(project_file, svg, "--format", "svg", "--width", "900", "--height", "320")
    assert "drew 7 dated record(s)" in capsys.readouterr().err
    text = svg.read_text(encoding="utf-8")
    size = re.search(r'viewBox="0 0 (\d+) (\d+)"', text)
    assert size is not None
    assert int(size[1]) == 900 and int(size[2]) > 320  # as tall as the lanes and legend need
    assert "7 dated, 1 without a year — set the published date of 1 document" in text
    assert all(place in text for place in PLACES)  # every lane
    assert "Year unknown (1)" in text and "March 10" in text
    assert ">Event</text>" in text and "Colours name the event type" in text  # the legend


def test_a_height_given_is_a_minimum(project_file: Path, tmp_path: Path) -> None:
    png = tmp_path / "timeline.png"
    draw(project_file, png, "--format", "png", "--width", "700", "--height", "1200")
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (700, 1200)
    short = tmp_path / "short.png"
    draw(project_file, short, "--format", "png", "--width", "700", "--height", "320")
    assert QImage(str(short)).height() > 320
