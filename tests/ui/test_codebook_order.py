"""Record types show in the codebook's order: data, not a list in a widget."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import shown_window
from workbench.project import Project


def test_the_records_panel_follows_the_codebook_order(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "t.txt"
    source.write_text("Ivan Petrov went to Kyiv with the 47th Tank Division.\n", encoding="utf-8")
    with Project(project_path) as project:
        doc = project.documents.import_file(source)[0].id
        text = project.documents.text(doc)
        for phrase, kind in (("Ivan Petrov", "person"), ("Kyiv", "place")):
            start = text.index(phrase)
            project.review.annotate(doc, start, start + len(phrase), kind)
    with sqlite3.connect(project_path) as conn:  # a codebook where places come first
        conn.execute("UPDATE codes SET position = -1 WHERE name = 'place'")
    conn.close()
    with Project(project_path) as project, shown_window(qtbot, project) as window:
        window.open_document(doc)
        model = window.records_panel.model
        shown = [model.index(row, 0).data() for row in range(model.rowCount())]
        assert [label.split(" (")[0] for label in shown] == ["Place", "Person"]
