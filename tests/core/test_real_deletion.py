"""Deleting for real: a deleted document's or record's text is nowhere in the project file, its
WAL, its search index or a backup made afterwards; the audit log keeps that it happened.

Every check reads the raw bytes of the files. Each needle is first found in the same files
before the deletion, so a check that finds nothing afterwards could have found something.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import DocumentId, Passage, RecordId
from workbench.project import Project
from workbench.services.audit import audit, facts
from workbench.services.backups import BackupService
from workbench.services.memos import MemoTarget
from workbench.storage.cipher import Passphrase
from workbench.storage.erase import free_pages

SECRET = (
    "Corporal Quillon Vexhardt crossed the Zorvath ford before dawn, carrying the ledger.\n\n"
    "Ефрейтор Кузьма Пыльногоров переправился через Шмарку ночью, сказала его сестра 🦉.\n\n"
    "Both of them were seen in Kharkiv.\n"
)
OTHER = "A different testimony: the shelling of Kharkiv went on all week.\n"
TITLE = "Показания Vexhardt 🦉"
FILE_NAME = "vexhardt-пыльногоров-🦉.txt"
MEMO = "Memo: Vexhardt asked that his sister stay unnamed 🦉"
LABEL = "Vexhardt the deserter 🦉"  # typed by the user, found in no document
NOTE = "Note: Пыльногоров hides in the Orlinsk forest"
# What must vanish: sentences, names, title, file name, memo, typed label (as stored)...
NEEDLES = (
    "Corporal Quillon Vexhardt crossed the Zorvath ford",
    "Ефрейтор Кузьма Пыльногоров переправился через Шмарку",
    "сестра 🦉",
    "Quillon Vexhardt",
    "Пыльногоров",
    TITLE,
    FILE_NAME,
    MEMO,
    LABEL,
    NOTE,
)
# ... and the words as the search index stores them: lowercased, and after the bytes they
# share with the word before (its pages store only the rest): "показания" after
# "переправился" is stored from the second byte of "о". So each word is looked for without
# its first two letters.
TOKENS = tuple(
    word[2:] for word in ("vexhardt", "quillon", "zorvath", "пыльногоров", "шмарку", "показания")
)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def stored(path: Path) -> bytes:
    """The bytes of a project file and of its WAL, if it has one."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def present(data: bytes, needles: Iterable[str]) -> list[str]:
    """The needles found in ``data`` in any case and encoding, named with the form found."""
    found = []
    for needle in needles:
        for form in dict.fromkeys((needle, needle.lower(), needle.casefold())):
            found += [f"{form!r} ({enc})" for enc in ENCODINGS if form.encode(enc) in data]
    return found


def missing(data: bytes, needles: Iterable[str]) -> list[str]:
    """The needles not found as written in UTF-8: the control before a deletion."""
    return [needle for needle in needles if needle.encode() not in data]


def erasing(project: Project) -> bool:
    """Whether a checkpoint after a deletion is still due (a reader held it back)."""
    return project.steps.erasure.pending


def indexed(project: Project) -> bytes:
    """The pages of the search index, where the control looks for its words."""
    with project.engine.connect() as conn:
        return b"".join(conn.exec_driver_sql("SELECT block FROM documents_fts_data").scalars())


def secret_document(project: Project, folder: Path) -> tuple[DocumentId, DocumentId]:
    """The document to delete, fully worked on, and another one that stays."""
    secret = import_text(project, folder, FILE_NAME, SECRET, title=TITLE).id
    other = import_text(project, folder, "other.txt", OTHER).id
    project.memos.write(MemoTarget.document(secret), MEMO)
    at = SECRET.index("Quillon Vexhardt")
    person = project.review.annotate(secret, at, at + len("Quillon Vexhardt"), "person")
    record = RecordId(person.record_ids[0])
    project.review.edit(record, label=LABEL, note=NOTE, date_text="late March 2024")
    at = SECRET.index("Пыльногоров")
    project.review.annotate_as_one(
        [Passage(secret, at, at + len("Пыльногоров"))], "person", "Кузьма Пыльногоров"
    )
    at = SECRET.index("Kharkiv")
    city = RecordId(project.review.annotate(secret, at, at + 7, "place").record_ids[0])
    project.review.attach(other, OTHER.index("Kharkiv"), OTHER.index("Kharkiv") + 7, city)
    return secret, other


def test_deleting_a_document_leaves_none_of_its_text(project: Project, tmp_path: Path) -> None:
    secret, other = secret_document(project, tmp_path)
    report = project.extraction.run([secret])
    assert report.documents == 1
    assert {"Quillon Vexhardt", "Кузьма Пыльногоров"} & {r.label for r in project.records.list()}
    before = BackupService(project).back_up()
    assert missing(stored(project.path), NEEDLES) == []  # the controls
    assert missing(indexed(project), TOKENS) == []
    kept = {r.id for r in project.records.list(document_id=other)}

    result = project.documents.delete([secret])

    assert not erasing(project)
    assert present(stored(project.path), NEEDLES + TOKENS) == []  # still open
    after = BackupService(project).back_up()
    assert present(after.path.read_bytes(), NEEDLES + TOKENS) == []
    assert missing(before.path.read_bytes(), NEEDLES) == []  # made before: it still holds it
    # What the user sees: the other document, its records, its search hits.
    assert [d.id for d in project.documents.list()] == [other]
    assert {r.id for r in project.records.list()} == kept
    assert [h.document_id for h in project.search.find("Kharkiv")] == [other]
    assert project.search.find("Vexhardt") == []
    entry = project.audit.list()[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "document.delete", "document", secret, "tester",
    )  # fmt: skip
    assert entry.detail["documents"] == [secret]
    assert facts(dict(entry.detail)) == entry.detail  # ids only, no title
    naming = [e for e in project.audit.list() if e.entity == "document" and e.entity_id == secret]
    assert all(facts(dict(e.detail)) == e.detail for e in naming)  # no text left in any
    imported = next(e for e in naming if e.action == "document.import")
    assert imported.detail == {"chars": len(SECRET), "erased": True}  # file name, checksum gone
    result_removed = result.changes.removed
    assert result_removed["document"] == {secret}

    project.close()
    assert not project.path.with_name(project.path.name + "-wal").exists()
    assert present(stored(project.path), NEEDLES + TOKENS) == []


def test_undo_brings_the_text_back_and_redo_erases_it_again(
    project: Project, tmp_path: Path
) -> None:
    secret, _ = secret_document(project, tmp_path)
    result = project.documents.delete([secret])
    project.steps.restore(result.before)  # Edit → Undo: the user's choice
    assert project.documents.text(secret) == SECRET
    assert [h.document_id for h in project.search.find("Vexhardt")] == [secret]
    assert project.memos.read(MemoTarget.document(secret)) == MEMO
    assert missing(stored(project.path), NEEDLES) == []
    assert missing(indexed(project), TOKENS) == []

    project.steps.restore(result.after)  # Edit → Redo

    assert present(stored(project.path), NEEDLES + TOKENS) == []
    assert project.search.find("Vexhardt") == []


def test_deleting_a_record_leaves_none_of_its_text(project: Project, tmp_path: Path) -> None:
    secret, _ = secret_document(project, tmp_path)
    (record,) = [r.id for r in project.records.list() if r.label == LABEL]
    assert missing(stored(project.path), (LABEL, NOTE)) == []

    project.review.delete([record])

    data = stored(project.path)
    assert present(data, (LABEL, NOTE)) == []
    # Its passage's words are the document's, which stays: they are legitimately there.
    assert missing(data, ("Corporal Quillon Vexhardt crossed", "vexhardt")) == []
    assert project.documents.text(secret) == SECRET
    entry = project.audit.list()[0]
    assert (entry.action, entry.entity_id, entry.detail) == ("record.delete", record,
                                                            {"records": [record]})  # fmt: skip
    edits = [e for e in project.audit.list() if e.action == "record.edit"]
    assert edits and all(e.detail.get("erased") and "label" not in e.detail for e in edits)


def test_deleting_a_record_made_of_many_passages_erases_its_label(
    project: Project, tmp_path: Path
) -> None:
    secret, _ = secret_document(project, tmp_path)
    (record,) = [r.id for r in project.records.list() if r.label == "Кузьма Пыльногоров"]
    created = next(e for e in project.audit.list() if e.action == "record.create"
                   and e.entity_id == record)  # fmt: skip
    assert created.detail["label"] == "Кузьма Пыльногоров"  # the entry names its record

    project.review.delete([record])

    created = next(e for e in project.audit.list() if e.id == created.id)
    assert created.detail == {"type": "person", "passages": 1, "erased": True}
    assert secret in {d.id for d in project.documents.list()}


def test_deleting_a_record_type_erases_its_records(project: Project, tmp_path: Path) -> None:
    secret_document(project, tmp_path)
    person = project.codebook.get("person")
    assert missing(stored(project.path), (LABEL, NOTE)) == []

    project.codebook.delete(person.id)

    assert present(stored(project.path), (LABEL, NOTE)) == []


def test_a_reader_holds_the_old_pages_until_it_finishes(project: Project, tmp_path: Path) -> None:
    secret, other = secret_document(project, tmp_path)
    reader = sqlite3.connect(project.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM documents").fetchone() == (2,)

        project.documents.delete([secret])

        # Meanwhile the user sees the document gone; the reader, in its own snapshot, still
        # sees it, so the file and its WAL must still hold it: the checkpoint waits.
        assert [d.id for d in project.documents.list()] == [other]
        assert project.search.find("Vexhardt") == []
        assert reader.execute("SELECT title FROM documents WHERE id = ?", (secret,)).fetchone()
        assert erasing(project)
        assert missing(stored(project.path), NEEDLES[:2]) == []
        reader.execute("COMMIT")
    finally:
        reader.close()
    project.documents.list()  # any read of the project's own tries again once it ends

    assert not erasing(project)
    assert present(stored(project.path), NEEDLES + TOKENS) == []
    project.close()
    assert present(stored(project.path), NEEDLES + TOKENS) == []


def test_a_reader_open_at_close_leaves_nothing_once_it_closes(
    project_path: Path, tmp_path: Path
) -> None:
    project = Project(project_path, actor="tester")
    secret, _ = secret_document(project, tmp_path)
    reader = sqlite3.connect(project_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    project.documents.delete([secret])
    project.close()  # the reader still holds its snapshot
    reader.execute("COMMIT")
    reader.close()  # the last connection: it checkpoints and removes the WAL

    assert not project_path.with_name(project_path.name + "-wal").exists()
    assert present(stored(project_path), NEEDLES + TOKENS) == []


def test_older_entries_of_earlier_versions_lose_their_titles(
    project: Project, tmp_path: Path
) -> None:
    """A document.delete entry written before deletions erased anything kept the titles."""
    with project.write_connection() as conn:
        audit(conn, "tester", "document.delete", "document", 41, documents=[41],
              titles=[TITLE], records=[])  # fmt: skip
    other = import_text(project, tmp_path, "other.txt", OTHER).id

    project.documents.delete([other])

    old = next(e for e in project.audit.list() if e.entity_id == 41)
    assert old.detail == {"documents": [41], "records": [], "erased": True}
    assert present(stored(project.path), (TITLE,)) == []


@pytest.mark.parametrize(
    ("detail", "kept"),
    [
        ({"label": "Ivan", "type": "person", "passages": 3}, {"type": "person", "passages": 3}),
        ({"file": "a.txt", "sha256": "ab" * 32, "chars": 10}, {"chars": 10}),
        ({"documents": [1, 2], "titles": ["A", "B"]}, {"documents": [1, 2]}),
        ({"added": {"person": 2}, "piece": [0, 50]}, {"added": {"person": 2}, "piece": [0, 50]}),
        ({"title": "T", "published": "2024-01-01", "redated": [4]}, {"redated": [4]}),
        ({"status": "accepted", "date_text": "late March"}, {"status": "accepted"}),
    ],
)
def test_an_entry_about_a_deleted_thing_keeps_only_facts(
    detail: dict[str, object], kept: dict[str, object]
) -> None:
    assert facts(detail) == kept


def test_an_encrypted_project_is_checkpointed_under_its_new_passphrase(
    project_path: Path, tmp_path: Path
) -> None:
    """A new passphrase gives the project a new engine: the checkpoint after a deletion
    follows it (a WAL cut to nothing proves it ran)."""
    wal = project_path.with_name(project_path.name + "-wal")
    with Project(project_path, actor="tester", passphrase=Passphrase("old words")) as project:
        secret, other = secret_document(project, tmp_path)
        project.documents.delete([secret])
        assert not erasing(project) and wal.stat().st_size == 0
        project.change_passphrase(Passphrase("new words"))
        project.memos.write(MemoTarget.document(other), MEMO)
        assert wal.stat().st_size > 0
        project.documents.delete([other])
        assert not erasing(project) and wal.stat().st_size == 0
        assert project.documents.list() == []


def test_the_pages_a_deletion_frees_are_zeros(project_path: Path, tmp_path: Path) -> None:
    """Why auto_vacuum is not needed: the file keeps its free pages, but they hold nothing."""
    long_text = "".join(
        f"Paragraph {i}: Vexhardt’s {i}th crossing, 🦉 Шмарка.\n" for i in range(4000)
    )
    with Project(project_path, actor="tester") as project:
        secret = import_text(project, tmp_path, "long.txt", long_text).id
        import_text(project, tmp_path, "other.txt", OTHER)
        project.documents.delete([secret])
    pages, holding = free_pages(project_path.read_bytes())
    assert pages > 50  # the long text's pages and its index's, freed
    assert holding == 0
