"""The report with what the application draws: the timeline picture in the page, and a PDF."""

from __future__ import annotations

import base64
import contextlib
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

import main
from tests.conftest import import_text
from tests.ui.conftest import shown_window
from workbench.errors import StorageError
from workbench.export import registry
from workbench.project import Project

TEXT = "Medics speak\n\nOn March 10, 2023 Olena treated 40 wounded in Kherson.\n"


def _dated(project: Project, tmp_path: Path) -> None:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    start = TEXT.index("On March 10")
    event = project.review.annotate(doc, start, start + 40, "event").record_ids[0]
    project.review.edit(event, date_text="March 10, 2023")


def test_the_window_gives_the_report_its_picture_and_a_pdf(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    _dated(project, tmp_path)
    with shown_window(qtbot, project):
        assert "pdf" in registry.formats()
        page = tmp_path / "report.html"
        assert project.exports.export("report", "html", page) == 1
        found = re.search(r'src="data:image/png;base64,([^"]+)"', page.read_text("utf-8"))
        assert found is not None
        picture = QImage.fromData(base64.b64decode(found.group(1)))
        assert not picture.isNull() and picture.width() == 1400
        pdf = tmp_path / "report.pdf"
        assert project.exports.export("report", "pdf", pdf) == 1
        raw = pdf.read_bytes()
        assert raw.startswith(b"%PDF-") and b"/Image" in raw
        assert b"/URI" not in raw  # no link to anything outside the file


def test_a_selection_without_a_year_has_no_picture(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    doc = import_text(project, tmp_path, "b.txt", "Notes\n\nOlena stayed.\n").id
    project.review.annotate(doc, 7, 12, "person")
    with shown_window(qtbot, project):
        page = tmp_path / "report.html"
        project.exports.export("report", "html", page)
        assert "<img" not in page.read_text("utf-8")


def test_the_command_line_writes_the_pdf_report(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project(project_path, create=True) as project:
        _dated(project, tmp_path)
    out = tmp_path / "report.pdf"
    code = main.main(["--project", str(project_path), "export", "report", "--format", "pdf",
                      "--output", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_timeline_exports_as_a_picture_with_its_legend_and_summary(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    _dated(project, tmp_path)
    with shown_window(qtbot, project):
        svg = tmp_path / "timeline.svg"
        assert project.exports.export("timeline", "svg", svg) == 1
        drawn = svg.read_text(encoding="utf-8")
        assert "Showing all 1 dated records" in drawn  # the summary
        assert "Colours name the event type" in drawn  # the legend
        png = tmp_path / "timeline.png"
        project.exports.export("timeline", "png", png)
        assert not QImage(str(png)).isNull()


@pytest.mark.parametrize(("what", "fmt"), [("report", "pdf"), ("timeline", "svg")])
def test_a_picture_or_pdf_on_a_full_disk_is_one_line_and_leaves_nothing(
    qtbot: QtBot, project: Project, tmp_path: Path, small_disk: Path, what: str, fmt: str
) -> None:
    """Qt's PDF and SVG writers do not say when a write fails: the file is drawn in memory
    and written by the export, which does."""
    _dated(project, tmp_path)
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:  # the disk full
            fh.write(b"\0" * 4096)
    with filler.open("r+b") as fh:  # but for two kilobytes
        fh.truncate(filler.stat().st_size - 2048)
    with shown_window(qtbot, project):
        out = small_disk / f"{what}.{fmt}"
        with pytest.raises(StorageError, match=rf"^the disk is full: {what}.{fmt} was not written"):
            project.exports.export(what, fmt, out)
    assert [p.name for p in small_disk.iterdir()] == ["filler"]
