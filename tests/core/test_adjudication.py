"""Differences between annotators' passages of one document, and adjudication into the
reviewed layer, on hand-made cases and on a real project file (offsets in code points, with
emoji and Cyrillic before the passages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.test_agreement import TEXT, _span
from workbench.errors import InvalidInputError, NotFoundError, RecordChangedError
from workbench.project import Project
from workbench.services.adjudication import AdjudicationService
from workbench.services.agreement import REVIEWED, AgreementService
from workbench.services.layers import LayerService, Mark, differences
from workbench.storage.models import Annotation, AuditEntry


def _mark(i: int, who: str, start: int, end: int, code: str = "person") -> Mark:
    return Mark(i, who, start, end, code, f"q{i}")


def test_every_kind_of_difference_in_text_order() -> None:
    marks = [
        _mark(1, "A", 0, 5), _mark(2, "B", 0, 5),  # the same passage
        _mark(3, "A", 10, 20),  # only A
        _mark(4, "B", 30, 40, "place"), _mark(5, "A", 32, 38, "person"),  # other codes
        _mark(6, "A", 50, 60), _mark(7, "B", 52, 60),  # other boundaries
        _mark(8, "B", 70, 75),  # only B
        _mark(9, "C", 0, 5),  # someone not compared
    ]  # fmt: skip
    found = differences(marks, ["A", "B"])
    assert [(d.start, d.end, d.kind) for d in found] == [
        (0, 5, "agreement"), (10, 20, "only"), (30, 40, "codes"), (50, 60, "boundaries"),
        (70, 75, "only"),
    ]  # fmt: skip
    assert [d.describe() for d in found] == [
        "agreement", "only A", "different codes", "same code, different boundaries", "only B",
    ]  # fmt: skip
    assert found[2].of("B") == (marks[3],)
    assert found[0].ids == {1, 2}


def test_touching_passages_stay_apart_and_chains_join() -> None:
    marks = [_mark(1, "A", 0, 5), _mark(2, "B", 5, 9), _mark(3, "A", 20, 30),
             _mark(4, "B", 25, 40), _mark(5, "A", 38, 45)]  # fmt: skip
    found = differences(marks, ["A", "B"])
    assert [(d.start, d.end, d.kind) for d in found] == [
        (0, 5, "only"),
        (5, 9, "only"),
        (20, 45, "boundaries"),
    ]


def test_overlapping_passages_of_one_annotator_are_one_stretch() -> None:
    marks = [_mark(1, "A", 0, 6), _mark(2, "A", 4, 10), _mark(3, "B", 0, 10)]
    assert differences(marks, ["A", "B"])[0].kind == "agreement"


def test_three_annotators_one_missing_is_only_the_others() -> None:
    marks = [_mark(1, "A", 0, 5), _mark(2, "B", 0, 5)]
    found = differences(marks, ["A", "B", "C"])
    assert found[0].kind == "only"
    assert found[0].describe() == "only A, B"
    assert differences([], ["A", "B"]) == []


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Anna and Boris annotated the same text; Vera only one name."""
    path = tmp_path / "team.twb"
    source = tmp_path / "one.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project(path, create=True, actor="lead") as project:
        project.documents.import_file(source)
    work = {
        "Anna": [("person", "Олена"), ("person", "Іван Петренко"), ("place", "Херсон")],
        "Boris": [("person", "Олена"), ("person", "Петренко"), ("person", "Херсон")],
        "Vera": [("person", "Олена")],
    }
    for actor, passages in work.items():
        with Project(path, actor=actor) as project:
            for code, phrase in passages:
                project.review.annotate(1, *_span(phrase), code)
    with Project(path, actor="Anna") as project:  # a passage only Anna saw
        project.review.annotate(1, *_span("Херсон", 1), "place")
    return path


def test_compare_a_real_file_in_code_points(team: Path) -> None:
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        assert service.annotators(1) == ["Anna", "Boris", "Vera"]
        comparison = service.compare(1, ["Anna", "Boris"])
    rows = [(TEXT[i.difference.start : i.difference.end], i.difference.describe())
            for i in comparison.items]  # fmt: skip
    assert rows == [
        ("Олена", "agreement"),
        ("Іван Петренко", "same code, different boundaries"),
        ("Херсон", "different codes"),
        ("Херсон", "only Anna"),
    ]
    assert comparison.disagreements() == 3
    assert comparison.undecided() == 3
    assert comparison.next_undecided(0) == 1
    assert all(m.quote == TEXT[m.start : m.end] for i in comparison.items
               for m in i.difference.marks)  # fmt: skip


def test_each_decision_writes_the_reviewed_layer_and_undo_takes_it_back(team: Path) -> None:
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        comparison = service.compare(1, ["Anna", "Boris"])
        bounds, codes, alone = (i.difference for i in comparison.items[1:])
        result = service.decide(1, ["Anna", "Boris"], bounds.ids, ["Boris"])
        service.decide(1, ["Anna", "Boris"], codes.ids, ["Anna", "Boris"])
        service.decide(1, ["Anna", "Boris"], alone.ids, [])
        after = service.compare(1, ["Anna", "Boris"])
        assert [i.decision() for i in after.items] == ["", "Boris", "both", "neither"]
        assert after.undecided() == 0
        assert after.next_undecided(0) is None
        with project.session() as session:
            copies = session.execute(
                select(Annotation.quote, Annotation.status).where(Annotation.author == REVIEWED)
                .order_by(Annotation.start, Annotation.end, Annotation.code_id)
            ).all()  # fmt: skip
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "adjudication.decide")
                .order_by(AuditEntry.id)
            ).first()  # fmt: skip
        assert copies == [
            ("Іван Петренко", "rejected"), ("Петренко", "accepted"),
            ("Херсон", "accepted"), ("Херсон", "accepted"), ("Херсон", "rejected"),
        ]  # fmt: skip
        assert entry is not None and entry.actor == "lead"
        assert entry.detail["accepted"] == ["Boris"]
        assert entry.detail["kind"] == "boundaries"
        # the annotators' own passages and the agreement figures did not change
        assert AgreementService(project).annotators() == [REVIEWED, "Anna", "Boris", "Vera"]
        assert len(service.compare(1, ["Anna", "Boris"]).items) == 4
        # a new decision replaces the old one; undo (restore) brings the old one back
        again = service.decide(1, ["Anna", "Boris"], bounds.ids, ["Anna"])
        assert service.compare(1, ["Anna", "Boris"]).items[1].decision() == "Anna"
        project.steps.restore(again.before)
        assert service.compare(1, ["Anna", "Boris"]).items[1].decision() == "Boris"
        project.steps.restore(result.before)
        assert service.compare(1, ["Anna", "Boris"]).items[1].decision() == ""
        project.steps.restore(result.after)
        assert service.compare(1, ["Anna", "Boris"]).items[1].decision() == "Boris"


def test_agreement_compares_the_reviewed_layer_only_when_named(team: Path) -> None:
    """The lead's decisions are no annotator of the team: left out of the default figures
    (they counted as one at first), compared with an annotator when asked."""
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        bounds = service.compare(1, ["Anna", "Boris"]).items[1].difference
        service.decide(1, ["Anna", "Boris"], bounds.ids, ["Boris"])
        agreement = AgreementService(project)
        assert agreement.compute().annotators == ("Anna", "Boris", "Vera")
        assert agreement.compute(["Boris", REVIEWED]).annotators == ("Boris", REVIEWED)


def test_an_accepted_copy_is_evidence_of_the_same_record(team: Path) -> None:
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        bounds = service.compare(1, ["Anna", "Boris"]).items[1].difference
        service.decide(1, ["Anna", "Boris"], bounds.ids, ["Anna"])
        (anna,) = bounds.of("Anna")
        copies = [a for a in project.annotations.for_document(1) if a.author == REVIEWED]
        accepted = [a for a in copies if a.status == "accepted"]
        assert [a.record_ids for a in accepted] == [anna.record_ids]
        assert LayerService(project).records_by([REVIEWED]) == set(anna.record_ids)


def test_a_decision_counts_a_write_on_the_records_it_links(team: Path) -> None:
    """Taking a version links its passage to that version's records: like attaching a
    passage, a write on each, so an edit read before it is refused and undo checks them."""
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        bounds = service.compare(1, ["Anna", "Boris"]).items[1].difference
        (anna,) = bounds.of("Anna")
        (record,) = anna.record_ids
        read = project.records.get(record).version
        result = service.decide(1, ["Anna", "Boris"], bounds.ids, ["Anna"])
        assert project.records.get(record).version == read + 1
        with pytest.raises(RecordChangedError, match="since you read it: nothing was changed"):
            project.review.edit(record, label="Іван", seen=read)
        assert project.records.get(record).label != "Іван"
        project.steps.restore(result.before, result.after)  # undo
        assert service.compare(1, ["Anna", "Boris"]).items[1].decision() == ""
        assert project.records.get(record).version == read + 2


def test_bad_requests_are_refused_in_one_line(team: Path) -> None:
    with Project(team, actor="lead") as project:
        service = AdjudicationService(project)
        item = service.compare(1, ["Anna", "Boris"]).items[1].difference
        cases = [
            (lambda: service.compare(1, ["Anna"]), "two or more"),
            (lambda: service.compare(1, ["Anna", REVIEWED]), "reviewed layer"),
            (lambda: service.compare(9, ["Anna", "Boris"]), "no document with id 9"),
            (lambda: service.decide(1, ["Anna", "Boris"], item.ids, ["Vera"]), "'Vera'"),
            (lambda: service.decide(1, ["Anna", "Boris"], frozenset({999}), []), "compare again"),
        ]
        for call, words in cases:
            with pytest.raises((InvalidInputError, NotFoundError)) as caught:
                call()
            assert words in str(caught.value)
            assert "\n" not in str(caught.value)
        with project.session() as session:
            assert (
                session.scalar(select(Annotation.id).where(Annotation.author == REVIEWED)) is None
            )


def test_layers_name_annotators_and_their_records(team: Path) -> None:
    with Project(team, actor="lead") as project:
        layers = LayerService(project)
        assert layers.annotators() == ["Anna", "Boris", "Vera"]
        vera = layers.records_by(["Vera"])
        assert len(vera) == 1
        assert vera < layers.records_by(["Vera", "Anna"])
        assert layers.records_by([]) == set()
