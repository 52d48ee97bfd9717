"""Corpus search: phrases found at exact code-point offsets, annotated in one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import import_text, review_rows
from workbench.domain import DocumentId, Passage
from workbench.errors import InvalidInputError, WorkbenchError
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


HOSPITAL = (
    "He was hospitalized in March. The hospital was shelled;\n"
    "🙂hospital🙂 staff and the Hospital's doctors stayed. Hospitals elsewhere were full.\n"
)


def test_whole_words_by_default(project: Project, tmp_path: Path) -> None:
    doc = import_text(project, tmp_path, "a.txt", HOSPITAL).id
    only_longer = import_text(project, tmp_path, "b.txt", "She was hospitalized twice.\n").id
    hits = project.search.find("hospital")
    assert [(h.document_id, h.match) for h in hits] == [
        (doc, "hospital"),
        (doc, "hospital"),  # between emoji: they are not letters
        (doc, "Hospital"),  # before an apostrophe
    ]
    text = project.documents.text(doc)
    assert [h.start for h in hits] == [
        text.index("hospital was"),
        text.index("hospital🙂"),
        text.index("Hospital's"),
    ]
    anywhere = project.search.find("hospital", whole_word=False)
    assert [(h.document_id, h.match) for h in anywhere] == [
        (doc, "hospital"),  # of "hospitalized"
        (doc, "hospital"),
        (doc, "hospital"),
        (doc, "Hospital"),
        (doc, "Hospital"),  # of "Hospitals"
        (only_longer, "hospital"),  # a document where it only begins a longer word
    ]


def test_whole_words_in_cyrillic(project: Project, tmp_path: Path) -> None:
    text = "Его госпитализировали. Госпиталь 🇺🇦госпиталь🇺🇦 закрыли, в госпитале нет мест.\n"
    doc = import_text(project, tmp_path, "ru.txt", text, language="ru").id
    hits = project.search.find("госпиталь")
    assert [(h.match, h.start) for h in hits] == [
        ("Госпиталь", text.index("Госпиталь")),
        ("госпиталь", text.index("госпиталь🇺🇦")),
    ]
    assert {h.document_id for h in hits} == {doc}
    assert [h.match for h in project.search.find("госпитал", whole_word=False)] == [
        "госпитал",
        "Госпитал",
        "госпитал",
        "госпитал",
    ]


def test_whole_words_with_punctuation_at_the_edges(project: Project, tmp_path: Path) -> None:
    import_text(project, tmp_path, "a.txt", "The U.S. side and the U.S.A. side; Storm-Z men.\n")
    assert [h.match for h in project.search.find("U.S.")] == ["U.S.", "U.S."]
    assert [h.match for h in project.search.find("storm-z")] == ["Storm-Z"]
    assert project.search.find("storm") != []  # "Storm-Z": the hyphen is a boundary
    assert project.search.find("stor") == []


def test_all_hits_as_one_record_is_one_undoable_step(project: Project, tmp_path: Path) -> None:
    import_text(project, tmp_path, "a.txt", HOSPITAL)
    import_text(project, tmp_path, "b.txt", "The hospital in Kherson.\n")
    original = review_rows(project)
    hits = project.search.find("hospital")
    passages = [Passage(h.document_id, h.start, h.end) for h in hits]
    result = project.review.annotate_as_one(passages, "place", "hospital")
    (record,) = project.records.list()
    assert (record.label, record.type, record.status, record.origin) == (
        "hospital", "place", "accepted", "manual",
    )  # fmt: skip
    assert record.evidence_count == 4 and record.document_ids == (1, 2)
    quotes = [(a.document_id, a.start, a.quote) for a in project.annotations.for_record(record.id)]
    assert quotes == [(h.document_id, h.start, h.match) for h in hits]
    assert result.record_ids == (record.id,)
    assert result.changes.added["record"] == {record.id}
    assert len(result.changes.added["annotation"]) == 4
    created = [(e.entity_id, e.detail) for e in project.audit.list() if e.action == "record.create"]
    assert created == [(record.id, {"label": "hospital", "type": "place", "passages": 4})]  # one
    done = review_rows(project)
    project.steps.restore(result.before)
    assert review_rows(project) == original
    project.steps.restore(result.after)
    assert review_rows(project) == done
    details = [e.detail for e in project.audit.list() if e.action == "record.create"]
    # the undo removed the record: its entry kept no label (tests/core/test_real_deletion.py)
    assert details == [{"type": "place", "passages": 4, "erased": True}]


def test_all_hits_as_one_record_is_all_or_nothing(project: Project, tmp_path: Path) -> None:
    doc = import_text(project, tmp_path, "a.txt", HOSPITAL).id
    good = Passage(doc, 0, 2)
    for passages, kind in (
        ([good, Passage(doc, 5, 10_000)], "place"),  # past the end of the text
        ([good, Passage(DocumentId(99), 0, 2)], "place"),  # no such document
        ([good], "no-such-type"),
        ([], "place"),
    ):
        with pytest.raises(WorkbenchError):
            project.review.annotate_as_one(passages, kind, "hospital")
    with pytest.raises(InvalidInputError):
        project.review.annotate_as_one([good], "place", "  ")
    assert review_rows(project) == []
