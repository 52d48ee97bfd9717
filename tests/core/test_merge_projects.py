"""Merging annotators' copies of one project: the union comes in, conflicts are listed for
the lead, a second merge adds nothing, and the copy is never written."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import import_text
from workbench.domain import RecordId
from workbench.errors import InvalidInputError, RecordChangedError
from workbench.project import Project
from workbench.services.memos import MemoTarget
from workbench.services.merge_conflicts import ConflictInfo, ConflictService
from workbench.services.merge_projects import (
    MergeCancelledError,
    MergeReport,
    joined_memo,
    merge_project,
)
from workbench.services.steps import StepResult
from workbench.storage.cipher import Passphrase
from workbench.storage.encrypt import encrypt_copy
from workbench.storage.models import Annotation, AuditEntry, Document, Record

ENGLISH = "Private Ivan Petrov deserted near Avdiivka in late March 2023."
# Emoji outside the Basic Multilingual Plane before the names: offsets are code points.
CYRILLIC = "🙏🏻 Свидетель: Олена Петренко видела 🚒 колонну у Харкова в марте."
EXTRA = "Сержант Дмитрий Волков 🇺🇦 командовал 47-й бригадой."


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def _record(project: Project, label: str) -> Record:
    with project.session() as session:
        found = session.scalars(select(Record).where(Record.label == label)).all()
    assert len(found) == 1, (label, found)
    return found[0]


def _labels(project: Project) -> list[str]:
    return sorted(r.label for r in project.records.list())


def make_base(path: Path) -> Path:
    """The lead's project the annotators copy: two documents, two records."""
    with Project(path, actor="lead") as project:
        one = import_text(project, path.parent, "one.txt", ENGLISH)
        two = import_text(project, path.parent, "two.txt", CYRILLIC)
        project.review.annotate(one.id, *_at(ENGLISH, "Ivan Petrov"), "person")
        project.review.annotate(two.id, *_at(CYRILLIC, "Харкова"), "place")
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The lead's project (``make_base``) in the test's folder."""
    return make_base(tmp_path / "base.twb")


def _copy(base: Path, name: str) -> Path:
    target = base.with_name(name)
    shutil.copyfile(base, target)
    return target


def _diverge(base: Path) -> tuple[Path, Path, Path]:
    """Three annotators work on copies of ``base``, each as themselves."""
    anna, boris, chen = (_copy(base, f"{n}.twb") for n in ("anna", "boris", "chen"))
    folder = base.parent
    with Project(anna, actor="anna") as project:
        petrov = _record(project, "Ivan Petrov").id
        project.review.set_status([petrov], "accepted")  # a decision only anna made
        doc = project.documents.list()[0].id
        project.review.annotate(doc, *_at(ENGLISH, "Avdiivka"), "place")
        project.memos.write(MemoTarget.project(), "Anna: check the dates.")
    with Project(boris, actor="boris") as project:
        petrov = _record(project, "Ivan Petrov").id
        project.review.edit(petrov, label="Ivan Petrov (private)", note="deserter")
        kharkiv = _record(project, "Харкова").id
        project.review.set_status([kharkiv], "rejected")
        extra = import_text(project, folder, "extra.txt", EXTRA)
        project.review.annotate(extra.id, *_at(EXTRA, "Дмитрий Волков"), "person")
        project.codebook.add("Hearsay", "code")
        project.memos.write(MemoTarget.document(extra.id), "Борис: источник 🙂")
    with Project(chen, actor="chen") as project:
        petrov = _record(project, "Ivan Petrov").id
        project.review.edit(petrov, label="I. Petrov")  # boris relabelled it too
        kharkiv = _record(project, "Харкова").id
        project.records.protect([kharkiv])
        extra = import_text(project, folder, "extra.txt", EXTRA)  # the same text as boris's
        project.review.annotate(extra.id, *_at(EXTRA, "47-й бригадой"), "organization")
        project.review.annotate(extra.id, *_at(EXTRA, "Дмитрий Волков"), "person")
    return anna, boris, chen


def test_three_diverged_copies_merge_into_the_union_with_the_conflicts_listed(
    base: Path,
) -> None:
    anna, boris, chen = _diverge(base)
    copies = {p: _digest(p) for p in (boris, chen)}
    with Project(anna, actor="lead") as project:
        first = merge_project(project, boris)
        second = merge_project(project, chen)
        assert (first.documents, second.documents) == (1, 0)  # matched by the text's hash
        assert "boris" in first.actors and "chen" in second.actors
        assert _labels(project) == sorted([
            "Ivan Petrov (private)",  # boris's label: only he edited it before chen's merge
            "Avdiivka",  # anna's own
            "Дмитрий Волков",  # boris's and chen's: two annotators, two passages, two records
            "Дмитрий Волков",
            "47-й бригадой",
            "Харкова",
        ])  # fmt: skip
        petrov = _record(project, "Ivan Petrov (private)")
        assert petrov.status == "accepted"  # anna's decision: boris did not touch the status
        assert petrov.note == "deserter"
        kharkiv = _record(project, "Харкова")
        assert kharkiv.status == "rejected"  # boris's decision
        assert kharkiv.protected and kharkiv.pseudonym  # chen protected it: it stays so
        open_ = ConflictService(project).list()
        # chen's label against the one boris's merge brought: both edited it since parting
        assert [(c.record_id, c.field, c.ours, c.theirs) for c in open_] == [
            (petrov.id, "label", "Ivan Petrov (private)", "I. Petrov")
        ]
        assert second.conflicts == 1 and first.conflicts == 0
        assert "hearsay" in {c.name for c in project.codebook.list()}
        assert project.memos.read(MemoTarget.project()) == "Anna: check the dates."
        extra = next(d for d in project.documents.list() if d.original_name == "extra.txt")
        assert project.memos.read(MemoTarget.document(extra.id)) == "Борис: источник 🙂"
        with project.session() as session:  # offsets are code points into the stored text
            for ann in session.scalars(select(Annotation)):
                document = session.get_one(Document, ann.document_id)
                assert document.text[ann.start : ann.end] == ann.quote
            authors = set(session.scalars(select(Annotation.author)))
            merges = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "project.merge")
            ).all()
        assert {"lead", "anna", "boris", "chen"} <= authors
        assert [(m.actor, m.detail["source"]) for m in merges] == [
            ("lead", "boris.twb"),
            ("lead", "chen.twb"),
        ]
        assert merges[0].detail["annotators"] == ["boris"]
        # merging again adds nothing and lists no conflict twice
        before = _labels(project)
        for again in (merge_project(project, boris), merge_project(project, chen)):
            assert again.added_nothing and again.conflicts == 0, again.summary()
        assert _labels(project) == before
        assert len(ConflictService(project).list()) == 1
    assert {p: _digest(p) for p in (boris, chen)} == copies  # the copies were only read


def _decided(project: Project, *copies: Path) -> tuple[ConflictService, ConflictInfo, StepResult]:
    """The copies merged into ``project`` and their one conflict decided for theirs."""
    for copy in copies:
        merge_project(project, copy)
    conflicts = ConflictService(project)
    (conflict,) = conflicts.list()
    return conflicts, conflict, conflicts.decide(conflict.id, "theirs")


def test_a_decided_conflict_is_undone_and_not_listed_again(base: Path) -> None:
    anna, boris, chen = _diverge(base)
    with Project(anna, actor="lead") as project:
        conflicts, conflict, result = _decided(project, boris, chen)
        assert _record(project, "I. Petrov").id == conflict.record_id
        assert conflicts.list() == []
        conflicts.reopen(conflict.id, result.before)  # undo
        assert _record(project, "Ivan Petrov (private)").id == conflict.record_id
        assert [c.id for c in conflicts.list()] == [conflict.id]
        conflicts.decide(conflict.id, "ours")
        assert conflicts.list() == []
        assert merge_project(project, chen).conflicts == 0  # decided: not listed again
        assert conflicts.list() == []
        actions = [e.action for e in project.audit.list()]
        assert {"merge.theirs", "merge.reopen", "merge.ours"} <= set(actions)


def test_a_record_edited_in_the_copy_only_takes_its_values(base: Path) -> None:
    anna, boris, _chen = _diverge(base)
    with Project(boris, actor="boris") as project:  # later work on the same copy
        petrov = _record(project, "Ivan Petrov (private)").id
        project.review.set_status([petrov], "rejected")
    with Project(anna, actor="lead") as project:
        report = merge_project(project, boris)
        petrov = _record(project, "Ivan Petrov (private)")
        # anna accepted it, boris rejected it: both decided, so the lead decides
        assert [(c.field, c.theirs) for c in ConflictService(project).list()] == [
            ("status", "rejected")
        ]
        assert petrov.status == "accepted" and report.updated == 2  # its label, and Kharkiv


def test_a_protected_record_keeps_its_pseudonym_and_a_taken_one_is_not_given_twice(
    base: Path,
) -> None:
    anna = _copy(base, "anna.twb")
    boris = _copy(base, "boris.twb")
    with Project(boris, actor="boris") as project:
        kharkiv = _record(project, "Харкова").id
        project.records.protect([kharkiv])
        folder = base.parent
        extra = import_text(project, folder, "extra.txt", EXTRA)
        project.review.annotate(extra.id, *_at(EXTRA, "Дмитрий Волков"), "person")
        volkov = _record(project, "Дмитрий Волков").id
        project.records.protect([volkov])
        given = {r.label: r.pseudonym for r in project.records.list() if r.protected}
    with Project(anna, actor="anna") as project:
        petrov = _record(project, "Ivan Petrov").id
        project.records.protect([petrov])  # anna gave "Person A" to someone else
        anna_gave = _record(project, "Ivan Petrov").pseudonym
        merge_project(project, boris)
        kharkiv = _record(project, "Харкова")
        volkov = _record(project, "Дмитрий Волков")
        assert kharkiv.protected and kharkiv.pseudonym == given["Харкова"]
        assert volkov.protected
        assert given["Дмитрий Волков"] == anna_gave  # both called their first person so
        assert volkov.pseudonym not in (None, anna_gave)  # never given twice
        pseudonyms = [r.pseudonym for r in project.records.list() if r.pseudonym]
        assert len(pseudonyms) == len(set(pseudonyms))


def test_unprotecting_in_a_copy_never_unprotects_here(base: Path) -> None:
    anna = _copy(base, "anna.twb")
    with Project(anna) as project:
        project.records.protect([_record(project, "Харкова").id])
    boris = _copy(anna, "boris.twb")
    with Project(boris) as project:
        project.records.protect([_record(project, "Харкова").id], protected=False)
    with Project(anna) as project:
        merge_project(project, boris)
        assert _record(project, "Харкова").protected


def _refused(project: Project, other: Path) -> str:
    with pytest.raises(InvalidInputError) as caught:
        merge_project(project, other)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_files_that_cannot_be_merged_are_refused_in_one_line_changing_nothing(
    base: Path, tmp_path: Path
) -> None:
    text = tmp_path / "notes.twb"
    text.write_text("not a project")
    empty = tmp_path / "empty.twb"
    empty.write_bytes(b"")
    newer = _copy(base, "newer.twb")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    files = {p: _digest(p) for p in (text, newer)}
    with Project(base) as project:
        before = _labels(project)
        assert "not a Testimony Workbench project" in _refused(project, text)
        refused = _refused(project, newer)
        assert "newer version" in refused and str(newer) in refused  # not the private copy
        assert "no such file" in _refused(project, tmp_path / "missing.twb")
        assert "not a file" in _refused(project, tmp_path)
        assert "the open project itself" in _refused(project, base)
        assert "empty" in _refused(project, empty)
        assert _labels(project) == before
    assert {p: _digest(p) for p in files} == files


def test_an_older_copy_is_upgraded_in_a_private_copy_never_in_place(base: Path) -> None:
    old = _copy(base, "old.twb")
    with Project(old, actor="boris") as project:
        doc = project.documents.list()[0].id
        project.review.annotate(doc, *_at(ENGLISH, "Avdiivka"), "place")
    with sqlite3.connect(old) as conn:  # as version 0006 left it
        conn.execute("DROP TABLE merge_conflicts")
        conn.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        conn.execute("UPDATE alembic_version SET version_num = '0006_protected_records'")
    conn.close()
    digest = _digest(old)
    with Project(base) as project:
        report = merge_project(project, old)
        assert report.records == 1 and "Avdiivka" in _labels(project)
    assert _digest(old) == digest
    assert sorted(p.name for p in old.parent.glob("old*")) == ["old.twb"]  # no backup, no WAL


def test_a_copy_open_elsewhere_is_refused_naming_who_has_it(base: Path) -> None:
    other = _copy(base, "other.twb")
    with Project(other, app="a test window"), Project(base) as project:
        assert "close it there first" in _refused(project, other)


def test_cancel_leaves_the_project_as_it_was(base: Path) -> None:
    anna, boris, _chen = _diverge(base)

    class After:
        def __init__(self, phases: int) -> None:
            self.left = phases

        def is_set(self) -> bool:
            self.left -= 1
            return self.left < 0

    with Project(anna) as project:
        before = _labels(project)
        for phases in range(1, 8):
            with pytest.raises(MergeCancelledError):
                merge_project(project, boris, cancel=After(phases))
            assert _labels(project) == before
            assert len(project.documents.list()) == 2
        assert not merge_project(project, boris).added_nothing


def test_memos_are_joined_without_losing_either_side() -> None:
    assert joined_memo(None, "theirs") == "theirs"
    assert joined_memo("ours", "ours") is None
    assert joined_memo("ours and more", "ours") is None
    assert joined_memo("ours", "ours and more") == "ours and more"
    assert joined_memo("ours", "theirs") == "ours\n\ntheirs"
    assert joined_memo("ours\n\ntheirs", "theirs") is None  # a second merge adds nothing
    assert joined_memo("ours", "  ") is None


def test_the_report_says_what_came_in() -> None:
    report = MergeReport("b.twb", documents=1, annotations=2, records=3, conflicts=1)
    line = report.summary()
    assert line.startswith("merged b.twb: 1 document(s), 2 passage(s), 3 record(s)")
    assert line.endswith("1 new conflict(s) for the lead")


def test_an_encrypted_copy_merges_with_its_passphrase_only(base: Path, tmp_path: Path) -> None:
    boris = _copy(base, "boris.twb")
    with Project(boris, actor="boris") as project:
        doc = project.documents.list()[0].id
        project.review.annotate(doc, *_at(ENGLISH, "Avdiivka"), "place")
    secret = encrypt_copy(boris, tmp_path / "secret.twb", Passphrase("s3cret")).path
    digest = _digest(secret)
    with Project(base) as project:
        assert "passphrase" in _refused(project, secret)
        with pytest.raises(InvalidInputError, match="wrong passphrase"):
            merge_project(project, secret, passphrase=Passphrase("guess"))
        assert "Avdiivka" not in _labels(project)
        assert merge_project(project, secret, passphrase=Passphrase("s3cret")).records == 1
        assert "Avdiivka" in _labels(project)
    assert _digest(secret) == digest


def test_an_encrypted_project_merges_a_copy_under_its_own_passphrase(
    base: Path, tmp_path: Path
) -> None:
    key = Passphrase("team secret")
    lead = encrypt_copy(base, tmp_path / "lead-secret.twb", key).path
    copy = _copy(lead, "anna-secret.twb")
    with Project(copy, actor="anna", passphrase=key) as project:
        project.review.set_status([_record(project, "Харкова").id], "rejected")
    with Project(lead, passphrase=key) as project:
        report = merge_project(project, copy)  # not asked: the project's passphrase opens it
        assert report.updated == 1 and _record(project, "Харкова").status == "rejected"


def test_undoing_a_decision_over_a_later_edit_is_refused(base: Path) -> None:
    """Undoing a decision checks the record as any undo does: edited since, it is refused
    in one line and nothing changes (the decision stays, the conflict decided)."""
    anna, boris, chen = _diverge(base)
    with Project(anna, actor="lead") as project:
        conflicts, conflict, result = _decided(project, boris, chen)
        project.review.edit(RecordId(conflict.record_id), label="I. P. Petrov")
        with pytest.raises(RecordChangedError, match="since you read it: nothing was changed"):
            conflicts.reopen(conflict.id, result.before, result.after)
        assert _record(project, "I. P. Petrov").id == conflict.record_id
        assert conflicts.list() == []


def test_deleting_a_record_erases_the_copys_values_its_conflicts_held(base: Path) -> None:
    anna, boris, chen = _diverge(base)
    with Project(anna, actor="lead") as project:
        merge_project(project, boris)
        merge_project(project, chen)
        (conflict,) = ConflictService(project).list()
    needle = b"I. Petrov"  # chen's label: only the conflict holds it here
    assert needle in anna.read_bytes() + b"".join(
        p.read_bytes() for p in anna.parent.glob("anna.twb-wal")
    )
    with Project(anna, actor="lead") as project:
        project.review.delete([conflict.record_id])
        assert ConflictService(project).list(open_only=False) == []
    assert needle not in anna.read_bytes()
    assert not list(anna.parent.glob("anna.twb-wal"))


def test_later_work_in_a_merged_copy_comes_in_without_a_conflict(base: Path) -> None:
    anna = _copy(base, "anna.twb")
    with Project(anna, actor="anna") as project:
        doc = project.documents.list()[0].id
        project.review.annotate(doc, *_at(ENGLISH, "Avdiivka"), "place")
    with Project(base, actor="lead") as project:
        merge_project(project, anna)  # anna's new record comes in
    with Project(anna, actor="anna") as project:  # she goes on in her copy
        avdiivka = _record(project, "Avdiivka").id
        project.review.edit(avdiivka, label="Avdiivka (town)")
        project.review.edit(_record(project, "Ivan Petrov").id, note="anna's note")
    with Project(base, actor="lead") as project:
        project.review.edit(_record(project, "Ivan Petrov").id, note="lead's note")
        report = merge_project(project, anna)
        assert "Avdiivka (town)" in _labels(project) and report.updated == 1
        # the lead's own edit of the note still meets anna's: that one is the lead's call
        assert [(c.field, c.theirs) for c in ConflictService(project).list()] == [
            ("note", "anna's note")
        ]
        assert merge_project(project, anna).added_nothing
