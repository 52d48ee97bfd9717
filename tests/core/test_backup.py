"""Backups and restores: private rolling copies from the owner, restores that never overwrite."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.core.backup_helpers import count, fill, run, smash_index, tamper
from workbench.project import Project
from workbench.services.backups import BackupService
from workbench.storage.backup import KEEP_ENV, backups_folder, list_backups
from workbench.storage.restore import check_backup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(project_path: Path, testimony_file: Path) -> Path:
    return fill(project_path, testimony_file)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _backup(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> Path:
    code, out, err = run(capsys, "--project", str(project), "backup", *args)
    assert code == 0, err
    return Path(out.strip().rsplit(" to ", 1)[1])


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_backup_is_a_private_whole_copy_in_the_backups_folder(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _backup(capsys, filled)
    folder = backups_folder(filled)
    assert backup.parent == folder == filled.with_name("project.twb-backups")
    assert re.fullmatch(r"project-\d{8}-\d{6}\.twb", backup.name)
    assert (_mode(folder), _mode(backup)) == (0o700, 0o600)
    assert backup.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
    assert sorted(p.name for p in folder.iterdir()) == [backup.name]  # no temporary left
    assert check_backup(backup)
    assert count(backup, "annotations") == count(filled, "annotations") == 1


def test_backups_in_one_second_are_numbered_and_only_the_newest_are_kept(filled: Path) -> None:
    clock = Clock()
    with Project(filled) as project:
        backups = BackupService(project, keep=3, clock=clock)
        made = [backups.back_up().path.name for _ in range(4)]
        clock.now += timedelta(seconds=1)
        made.append(backups.back_up().path.name)
        listed = [b.path.name for b in backups.list()]
    assert made == [
        "project-20250301-120000.twb",
        "project-20250301-120000-2.twb",
        "project-20250301-120000-3.twb",
        "project-20250301-120000-4.twb",
        "project-20250301-120001.twb",
    ]
    assert listed == [made[4], made[3], made[2]]  # newest first, the rest rotated away


def test_how_many_to_keep_comes_from_the_option_or_the_environment(
    filled: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEEP_ENV, "2")
    for _ in range(3):
        _backup(capsys, filled)
    assert len(list_backups(filled)) == 2
    _backup(capsys, filled, "--keep", "1")
    assert len(list_backups(filled)) == 1
    monkeypatch.setenv(KEEP_ENV, "lots")  # ignored: the default 10
    for _ in range(3):
        _backup(capsys, filled)
    assert len(list_backups(filled)) == 4
    with pytest.raises(SystemExit) as usage:
        run(capsys, "--project", str(filled), "backup", "--keep", "0")
    assert usage.value.code == 2
    assert "'0' is not a whole number from 1 to 1000" in capsys.readouterr().err


def test_backup_to_a_chosen_file_never_overwrites(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.twb"
    assert _backup(capsys, filled, "--output", str(target)) == target
    assert _mode(target) == 0o600
    assert not backups_folder(filled).exists()  # not a rolling backup
    before = target.read_bytes()
    code, _, err = run(capsys, "--project", str(filled), "backup", "--output", str(target))
    assert code == 1
    assert err == f"error: {target} exists; choose a new file name for the backup\n"
    assert target.read_bytes() == before


def test_backup_needs_the_project_to_itself_and_to_exist(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project(filled, app="the window"):
        code, _, err = run(capsys, "--project", str(filled), "--wait", "0", "backup")
    assert code == 1
    assert re.fullmatch(r"error: project\.twb is open in the window \(pid \d+ .*\n", err)
    missing = tmp_path / "missing.twb"
    code, _, err = run(capsys, "--project", str(missing), "backup")
    assert (code, err) == (1, f"error: no project at {missing}\n")
    assert not missing.exists()


def test_on_open_backs_up_once_and_only_what_changed(
    project_path: Path, testimony_file: Path
) -> None:
    with Project(project_path) as project:  # brand new: nothing to protect yet
        assert BackupService(project).on_open() is None
        project.documents.import_file(testimony_file)
    with Project(project_path) as project:
        backups = BackupService(project)
        first = backups.on_open()
        assert first is not None
        assert backups.on_open() is None  # at most one per open
    with Project(project_path) as project:  # unchanged since that backup
        assert BackupService(project).on_open() is None
        project.documents.update_metadata([1], outlet="Radio")
    with Project(project_path) as project:
        assert BackupService(project).on_open() is not None
    assert len(list_backups(project_path)) == 2


def test_changes_get_a_backup_once_they_are_a_period_old(filled: Path) -> None:
    clock = Clock()
    with Project(filled) as project:
        backups = BackupService(project, every=timedelta(minutes=30), clock=clock)
        backups.on_open()
        assert len(backups.list()) == 1
        clock.now += timedelta(hours=2)
        assert backups.tick() is None  # nothing changed
        project.documents.update_metadata([1], outlet="Radio")
        assert backups.tick() is None  # the change is seen now
        clock.now += timedelta(minutes=29)
        assert backups.tick() is None
        clock.now += timedelta(minutes=1)
        made = backups.tick()
        assert made is not None
        clock.now += timedelta(hours=1)
        assert backups.tick() is None  # nothing since
    assert count(made.path, "audit_log") == count(filled, "audit_log")


def test_restore_writes_a_new_file_beside_the_project(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _backup(capsys, filled)
    stamp = backup.stem.removeprefix("project-")
    tamper(filled, "DELETE FROM evidence", "DELETE FROM annotations")
    before = filled.read_bytes()
    code, out, err = run(capsys, "--project", str(filled), "restore", str(backup))
    restored = filled.with_name(f"project-restored-{stamp}.twb")
    assert (code, out, err) == (0, f"restored {backup.name} into {restored}\n", "")
    assert filled.read_bytes() == before  # the project itself is left alone
    assert _mode(restored) == 0o600
    with Project(restored) as project:
        assert len(project.annotations.for_document(1)) == 1
    code, out, _ = run(capsys, "--project", str(filled), "restore", backup.name)  # bare name
    assert code == 0
    assert out.endswith(f"project-restored-{stamp}-2.twb\n")


def test_restore_refuses_an_existing_file_other_than_the_project(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _backup(capsys, filled)
    other = tmp_path / "other.twb"
    fill(other, tmp_path / "testimony.txt")
    before = other.read_bytes()
    code, _, err = run(
        capsys, "--project", str(filled), "restore", str(backup), "--output", str(other)
    )
    assert code == 1
    assert err == (f"error: {other} exists; restore into a new file (or into the project itself)\n")
    assert other.read_bytes() == before


def test_restore_over_the_project_keeps_the_old_file_unless_it_is_open(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _backup(capsys, filled)
    tamper(filled, "DELETE FROM evidence", "DELETE FROM annotations")
    args = ("--project", str(filled), "--wait", "0", "restore", str(backup), "--output")
    with Project(filled, app="the window"):
        code, _, err = run(capsys, *args, str(filled))
        assert code == 1
        assert "project.twb is open in the window" in err
    assert count(filled, "annotations") == 0
    code, _, err = run(capsys, *args, str(filled))
    assert code == 0
    kept = Path(err.strip().rsplit(" as ", 1)[1])
    assert kept.parent == backups_folder(filled)
    assert kept.name.startswith("project-replaced-")
    assert (count(filled, "annotations"), count(kept, "annotations")) == (1, 0)
    assert kept not in [b.path for b in list_backups(filled)]  # never offered or rotated
    with Project(filled) as project:
        assert len(project.annotations.for_document(1)) == 1


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("not sqlite", "is not a Testimony Workbench backup (not an SQLite database)"),
        ("PRAGMA application_id = 0", "is not a Testimony Workbench backup"),
        (
            "UPDATE alembic_version SET version_num = '9999_future'",
            "has schema 9999_future, which this version of Testimony Workbench does not know",
        ),
        ("smash", "is damaged (integrity check: row 1 missing from index ix_audit_log_at; "),
    ],
)
def test_restore_checks_the_backup_first(
    filled: Path, damage: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _backup(capsys, filled)
    if damage == "not sqlite":
        backup.write_bytes(b"PK\x03\x04 not a database")
    elif damage == "smash":
        smash_index(backup)
    else:
        tamper(backup, damage)
    code, out, err = run(capsys, "--project", str(filled), "restore", str(backup))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {backup.name} {message}")
    assert err.count("\n") == 1
    assert not list(filled.parent.glob("project-restored-*"))
    assert not list(filled.parent.glob(".*partial"))


def test_commands_run_as_a_process(filled: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workbench.cli", "--project", str(filled), *args],
            capture_output=True, text=True, check=False, timeout=120, cwd=ROOT,
        )  # fmt: skip

    made = cli("backup")
    assert made.returncode == 0, made.stderr
    verified = cli("verify")
    assert (verified.returncode, verified.stderr) == (0, "")
    assert verified.stdout.count("ok: ") == 8
    backup = made.stdout.strip().rsplit(" to ", 1)[1]
    restored = cli("restore", backup)
    assert restored.returncode == 0, restored.stderr
