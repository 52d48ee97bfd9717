"""Two annotators on one project on the server edit the same record: the second is refused.

Each record counts its writes (``records.version``); an edit given the version its editor
read is refused in one line when another annotator wrote the record since, and changes
nothing; the first annotator's edit stands. Undo and redo of one's own steps still work,
each counting one write.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import import_text, review_rows
from workbench.errors import RecordChangedError
from workbench.project import Project

TEXT = "Свідчення 🙂: Olena Marchenko met Petro Ivanenko in Kherson.\n"


def _record(project: Project, tmp_path: Path, quote: str = "Olena Marchenko") -> int:
    doc = import_text(project, tmp_path, "t.txt", TEXT)
    start = TEXT.index(quote)
    result = project.review.annotate(doc.id, start, start + len(quote), "person")
    (record_id,) = result.record_ids
    return record_id


def test_the_second_writer_is_told_in_one_line_and_the_first_edit_stands(
    server_url: str, tmp_path: Path
) -> None:
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        read_by_anna = anna.records.get(record_id)
        read_by_boris = boris.records.get(record_id)
        assert read_by_anna.version == read_by_boris.version == 1
        anna.review.edit(record_id, note="seen twice", seen=read_by_anna.version)
        before = review_rows(boris)
        with pytest.raises(RecordChangedError) as refused:
            boris.review.edit(record_id, label="Olena M.", seen=read_by_boris.version)
        assert str(refused.value) == (
            "another annotator changed “Olena Marchenko” since you read it: nothing was "
            "changed; it has been reloaded"
        )
        assert refused.value.record_ids == (record_id,)
        assert review_rows(boris) == before  # nothing changed
        now = boris.records.get(record_id)
        assert (now.label, now.note, now.version) == ("Olena Marchenko", "seen twice", 2)
        # read again, his edit passes
        boris.review.edit(record_id, label="Olena M.", seen=now.version)
        assert anna.records.get(record_id).label == "Olena M."


def test_a_protected_record_is_named_by_its_pseudonym(server_url: str, tmp_path: Path) -> None:
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        anna.records.protect([record_id])
        seen = boris.records.get(record_id).version
        anna.review.set_status([record_id], "accepted", seen={record_id: seen})
        with pytest.raises(RecordChangedError) as refused:
            boris.review.set_status([record_id], "rejected", seen={record_id: seen})
        message = str(refused.value)
        assert "Olena" not in message and "Marchenko" not in message
        assert message.startswith("another annotator changed “Person A” since you read it")
        assert boris.records.get(record_id).status == "accepted"


def test_two_saving_at_the_same_moment_cannot_both_pass(server_url: str, tmp_path: Path) -> None:
    """Both read version 1 and save at once: the row lock makes one wait for the other's
    commit, and then read the version that commit wrote."""
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        outcomes: dict[str, str] = {}
        start = threading.Barrier(2)

        def save(project: Project, note: str) -> None:
            start.wait()
            try:
                project.review.edit(record_id, note=note, seen=1)
                outcomes[note] = "saved"
            except RecordChangedError:
                outcomes[note] = "refused"

        threads = [
            threading.Thread(target=save, args=(anna, "anna's")),
            threading.Thread(target=save, args=(boris, "boris's")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes.values()) == ["refused", "saved"]
        (winner,) = [note for note, outcome in outcomes.items() if outcome == "saved"]
        record = anna.records.get(record_id)
        assert (record.note, record.version) == (winner, 2)


def test_undo_and_redo_of_ones_own_steps_still_work(server_url: str, tmp_path: Path) -> None:
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        first = anna.review.edit(record_id, note="one", seen=1)
        second = anna.review.edit(record_id, note="two", seen=2)
        anna.steps.restore(second.before)  # undo
        anna.steps.restore(first.before)  # undo
        # each counts one write: a version never goes back (tests/core/test_record_versions_aba.py)
        assert (anna.records.get(record_id).note, anna.records.get(record_id).version) == ("", 5)
        anna.steps.restore(first.after)  # redo
        anna.steps.restore(second.after)  # redo
        record = boris.records.get(record_id)
        assert (record.note, record.version) == ("two", 7)
        # what boris reads after the redo is what he may write over
        boris.review.edit(record_id, note="three", seen=record.version)
        assert anna.records.get(record_id).note == "three"


def test_without_a_version_the_edit_is_written_as_before(server_url: str, tmp_path: Path) -> None:
    """Callers that read nothing first (the command line) write as they always did; every
    write still counts."""
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        anna.review.edit(record_id, note="one")
        boris.review.edit(record_id, note="two")
        assert anna.records.get(record_id).version == 3


def test_an_undo_over_anothers_later_edit_is_refused_and_their_value_stands(
    server_url: str, tmp_path: Path
) -> None:
    """The undo stack writes a step's states back only over the state the step left: what
    another annotator wrote since is never overwritten by an undo or a redo."""
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        record_id = _record(anna, tmp_path)
        step = anna.review.edit(record_id, note="anna's", seen=1)
        boris.review.edit(record_id, note="boris's", seen=boris.records.get(record_id).version)
        before = review_rows(anna)
        with pytest.raises(RecordChangedError) as refused:
            anna.steps.restore(step.before, step.after)  # undo
        assert str(refused.value).startswith("another annotator changed “Olena Marchenko”")
        assert review_rows(anna) == before
        assert anna.records.get(record_id).note == "boris's"
        boris.review.delete([record_id])
        with pytest.raises(RecordChangedError) as refused:
            anna.steps.restore(step.before, step.after)
        assert str(refused.value).startswith("another annotator removed a record of this step")
        assert anna.records.list() == []
        # one's own undo and redo, with nobody in between, pass
        own = anna.review.annotate(
            anna.documents.list()[0].id, TEXT.index("Kherson"), TEXT.index("Kherson") + 7, "place"
        )
        anna.steps.restore(own.before, own.after)
        anna.steps.restore(own.after, own.before)
        assert [r.label for r in anna.records.list()] == ["Kherson"]
