"""One owner per project file: a second opener is told who has it and changes nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.errors import DamagedProjectError, ProjectError
from workbench.project import Project
from workbench.storage.lock import STALE, ProjectLockedError, lock_path

ROOT = Path(__file__).resolve().parents[2]
HOLDER = (
    "import sys, time\n"
    "from workbench.project import Project\n"
    "project = Project(sys.argv[1], actor='holder')\n"
    "print('ready', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
    "project.close()\n"
)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args],
        capture_output=True, text=True, check=False, timeout=120, cwd=ROOT,
    )  # fmt: skip


def _holder(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that owns the project for ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_a_second_opener_in_the_same_process_is_refused(project_path: Path) -> None:
    with Project(project_path, app="the window"):
        assert lock_path(project_path).exists()
        with pytest.raises(ProjectLockedError, match=r"open in the window \(pid \d+"):
            Project(project_path)
    assert not lock_path(project_path).exists()  # released and removed on close
    with Project(project_path) as again:
        assert not again.created


def test_sniffing_the_file_does_not_let_another_process_in(
    project_path: Path, testimony_file: Path
) -> None:
    """What Qt's file dialog does (open and close the file) drops SQLite's POSIX locks; the
    project lock is not one of them, so the other process is still refused."""
    with Project(project_path) as project:
        doc = project.documents.import_file(testimony_file)[0].id
        with project_path.open("rb") as sniff:
            sniff.read(64)
        refused = _cli("--project", str(project_path), "--wait", "0",
                       "annotate", str(doc), "0", "5", "--type", "person")  # fmt: skip
        assert refused.returncode == 1
        assert refused.stderr.count("\n") == 1
        assert "is open in" in refused.stderr and "Traceback" not in refused.stderr
        info, _ = project.annotations.annotate(doc, 6, 10, "person")
    assert _integrity(project_path) == "ok"
    with Project(project_path) as reopened:
        assert [a.id for a in reopened.annotations.for_document(doc)] == [info.id]


def test_the_command_line_waits_for_the_owner_then_works(
    project_path: Path, testimony_file: Path
) -> None:
    with Project(project_path) as project:
        project.documents.import_file(testimony_file)
    holder = _holder(project_path, 1.5)
    done = _cli("--project", str(project_path), "--wait", "30", "list", "documents")
    holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert "waiting up to 30 s for Testimony Workbench (pid" in done.stderr
    assert "testimony" in done.stdout


def test_a_lock_left_by_a_killed_process_is_taken_over(project_path: Path) -> None:
    holder = _holder(project_path, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    assert json.loads(lock_path(project_path).read_text())["pid"] == holder.pid
    with Project(project_path) as project:
        assert project.lock.owner.pid == os.getpid()
    assert _integrity(project_path) == "ok"


def test_an_owner_on_another_machine_is_respected_until_stale(project_path: Path) -> None:
    with Project(project_path):
        pass
    owner = {"host": "laptop-of-anna", "pid": 4242, "user": "anna",
             "app": "Testimony Workbench", "since": "2026-12-01T10:32:00Z"}  # fmt: skip
    lock_path(project_path).write_text(json.dumps(owner))
    with pytest.raises(ProjectLockedError, match="pid 4242 on laptop-of-anna"):
        Project(project_path)
    old = time.time() - STALE - 5
    os.utime(lock_path(project_path), (old, old))
    with Project(project_path) as project:
        assert project.lock.owner.host != "laptop-of-anna"


def test_project_files_are_private(project_path: Path) -> None:
    with Project(project_path):
        modes = {p.name: p.stat().st_mode & 0o777 for p in project_path.parent.iterdir()}
    assert modes["project.twb"] == 0o600
    assert modes["project.twb.lock"] == 0o600
    assert all(mode == 0o600 for name, mode in modes.items() if name.startswith("project.twb"))


def test_a_crafted_trigger_is_refused_before_it_can_run(project_path: Path) -> None:
    with Project(project_path):
        pass
    with sqlite3.connect(project_path) as conn:
        conn.execute("CREATE TABLE loot (quote TEXT)")
        conn.execute(
            "CREATE TRIGGER steal AFTER INSERT ON annotations "
            "BEGIN INSERT INTO loot VALUES (new.quote); END"
        )
    with pytest.raises(ProjectError) as refused:
        Project(project_path)
    assert "\n" not in str(refused.value)
    assert "loot" in str(refused.value) or "steal" in str(refused.value)
    assert not lock_path(project_path).exists()  # the refusal released the project


def test_a_long_held_write_lock_gives_one_line_and_loses_nothing(
    project_path: Path, testimony_file: Path
) -> None:
    """Another program holds the write lock past the busy timeout: the command says so in
    one line without the passage, and the project is unchanged; then it works."""
    with Project(project_path) as project:
        doc = project.documents.import_file(testimony_file)[0].id
    other = sqlite3.connect(project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    busy = _cli("--project", str(project_path), "--wait", "1",
                "annotate", str(doc), "0", "30", "--type", "event")  # fmt: skip
    waited = time.monotonic() - started
    other.execute("ROLLBACK")
    other.close()
    assert busy.returncode == 1
    assert busy.stderr.startswith("error: the project is busy") and busy.stderr.count("\n") == 1
    assert "for more than 5 s" in busy.stderr
    assert "didn" not in busy.stderr and "Traceback" not in busy.stderr
    assert waited >= 5  # it waited for the other program before giving up
    done = _cli("--project", str(project_path), "annotate", str(doc), "0", "30", "--type", "event")
    assert done.returncode == 0, done.stderr


def test_a_damaged_index_gives_one_line_not_a_traceback(
    project_path: Path, testimony_file: Path
) -> None:
    with Project(project_path) as project:
        project.documents.import_file(testimony_file)
    with sqlite3.connect(project_path) as conn:
        conn.execute("DELETE FROM documents_fts_data WHERE id = 10")  # the index's structure
    with (
        Project(project_path) as project,
        pytest.raises(DamagedProjectError, match="damaged: 'workbench verify' says where"),
    ):
        project.search.find("mother")


def test_damaged_json_read_in_sql_is_one_line(project_path: Path, testimony_file: Path) -> None:
    with Project(project_path) as project:
        doc = project.documents.import_file(testimony_file)[0].id
        project.review.annotate(doc, 0, 5, "event")
    with sqlite3.connect(project_path) as conn:
        conn.execute("UPDATE records SET fields = '{broken', date_earliest = '2024-01-01'")
    done = _cli("--project", str(project_path), "export", "timeline", "--format", "csv",
                "--output", str(project_path.with_suffix(".csv")))  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        "error: a JSON value in the project file is damaged: 'workbench verify' lists where\n"
    )


def test_a_new_project_in_a_folder_not_yet_made(tmp_path: Path) -> None:
    """The default project's folder does not exist on a first run: it is made, then locked."""
    path = tmp_path / "data" / "TestimonyWorkbench" / "default.twb"
    with Project(path) as project:
        assert project.created and lock_path(path).exists()
    with pytest.raises(ProjectError, match="no project at"):
        Project(tmp_path / "elsewhere" / "missing.twb", create=False)
    assert not (tmp_path / "elsewhere").exists()


def test_the_command_line_makes_the_default_project_on_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fresh" / "default.twb"
    env = {**os.environ, "WORKBENCH_PROJECT": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "list", "documents"],
        capture_output=True, text=True, check=False, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert path.exists()


def test_a_file_system_without_locks_is_one_line(
    project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network shares answer flock with ENOLCK; no such file system is at hand here."""
    import errno  # noqa: PLC0415
    import fcntl  # noqa: PLC0415

    def no_locks(_fd: int, _operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(ProjectError, match=r"^cannot lock the project here \(No locks"):
        Project(project_path)
    assert not project_path.exists()
