"""Record types are data: their order and their fields come from the codebook."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import shown_window
from ui.record_editor import RecordEditor
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


def test_a_new_record_type_s_fields_come_from_its_codebook_entry(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    """A record type added by a codebook file alone is annotated and edited with its own
    fields, numbers kept as numbers: no list in the editor names it."""
    codebook = tmp_path / "weapons.json"
    codebook.write_text(json.dumps({"name": "Weapons", "entries": [{
        "name": "weapon", "label": "Weapon", "kind": "record_type", "colour": "#495057",
        "fields": {"model": "text", "calibre_mm": "number"},
    }]}), encoding="utf-8")  # fmt: skip
    project.codebook.load_file(codebook)
    source = tmp_path / "t.txt"
    source.write_text("They carried a T-72 tank round.\n", encoding="utf-8")
    doc = project.documents.import_file(source)[0].id
    made = project.review.annotate(doc, 15, 19, "weapon")
    record = project.records.get(made.record_ids[0])
    types = [c for c in project.codebook.list() if c.is_record_type]
    editor = RecordEditor(record, types, project.review)
    qtbot.addWidget(editor)
    assert list(editor.fields) == ["model", "calibre_mm"]
    editor.fields["model"].setText("T-72")
    editor.fields["calibre_mm"].setText("125")
    assert editor.changes() == {"fields": {"model": "T-72", "calibre_mm": 125.0}}
