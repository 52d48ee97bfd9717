"""The bundled sample corpus imports completely, with its metadata and exact text."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.paths import SAMPLE_DIR
from workbench.project import Project
from workbench.sample import build_sample_project


def test_sample_project_imports_every_document(tmp_path: Path) -> None:
    report = build_sample_project(tmp_path / "sample.twb")
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert report.refused == []
    assert len(report.imported) == len(manifest) >= 8
    formats = {d.format for d in report.imported}
    assert {"txt", "md", "html", "docx", "pdf"} <= formats
    with Project(tmp_path / "sample.twb") as project:
        for info, entry in zip(report.imported, manifest, strict=True):
            assert info.published == entry["published"]
            assert info.language == entry["language"]
            text = project.documents.text(info.id)
            if info.format in ("txt", "md"):
                raw = (SAMPLE_DIR / entry["file"]).read_text(encoding="utf-8")
                assert text == raw.replace("\r\n", "\n")
            assert "cookie" not in text.lower()  # web-page boilerplate is gone
            assert "<p>" not in text
    assert any("🙏" in project_text for project_text in _texts(tmp_path / "sample.twb"))
    assert {d.language for d in report.imported} == {"en", "ru"}


def test_the_sample_proposes_one_person_named_in_two_scripts(tmp_path: Path) -> None:
    """The doctor of the Russian report (Игорь Малахов) is Igor Malakhov of an English one."""
    build_sample_project(tmp_path / "sample.twb", extract=True)
    with Project(tmp_path / "sample.twb") as project:
        proposals = project.records.merge_candidates("person")
    pairs = [{r.label for r in proposal.records} for proposal in proposals]
    assert {"Igor Malakhov", "Игорь Малахов"} in pairs


def _texts(path: Path) -> list[str]:
    with Project(path) as project:
        return [project.documents.text(d.id) for d in project.documents.list()]
