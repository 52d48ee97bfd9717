"""Editing the codebook: add, change, nest, reorder, merge and delete entries, each an
undoable step that takes back exactly what it did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import CodeId, CodeInfo, DocumentId, RecordInfo
from workbench.errors import InvalidInputError, NotFoundError
from workbench.project import Project
from workbench.storage.models import Suppression

TEXT = "Врач 🙂 Olena treated 40 wounded in Kherson; the guards beat them.\n"


def _by_name(project: Project) -> dict[str, CodeInfo]:
    return {c.name: c for c in project.codebook.list()}


def _passage(project: Project, doc: DocumentId, phrase: str, code: str) -> int:
    start = TEXT.index(phrase)
    return (
        project.review.annotate(doc, start, start + len(phrase), code)
        .changes.added["annotation"]
        .pop()
    )


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> tuple[Project, DocumentId]:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    _passage(project, doc, "the guards beat them", "abuse")
    _passage(project, doc, "treated 40 wounded", "coerced-medical-work")
    _passage(project, doc, "Olena", "person")
    _passage(project, doc, "40 wounded", "figure")
    return project, doc


def test_add_names_places_and_colours_a_new_entry_and_undo_removes_it(project: Project) -> None:
    before = project.codebook.list()
    step = project.codebook.add(
        "  Forced   return ", "code", shortcut="F4", description="Sent back"
    )
    added = _by_name(project)["forced-return"]
    assert (added.label, added.kind, added.shortcut, added.description) == (
        "Forced return", "code", "F4", "Sent back",
    )  # fmt: skip
    assert added.position > max(c.position for c in before)
    assert added.colour not in {c.colour for c in before}
    assert step.changes.added["code"] == {added.id}
    project.steps.restore(step.before)
    assert project.codebook.list() == before
    project.steps.restore(step.after)
    assert _by_name(project)["forced-return"] == added
    again = project.codebook.add("Forced return", "code")
    assert again.changes.added["code"] != {added.id}
    assert "forced-return-2" in _by_name(project)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: p.codebook.add("X", "code", shortcut="1"), "the key 1 is already “Person”'s"),
        (lambda p: p.codebook.add("X", "code", shortcut="ctrl+x"), "is not one key"),
        (lambda p: p.codebook.add("   ", "code"), "needs a name"),
        (lambda p: p.codebook.add("X", "code", colour="red"), "not a colour as #rrggbb"),
        (lambda p: p.codebook.update(CodeId(1), parent_id=CodeId(6)), "nests only in a record"),
        (lambda p: p.codebook.update(CodeId(1), parent_id=CodeId(1)), "nested in itself"),
        (lambda p: p.codebook.update(CodeId(1), name="x"), "cannot change name"),
        (lambda p: p.codebook.merge(CodeId(1), CodeId(6)), "merges only with a record type"),
        (lambda p: p.codebook.merge(CodeId(1), CodeId(1)), "two different entries"),
    ],
)
def test_bad_edits_are_one_line_and_change_nothing(
    project: Project, call: object, message: str
) -> None:
    before = project.codebook.list()
    with pytest.raises(InvalidInputError, match=message):
        call(project)  # type: ignore[operator]
    assert project.codebook.list() == before


def test_update_and_nest_then_undo(project: Project) -> None:
    codes = _by_name(project)
    abuse, desertion = codes["abuse"], codes["desertion"]
    step = project.codebook.update(
        abuse.id, label="Abuse", colour="#123ABC", shortcut=None, parent_id=desertion.id
    )
    changed = _by_name(project)["abuse"]
    assert (changed.label, changed.colour, changed.shortcut) == ("Abuse", "#123abc", None)
    assert changed.parent_id == desertion.id
    with pytest.raises(InvalidInputError, match="own child"):
        project.codebook.update(desertion.id, parent_id=abuse.id)
    project.codebook.update(desertion.id, shortcut="8")  # abuse's old key is free now
    project.steps.restore(step.before)
    assert _by_name(project)["abuse"] == abuse
    with pytest.raises(NotFoundError, match="no codebook entry with id 99"):
        project.codebook.update(CodeId(99), label="x")


def test_move_reorders_within_the_kind(project: Project) -> None:
    types = [c.name for c in project.codebook.list() if c.is_record_type]
    step = project.codebook.move(_by_name(project)["figure"].id, -2)
    assert step is not None
    moved = [c.name for c in project.codebook.list() if c.is_record_type]
    assert moved == ["person", "place", "figure", "organization", "event"]
    assert project.codebook.move(_by_name(project)["person"].id, -1) is None
    project.steps.restore(step.before)
    assert [c.name for c in project.codebook.list() if c.is_record_type] == types


def test_delete_takes_passages_and_records_and_undo_brings_them_back(
    coded: tuple[Project, DocumentId],
) -> None:
    project, doc = coded
    codes = _by_name(project)
    project.codebook.update(codes["desertion"].id, parent_id=codes["abuse"].id)
    figure = codes["figure"]
    with project.transaction() as session:
        session.add(Suppression(document_id=doc, start=0, end=4, code_id=figure.id))
    assert project.codebook.deletion_impact(figure.id) == (1, 1)
    before = (
        project.codebook.list(),
        _unversioned(project.records.list()),
        project.annotations.for_document(doc),
    )

    step = project.codebook.delete(figure.id)
    assert "figure" not in _by_name(project)
    assert project.records.list(type_name="person") == project.records.list()
    assert all(a.code != "figure" for a in project.annotations.for_document(doc))
    removed = project.codebook.delete(codes["abuse"].id)
    assert _by_name(project)["desertion"].parent_id is None  # moved up a level
    project.steps.restore(removed.before)
    project.steps.restore(step.before)
    after = (
        project.codebook.list(),
        _unversioned(project.records.list()),
        project.annotations.for_document(doc),
    )
    assert after == before


def _unversioned(records: list[RecordInfo]) -> list[RecordInfo]:
    """Records as they read but their versions (an undo counts one write more on each)."""
    return [replace(record, version=0) for record in records]


def test_merge_folds_passages_records_and_children_into_the_target(
    coded: tuple[Project, DocumentId],
) -> None:
    project, doc = coded
    codes = _by_name(project)
    project.codebook.update(codes["casualty-claim"].id, parent_id=codes["abuse"].id)
    before = (project.codebook.list(), project.annotations.for_document(doc))
    step = project.codebook.merge(codes["abuse"].id, codes["coerced-medical-work"].id)
    assert "abuse" not in _by_name(project)
    coded_now = sorted(a.quote for a in project.annotations.for_document(doc)
                       if a.code == "coerced-medical-work")  # fmt: skip
    assert coded_now == ["the guards beat them", "treated 40 wounded"]
    assert _by_name(project)["casualty-claim"].parent_id == codes["coerced-medical-work"].id
    merged_types = project.codebook.merge(codes["figure"].id, codes["event"].id)
    assert [r.type for r in project.records.list(type_name="event")] == ["event"]
    project.steps.restore(merged_types.before)
    project.steps.restore(step.before)
    assert (project.codebook.list(), project.annotations.for_document(doc)) == before
