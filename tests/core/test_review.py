"""Review steps: each changes what it says, writes the audit log, and undoes exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import import_text, review_rows
from workbench.errors import InvalidInputError, NotFoundError
from workbench.project import Project
from workbench.storage.models import AuditEntry, Record, Suppression

TEXT = (
    "Dr. Olena Marchenko treated the wounded in Kherson in late March. "
    "Marchenko said about 200 soldiers came through her ward. "
    "Yelena Marchenko later left for Kyiv.\n"
)


@pytest.fixture
def reviewed(project: Project, tmp_path: Path) -> tuple[Project, int]:
    info = import_text(project, tmp_path, "ward.txt", TEXT, published="2024-05-20")
    project.extraction.run()
    return project, info.id


def _state(project: Project) -> list[tuple[object, ...]]:
    """Everything review can change, to compare before and after undo (which counts one
    more write on each record rather than putting its version back)."""
    return review_rows(project)


def _person(project: Project, label: str) -> int:
    return next(r.id for r in project.records.list(type_name="person") if r.label == label)


def _audits(project: Project) -> int:
    with project.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_accept_and_reject_with_undo_redo(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    original = _state(project)
    audits = _audits(project)
    person = _person(project, "Olena Marchenko")
    result = project.review.set_status([person], "accepted")
    assert result.changes.changed["record"] == {person}
    assert result.changes.changed["annotation"]
    accepted = _state(project)
    assert project.records.get(person).status == "accepted"
    assert _audits(project) == audits + 1
    project.steps.restore(result.before)
    assert _state(project) == original
    project.steps.restore(result.after)
    assert _state(project) == accepted


def test_bulk_by_type_document_and_confidence(reviewed: tuple[Project, int]) -> None:
    project, doc_id = reviewed
    result = project.review.bulk_status("accepted", type_name="place", document_id=doc_id)
    assert result is not None
    places = project.records.list(type_name="place")
    assert places
    assert all(p.status == "accepted" for p in places)
    assert all(r.status == "suggested" for r in project.records.list(type_name="person"))
    assert project.review.bulk_status("rejected", min_confidence=1.01) is None
    low = project.review.bulk_status("rejected", max_confidence=1.01)
    assert low is not None
    assert {r.status for r in project.records.list()} == {"accepted", "rejected"}


def test_edit_label_type_and_date_then_undo(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    original = _state(project)
    event = project.records.list(type_name="event")[0]
    result = project.review.edit(event.id, label="Treated the wounded", date_text="early 2023")
    edited = project.records.get(event.id)
    assert edited.label == "Treated the wounded"
    assert (edited.date_earliest, edited.date_latest) == ("2023-01-01", "2023-04-30")
    assert edited.date_edtf
    with pytest.raises(InvalidInputError, match="as a date"):
        project.review.edit(event.id, date_text="whenever")
    project.steps.restore(result.before)
    assert _state(project) == original
    person = _person(project, "Olena Marchenko")
    project.review.edit(person, type_name="organization")
    assert person in {r.id for r in project.records.list(type_name="organization")}


def test_merge_moves_evidence_and_keeps_aliases(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    original = _state(project)
    olena = _person(project, "Olena Marchenko")
    yelena = _person(project, "Yelena Marchenko")
    evidence = {r.id: r.evidence_count for r in project.records.list()}
    result = project.review.merge(olena, [yelena])
    merged = {r.id: r for r in project.records.list(type_name="person")}
    assert yelena not in merged
    assert merged[olena].evidence_count == evidence[olena] + evidence[yelena]
    with project.session() as session:
        record = session.get(Record, olena)
        assert record is not None
        assert "Yelena Marchenko" in record.fields["aliases"]
    assert result.changes.removed["record"] == {yelena}
    project.steps.restore(result.before)
    assert _state(project) == original


def test_merge_refuses_mixed_types(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    person = _person(project, "Olena Marchenko")
    place = project.records.list(type_name="place")[0].id
    before = _state(project)
    with pytest.raises(InvalidInputError, match="same type"):
        project.review.merge(person, [place])
    assert _state(project) == before


def test_split_then_undo(reviewed: tuple[Project, int]) -> None:
    project, doc_id = reviewed
    original = _state(project)
    olena = _person(project, "Olena Marchenko")
    annotations = [a for a in project.annotations.for_document(doc_id) if olena in a.record_ids]
    assert len(annotations) >= 2
    result = project.review.split(olena, [annotations[-1].id])
    (new_id,) = result.record_ids
    new = project.records.get(new_id)
    assert new.evidence_count == 1
    assert new.label == annotations[-1].quote
    with pytest.raises(InvalidInputError):
        project.review.split(olena, [a.id for a in annotations[:-1]])
    project.steps.restore(result.before)
    assert _state(project) == original


def test_split_a_passage_by_its_span(reviewed: tuple[Project, int]) -> None:
    project, doc_id = reviewed
    olena = _person(project, "Olena Marchenko")
    last = [a for a in project.annotations.for_document(doc_id) if olena in a.record_ids][-1]
    result = project.review.split_passage(olena, doc_id, last.start + 1, last.start + 2)
    (new_id,) = result.record_ids
    assert [a.id for a in project.annotations.for_record(new_id)] == [last.id]
    with pytest.raises(InvalidInputError):  # nothing of hers there
        project.review.split_passage(olena, doc_id, 0, 1)


def test_suggestions_of_a_document_in_text_order(reviewed: tuple[Project, int]) -> None:
    project, doc_id = reviewed
    queue = project.records.suggestions_in(doc_id)
    starts = [span.start for _, span in queue]
    assert starts == sorted(starts) and len({r for r, _ in queue}) == len(queue)
    suggested = {r.id for r in project.records.list(document_id=doc_id, status="suggested")}
    assert {r for r, _ in queue} == suggested
    project.review.set_status([queue[0][0]], "accepted")
    assert queue[0][0] not in {r for r, _ in project.records.suggestions_in(doc_id)}


def test_delete_suppresses_and_undo_restores(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    original = _state(project)
    place = project.records.list(type_name="place")[0]
    result = project.review.delete([place.id])
    assert place.id not in {r.id for r in project.records.list()}
    with project.session() as session:
        assert session.scalar(select(func.count()).select_from(Suppression)) == place.evidence_count
    assert project.extraction.run().added == {}
    project.steps.restore(result.before)
    assert _state(project) == original


def test_unknown_records_are_refused(reviewed: tuple[Project, int]) -> None:
    project, _ = reviewed
    original = _state(project)
    with pytest.raises(NotFoundError) as unknown:
        project.review.set_status([9999], "accepted")
    assert str(unknown.value) == "no record with id 9999"
    with pytest.raises(InvalidInputError, match="unknown status"):
        project.review.set_status([1], "maybe")
    assert _state(project) == original


def test_annotate_and_attach_are_undoable(reviewed: tuple[Project, int]) -> None:
    project, doc_id = reviewed
    original = _state(project)
    start = TEXT.index("her ward")
    created = project.review.annotate(doc_id, start, start + len("her ward"), "place")
    (record_id,) = created.record_ids
    assert created.changes.added["record"] == {record_id}
    project.steps.restore(created.before)
    assert _state(project) == original
    project.steps.restore(created.after)
    assert record_id in {r.id for r in project.records.list(type_name="place")}

    olena = _person(project, "Olena Marchenko")
    count = project.records.get(olena).evidence_count
    before_attach = _state(project)
    start = TEXT.index("Yelena")
    attached = project.review.attach(doc_id, start, start + len("Yelena"), olena)
    assert project.records.get(olena).evidence_count == count + 1
    project.steps.restore(attached.before)
    assert _state(project) == before_attach
