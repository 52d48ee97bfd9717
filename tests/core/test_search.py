"""Corpus search: phrases found at exact code-point offsets, annotated in one undoable step."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import import_text
from workbench.domain import Passage
from workbench.project import Project


def test_phrase_hits_with_offsets_and_context(project: Project, tmp_path: Path) -> None:
    a = import_text(project, tmp_path, "a.txt", "🙂 The Storm-Z unit and storm-z recruits.\n").id
    b = import_text(project, tmp_path, "b.txt", "Nothing here about that.\n").id
    c = import_text(project, tmp_path, "c.txt", "Recruited into\nStorm-Z in 2023.\n").id
    hits = project.search.find("storm-z")
    assert [(h.document_id, h.match) for h in hits] == [
        (a, "Storm-Z"),
        (a, "storm-z"),
        (c, "Storm-Z"),
    ]
    text = project.documents.text(a)
    assert all(text[h.start : h.end] == h.match for h in hits if h.document_id == a)
    assert b not in {h.document_id for h in hits}
    assert project.search.find('"; DROP TABLE documents; --') == []
    assert project.search.find("   ") == []


def test_annotate_all_hits_is_one_undoable_step(project: Project, tmp_path: Path) -> None:
    import_text(project, tmp_path, "a.txt", "Wagner Group fighters. The Wagner Group denied it.\n")
    import_text(project, tmp_path, "b.txt", "Former Wagner Group men crossed.\n")
    hits = project.search.find("Wagner Group")
    result = project.review.annotate_many(
        [Passage(h.document_id, h.start, h.end) for h in hits], "organization"
    )
    assert len(project.records.list(type_name="organization")) == 3
    project.steps.restore(result.before)
    assert project.records.list(type_name="organization") == []
    project.steps.restore(result.after)
    assert len(project.records.list(type_name="organization")) == 3
