"""``workbench document delete|rename|set``: the window's document steps from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_cli import run
from workbench.domain import DocumentId, RecordId
from workbench.project import Project

TEXT = "Medics 🙂 speak\n\nOn March 10 two medics left Kherson. Ольга stayed.\n"


@pytest.fixture
def project_file(tmp_path: Path) -> tuple[Path, list[RecordId]]:
    """One undated document with two year-less events, one accepted and one suggested."""
    path = tmp_path / "p.twb"
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project(path, create=True) as project:
        info, _ = project.documents.import_file(source)
        records = []
        for phrase in ("two medics left", "Ольга stayed"):
            start = TEXT.index(phrase)
            made = project.review.annotate(info.id, start, start + len(phrase), "event")
            project.review.edit(made.record_ids[0], date_text="March 10")
            records.append(made.record_ids[0])
        project.review.set_status([records[1]], "suggested")
    return path, records


def _edtfs(path: Path, records: list[RecordId]) -> list[str | None]:
    with Project(path) as project:
        return [project.records.get(r).date_edtf for r in records]


def test_set_published_re_dates_suggestions_and_says_which_accepted_ones_kept_their_date(
    project_file: tuple[Path, list[RecordId]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, (accepted, suggested) = project_file
    code, out, err = run(capsys, "--project", str(path), "document", "set", "1",
                         "--published", "2024-05-20", "--outlet", "Радио")  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        "set 1\tpublished=2024-05-20\toutlet=Радио",
        f"re-dated record {suggested}\t“Ольга stayed”\tXXXX-03-10 → 2024-03-10",
    ]
    assert f"1 accepted record(s) keep their dates ({accepted})" in err
    assert _edtfs(path, [accepted, suggested]) == ["XXXX-03-10", "2024-03-10"]
    code, out, _ = run(capsys, "--project", str(path), "document", "set", "1",
                       "--published", "2023-01-15", "--redate-accepted")  # fmt: skip
    assert code == 0
    assert _edtfs(path, [accepted, suggested]) == ["2022-03-10", "2022-03-10"]


def test_rename_and_delete(
    project_file: tuple[Path, list[RecordId]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = project_file
    code, out, _ = run(capsys, "--project", str(path), "document", "rename", "1", "Interview 7")
    assert (code, out) == (0, "renamed 1\t“Interview 7”\n")
    assert b"Interview 7" in path.read_bytes()  # the CLI closed the project: no WAL
    code, out, err = run(capsys, "--project", str(path), "document", "delete", "1", "1")
    assert (code, out) == (0, "deleted 1\t“Interview 7”\n")
    assert "2 annotation(s) and 2 record(s) found nowhere else" in err
    assert "backups made before still hold it" in err
    assert b"Interview 7" not in path.read_bytes()  # erased: tests/core/test_real_deletion.py
    with Project(path) as project:
        assert project.documents.list() == [] and project.records.list() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "1"), "error: say what to set: --published, --title, --source or --outlet\n"),
        (("set", "1", "--title", "x", "--redate-accepted"), "error: --redate-accepted goes with"),
        (("delete", "7"), "error: no document with id 7\n"),
        (("rename", "1", "  "), "error: a document needs a title\n"),
        (("set", "1", "2", "--title", "T"), "error: no document with id 2\n"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    project_file: tuple[Path, list[RecordId]],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    path, records = project_file
    code, out, err = run(capsys, "--project", str(path), "document", *args)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1
    with Project(path) as project:
        assert project.documents.get(DocumentId(1)).title == "Medics 🙂 speak"
        assert len(project.records.list()) == len(records)


def test_a_bad_date_is_a_usage_error(
    project_file: tuple[Path, list[RecordId]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = project_file
    with pytest.raises(SystemExit) as stop:
        run(capsys, "--project", str(path), "document", "set", "1", "--published", "May 2024")
    assert stop.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
