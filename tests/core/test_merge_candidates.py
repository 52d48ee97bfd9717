"""Merge proposals say why they were made, rank names that say little low (a lone first
name across documents, different titles), and show each record's passages in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import import_text, review_rows
from workbench.domain import DocumentId, RecordId
from workbench.errors import InvalidInputError, NotFoundError
from workbench.project import Project
from workbench.services.merge_candidates import CONTEXT, Excerpt

DOCUMENTS = {
    "soldier": "The soldier Dmitry said the unit left Bakhmut.\n",
    "doctor": "Dr. Dmitri treated the wounded in Kherson.\n",
    "deserter": "Pavel Zhilyaev deserted; Zhilyaev hid in a barn.\n",
    "hiding": "Pavel Zhylyaev hid for a week. Zhylyaev found a boat.\n",
    "sergeant": "Sergeant Ivan Petrov commanded the checkpoint.\n",
    "surgeon": "The surgeon Ivan Petrov operated all night.\n",
    "calls": "Natalia called at noon. Later Natalia wrote again.\n",
    "family": "Zoryana Kuzmenko spoke to us.\n",
    "left": "Zoryana left in May.\n",
    "stayed": "Zoryana stayed behind.\n",
}


class Annotator:
    """Manual person records over the documents above, by the words they quote."""

    def __init__(self, project: Project, tmp_path: Path) -> None:
        self.project = project
        self.ids = {
            name: import_text(project, tmp_path, f"{name}.txt", text, title=name).id
            for name, text in DOCUMENTS.items()
        }

    def person(self, document: str, words: str, nth: int = 0, **fields: str) -> RecordId:
        doc = self.ids[document]
        start = _find(DOCUMENTS[document], words, nth)
        result = self.project.review.annotate(doc, start, start + len(words), "person")
        (record_id,) = result.record_ids
        if fields:
            self.project.review.edit(RecordId(record_id), fields=fields)
        return RecordId(record_id)

    def attach(self, record_id: RecordId, document: str, words: str, nth: int = 0) -> None:
        start = _find(DOCUMENTS[document], words, nth)
        self.project.review.attach(self.ids[document], start, start + len(words), record_id)


def _find(text: str, words: str, nth: int) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start


@pytest.fixture
def people(project: Project, tmp_path: Path) -> Annotator:
    made = Annotator(project, tmp_path)
    made.person("soldier", "Dmitry")
    made.person("doctor", "Dmitri")
    made.person("deserter", "Pavel Zhilyaev")
    made.person("hiding", "Pavel Zhylyaev")
    made.person("deserter", "Zhilyaev", nth=1)
    made.person("hiding", "Zhylyaev", nth=1)
    made.person("sergeant", "Ivan Petrov", title="Sergeant")
    made.person("surgeon", "Ivan Petrov", title="surgeon")
    made.person("calls", "Natalia")
    made.person("calls", "Natalia", nth=1)
    made.person("family", "Zoryana Kuzmenko")
    made.person("left", "Zoryana")
    made.person("stayed", "Zoryana")
    return made


def test_each_proposal_says_why_and_weak_ones_rank_low(people: Annotator) -> None:
    proposals = people.project.records.merge_candidates("person")
    assert [(c.first.label, [o.label for o in c.others], c.score, c.reason) for c in proposals] == [
        ("Natalia", ["Natalia"], 100, "same name"),  # a first name, but in one document
        ("Pavel Zhilyaev", ["Pavel Zhylyaev"], 100, "same name after transliteration"),
        ("Pavel Zhilyaev", ["Zhilyaev"], 95, "one name is part of the other"),
        (
            "Zhilyaev",
            ["Zhylyaev"],
            80,
            "same name after transliteration; one-word name in different documents",
        ),
        ("Ivan Petrov", ["Ivan Petrov"], 50, "same name; different titles (Sergeant / surgeon)"),
        # The soldier and the doctor: their first names fold to the same letters.
        (
            "Dmitry",
            ["Dmitri"],
            40,
            "same name after transliteration; lone first name in different documents",
        ),
        # Not a listed given name, but it begins a full name in this project.
        ("Zoryana", ["Zoryana"], 40, "same name; lone first name in different documents"),
    ]


def test_a_spelling_variant_pair_says_so(project: Project, tmp_path: Path) -> None:
    people = Annotator(project, tmp_path)
    people.person("deserter", "Pavel Zhilyaev")
    people.person("hiding", "Zhylyaev", nth=1)
    (proposal,) = project.records.merge_candidates("person")
    assert (proposal.first.label, proposal.second.label) == ("Pavel Zhilyaev", "Zhylyaev")
    assert proposal.reason == "one name is part of the other"
    assert proposal.score >= 85  # a surname and a full name: no lone first name


def test_each_record_comes_with_passages_and_documents(people: Annotator) -> None:
    proposals = people.project.records.merge_candidates("person")
    dmitry = next(c for c in proposals if c.first.label == "Dmitry")
    soldier, doctor = people.ids["soldier"], people.ids["doctor"]
    assert dmitry.excerpts == {
        dmitry.first.id: (
            Excerpt(soldier, "The soldier ", "Dmitry", " said the unit left Bakhmut.\n"),
        ),
        dmitry.second.id: (
            Excerpt(doctor, "Dr. ", "Dmitri", " treated the wounded in Kherson.\n"),
        ),
    }
    assert dmitry.titles == {soldier: "soldier", doctor: "doctor"}


def test_passages_from_different_documents_come_first(people: Annotator) -> None:
    """At most two passages a record, one per document before a second from any."""
    zoryana = people.person("left", "Zoryana")  # another record, cited four times
    people.attach(zoryana, "left", "May")
    people.attach(zoryana, "stayed", "Zoryana")
    people.attach(zoryana, "family", "Zoryana")
    proposals = people.project.records.merge_candidates("person")
    (group,) = [c for c in proposals if zoryana in {r.id for r in c.records}]
    quotes = [(e.document_id, e.quote) for e in group.excerpts[zoryana]]
    ids = people.ids
    assert quotes == [(ids["family"], "Zoryana"), (ids["left"], "Zoryana")]  # not "May"
    assert set(group.titles) == {ids["left"], ids["stayed"], ids["family"]}


def test_context_is_cut_at_a_few_words(project: Project, tmp_path: Path) -> None:
    people = Annotator(project, tmp_path)
    long = import_text(project, tmp_path, "long.txt", "x" * 100 + " Natalia " + "y" * 100).id
    record = project.review.annotate(DocumentId(long), 101, 108, "person").record_ids[0]
    people.person("calls", "Natalia")
    proposal = next(c for c in project.records.merge_candidates("person"))
    (excerpt,) = proposal.excerpts[RecordId(record)]
    assert (excerpt.before, excerpt.quote, excerpt.after) == (
        "x" * (CONTEXT - 1) + " ",
        "Natalia",
        " " + "y" * (CONTEXT - 1),
    )


def test_several_proposals_merge_as_one_undoable_step(people: Annotator) -> None:
    project = people.project
    original = review_rows(project)
    proposals = project.records.merge_candidates("person")
    chosen = [c for c in proposals if c.first.label in ("Natalia", "Dmitry", "Pavel Zhilyaev")]
    assert len(chosen) == 4  # Pavel Zhilyaev twice: his namesake, and his lone surname
    result = project.review.merge_groups([(c.first.id, [o.id for o in c.others]) for c in chosen])
    labels = sorted(
        (r.label, r.fields.get("aliases", []), r.evidence_count) for r in project.records.list()
    )
    assert labels == [
        ("Dmitry", ["Dmitri"], 2),
        ("Ivan Petrov", [], 1),
        ("Ivan Petrov", [], 1),
        ("Natalia", [], 2),
        # Both proposals with Pavel Zhilyaev: joined, kept by the first one's record.
        ("Pavel Zhilyaev", ["Pavel Zhylyaev", "Zhilyaev"], 3),
        ("Zhylyaev", [], 1),
        ("Zoryana", [], 1),
        ("Zoryana", [], 1),
        ("Zoryana Kuzmenko", [], 1),
    ]
    assert len(result.record_ids) == 3  # the records kept
    merged = review_rows(project)
    project.steps.restore(result.before)
    assert review_rows(project) == original
    project.steps.restore(result.after)
    assert review_rows(project) == merged


def test_merging_groups_is_all_or_nothing(people: Annotator) -> None:
    project = people.project
    original = review_rows(project)
    records = {r.label: r.id for r in project.records.list()}
    natalia = [r.id for r in project.records.list() if r.label == "Natalia"]
    with pytest.raises(NotFoundError):  # a stale proposal: one of its records is gone
        project.review.merge_groups(
            [(natalia[0], [natalia[1]]), (records["Dmitry"], [RecordId(999)])]
        )
    with pytest.raises(InvalidInputError):
        project.review.merge_groups([(natalia[0], [natalia[0]])])
    assert review_rows(project) == original


def test_one_person_in_russian_and_english_sources_is_proposed_as_one(
    project: Project, tmp_path: Path
) -> None:
    texts = {
        "ru": "🙂 Алексей Жиляев уехал из части в марте.\n",
        "en": "Alexei Zhilyaev left his unit in March.\n",
        "uk": "Андрій Жиляєв залишився вдома.\n",
        "en2": "Andriy Zhyliaiev stayed at home.\n",
    }
    for name, text in texts.items():
        doc = import_text(project, tmp_path, f"{name}.txt", text).id
        words = text.strip("🙂 \n").split(" ")
        start = text.index(words[0])
        end = text.index(words[1]) + len(words[1])
        project.review.annotate(doc, start, end, "person")
    proposals = {
        frozenset(r.label for r in p.records): p for p in project.records.merge_candidates("person")
    }
    alexei = proposals[frozenset({"Алексей Жиляев", "Alexei Zhilyaev"})]
    assert alexei.reason == "same name after transliteration" and alexei.score == 100
    assert frozenset({"Андрій Жиляєв", "Andriy Zhyliaiev"}) in proposals
