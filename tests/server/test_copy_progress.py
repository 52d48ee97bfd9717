"""``copy_project`` tells its progress and stops when cancelled; a cancelled copy, a source
lost half way or a folder that cannot be written leaves no destination, in one line."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import import_text
from tests.server.conftest import Server, database_of
from tests.server.test_copy import _contents, _tables
from workbench.domain import Passage
from workbench.errors import ProjectError
from workbench.project import Project
from workbench.services.memos import MemoTarget
from workbench.storage.transfer import CopyCancelledError, copy_project

TEXT = "Свидетельница 👩‍⚖️ видела колонну у Херсона; Olena Marchenko stayed.\n"


def fill(project: Project, folder: Path) -> None:
    """Two documents (Cyrillic and emoji), two passages, two records and a memo."""
    doc = import_text(project, folder, "a.txt", TEXT, language="ru").id
    import_text(project, folder, "b.txt", "A second testimony 🙂.\n")
    start = TEXT.index("Olena")
    project.review.annotate_as_one([Passage(doc, start, start + 15)], "person", "Olena")
    project.review.annotate_many([Passage(doc, 0, 13)], "person")
    project.memos.write(MemoTarget.project(), "Проверить даты 🙂")


@pytest.fixture
def team(project: Project, tmp_path: Path) -> Project:
    """The test's server project, filled."""
    fill(project, tmp_path)
    return project


def test_progress_counts_every_row_and_index_entry_up_to_the_total(
    team: Project, tmp_path: Path
) -> None:
    told: list[tuple[int, int, str]] = []
    target = tmp_path / "copy.twb"
    report = copy_project(team.engine, target, progress=lambda *p: told.append(p))
    total = sum(report.rows.values()) + report.count("documents")  # rows, then the index
    assert [t for _, t, _ in told] == [total] * len(told)
    done = [d for d, _, _ in told]
    assert done == sorted(set(done)) and done[-1] == total
    labels = [label for *_, label in told]
    assert {"documents", "annotations", "memos", "audit log"} <= set(labels)
    assert labels[-report.count("documents") :] == ["search index"] * report.count("documents")
    assert _contents(target) == _tables(team.engine)


def test_a_cancelled_copy_leaves_no_file_and_the_server_untouched(
    team: Project, tmp_path: Path
) -> None:
    before = _tables(team.engine)
    cancel = threading.Event()
    told: list[int] = []

    def progress(done: int, _total: int, _label: str) -> None:
        told.append(done)
        cancel.set()  # Cancel pressed after the first batch

    folder = tmp_path / "copies"
    folder.mkdir()
    with pytest.raises(CopyCancelledError):
        copy_project(team.engine, folder / "copy.twb", progress=progress, cancel=cancel)
    assert len(told) == 1
    assert list(folder.iterdir()) == []  # no file, no half file, no lock file
    assert _tables(team.engine) == before


def test_a_cancelled_copy_onto_a_server_leaves_the_database_empty(
    team: Project, pg_server: Server, database: str, tmp_path: Path
) -> None:
    path = tmp_path / "file.twb"
    copy_project(team.engine, path)
    cancel = threading.Event()
    with Project(path) as source, pytest.raises(CopyCancelledError):
        copy_project(
            source.engine, pg_server.url(database), progress=lambda *_: cancel.set(), cancel=cancel
        )
    assert pg_server.tables(database) == []


def test_a_server_lost_half_way_is_one_line_and_leaves_no_file(
    team: Project, pg_server: Server, server_url: str, tmp_path: Path
) -> None:
    before = _tables(team.engine)
    name = database_of(server_url)

    def progress(_done: int, _total: int, _label: str) -> None:
        pg_server.run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )

    folder = tmp_path / "copies"
    folder.mkdir()
    with pytest.raises(ProjectError) as raised:
        copy_project(team.engine, folder / "copy.twb", progress=progress)
    said = str(raised.value)
    assert said.startswith(f"the copy stopped: database {name} on ")
    assert "could not be read: terminating connection" in said
    assert "\n" not in said
    assert list(folder.iterdir()) == []
    with Project(server_url, create=False) as again:  # the server project is as it was
        assert _tables(again.engine) == before


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot make files in (a read-only one; sysfs for root)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() != 0:
        return folder
    kernel = Path("/sys/kernel")
    if not kernel.is_dir():  # pragma: no cover - every Linux has it
        pytest.skip("no folder root cannot write in")
    return kernel


def test_a_folder_that_cannot_be_written_is_one_line(team: Project, tmp_path: Path) -> None:
    folder = _unwritable(tmp_path)
    with pytest.raises(ProjectError, match=r"^cannot write in .*: Permission denied$"):
        copy_project(team.engine, folder / "copy.twb")
    assert not (folder / "copy.twb").exists()
