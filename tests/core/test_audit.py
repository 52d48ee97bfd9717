"""The audit log reads back newest first, a page at a time, filtered by annotator or action."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import import_text
from workbench.project import Project
from workbench.services.audit import audit


def test_entries_newest_first_in_pages_and_filtered(project: Project, tmp_path: Path) -> None:
    info = import_text(project, tmp_path, "a.txt", "🙂 Ivan left Kharkiv in late March.\n")
    with project.write_connection() as conn:
        for i in range(25):
            audit(conn, "olena", "record.note", "record", i, note=f"n{i}")
    project.review.annotate(info.id, 2, 6, "person")  # "Ivan" after the emoji
    newest = project.audit.list(limit=10)
    assert [e.action for e in newest[:2]] == ["annotation.create", "record.create"]
    assert newest[0].actor == "tester"
    ids = [e.id for e in newest]
    assert ids == sorted(ids, reverse=True)
    older = project.audit.list(before_id=ids[-1], limit=10)
    assert older and max(e.id for e in older) < ids[-1]
    notes = project.audit.list(text="OLENA", limit=100)
    assert len(notes) == 25 and {e.detail["note"] for e in notes} == {f"n{i}" for i in range(25)}
    assert [e.action for e in project.audit.list(text="import")] == ["document.import"]
    assert project.audit.list(text="nothing like this") == []
