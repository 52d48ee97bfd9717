"""``workbench export``: the selection and options of the window's Export dialog."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.core.test_cli import run
from workbench.project import Project

TEXT = "Olena 🙂 treated 40 wounded in Kherson; =cmd|' /C calc'!A0 was written on the wall.\n"


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.twb"
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project(path, create=True) as project:
        info, _ = project.documents.import_file(source)
        for phrase, code in (("Olena", "person"), ("Kherson", "place"), ("=cmd", "abuse")):
            start = TEXT.index(phrase)
            project.review.annotate(info.id, start, start + len(phrase), code)
        project.review.set_status([2], "rejected")
    return path


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_type_status_and_document_narrow_the_export(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.csv"
    base = ["--project", str(project_file), "export", "records", "--format", "csv"]
    code, _, err = run(capsys, *base, "--output", str(out), "--type", "person")
    assert (code, err) == (0, f"wrote 1 row(s) to {out}\n")
    assert [r["label"] for r in _rows(out)] == ["Olena"]
    code, _, err = run(capsys, *base, "--output", str(out), "--status", "rejected")
    assert code == 1 and err.startswith(f"error: {out} exists; choose another name")
    code, _, _ = run(capsys, *base, "--output", str(out), "--status", "rejected", "--force")
    assert code == 0 and [r["label"] for r in _rows(out)] == ["Kherson"]
    code, _, _ = run(capsys, *base, "--output", str(out), "--document", "2", "--force")
    assert code == 0 and _rows(out) == []


def test_bom_and_formula_neutralisation(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.csv"
    base = ["--project", str(project_file), "export", "annotations", "--format", "csv"]
    assert run(capsys, *base, "--output", str(out), "--bom")[0] == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    quotes = [r["quote"] for r in _rows(out, "utf-8-sig")]
    assert "'=cmd" in quotes
    out2 = tmp_path / "b.csv"
    assert run(capsys, *base, "--output", str(out2), "--no-neutralise")[0] == 0
    assert "=cmd" in [r["quote"] for r in _rows(out2)]


def test_the_codebook_exports_and_unknown_pairs_are_one_line(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "codebook.csv"
    code, _, _ = run(capsys, "--project", str(project_file), "export", "codebook",
                     "--format", "csv", "--output", str(out))  # fmt: skip
    assert code == 0 and [r["name"] for r in _rows(out)][:2] == ["person", "place"]
    code, _, err = run(capsys, "--project", str(project_file), "export", "records",
                       "--format", "png", "--output", str(tmp_path / "x.png"))  # fmt: skip
    assert (code, err) == (1, "error: only the timeline exports as png\n")
