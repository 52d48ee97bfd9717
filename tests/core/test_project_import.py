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


def test_a_codebook_nested_beyond_reason_is_one_line(project: Project, tmp_path: Path) -> None:
    depth = 3000
    opening = "".join(
        f'<Code guid="{i:08d}-0000-0000-0000-000000000000" name="c{i}" isCodable="true">'
        for i in range(depth)
    )
    crafted = tmp_path / "deep.qdc"
    crafted.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
        f'origin="x"><Codes>{opening}{"</Code>" * depth}</Codes></CodeBook>',
        encoding="utf-8",
    )
    before = project.codebook.list()
    with pytest.raises(InvalidInputError, match=r"^deep.qdc: "):
        project.project_import.import_file(crafted)
    assert project.codebook.list() == before
