"""Others' changes to a project on the server reach every open project (LISTEN/NOTIFY)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.errors import ProjectError
from workbench.project import Project
from workbench.services.memos import MemoTarget
from workbench.storage.postgres import Notice

WAIT = 30  # seconds at most for a notice: the server's processes share a loaded machine


def test_each_committed_change_of_another_is_heard_once_and_ones_own_not(
    server_url: str, tmp_path: Path
) -> None:
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        heard = boris.listen()
        try:
            assert heard.pending() == []
            import_text(anna, tmp_path, "a.txt", "A testimony from Kharkiv.\n")
            anna.memos.write(MemoTarget.project(), "Read it twice.")
            first = heard.pending(timeout=WAIT)  # the second may come a moment later
            assert first + (heard.pending(timeout=WAIT) if len(first) < 2 else []) == [
                Notice("anna"), Notice("anna")
            ]  # fmt: skip
            boris.memos.write(MemoTarget.project(), "Done.")  # his own: not news to him
            with pytest.raises(ZeroDivisionError), anna.transaction():
                1 / 0  # noqa: B018 - a change that rolls back announces nothing
            anna.memos.write(MemoTarget.project(), "Read it three times.")
            assert heard.pending(timeout=WAIT) == [Notice("anna")]  # in commit order: this one
        finally:
            heard.close()


def test_ones_own_change_heard_first_does_not_end_the_wait_for_anothers(
    server_url: str,
) -> None:
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        heard = boris.listen()
        later = threading.Timer(0.5, anna.memos.write, (MemoTarget.project(), "Later."))
        try:
            boris.memos.write(MemoTarget.project(), "Done.")  # his own, there already
            later.start()
            assert heard.pending(timeout=10) == [Notice("anna")]
        finally:
            later.join()
            heard.close()


def test_a_file_has_nothing_to_listen_to(tmp_path: Path) -> None:
    with Project(tmp_path / "p.twb") as project, pytest.raises(ProjectError) as refused:
        project.listen()
    assert str(refused.value) == "p.twb is a file: only its owner changes it"
