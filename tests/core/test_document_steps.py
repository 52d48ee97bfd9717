"""Documents as undoable steps: a new published date re-dates what depends on it; delete and
rename take back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import import_text
from workbench.domain import DocumentId, RecordId
from workbench.errors import InvalidInputError, NotFoundError, StepConflictError
from workbench.project import Project
from workbench.storage.models import Suppression

FIRST = "Deserters 🙂 in Kherson\n\nOn March 10 two medics left. Ольга said so on May 4, 2024.\n"
SECOND = "Hospital report\n\nOn March 10 the medics were seen in Kherson again.\n"


def _event(project: Project, doc: DocumentId, body: str, phrase: str, date_text: str) -> RecordId:
    start = body.index(phrase)
    made = project.review.annotate(doc, start, start + len(phrase), "event")
    record = made.record_ids[0]
    project.review.edit(record, date_text=date_text)
    return record


@pytest.fixture
def dated(project: Project, tmp_path: Path) -> tuple[Project, DocumentId, list[RecordId]]:
    """A document without a published date: two year-less events (one accepted, one
    suggested) and one with a full date."""
    doc = import_text(project, tmp_path, "first.txt", FIRST).id
    assert project.documents.get(doc).published is None
    left = _event(project, doc, FIRST, "two medics left", "March 10")
    said = _event(project, doc, FIRST, "Ольга said so", "March 10")
    full = _event(project, doc, FIRST, "May 4, 2024", "May 4, 2024")
    project.review.set_status([said], "suggested")
    return project, doc, [left, said, full]


def _edtf(project: Project, record: RecordId) -> str | None:
    return project.records.get(record).date_edtf


def test_a_new_published_date_re_dates_suggestions_and_names_accepted_ones(
    dated: tuple[Project, DocumentId, list[RecordId]],
) -> None:
    project, doc, (left, said, _full) = dated
    assert _edtf(project, left) == _edtf(project, said) == "XXXX-03-10"
    changes = project.documents.redatings([doc], "2024-05-20")
    assert [(c.record_id, c.status, c.before, c.after) for c in changes] == [
        (left, "accepted", "XXXX-03-10", "2024-03-10"),
        (said, "suggested", "XXXX-03-10", "2024-03-10"),
    ]  # the full date does not depend on it
    step = project.documents.update_metadata([doc], published="2024-05-20")
    assert (_edtf(project, left), _edtf(project, said)) == ("XXXX-03-10", "2024-03-10")
    assert project.records.get(said).date_earliest == "2024-03-10"
    assert step.changes.changed["record"] == {said}
    assert step.changes.changed["document"] == {doc}
    project.steps.restore(step.before)
    assert (_edtf(project, said), project.documents.get(doc).published) == ("XXXX-03-10", None)
    project.steps.restore(step.after)
    assert _edtf(project, said) == "2024-03-10"


def test_accepted_dates_change_only_when_confirmed(
    dated: tuple[Project, DocumentId, list[RecordId]],
) -> None:
    project, doc, (left, said, full) = dated
    before_full = project.records.get(full)
    step = project.documents.update_metadata([doc], published="2023-01-15", redate_accepted=True)
    # a March 10 written in mid-January is last year's
    assert (_edtf(project, left), _edtf(project, said)) == ("2022-03-10", "2022-03-10")
    assert project.records.get(full) == before_full
    project.steps.restore(step.before)
    assert _edtf(project, left) == "XXXX-03-10"
    assert project.documents.redatings([doc], None) == []  # nothing changes: no date either way


def test_deleting_a_document_takes_what_only_it_supports_and_undo_brings_all_back(
    project: Project, tmp_path: Path
) -> None:
    first = import_text(project, tmp_path, "first.txt", FIRST).id
    second = import_text(project, tmp_path, "second.txt", SECOND).id
    only_here = _event(project, first, FIRST, "two medics left", "March 10")
    start = FIRST.index("Kherson")
    both = project.review.annotate(first, start, start + 7, "place").record_ids[0]
    elsewhere = SECOND.index("Kherson")
    project.review.attach(second, elsewhere, elsewhere + 7, both)
    with project.transaction() as session:
        session.add(Suppression(document_id=first, start=0, end=9, code_id=1))
    impact = project.documents.deletion_impact([first])
    assert (impact.documents, impact.annotations, impact.records_removed) == (1, 2, 1)
    assert impact.records_kept == 1
    before = _state(project)

    step = project.documents.delete([first])
    assert [d.id for d in project.documents.list()] == [second]
    assert {r.id for r in project.records.list()} == {both}
    assert [a.document_id for a in project.annotations.for_record(both)] == [second]
    assert project.search.find("medics left") == []
    assert step.changes.removed["document"] == {first}
    assert step.changes.removed["record"] == {only_here}
    with pytest.raises(NotFoundError):
        project.documents.get(first)

    project.steps.restore(step.before)
    assert _state(project) == before
    assert [h.document_id for h in project.search.find("medics left")] == [first]
    project.steps.restore(step.after)
    assert [d.id for d in project.documents.list()] == [second]
    with project.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def _state(project: Project) -> tuple[object, ...]:
    with project.session() as session:
        suppressions = session.scalar(select(func.count()).select_from(Suppression))
    return (
        [(d.id, d.title, d.text_sha256) for d in project.documents.list()],
        [project.documents.text(d.id) for d in project.documents.list()],
        sorted((r.id, r.label, r.date_edtf, r.document_ids) for r in project.records.list()),
        suppressions,
    )


def test_rename_is_a_step_and_a_title_is_needed(project: Project, tmp_path: Path) -> None:
    doc = import_text(project, tmp_path, "first.txt", FIRST).id
    step = project.documents.rename(doc, "  Interview 7 ")
    assert project.documents.get(doc).title == "Interview 7"
    project.steps.restore(step.before)
    assert project.documents.get(doc).title == "Deserters 🙂 in Kherson"
    with pytest.raises(InvalidInputError, match="needs a title"):
        project.documents.rename(doc, "   ")
    with pytest.raises(InvalidInputError, match="no documents given"):
        project.documents.delete([])
    with pytest.raises(NotFoundError, match="no document with id 99"):
        project.documents.delete([DocumentId(99)])


def test_undoing_an_annotation_keeps_a_suppression_at_its_span(
    project: Project, tmp_path: Path
) -> None:
    doc = import_text(project, tmp_path, "first.txt", FIRST).id
    person = project.codebook.get("person").id
    with project.transaction() as session:
        session.add(Suppression(document_id=doc, start=0, end=9, code_id=person))
    step = project.review.annotate(doc, 0, 9, "person")
    project.steps.restore(step.before)
    with project.session() as session:
        assert session.scalar(select(func.count()).select_from(Suppression)) == 1
    project.steps.restore(step.after)
    assert len(project.records.list()) == 1


def test_a_document_imported_again_in_its_place_is_never_overwritten_by_an_undo(
    project: Project, tmp_path: Path
) -> None:
    import_text(project, tmp_path, "first.txt", FIRST)
    second = import_text(project, tmp_path, "second.txt", SECOND).id
    deleted = project.documents.delete([second])
    again = import_text(project, tmp_path, "second-again.txt", SECOND)  # takes id 2 again
    before = [(d.id, d.title, d.imported_at) for d in project.documents.list()]
    with pytest.raises(StepConflictError, match="was imported since and took its place"):
        project.steps.restore(deleted.before)
    assert [(d.id, d.title, d.imported_at) for d in project.documents.list()] == before
    project.documents.delete([again.id])
    third = import_text(project, tmp_path, "third.txt", "Something else\n\nAltogether.\n")
    moved = import_text(project, tmp_path, "moved.txt", SECOND)  # the same text, a new id
    assert moved.id != second and third.id == second
    with pytest.raises(StepConflictError):
        project.steps.restore(deleted.before)
