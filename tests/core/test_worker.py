"""The extraction process: fed documents by the project's owner, never opening the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workbench.project import Project
from workbench.services.extraction_feed import ExtractionFeed

ROOT = Path(__file__).resolve().parents[2]


def _drive(feed: ExtractionFeed) -> tuple[int, str]:
    """Run the worker as the window does: answer each request with the feed's next input."""
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.worker", "extract"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    for line in process.stdout:
        message = json.loads(line)
        if "need" in message:
            data = feed.next_input()
            if data is None:
                process.stdin.close()
            else:
                process.stdin.write(data)
                process.stdin.flush()
        else:
            feed.accept(message)
    stderr = process.stderr.read().decode() if process.stderr else ""
    return process.wait(timeout=300), stderr


def test_worker_extracts_and_the_owner_stores(project_path: Path, testimony_file: Path) -> None:
    with Project(project_path, actor="owner") as project:
        project.documents.import_file(testimony_file)
        feed = ExtractionFeed(project.extraction, None)
        code, stderr = _drive(feed)
        assert code == 0, stderr
        assert "Traceback" not in stderr
        report = feed.finish()
        assert report.documents == 1
        assert not report.cancelled
        assert report.added["person"] >= 1
        assert {r.created_by for r in project.records.list()} == {"owner"}


def test_worker_never_opens_the_project(project_path: Path, testimony_file: Path) -> None:
    """The worker is given text, not a path: it has no way to reach the file."""
    with Project(project_path) as project:
        project.documents.import_file(testimony_file)
        feed = ExtractionFeed(project.extraction, [1])
        first = feed.next_input()
    assert first is not None
    assert str(project_path) not in first.decode()
    assert feed.next_input() is None


def test_worker_refuses_malformed_input_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.worker", "extract"],
        input=b'{"text": 1}\n', capture_output=True, check=False, timeout=300, cwd=ROOT,
    )  # fmt: skip
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert "malformed" in messages[-1]["error"]
    assert b"Traceback" not in result.stderr
