"""Memos on the project, documents and records: written as undoable steps, found by search,
kept with a deleted document's undo, and exported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import DocumentId, RecordId
from workbench.errors import NotFoundError
from workbench.project import Project
from workbench.services.memos import MemoTarget

TEXT = "Interview 🙂 with Ольга\n\nOlena treated the wounded in Kherson.\n"


@pytest.fixture
def doc(project: Project, tmp_path: Path) -> DocumentId:
    return import_text(project, tmp_path, "a.txt", TEXT).id


def test_each_memo_is_written_undone_and_redone(project: Project, doc: DocumentId) -> None:
    start = TEXT.index("Olena")
    record = project.review.annotate(doc, start, start + 5, "person").record_ids[0]
    targets = [MemoTarget.project(), MemoTarget.document(doc), MemoTarget.record(record)]
    steps = []
    for number, target in enumerate(targets):
        step = project.memos.write(target, f"Memo {number}: ask Ольга again 🙂")
        assert step is not None and step.changes
        steps.append(step)
    assert [project.memos.read(t) for t in targets] == [
        f"Memo {n}: ask Ольга again 🙂" for n in range(3)
    ]
    assert project.records.get(record).note == "Memo 2: ask Ольга again 🙂"  # one mechanism
    assert project.memos.write(targets[0], "Memo 0: ask Ольга again 🙂") is None  # unchanged
    for step in reversed(steps):
        project.steps.restore(step.before)
    assert [project.memos.read(t) for t in targets] == ["", "", ""]
    project.steps.restore(steps[1].after)
    assert project.memos.read(targets[1]).startswith("Memo 1")
    assert project.memos.documents_with_memos() == {doc}
    cleared = project.memos.write(targets[1], "  ")
    assert cleared is not None and project.memos.documents_with_memos() == set()


def test_search_finds_every_kind_of_memo(project: Project, doc: DocumentId) -> None:
    start = TEXT.index("Olena")
    record = project.review.annotate(doc, start, start + 5, "person").record_ids[0]
    project.memos.write(MemoTarget.project(), "Overall: the HOSPITAL claims need a second source")
    project.memos.write(MemoTarget.document(doc), "Check the hospital's name with the outlet")
    project.memos.write(MemoTarget.record(record), "She left the hospital in May")
    hits = project.memos.search("hospital")
    assert [(h.target.kind, h.title) for h in hits] == [
        ("project", "Project"),
        ("document", "Interview 🙂 with Ольга"),
        ("record", "Olena"),
    ]
    assert hits[0].snippet == "Overall: the HOSPITAL claims need a second source"
    assert project.memos.search("   ") == [] and project.memos.search("nowhere") == []


def test_a_snippet_is_cut_between_words(project: Project, doc: DocumentId) -> None:
    """No word is cut in two (a part of a name could show that presentation mode, which
    knows whole names, would not hide), even where the context's edge falls inside one."""
    for shift in range(36, 56):  # the context's edges move across the names
        text = f"Daniil Alfyorov 🙂 wrote {'y' * shift} hospital {'z' * (shift - 4)} Алфёров end"
        project.memos.write(MemoTarget.project(), text)
        (hit,) = project.memos.search("hospital")
        words = text.split()
        assert all(word in words for word in hit.snippet.strip("…").split()), hit.snippet
        assert "hospital" in hit.snippet


def test_a_deleted_documents_memo_comes_back_with_it(project: Project, doc: DocumentId) -> None:
    project.memos.write(MemoTarget.document(doc), "Source is a relative; do not name")
    deleted = project.documents.delete([doc])
    assert project.memos.documents_with_memos() == set()
    project.steps.restore(deleted.before)
    assert project.memos.read(MemoTarget.document(doc)) == "Source is a relative; do not name"


def test_memos_of_what_does_not_exist_are_refused(project: Project) -> None:
    with pytest.raises(NotFoundError, match="no document with id 9"):
        project.memos.write(MemoTarget.document(DocumentId(9)), "x")
    with pytest.raises(NotFoundError, match="no record with id 9"):
        project.memos.read(MemoTarget.record(RecordId(9)))


def test_the_documents_csv_carries_the_memo(
    project: Project, doc: DocumentId, tmp_path: Path
) -> None:
    project.memos.write(MemoTarget.document(doc), '=HYPERLINK("x")\nsecond line')
    out = tmp_path / "documents.csv"
    project.exports.export("documents", "csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["memo"] == '\'=HYPERLINK("x")\nsecond line'
