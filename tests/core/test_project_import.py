"""``import-project`` picks a reader by the file's suffix and refuses anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_cli import run
from workbench.errors import InvalidInputError
from workbench.project import Project


def test_an_unknown_kind_of_file_is_one_line(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "notes.docx"
    other.write_bytes(b"PK")
    with pytest.raises(InvalidInputError, match=r"notes.docx: cannot import this kind of file"):
        project.project_import.import_file(other)
    with pytest.raises(InvalidInputError, match="is not a file"):
        project.project_import.import_file(tmp_path / "missing.qdpx")


def test_the_command_line_says_it_in_one_line(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--project", str(project_path), "import-project",
                         str(tmp_path / "x.csv"))  # fmt: skip
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "cannot import this kind of file" in err
