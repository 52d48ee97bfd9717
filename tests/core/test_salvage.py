"""Salvage: what can be read from a damaged project goes into a new, whole project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.errors import ProjectError
from workbench.project import Project
from workbench.services.codebook import seed_codebook
from workbench.services.memos import MemoTarget
from workbench.storage.models import Base
from workbench.storage.salvage import salvage

TEXT = "Daniil Alfyorov 🙂 left the 47th Tank Division near Бахмут in late March 2024.\n" * 50


def _project_with_annotations(path: Path, tmp_path: Path, count: int) -> None:
    source = tmp_path / "doc.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project(path) as project:
        doc = project.documents.import_file(source)[0].id
        project.annotations.annotate(doc, 0, 15, "person")
    with sqlite3.connect(path) as conn:  # many more rows, quickly, as a long project has
        rows = [(doc, i % 3000, i % 3000 + 6, TEXT[i % 3000 : i % 3000 + 6], 1, "manual",
                 "accepted", "", "2024-01-01", "2024-01-01") for i in range(count)]  # fmt: skip
        conn.executemany(
            'INSERT INTO annotations (document_id, start, "end", quote, code_id, origin, '
            "status, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def _break_a_page_of(path: Path, table: str) -> None:
    """Overwrite one leaf page in the middle of ``table`` with garbage."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = [p for (p,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,))]  # fmt: skip
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = pages[len(pages) // 2]
    with path.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xde\xad\xbe\xef" * (size // 4))


def test_a_damaged_project_is_salvaged_into_a_whole_one(project_path: Path, tmp_path: Path) -> None:
    _project_with_annotations(project_path, tmp_path, 3000)
    _break_a_page_of(project_path, "annotations")
    with pytest.raises(ProjectError, match="damaged"):
        Project(project_path)
    before = project_path.read_bytes()
    target = tmp_path / "salvaged.twb"
    report = salvage(project_path, target, seed=lambda conn: seed_codebook(conn, "salvage"))
    assert project_path.read_bytes() == before  # the damaged file is only read
    assert not report.complete
    assert report.unreadable and "annotations" in report.unreadable[0]
    assert 2500 < report.copied["annotations"] < 3001
    assert report.copied["documents"] == 1
    with Project(target) as project:
        (doc,) = project.documents.list()
        assert project.documents.text(doc.id) == TEXT
        annotations = project.annotations.for_document(doc.id)
        assert len(annotations) == report.copied["annotations"]
        assert all(TEXT[a.start : a.end] == a.quote for a in annotations)
        assert project.search.find("Бахмут")
        assert {c.name for c in project.codebook.list()} >= {"person", "place", "event"}
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_salvage_never_overwrites(project_path: Path, tmp_path: Path) -> None:
    with Project(project_path):
        pass
    existing = tmp_path / "existing.twb"
    existing.write_bytes(b"keep me")
    with pytest.raises(ProjectError, match="exists already"):
        salvage(project_path, existing)
    assert existing.read_bytes() == b"keep me"


def test_an_intact_project_is_salvaged_completely(project_path: Path, tmp_path: Path) -> None:
    _project_with_annotations(project_path, tmp_path, 10)
    report = salvage(project_path, tmp_path / "copy.twb")
    assert report.complete
    assert report.copied["annotations"] == 11
    assert report.copied["codes"] >= 5


def test_memos_and_merge_conflicts_are_salvaged(project_path: Path, tmp_path: Path) -> None:
    """Every table of the schema comes over: memos and the conflicts a merge left were not
    copied at first (each test fills a table the earlier ones did not)."""
    _project_with_annotations(project_path, tmp_path, 0)
    with Project(project_path) as project:
        doc = project.documents.list()[0].id
        project.memos.write(MemoTarget.project(), "Проект 🙂: what the team agreed")
        project.memos.write(MemoTarget.document(doc), "=cross-check with the second source")
        record = project.records.list()[0].id
    with sqlite3.connect(project_path) as conn:
        conn.execute(
            "INSERT INTO merge_conflicts (record_id, field, theirs, theirs_sha256, source, "
            "source_actors, state, found_at) VALUES (?, 'label', '\"Б\"', 'x', 'copy.twb', "
            "'vera', 'open', '2026-01-01')",
            (record,),
        )
    report = salvage(project_path, tmp_path / "copy.twb")
    assert report.complete
    assert set(report.copied) == set(Base.metadata.tables) - {"documents_fts"}
    with Project(tmp_path / "copy.twb") as copy:
        assert copy.memos.read(MemoTarget.project()) == "Проект 🙂: what the team agreed"
        assert copy.memos.read(MemoTarget.document(doc)) == "=cross-check with the second source"
    with sqlite3.connect(tmp_path / "copy.twb") as conn:
        assert conn.execute("SELECT field, theirs FROM merge_conflicts").fetchall() == [
            ("label", '"Б"')
        ]


def test_the_command_line_salvages_and_says_what_was_lost(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli import main  # noqa: PLC0415

    _project_with_annotations(project_path, tmp_path, 3000)
    _break_a_page_of(project_path, "annotations")
    target = tmp_path / "rescued.twb"
    assert main(["--project", str(project_path), "salvage", "--output", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("salvaged ") and "rescued.twb" in out
    assert "annotations: rows after id" in err and "Traceback" not in err
    assert main(["--project", str(target), "verify"]) == 0
