"""Record versions only grow (issue #15): undo and redo count one write on each record they
write back instead of putting an older version back, so a version an editor read never names
another state of the record, and they refuse to write over another annotator's work by
comparing what the rows hold, not versions.

Two annotators, two ``Project`` objects on one project: on a file they take turns (a file is
open in one program at a time, so each opens it in turn and the step results stand for their
undo stacks); the same tests run on the server (tests/server/test_core_record_versions_aba.py),
where one more keeps both connected at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import import_text, review_rows
from workbench.errors import RecordChangedError, StepConflictError
from workbench.project import Project
from workbench.services.memos import MemoTarget

# Cyrillic and emoji before the names: offsets are code points.
TEXT = "Свідчення 🙂: Olena Marchenko met Petro Ivanenko in Kherson, then Odesa.\n"

Team = Callable[[str], Project]


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def refused(project: Project, action: Callable[[], object]) -> RecordChangedError:
    """Run ``action``, which must be refused in one line and change nothing (not a count)."""
    before = review_rows(project, versions=True)
    with pytest.raises(RecordChangedError) as raised:
        action()
    assert "\n" not in str(raised.value)
    assert review_rows(project, versions=True) == before
    return raised.value


@pytest.fixture
def address(project_path: Path) -> str:
    """Where the annotators' project is (a file here; the server tests give a database)."""
    return str(project_path)


@pytest.fixture
def team(address: str) -> Team:
    """Opens the project as one annotator: ``with team("anna") as anna: ...``."""
    return lambda actor: Project(address, actor=actor)


@pytest.fixture
def olena(team: Team, tmp_path: Path) -> int:
    """A record the lead made, at version 1."""
    with team("lead") as lead:
        doc = import_text(lead, tmp_path, "t.txt", TEXT)
        (record_id,) = lead.review.annotate(doc.id, *span("Olena Marchenko"), "person").record_ids
        assert lead.records.get(record_id).version == 1
    return record_id


def test_a_version_read_before_an_undo_and_another_edit_is_refused(team: Team, olena: int) -> None:
    """Anna reads boris's edit; he undoes it and edits other fields: the counter is where it
    was when she read, but the record is not what she read."""
    with team("boris") as boris:
        first = boris.review.edit(olena, note="boris's first", seen=1)
    with team("anna") as anna:
        read = anna.records.get(olena)
        assert (read.note, read.version) == ("boris's first", 2)
    with team("boris") as boris:
        boris.steps.restore(first.before, first.after)  # his undo
        assert boris.records.get(olena).version == 3  # one write more, not version 1 again
        boris.review.edit(olena, label="Olena M.", seen=3)
    with team("anna") as anna:
        error = refused(
            anna, lambda: anna.review.edit(olena, note="anna's, on boris's", seen=read.version)
        )
        assert str(error) == (
            "another annotator changed “Olena M.” since you read it: nothing was changed; "
            "it has been reloaded"
        )
        assert error.record_ids == (olena,)
        now = anna.records.get(olena)
        assert (now.label, now.note, now.version) == ("Olena M.", "", 4)


def test_a_version_read_before_an_edit_and_its_undo_never_matches_again(
    team: Team, olena: int
) -> None:
    """The record holds what anna read again, but its version says it was written since: a
    version is never given twice."""
    with team("anna") as anna:
        read = anna.records.get(olena)
    with team("boris") as boris:
        step = boris.review.edit(olena, note="boris's", seen=1)
        boris.steps.restore(step.before, step.after)
    with team("anna") as anna:
        refused(anna, lambda: anna.review.delete([olena], seen={olena: read.version}))
        assert anna.records.get(olena).version == 3


def test_undo_redo_undo_with_nobody_else_writing_passes_and_counts_each(
    team: Team, olena: int
) -> None:
    """One's own undos and redos compare what the rows hold with what the step left, so the
    versions they count on never refuse them; each counts one write."""
    with team("anna") as anna:
        doc = anna.documents.list()[0].id
        petro = anna.review.annotate(doc, *span("Petro Ivanenko"), "person").record_ids[0]
        steps = [
            anna.review.edit(olena, note="one", date_text="March 2024", seen=1),
            anna.review.attach(doc, *span("Kherson"), olena),
            anna.review.set_status([olena, petro], "accepted", seen={olena: 3, petro: 1}),
            anna.review.merge(olena, [petro], seen={olena: 4, petro: 2}),
        ]
        done = review_rows(anna)
        versions = [anna.records.get(olena).version]
        for step in reversed(steps):  # undo all
            anna.steps.restore(step.before, step.after)
            versions.append(anna.records.get(olena).version)
        undone = review_rows(anna)
        for step in steps:  # redo all
            anna.steps.restore(step.after, step.before)
            versions.append(anna.records.get(olena).version)
        assert review_rows(anna) == done
        for step in reversed(steps):  # and undo all again
            anna.steps.restore(step.before, step.after)
            versions.append(anna.records.get(olena).version)
        assert review_rows(anna) == undone
        assert versions == list(range(5, 5 + len(versions)))  # one write each, never back
        assert anna.records.get(petro).version > 2  # brought back above what it had


def test_an_undo_over_another_annotators_later_edit_is_refused(team: Team, olena: int) -> None:
    with team("anna") as anna:
        step = anna.review.edit(olena, note="anna's", seen=1)
    with team("boris") as boris:
        boris.review.edit(olena, note="boris's", seen=2)
    with team("anna") as anna:
        error = refused(anna, lambda: anna.steps.restore(step.before, step.after))  # her undo
        assert str(error) == (
            "another annotator changed “Olena Marchenko” since you read it: nothing was "
            "changed; it has been reloaded"
        )
        assert anna.records.get(olena).note == "boris's"


def test_an_undo_over_a_passage_another_annotator_attached_since_is_refused(
    team: Team, olena: int
) -> None:
    """Their passage changed the record's evidence, not its row: the undo compares both, so
    it does not take their passage's link away (writing the record back would)."""
    with team("anna") as anna:
        step = anna.review.edit(olena, note="anna's", seen=1)
    with team("boris") as boris:
        doc = boris.documents.list()[0].id
        boris.review.attach(doc, *span("Odesa"), olena)
    with team("anna") as anna:
        error = refused(anna, lambda: anna.steps.restore(step.before, step.after))
        assert str(error).startswith("another annotator changed “Olena Marchenko”")
        assert anna.records.get(olena).evidence_count == 2


def test_an_undo_never_writes_over_a_record_that_took_the_id_of_one_it_brings_back(
    team: Team, olena: int
) -> None:
    """A file gives a new record the id of the last one deleted: anna's undo of that deletion
    would write her record over boris's."""
    with team("anna") as anna:
        step = anna.review.delete([olena], seen={olena: 1})
    with team("boris") as boris:
        doc = boris.documents.list()[0].id
        (petro,) = boris.review.annotate(doc, *span("Petro Ivanenko"), "person").record_ids
        assert petro == olena  # SQLite: the highest rowid again
    with team("anna") as anna:
        error = refused(anna, lambda: anna.steps.restore(step.before, step.after))
        assert str(error).startswith("another annotator changed “Petro Ivanenko”")
        assert [r.label for r in anna.records.list()] == ["Petro Ivanenko"]


def test_a_record_brought_back_by_a_redo_counts_on_from_the_version_it_was_removed_at(
    team: Team, tmp_path: Path
) -> None:
    """Anna's undo removes her new record at version 3 (boris edited it and undid that):
    her redo brings it back at 4, not at the version her step left it at (1, then 2)."""
    with team("anna") as anna:
        doc = import_text(anna, tmp_path, "t.txt", TEXT)
        made = anna.review.annotate(doc.id, *span("Olena Marchenko"), "person")
        (olena,) = made.record_ids
    with team("boris") as boris:
        step = boris.review.edit(olena, note="boris's", seen=1)
        boris.steps.restore(step.before, step.after)
        read = boris.records.get(olena)
        assert read.version == 3
    with team("anna") as anna:
        anna.steps.restore(made.before, made.after)  # her undo: the record goes
        assert anna.records.list() == []
        anna.steps.restore(made.after, made.before)  # her redo: it comes back
        assert anna.records.get(olena).version == 4
        anna.review.edit(olena, label="Olena M.", seen=4)
        refused(anna, lambda: anna.review.edit(olena, note="on an old read", seen=read.version))


def test_a_passage_another_annotator_attached_moves_the_version_on(team: Team, olena: int) -> None:
    """Anna's view, read before boris linked a passage to the record, would delete it with
    his passage: a passage more is a write of the record."""
    with team("anna") as anna:
        read = anna.records.get(olena)
    with team("boris") as boris:
        doc = boris.documents.list()[0].id
        boris.review.attach(doc, *span("Kherson"), olena)
    with team("anna") as anna:
        refused(anna, lambda: anna.review.delete([olena], seen={olena: read.version}))
        assert anna.records.get(olena).evidence_count == 2


def test_an_undo_of_a_documents_metadata_never_writes_over_its_memo_written_since(
    team: Team, olena: int
) -> None:
    """The step's snapshot holds the document's memo too: writing it back would take away
    what boris wrote there; the refusal says what changed, in one line."""
    with team("anna") as anna:
        doc = anna.documents.list()[0].id
        step = anna.documents.update_metadata([doc], title="Ward testimony")
    with team("boris") as boris:
        boris.memos.write(MemoTarget.document(doc), "Checked against the ward's register.")
    with team("anna") as anna:
        with pytest.raises(StepConflictError) as refused_undo:
            anna.steps.restore(step.before, step.after)
        assert str(refused_undo.value) == (
            "another annotator changed a memo of this step since: nothing was changed"
        )
        assert anna.documents.get(doc).title == "Ward testimony"
        assert anna.memos.read(MemoTarget.document(doc)) == "Checked against the ward's register."
