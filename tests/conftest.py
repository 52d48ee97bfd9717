"""Shared fixtures: temporary projects, an isolated environment, headless Qt."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Hypothesis keeps its caches out of the repository (it would make a .hypothesis folder).
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "workbench-hypothesis")
)

from workbench.domain import DocumentInfo
from workbench.export import registry
from workbench.project import Project
from workbench.services.documents import ImportOptions

# Property tests find the same examples on every run and every machine, and keep no database
# of failures: a failure prints its example (and a blob to replay it). `HYPOTHESIS_PROFILE=
# explore` searches afresh with ten times the examples (tests/core/properties.py:budget).
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's default project or settings from a test."""
    monkeypatch.setenv("WORKBENCH_PROJECT", str(tmp_path / "default.twb"))
    monkeypatch.setenv("WORKBENCH_ANNOTATOR", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test whose code tries to open a network connection: nothing leaves the machine."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def import_text(
    project: Project, folder: Path, name: str, text: str, **options: Any
) -> DocumentInfo:
    """Write ``text`` to ``folder / name`` as UTF-8 and import it; ``options`` are
    ImportOptions fields (published, title, source, language, limits)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    info, _notes = project.documents.import_file(path, ImportOptions(**options))
    return info


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Path of a project file that does not exist yet."""
    return tmp_path / "project.twb"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    """A new, empty project on a real SQLite file."""
    with Project(project_path, actor="tester") as opened:
        yield opened


TESTIMONY = (
    "“I didn’t want to fight,” said Daniil Alfyorov 🙂, who left the 47th Tank Division\r\n"
    "in late March.\r\nHis mother wrote: «Я не хотел воевать». 🇺🇦\n"
    "Alfyorov crossed into Kazakhstan on May 4, 2024.\n"
)


@pytest.fixture
def testimony_file(tmp_path: Path) -> Path:
    """A UTF-8 text file with CRLF line ends, curly quotes, Cyrillic and emoji."""
    path = tmp_path / "testimony.txt"
    path.write_bytes(TESTIMONY.encode("utf-8"))
    return path


REVIEW_TABLES = ("records", "annotations", "evidence", "record_links", "extraction_suppressions")


def review_rows(project: Project, *, versions: bool = False) -> list[tuple[Any, ...]]:
    """Every row a review step may touch, to compare a project's states exactly; records'
    versions (their count of writes, which an undo counts on rather than puts back) only
    with ``versions``."""
    rows: list[tuple[Any, ...]] = []
    with project.engine.connect() as conn:
        for table in REVIEW_TABLES:
            result = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")
            keep = [i for i, key in enumerate(result.keys()) if versions or key != "version"]
            rows += [(table, *(row[i] for i in keep)) for row in result]
    return rows


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own (tmpfs, mounted as root), so the disk can be filled."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if made.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture(autouse=True)
def _export_formats() -> Iterator[None]:
    """Each test starts from the formats the core registers: the application's entry point
    (``main.main``) adds its own writers to the process-wide registry."""
    registered, lazy = dict(registry._registered), dict(registry._lazy)
    yield
    registry._registered.clear()
    registry._registered.update(registered)
    registry._lazy.clear()
    registry._lazy.update(lazy)
