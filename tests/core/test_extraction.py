"""Extraction end to end: suggestions with provenance, stored idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import import_text
from workbench.domain import RecordInfo
from workbench.extraction.events import event_label
from workbench.project import Project
from workbench.storage.models import Code, Record, RecordLink

TESTIMONY = (
    "🙂🇺🇦 KHARKIV — Lieutenant Daniil Alfyorov of the 47th Tank Division deserted in late "
    "March, his lawyer said. Alfyorov had been deployed to the Kharkiv region since the fall "
    "of 2022. On May 4, 2024, he crossed into Kazakhstan with more than 1,500 other "
    "soldiers, according to the Steppe Observer. Two days later he was detained in Astana.\n"
)


def _records(project: Project, type_name: str) -> dict[str, RecordInfo]:
    return {r.label: r for r in project.records.list(type_name=type_name)}


@pytest.fixture
def extracted(project: Project, tmp_path: Path) -> tuple[Project, int]:
    doc_id = import_text(project, tmp_path, "t.txt", TESTIMONY, published="2024-05-20").id
    report = project.extraction.run()
    assert report.documents == 1
    assert not report.cancelled
    return project, doc_id


def test_people_places_units_with_provenance(extracted: tuple[Project, int]) -> None:
    project, doc_id = extracted
    text = project.documents.text(doc_id)
    people = _records(project, "person")
    assert "Daniil Alfyorov" in people
    person = people["Daniil Alfyorov"]
    assert person.status == "suggested"
    assert person.origin == "extracted"
    assert person.evidence_count == 2  # "Daniil Alfyorov" and "Alfyorov"
    assert 0 < (person.confidence or 0) <= 1
    assert "47th Tank Division" in _records(project, "organization")
    places = _records(project, "place")
    assert "Kharkiv" in places
    assert "Kazakhstan" in places
    for annotation in project.annotations.for_document(doc_id):
        assert text[annotation.start : annotation.end] == annotation.quote  # code points
        assert annotation.origin == "extracted"


def test_titles_are_fields_not_labels(extracted: tuple[Project, int]) -> None:
    project, _ = extracted
    with project.session() as session:
        record = session.scalar(select(Record).where(Record.label == "Daniil Alfyorov"))
        assert record is not None
        assert record.fields.get("title") == "Lieutenant"


def test_events_get_dates_types_and_links(extracted: tuple[Project, int]) -> None:
    project, _ = extracted
    events = project.records.list(type_name="event")
    by_text = {e.date_text: e for e in events}
    assert by_text["May 4, 2024"].date_earliest == "2024-05-04"
    assert by_text["May 4, 2024"].date_latest == "2024-05-04"
    late_march = next(e for e in events if e.date_text and "late March" in e.date_text)
    assert (late_march.date_earliest, late_march.date_latest) == ("2024-03-21", "2024-03-31")
    later = next(e for e in events if e.date_text and e.date_text.lower() == "two days later")
    assert later.date_earliest == "2024-05-06"
    assert (later.confidence or 1) < (by_text["May 4, 2024"].confidence or 0)
    with project.session() as session:
        desertion = session.get(Record, late_march.id)
        assert desertion is not None
        assert desertion.fields["event_type"] == "desertion"
        crossing = session.get(Record, by_text["May 4, 2024"].id)
        assert crossing is not None
        assert crossing.fields["event_type"] == "border_crossing"
        linked = set(
            session.scalars(
                select(Record.label)
                .join(RecordLink, RecordLink.target_id == Record.id)
                .where(RecordLink.source_id == desertion.id)
            )
        )
    assert "Daniil Alfyorov" in linked


def test_figures_with_qualifiers(extracted: tuple[Project, int]) -> None:
    project, _ = extracted
    with project.session() as session:
        figures = session.scalars(
            select(Record).join(Code, Record.type_id == Code.id).where(Code.name == "figure")
        ).all()
        more_than = next(f for f in figures if "1,500" in f.label)
        assert more_than.fields["min"] == 1501
        assert more_than.fields["qualifier"] == "more than"
        assert not any("47" in f.label for f in figures)


def test_rerun_is_idempotent_and_respects_decisions(extracted: tuple[Project, int]) -> None:
    project, _ = extracted
    before = {r.id: r for r in project.records.list()}
    assert project.extraction.run().added == {}
    assert {r.id for r in project.records.list()} == set(before)

    people = _records(project, "person")
    places = _records(project, "place")
    project.review.set_status([people["Daniil Alfyorov"].id], "rejected")
    project.review.set_status([places["Kazakhstan"].id], "accepted")
    project.review.delete([places["Kharkiv"].id])
    report = project.extraction.run()
    assert report.added == {}
    after = _records(project, "person")
    assert after["Daniil Alfyorov"].status == "rejected"
    assert _records(project, "place")["Kazakhstan"].status == "accepted"
    assert "Kharkiv" not in _records(project, "place")


def test_manual_annotation_is_not_duplicated(project: Project, tmp_path: Path) -> None:
    doc_id = import_text(project, tmp_path, "t.txt", TESTIMONY, published="2024-05-20").id
    start = TESTIMONY.index("Daniil Alfyorov")
    project.annotations.annotate(doc_id, start, start + len("Daniil Alfyorov"), "person")
    project.extraction.run()
    spans = [
        (a.start, a.end, a.origin)
        for a in project.annotations.for_document(doc_id)
        if a.code == "person" and a.start == start
    ]
    assert spans == [(start, start + len("Daniil Alfyorov"), "manual")]


@pytest.mark.parametrize(
    "text",
    [
        "12 13 14 2,000 24/7 47th 1,740\n" * 20,
        "........ ;;;; ---- ????\n",
        "word " * 50_000,  # a 250 KB single line without sentences: cut into chunks
        "Солдат Иван Петров сбежал. 兵士が逃げた。 A soldier fled from Kupiansk in March 2023.\n",
    ],
)
def test_awkward_texts_do_not_crash_or_invent(project: Project, tmp_path: Path, text: str) -> None:
    doc_id = import_text(project, tmp_path, "t.txt", text, published="2024-01-01").id
    report = project.extraction.run([doc_id])
    assert report.documents == 1
    labels = [r.label for r in project.records.list()]
    assert all(label.strip() for label in labels)
    assert not any(label in ("47th", "24/7", "2,000") for label in labels)
    if "word word" in text:
        assert labels == []
        assert report.notes


def test_non_english_documents_get_dates_only(project: Project, tmp_path: Path) -> None:
    text = "Солдат Іван Петренко залишив частину. Пізніше, 2024-05-06, він виїхав за кордон.\n"
    doc_id = import_text(project, tmp_path, "t.txt", text, language="uk").id
    report = project.extraction.run([doc_id])
    assert any("skipped" in note for _, note in report.notes)
    assert project.records.list(type_name="person") == []
    events = project.records.list(type_name="event")
    assert [e.date_earliest for e in events] == ["2024-05-06"]


def test_merge_candidates_across_documents(project: Project, tmp_path: Path) -> None:
    for i, name in enumerate(("Zhilyaev", "Zhylyaev", "Zhyliaiev")):
        import_text(project, tmp_path, f"d{i}.txt",
                    f"Sergeant Pavel {name} deserted from his unit near Bakhmut.\n")  # fmt: skip
    project.extraction.run()
    candidates = project.records.merge_candidates("person")
    # the three transliterations fold to one name: one proposal merges them all
    (pavel,) = [c for c in candidates if c.first.label.startswith("Pavel")]
    names = {pavel.first.label, *(o.label for o in pavel.others)}
    assert names == {"Pavel Zhilyaev", "Pavel Zhylyaev", "Pavel Zhyliaiev"}
    assert all(c.score >= 85 for c in candidates)


def test_merge_candidates_group_same_names_and_pair_variants(
    project: Project, tmp_path: Path
) -> None:
    texts = ["Olena Marchenko treated him in Kherson.", "Olena Marchenko left Kherson.",
             "Olena Marchenko said Kherson was shelled.", "Olena Marchenkova arrived."]  # fmt: skip
    for i, text in enumerate(texts):
        import_text(project, tmp_path, f"m{i}.txt", text + "\n")
    project.extraction.run()
    kherson = next(c for c in project.records.merge_candidates("place"))
    assert kherson.first.label == "Kherson" and len(kherson.others) == 2
    people = project.records.merge_candidates("person")
    assert people[0].score == 100.0 and len(people[0].others) == 2
    variants = [c for c in people if c.score < 100]
    assert {(c.first.label, c.second.label) for c in variants} == {
        ("Olena Marchenko", "Olena Marchenkova")
    }


def test_cancel_keeps_what_was_committed(project: Project, tmp_path: Path) -> None:
    for i in range(3):
        text = f"Report {i}: Ivan Petrov fled Kupiansk on May {i + 1}, 2024.\n"
        import_text(project, tmp_path, f"r{i}.txt", text)

    class StopAfterFirst:
        calls = 0

        def is_set(self) -> bool:
            self.calls += 1
            return self.calls > 1

    report = project.extraction.run(cancel=StopAfterFirst())
    assert report.cancelled
    assert 1 <= report.documents < 3


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        (
            "**A:** The summons came on September 26, 2022.",
            "The summons came on September 26, 2022.",
        ),
        (
            "*Interview by Olga Reznik, February 12, 2024*",
            "Interview by Olga Reznik, February 12, 2024",
        ),
        ("Q: When did you leave in March?", "When did you leave in March?"),
    ],
)
def test_event_labels_drop_transcript_markup(clause: str, label: str) -> None:
    assert event_label(clause) == label


def test_an_imperative_after_an_emoji_is_not_a_name(project: Project, tmp_path: Path) -> None:
    text = (
        "He wrote to his sister: “I’m across. Alive, don’t worry 🙏 Delete this chat.”\n"
        "Wagner this year recruited prisoners near Rostov.\n"
    )
    import_text(project, tmp_path, "chat.txt", text)
    project.extraction.run()
    organisations = [r.label for r in project.records.list(type_name="organization")]
    assert "Delete" not in organisations
    assert "Wagner" in organisations  # a name before "this year" stays a name


def test_a_name_followed_by_who_is_a_person(project: Project, tmp_path: Path) -> None:
    text = "Ostapenko, who grew up in Vladivostok, signed his contract in the 2010s.\n"
    import_text(project, tmp_path, "who.txt", text)
    project.extraction.run()
    assert [r.label for r in project.records.list(type_name="person")] == ["Ostapenko"]
    assert [r.label for r in project.records.list(type_name="place")] == ["Vladivostok"]


def test_repeated_table_cells_all_become_figures(project: Project, tmp_path: Path) -> None:
    text = (
        "Deaths and wounded by region, as the group counted them:\n\n"
        "| Region | Deaths | Wounded |\n|---|---|---|\n"
        "| Kursk | 12 | 40 |\n| Belgorod | 12 | 40 |\n\n"
        "The group counted 12 deaths in Kursk. Its report repeats: 12 deaths in Kursk.\n"
    )
    import_text(project, tmp_path, "table.md", text)
    project.extraction.run()
    labels = sorted(r.label for r in project.records.list(type_name="figure"))
    assert labels.count("12") == 2 and labels.count("40") == 2  # every cell counts
    assert labels.count("12 deaths") == 1  # a restatement in the text is one figure
