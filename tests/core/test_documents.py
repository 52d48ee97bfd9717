"""Importing documents through the service the CLI and the GUI use."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TESTIMONY
from workbench.errors import InvalidInputError
from workbench.importers import ImportLimits, ImportRefused
from workbench.project import Project
from workbench.services import documents as documents_module
from workbench.services.documents import ImportOptions
from workbench.storage.models import AuditEntry, Document


def _count(project: Project, model: type) -> int:
    with project.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_text_is_stored_exactly_with_hashes(project: Project, testimony_file: Path) -> None:
    info, notes = project.documents.import_file(testimony_file)
    expected = TESTIMONY.replace("\r\n", "\n")
    assert project.documents.text(info.id) == expected
    assert info.chars == len(expected)
    assert info.original_sha256 == hashlib.sha256(testimony_file.read_bytes()).hexdigest()
    assert info.text_sha256 == hashlib.sha256(expected.encode()).hexdigest()
    assert info.title == "testimony"
    assert info.original_name == "testimony.txt"
    assert info.language == "en"
    assert info.format == "txt"
    assert notes == ()


def test_passage_found_in_source_is_found_at_same_offsets(project: Project, tmp_path: Path) -> None:
    source = "Intro 🙂🇺🇦 then “Daniil Alfyorov” left.\nSecond line 🙂 Alfyorov.\n"
    path = tmp_path / "lf.txt"
    path.write_text(source, encoding="utf-8", newline="")
    info, _ = project.documents.import_file(path)
    stored = project.documents.text(info.id)
    start = source.index("Daniil Alfyorov")
    assert stored[start : start + len("Daniil Alfyorov")] == "Daniil Alfyorov"
    assert stored == source


def test_options_override_file_metadata(project: Project, testimony_file: Path) -> None:
    options = ImportOptions(
        published="2024-05-10", title="Interview 7", source="https://example.org/7", language="uk"
    )
    info, _ = project.documents.import_file(testimony_file, options)
    assert (info.title, info.published, info.source, info.language) == (
        "Interview 7",
        "2024-05-10",
        "https://example.org/7",
        "uk",
    )


def test_duplicate_text_is_refused_naming_the_existing_document(
    project: Project, testimony_file: Path, tmp_path: Path
) -> None:
    first, _ = project.documents.import_file(testimony_file)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(TESTIMONY.replace("\r\n", "\n").encode())  # same text, other bytes
    with pytest.raises(ImportRefused, match=rf"already in the project as document {first.id}"):
        project.documents.import_file(copy)
    assert _count(project, Document) == 1


def test_failure_inside_the_transaction_leaves_nothing(
    project: Project, testimony_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audits_before = _count(project, AuditEntry)

    def broken_audit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents_module, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        project.documents.import_file(testimony_file)
    assert _count(project, Document) == 0
    assert _count(project, AuditEntry) == audits_before
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM documents_fts").scalar() == 0


def test_batch_imports_good_files_and_reports_bad_ones(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Andrey (name changed) left in late March.\n")
    (folder / "sub" / "b.md").write_text("# Report\n\nSoldier X crossed the border.\n")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("not supported")
    (folder / ".hidden.txt").write_text("hidden")
    missing = tmp_path / "missing.txt"
    report = project.documents.import_paths([folder, missing])
    assert sorted(d.original_name for d in report.imported) == ["a.txt", "b.md"]
    refused = {r.path.name: r.message for r in report.refused}
    assert set(refused) == {"empty.txt", "missing.txt"}
    assert refused["missing.txt"] == "no such file or folder"
    assert report.skipped == 2
    assert report.changes.added["document"] == {d.id for d in report.imported}
    md = next(d for d in report.imported if d.original_name == "b.md")
    assert md.title == "Report"


def test_symbolic_links_are_refused_and_linked_folders_not_entered(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A secret kept outside the imported folder.\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Andrey (name changed) left in late March.\n")
    (folder / "x.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "notes.xyz").symlink_to(outside / "secret.txt")
    direct = tmp_path / "direct.txt"
    direct.symlink_to(outside / "secret.txt")
    linked_folder = tmp_path / "linked-corpus"
    linked_folder.symlink_to(outside, target_is_directory=True)
    report = project.documents.import_paths([folder, direct, linked_folder])
    assert [d.original_name for d in report.imported] == ["a.txt"]
    assert {r.path: r.message for r in report.refused} == {
        folder / "x.txt": "it is a symbolic link; import the file it points to directly",
        folder / "linked": "it is a symbolic link to a folder; import that folder directly",
        direct: "it is a symbolic link; import the file it points to directly",
        linked_folder: "it is a symbolic link to a folder; import that folder directly",
    }
    assert report.skipped == 1  # notes.xyz: an unsupported type, link or not
    assert _count(project, Document) == 1


def test_folder_without_supported_files_is_refused(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    report = project.documents.import_paths([folder])
    assert report.imported == []
    assert [r.message for r in report.refused] == ["the folder contains no supported files"]


def test_size_limit_is_configurable(project: Project, testimony_file: Path) -> None:
    options = ImportOptions(limits=ImportLimits(max_bytes=10))
    report = project.documents.import_paths([testimony_file], options)
    assert report.imported == []
    assert "limit" in report.refused[0].message
    assert _count(project, Document) == 0


def test_progress_and_cancel(project: Project, tmp_path: Path) -> None:
    paths = []
    for i in range(5):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(f"Document number {i} about the 47th Tank Division.\n")
        paths.append(path)
    seen: list[tuple[int, int]] = []

    class StopAfterTwo:
        def is_set(self) -> bool:
            return len(seen) >= 2

    report = project.documents.import_paths(
        paths,
        progress=lambda done, total, _label: seen.append((done, total)),
        cancel=StopAfterTwo(),
    )
    assert report.cancelled
    assert len(report.imported) == 2
    assert seen == [(0, 5), (1, 5)]


def test_progress_label_shows_a_crafted_name_escaped(project: Project, tmp_path: Path) -> None:
    name = "a\x1b[31mred\nb\u202e.txt"
    (tmp_path / name).write_text("Document about the 47th Tank Division.\n")
    labels: list[str] = []
    report = project.documents.import_paths(
        [tmp_path / name], progress=lambda _done, _total, label: labels.append(label)
    )
    assert labels == ["a\\x1b[31mred\\nb\\u202e.txt", ""]
    assert [d.original_name for d in report.imported] == [name]


def test_list_counts_and_full_text_index(project: Project, testimony_file: Path) -> None:
    info, _ = project.documents.import_file(testimony_file)
    project.annotations.annotate(info.id, 0, 5, "person")
    listed = project.documents.list()
    assert [(d.id, d.accepted, d.suggested) for d in listed] == [(info.id, 1, 0)]
    with project.engine.connect() as conn:
        hits = conn.exec_driver_sql(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'kazakhstan'"
        ).all()
        assert hits == [(info.id,)]
        cyrillic = conn.exec_driver_sql(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'воевать'"
        ).all()
        assert cyrillic == [(info.id,)]


def test_metadata_edit_reindexes_title_and_undoes(project: Project, testimony_file: Path) -> None:
    info, _ = project.documents.import_file(testimony_file)
    step = project.documents.update_metadata(
        [info.id], title="Interview with a deserter", published="2024-05-20"
    )
    assert step.changes.changed["document"] == {info.id}
    updated = project.documents.get(info.id)
    assert (updated.title, updated.published) == ("Interview with a deserter", "2024-05-20")
    with project.engine.connect() as conn:
        hits = conn.exec_driver_sql(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'title : deserter'"
        ).all()
        assert hits == [(info.id,)]
    undone = project.steps.restore(step.before)
    assert undone.changed["document"] == {info.id}
    assert project.documents.get(info.id).title == "testimony"
    assert project.documents.get(info.id).published is None
    with project.engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'title : deserter'"
            ).all()
            == []
        )
    project.steps.restore(step.after)  # redo
    assert project.documents.get(info.id).published == "2024-05-20"
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD"):
        project.documents.update_metadata([info.id], published="May 2024")
    with pytest.raises(InvalidInputError, match="cannot edit"):
        project.documents.update_metadata([info.id], text="rewritten")
