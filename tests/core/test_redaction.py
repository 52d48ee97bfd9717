"""The redactor: which writings of a protected record's names it finds, and what it leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import RecordId
from workbench.project import Project
from workbench.services.redaction import Redactor, build_redactor, key, remap

TEXT = (
    "🙂 Ivan Petrov left Kharkiv in March. Петрова видели в Харькове; Petrov's unit stayed.\n"
    "Olga Sokolova stayed."
)


@pytest.fixture
def redactor(project: Project, tmp_path: Path) -> Redactor:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    ids = []
    for name, kind in (
        ("Ivan Petrov", "person"),
        ("Kharkiv", "place"),
        ("Olga Sokolova", "person"),
    ):
        start = TEXT.index(name)
        ids.append(
            project.annotations.annotate(doc, start, start + len(name), kind)[0].record_ids[0]
        )
    # the Russian name of the place is not a spelling of "Kharkiv": its passage says it is
    start = TEXT.index("Харькове")
    project.annotations.attach(doc, start, start + len("Харькове"), RecordId(ids[1]))
    assert build_redactor(project) is None  # nothing protected yet
    project.records.protect([RecordId(ids[0]), RecordId(ids[1])])
    found = build_redactor(project)
    assert found is not None
    return found


def test_spans_are_code_points_with_the_pseudonym(redactor: Redactor) -> None:
    spans = redactor.find(TEXT)
    assert [(TEXT[s:e], p) for s, e, p in spans] == [
        ("Ivan Petrov", "Person A"),
        ("Kharkiv", "Place A"),
        ("Петрова", "Person A"),
        ("Харькове", "Place A"),
        ("Petrov", "Person A"),
    ]
    assert spans[0][0] == 2  # after the emoji and the space: code points, not UTF-16 units
    assert redactor.replace(TEXT) == (
        "🙂 Person A left Place A in March. Person A видели в Place A; Person A's unit stayed.\n"
        "Olga Sokolova stayed."
    )


def test_case_scripts_and_spellings_are_one_name(redactor: Redactor) -> None:
    text = "IVAN PETROV, ivan petrov, Иван Петров, Ивана Петрова, Petrova, Kharkov, ХАРЬКОВОМ."
    assert redactor.replace(text) == (
        "Person A, Person A, Person A, Person A, Person A, Place A, Place A."
    )
    assert key("Zhilyaev") == key("Жиляев") == key("Zhiliaev") == key("ZHYLYAEV")
    assert key("Yelena") == key("Елена") == key("Jelena") == key("Elena")


def test_only_whole_words_match(redactor: Redactor) -> None:
    text = "Petrovsky and Kharkivska and xPetrov are other names; Petrov_2 is not."
    assert redactor.replace(text) == (
        "Petrovsky and Kharkivska and xPetrov are other names; Person A_2 is not."
    )


def test_offsets_move_into_the_redacted_text(redactor: Redactor) -> None:
    redacted, moves = redactor.rewrite(TEXT)
    start = TEXT.index("left")
    assert redacted[remap(start, moves, is_end=False) :].startswith("left Place A")
    inside = TEXT.index("Petrov")  # a passage over part of a name covers its pseudonym
    s, e = remap(inside, moves, is_end=False), remap(inside + 3, moves, is_end=True)
    assert redacted[s:e] == "Person A"
    assert remap(len(TEXT), moves, is_end=True) == len(redacted)


def test_every_offset_moves_as_a_walk_over_the_names_says(redactor: Redactor) -> None:
    """The bisection over replaced names agrees with walking them, at every offset."""
    text = (TEXT + " Kharkiv, Петрова 🙂 Petrov ") * 3
    redacted, moves = redactor.rewrite(text)
    names = redactor.find(text)
    assert len(moves) == len(names) > 6

    def walked(offset: int, is_end: bool) -> int:
        shift = 0
        for start, end, pseudonym in names:
            if offset <= start:
                break
            if offset < end:
                return start + shift + (len(pseudonym) if is_end else 0)
            shift += len(pseudonym) - (end - start)
        return offset + shift

    for offset in range(len(text) + 1):
        for is_end in (False, True):
            assert remap(offset, moves, is_end=is_end) == walked(offset, is_end)
    assert remap(len(text), moves, is_end=True) == len(redacted)


def test_a_passage_quoting_a_pronoun_or_title_alone_names_nobody(
    project: Project, tmp_path: Path
) -> None:
    text = "Ivan Petrov came. He left; the Colonel stayed."
    doc = import_text(project, tmp_path, "a.txt", text).id
    petrov = project.annotations.annotate(doc, 0, 11, "person")[0].record_ids[0]
    for word in ("He", "Colonel"):
        start = text.index(word)
        project.annotations.attach(doc, start, start + len(word), RecordId(petrov))
    project.records.protect([RecordId(petrov)])
    redactor = build_redactor(project)
    assert redactor is not None
    assert redactor.replace(text) == "Person A came. He left; the Colonel stayed."
