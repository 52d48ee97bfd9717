"""Merge and split edge cases: what the merged record keeps (aliases, both dates, links), what
a split carries over, what is refused, and that undo and redo restore every row exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_text, review_rows
from workbench.domain import RecordInfo
from workbench.errors import InvalidInputError
from workbench.project import Project
from workbench.services.steps import StepResult

WARD = (
    "Dr. Olena Marchenko treated the wounded in Kherson in late March. "
    "Marchenko said about 200 soldiers came through her ward. "
    "Yelena Marchenko later left for Kyiv. "
    "Between 1,200 and 1,500 soldiers deserted from the 47th Tank Division in May.\n"
)
PAIR = "Olena Marchenko and Yelena Marchenko deserted from the 47th Tank Division in May 2024.\n"


def extracted(project: Project, folder: Path, text: str) -> int:
    """Import ``text`` (published 20 May 2024) and run extraction; the document's id."""
    doc = import_text(project, folder, "testimony.txt", text, published="2024-05-20")
    project.extraction.run()
    return doc.id


def links(project: Project) -> set[tuple[int, int, str]]:
    with project.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT source_id, target_id, role FROM record_links")
        return {(s, t, r) for s, t, r in rows}


def record(project: Project, type_name: str, label_start: str) -> RecordInfo:
    """The record of a type whose label starts with ``label_start``."""
    found = [
        r for r in project.records.list(type_name=type_name) if r.label.startswith(label_start)
    ]
    assert len(found) == 1, found
    return found[0]


def undo_redo_exactly(project: Project, result: StepResult, original: list[Any]) -> None:
    """Undo gives back the state before the step, redo the state right after it."""
    after = review_rows(project)
    project.steps.restore(result.before)
    assert review_rows(project) == original
    project.steps.restore(result.after)
    assert review_rows(project) == after


# --- merge


def test_merged_events_keep_both_dates_and_the_source_links(
    project: Project, tmp_path: Path
) -> None:
    extracted(project, tmp_path, WARD)
    treated = record(project, "event", "Dr. Olena")
    deserted = record(project, "event", "Between")
    assert (treated.date_edtf, deserted.date_edtf) == ("2024-03-21/2024-03-31", "2024-05")
    source_links = {(t, role) for s, t, role in links(project) if s == deserted.id}
    assert source_links  # the unit and the figure of the desertion
    original = review_rows(project)

    result = project.review.merge(treated.id, [deserted.id])

    merged = project.records.get(treated.id)
    assert deserted.id not in {r.id for r in project.records.list()}
    assert (merged.date_text, merged.date_edtf) == ("late March", "2024-03-21/2024-03-31")
    assert merged.fields["dates"] == [
        {
            "text": "May",
            "edtf": "2024-05",
            "earliest": "2024-05-01",
            "latest": "2024-05-31",
            "source": deserted.label,
        }
    ]
    assert merged.fields["aliases"] == [deserted.label]
    assert merged.fields["event_type"] == "injury"  # the target's own fields stay
    assert source_links <= {(t, role) for s, t, role in links(project) if s == treated.id}
    assert result.record_ids == (treated.id,)
    assert result.changes.removed["record"] == {deserted.id}
    undo_redo_exactly(project, result, original)


def test_an_undated_target_takes_the_date_of_the_first_dated_source(
    project: Project, tmp_path: Path
) -> None:
    doc = extracted(project, tmp_path, WARD)
    start = WARD.index("her ward")
    manual = project.review.annotate(doc, start, start + len("her ward"), "event").record_ids[0]
    deserted = record(project, "event", "Between")
    original = review_rows(project)

    result = project.review.merge(manual, [deserted.id])

    merged = project.records.get(manual)
    assert (merged.date_text, merged.date_edtf) == ("May", "2024-05")
    assert (merged.date_earliest, merged.date_latest) == ("2024-05-01", "2024-05-31")
    assert "dates" not in merged.fields  # the one reading became the record's own date
    undo_redo_exactly(project, result, original)


def test_a_date_read_twice_is_kept_once(project: Project, tmp_path: Path) -> None:
    extracted(project, tmp_path, WARD)
    treated = record(project, "event", "Dr. Olena")
    deserted = record(project, "event", "Between")
    doc = project.documents.list()[0].id
    start = WARD.index("her ward")
    same = project.review.annotate(doc, start, start + 3, "event").record_ids[0]
    project.review.edit(same, date_text="late March")  # the target's own reading
    again = project.review.annotate(doc, start + 4, start + 8, "event").record_ids[0]
    project.review.edit(again, date_text="in May")  # the desertion's reading, written otherwise

    project.review.merge(treated.id, [same, deserted.id, again])

    dates = project.records.get(treated.id).fields["dates"]
    assert [(d["edtf"], d["earliest"], d["latest"]) for d in dates] == [
        ("2024-05", "2024-05-01", "2024-05-31")
    ]


def test_merged_people_keep_every_name_as_an_alias(project: Project, tmp_path: Path) -> None:
    extracted(project, tmp_path, WARD)
    olena = record(project, "person", "Olena")
    yelena = record(project, "person", "Yelena")
    assert olena.fields["aliases"] == ["Marchenko"]
    project.review.edit(yelena.id, fields={"aliases": ["Lena"]})
    doc = project.documents.list()[0].id
    start = WARD.index("Olena")  # a second record with the target's own name
    twin = project.review.annotate(doc, start, start + len("Olena"), "person").record_ids[0]
    project.review.edit(twin, label="Olena Marchenko")

    project.review.merge(olena.id, [yelena.id, twin])

    merged = project.records.get(olena.id)
    assert merged.label == "Olena Marchenko"
    assert merged.fields["aliases"] == ["Lena", "Marchenko", "Yelena Marchenko"]
    assert merged.evidence_count == olena.evidence_count + yelena.evidence_count + 1


def test_merging_two_participants_of_one_event_leaves_one_link(
    project: Project, tmp_path: Path
) -> None:
    extracted(project, tmp_path, PAIR)
    olena = record(project, "person", "Olena")
    yelena = record(project, "person", "Yelena")
    event = record(project, "event", "Olena")
    assert {(event.id, olena.id, "participant"), (event.id, yelena.id, "participant")} <= links(
        project
    )
    original = review_rows(project)

    result = project.review.merge(olena.id, [yelena.id])

    participants = {(t, role) for s, t, role in links(project) if s == event.id}
    assert (olena.id, "participant") in participants
    assert all(t != yelena.id for t, _ in participants)
    assert len([1 for _, role in participants if role == "participant"]) == 1
    undo_redo_exactly(project, result, original)


def test_a_merge_with_nothing_to_merge_is_refused(project: Project, tmp_path: Path) -> None:
    extracted(project, tmp_path, WARD)
    olena = record(project, "person", "Olena")
    original = review_rows(project)
    with pytest.raises(InvalidInputError, match="at least two"):
        project.review.merge(olena.id, [olena.id])
    with pytest.raises(InvalidInputError, match="at least two"):
        project.review.merge(olena.id, [])
    assert review_rows(project) == original


# --- split


def test_a_split_off_record_keeps_type_status_and_confidence(
    project: Project, tmp_path: Path
) -> None:
    doc = extracted(project, tmp_path, WARD)
    olena = record(project, "person", "Olena")
    project.review.set_status([olena.id], "accepted")
    passages = project.annotations.for_record(olena.id)
    assert [p.quote for p in passages] == ["Olena Marchenko", "Marchenko"]
    original = review_rows(project)

    result = project.review.split_passage(olena.id, doc, passages[1].start, passages[1].end)

    (new_id,) = result.record_ids
    new = project.records.get(new_id)
    assert (new.type, new.label, new.status) == ("person", "Marchenko", "accepted")
    assert (new.origin, new.confidence) == (olena.origin, olena.confidence)
    assert [p.id for p in project.annotations.for_record(new_id)] == [passages[1].id]
    assert [p.id for p in project.annotations.for_record(olena.id)] == [passages[0].id]
    assert result.changes.added["record"] == {new_id}
    undo_redo_exactly(project, result, original)


def test_split_refuses_what_is_not_the_records_own_or_is_all_of_it(
    project: Project, tmp_path: Path
) -> None:
    doc = extracted(project, tmp_path, WARD)
    olena = record(project, "person", "Olena")
    kherson = record(project, "place", "Kherson")
    (foreign,) = project.annotations.for_record(kherson.id)
    original = review_rows(project)
    with pytest.raises(InvalidInputError, match="not all"):
        project.review.split(olena.id, [foreign.id])
    with pytest.raises(InvalidInputError, match="not all"):
        project.review.split(olena.id, [])
    with pytest.raises(InvalidInputError, match="not all"):  # a span over both her passages
        project.review.split_passage(olena.id, doc, 0, len(WARD))
    assert review_rows(project) == original


# --- edit


def test_edit_writes_note_and_fields_and_refuses_a_blank_label_or_unknown_type(
    project: Project, tmp_path: Path
) -> None:
    extracted(project, tmp_path, WARD)
    figure = record(project, "figure", "about 200")
    original = review_rows(project)
    result = project.review.edit(
        figure.id, note="Her own count", fields={"value": 250.0, "unit": "soldiers"}
    )
    edited = project.records.get(figure.id)
    assert edited.note == "Her own count"
    assert dict(edited.fields) == {"value": 250.0, "unit": "soldiers"}
    undo_redo_exactly(project, result, original)

    project.steps.restore(result.before)
    with pytest.raises(InvalidInputError, match="needs a label"):
        project.review.edit(figure.id, label="   ")
    with pytest.raises(InvalidInputError, match="unknown record type"):
        project.review.edit(figure.id, type_name="desertion")  # a code, not a record type
    assert review_rows(project) == original


def test_a_date_phrase_is_previewed_against_the_documents_published_date(
    project: Project, tmp_path: Path
) -> None:
    extracted(project, tmp_path, WARD)
    olena = record(project, "person", "Olena")
    reading = project.review.preview_date(olena.id, "  early April ")
    assert reading is not None
    assert (str(reading.earliest), str(reading.latest)) == ("2024-04-01", "2024-04-10")
    assert reading.inferred  # the year comes from the document, published in May 2024
    assert project.review.preview_date(olena.id, "   ") is None
    assert project.review.preview_date(olena.id, "whenever") is None
    assert project.records.get(olena.id).date_text is None  # a preview stores nothing


def test_a_step_on_no_records_is_refused(project: Project, tmp_path: Path) -> None:
    extracted(project, tmp_path, WARD)
    original = review_rows(project)
    with pytest.raises(InvalidInputError, match="no records"):
        project.review.set_status([], "accepted")
    with pytest.raises(InvalidInputError, match="nothing to annotate"):
        project.review.annotate_many([], "person")
    assert review_rows(project) == original
