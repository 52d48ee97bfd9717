"""The timeline dock's Export view… draws protected records under their pseudonyms, with
presentation mode off: it is an export like the others."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from workbench.domain import RecordId
from workbench.project import Project
from workbench.storage.models import RecordLink

TEXT = "Detention\n\nOn 3 May 2024 Roman Tikhonov was detained in Kharkiv.\n"


def test_the_picture_of_the_view_holds_pseudonyms(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    event = project.review.annotate(doc, TEXT.index("On 3"), len(TEXT) - 2, "event")
    project.review.edit(event.record_ids[0], date_text="3 May 2024")
    start = TEXT.index("Roman")
    person = project.review.annotate(doc, start, start + len("Roman Tikhonov"), "person")
    with project.transaction() as session:
        session.add(RecordLink(source_id=event.record_ids[0], target_id=person.record_ids[0],
                               role="participant"))  # fmt: skip
    with shown_window(qtbot, project) as window:
        panel = window.timeline
        panel.reload()
        panel.set_lane_mode("person")
        plain = tmp_path / "plain.svg"
        panel.export_view(plain)
        assert "Tikhonov" in plain.read_text(encoding="utf-8")  # a lane and the label
        project.records.protect([RecordId(person.record_ids[0])])
        panel.reload()
        svg = tmp_path / "timeline.svg"
        panel.export_view(svg)
    drawn = svg.read_text(encoding="utf-8")
    assert "Tikhonov" not in drawn and "Roman" not in drawn
    assert "Person A" in drawn
