"""The extraction worker process: JSON lines of progress, then a report; errors as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workbench.project import Project

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.worker", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=ROOT,
    )
    assert "Traceback" not in result.stderr
    return result.returncode, [json.loads(line) for line in result.stdout.splitlines()]


def test_worker_reports_progress_and_counts(project_path: Path, testimony_file: Path) -> None:
    with Project(project_path) as project:
        project.documents.import_file(testimony_file)
    code, messages = _run("extract", "--project", str(project_path), "--annotator", "worker")
    assert code == 0
    assert messages[0] == {"progress": [0, 1, "document 1"]}
    report = messages[-1]["report"]
    assert isinstance(report, dict)
    assert report["documents"] == 1
    assert report["added"]["person"] >= 1
    with Project(project_path) as project:
        assert {r.created_by for r in project.records.list()} == {"worker"}


def test_worker_refuses_a_missing_project(tmp_path: Path) -> None:
    code, messages = _run("extract", "--project", str(tmp_path / "none.twb"), "--annotator", "x")
    assert code == 1
    assert "no project" in str(messages[-1]["error"])
    assert not (tmp_path / "none.twb").exists()
