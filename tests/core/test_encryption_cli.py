"""Encrypted projects from the command line: ``new --encrypt``, the passphrase from the
environment (never inherited by child processes), one line when it is wrong or missing,
``encrypt``, ``passphrase``, the export warning, the lock, the extraction run, a kill."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.core.test_encryption import SECRETS
from workbench.cli import main
from workbench.paths import ROOT
from workbench.project import Project
from workbench.storage.cipher import Passphrase

SECRET = "correct horse battery staple"
TEXT = (
    "Daniil Alfyorov left the 47th Tank Division in late March 2024. "
    "He crossed into Kazakhstan near Oral on May 4, 2024.\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def encrypted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An encrypted project made by ``workbench new --encrypt`` holding one document."""
    path = tmp_path / "secret.twb"
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, err = run(capsys, "new", str(path), "--encrypt")
    assert (code, out) == (0, f"created encrypted project {path}\n")
    assert "no way to recover" in err
    assert "WORKBENCH_PASSPHRASE" not in os.environ  # read once, then out of the environment
    source = tmp_path / "account.txt"
    source.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, _, _ = run(capsys, "--project", str(path), "import", str(source))
    assert code == 0
    return path


def _no_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """As when run from a script: stdin is not a terminal."""
    monkeypatch.setattr(sys, "stdin", Path(os.devnull).open(encoding="utf-8"))  # noqa: SIM115


def test_without_a_passphrase_a_command_is_one_line(
    encrypted: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = encrypted.read_bytes()
    _no_stdin(monkeypatch)
    code, out, err = run(capsys, "--project", str(encrypted), "list", "documents")
    assert (code, out) == (1, "")
    assert err == (
        "error: secret.twb is encrypted (or is not a Testimony Workbench project): set "
        "WORKBENCH_PASSPHRASE or run the command in a terminal to type its passphrase\n"
    )
    assert encrypted.read_bytes() == before


def test_no_child_process_inherits_a_passphrase_even_on_a_plain_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    monkeypatch.setenv("WORKBENCH_NEW_PASSPHRASE", "another one")
    code, _, _ = run(capsys, "--project", str(tmp_path / "plain.twb"), "list", "documents")
    assert code == 0
    assert "WORKBENCH_PASSPHRASE" not in os.environ
    assert "WORKBENCH_NEW_PASSPHRASE" not in os.environ


def test_a_wrong_passphrase_is_one_line(
    encrypted: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = encrypted.read_bytes()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "correct horse battery stapler")
    code, out, err = run(capsys, "--project", str(encrypted), "list", "documents")
    assert (code, out) == (1, "")
    assert err == "error: secret.twb: wrong passphrase (or not a Testimony Workbench project)\n"
    assert encrypted.read_bytes() == before


def _in_terminal(answers: list[str], *args: str) -> tuple[int, str]:
    """Run the command line in a real pseudo-terminal, typing each of ``answers`` when a
    prompt ("…: ") appears; its exit status and everything the terminal showed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_PASS")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a session of its own with the terminal as controlling one
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "workbench.cli", *args], env)
    shown, pending = b"", list(answers)
    while True:
        if not select.select([fd], [], [], 60)[0]:  # waits for input it will never get
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the command hung; the terminal showed {shown!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        if pending and shown.endswith(b": "):  # a prompt waiting (the line after one not)
            os.write(fd, pending.pop(0).encode() + b"\n")
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="pseudo-terminals are POSIX")
def test_the_passphrase_is_typed_without_echo_in_a_terminal(encrypted: Path) -> None:
    code, shown = _in_terminal([SECRET], "--project", str(encrypted), "list", "documents")
    assert code == 0, shown
    assert "Passphrase for secret.twb: " in shown and "account" in shown
    assert SECRET not in shown  # not echoed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="pseudo-terminals are POSIX")
def test_new_asks_twice_and_refuses_two_different_passphrases(tmp_path: Path) -> None:
    path = tmp_path / "new.twb"
    code, shown = _in_terminal(["first one", "second one"], "new", str(path), "--encrypt")
    assert code == 1
    assert "New passphrase: " in shown and "The same passphrase again: " in shown
    assert "error: the two passphrases differ; nothing was changed" in shown
    assert "first one" not in shown
    assert not path.exists()
    code, shown = _in_terminal(["same one", "same one"], "new", str(path), "--encrypt")
    assert code == 0, shown
    with Project(path, passphrase=Passphrase("same one")) as created:
        assert created.encrypted


def test_new_without_any_passphrase_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_stdin(monkeypatch)
    code, _, err = run(capsys, "new", str(tmp_path / "new.twb"), "--encrypt")
    assert code == 1
    assert err.count("\n") == 1 and "WORKBENCH_PASSPHRASE" in err


def test_an_export_of_an_encrypted_project_warns_it_is_not_encrypted(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    output = tmp_path / "documents.csv"
    code, _, err = run(
        capsys, "--project", str(encrypted), "export", "documents", "--format", "csv",
        "--output", str(output),
    )  # fmt: skip
    assert code == 0
    assert err.splitlines()[0] == (
        "warning: the project is encrypted, but the exported file is not: keep it as safe as "
        "the project"
    )
    assert "account" in output.read_text(encoding="utf-8")


def test_passphrase_changes_it(
    encrypted: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    monkeypatch.setenv("WORKBENCH_NEW_PASSPHRASE", "another one")
    code, out, _ = run(capsys, "--project", str(encrypted), "passphrase")
    assert (code, out) == (0, "changed the passphrase of secret.twb\n")
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, _, err = run(capsys, "--project", str(encrypted), "list", "documents")
    assert code == 1 and "wrong passphrase" in err
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "another one")
    code, out, _ = run(capsys, "--project", str(encrypted), "list", "documents")
    assert code == 0 and "account" in out


def test_encrypt_writes_a_copy_and_removes_the_original_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain.twb"
    source = tmp_path / "account.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert run(capsys, "--project", str(plain), "import", str(source))[0] == 0
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, err = run(capsys, "--project", str(plain), "encrypt", str(tmp_path / "a.twb"))
    assert (code, out) == (0, f"encrypted plain.twb into {tmp_path / 'a.twb'}\n")
    assert "the plain original still exists" in err and "--remove-original" in err
    assert plain.exists()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, _, err = run(
        capsys, "--project", str(plain), "encrypt", str(tmp_path / "b.twb"), "--remove-original"
    )
    assert code == 0
    assert "overwrote with zeros and deleted" in err
    assert not plain.exists()
    for copy in ("a.twb", "b.twb"):
        data = (tmp_path / copy).read_bytes()
        assert not any(secret in data for secret in (b"Alfyorov", b"SQLite format 3"))
        with Project(tmp_path / copy, passphrase=Passphrase(SECRET)) as opened:
            assert [d.title for d in opened.documents.list()] == ["account"]


def test_backup_restore_verify_and_salvage_take_the_passphrase(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, _ = run(capsys, "--project", str(encrypted), "backup")
    assert code == 0
    backup = Path(out.strip().split(" to ", 1)[1])
    assert b"Alfyorov" not in backup.read_bytes()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, _ = run(capsys, "--project", str(encrypted), "verify")
    assert code == 0 and "ok: integrity check" in out
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    restored = tmp_path / "restored.twb"
    code, _, err = run(
        capsys, "--project", str(encrypted), "restore", str(backup), "--output", str(restored)
    )
    assert (code, err) == (0, "")
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, _ = run(capsys, "--project", str(restored), "list", "documents")
    assert code == 0 and "account" in out
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    salvaged = tmp_path / "salvaged.twb"
    code, _, _ = run(capsys, "--project", str(encrypted), "salvage", "--output", str(salvaged))
    assert code == 0
    assert b"Alfyorov" not in salvaged.read_bytes()


def test_a_backup_from_before_a_new_passphrase_restores_with_the_one_it_had(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The refusal says which passphrase a backup made before the change wants."""
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, _ = run(capsys, "--project", str(encrypted), "backup")
    backup = Path(out.strip().split(" to ", 1)[1])
    with Project(encrypted, passphrase=Passphrase(SECRET)) as project:
        project.change_passphrase(Passphrase("a new one"))
    restored = tmp_path / "restored.twb"
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "a new one")
    code, _, err = run(
        capsys, "--project", str(encrypted), "restore", str(backup), "--output", str(restored)
    )
    assert code != 0 and not restored.exists()
    assert err == (
        f"error: {backup.name}: wrong passphrase (a backup made before the passphrase was "
        "changed opens with the one it had then), or not a Testimony Workbench backup\n"
    )
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, _, err = run(
        capsys, "--project", str(encrypted), "restore", str(backup), "--output", str(restored)
    )
    assert (code, err) == (0, "")
    with Project(restored, passphrase=Passphrase(SECRET)) as project:
        assert [d.title for d in project.documents.list()] == ["account"]


def test_a_second_process_is_refused_by_the_lock(encrypted: Path) -> None:
    with Project(encrypted, passphrase=Passphrase(SECRET)):
        done = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "--project", str(encrypted), "--wait", "0",
             "list", "documents"],
            env={**os.environ, "WORKBENCH_PASSPHRASE": SECRET},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("error: secret.twb is open in ")
    assert done.stderr.count("\n") == 1


def test_extraction_runs_on_an_encrypted_project(
    encrypted: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, out, _ = run(capsys, "--project", str(encrypted), "extract")
    assert code == 0 and out.startswith("extract done: 1 document(s)")
    with Project(encrypted, passphrase=Passphrase(SECRET)) as project:
        labels = {r.label for r in project.records.list()}
    assert "Daniil Alfyorov" in labels
    data = encrypted.read_bytes()
    assert not any(secret in data for secret in (b"Alfyorov", b"Kazakhstan", *SECRETS))


WRITER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from workbench.project import Project
    from workbench.storage.cipher import Passphrase
    from workbench.services.documents import ImportOptions

    path, folder = Path(sys.argv[1]), Path(sys.argv[2])
    key = Passphrase(sys.stdin.readline().rstrip("\\n"))
    with Project(path, passphrase=key) as project:
        for n in range(1000):
            source = folder / f"account-{n}.txt"
            source.write_text(f"Account number {n} of the crossing near Oral.\\n" * 40)
            info, _ = project.documents.import_file(source, ImportOptions())
            print(json.dumps({"ack": info.id}), flush=True)
    """
)


def test_a_writer_killed_mid_write_leaves_every_acknowledged_change(tmp_path: Path) -> None:
    path = tmp_path / "killed.twb"
    Project(path, passphrase=Passphrase(SECRET)).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdin is not None and writer.stdout is not None
    writer.stdin.write(SECRET + "\n")  # the key goes through a pipe, never argv or environment
    writer.stdin.close()
    acknowledged = [json.loads(writer.stdout.readline())["ack"] for _ in range(25)]
    writer.send_signal(signal.SIGKILL)  # while it writes the next ones
    writer.wait(timeout=60)
    writer.stdout.close()
    assert Path(f"{path}-wal").exists()  # killed with changes in the WAL
    with Project(path, passphrase=Passphrase(SECRET)) as reopened:
        ids = {d.id for d in reopened.documents.list()}
    assert set(acknowledged) <= ids
    assert b"crossing near Oral" not in path.read_bytes()


def test_a_large_csv_export_of_an_encrypted_project_runs_in_one_process(
    encrypted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Helper processes would read the file without its key: an encrypted project's table
    is written by the exporting process alone, whatever its size."""
    from workbench.export import csv_writer  # noqa: PLC0415

    monkeypatch.setattr(csv_writer, "PARALLEL_FROM", 1)  # every table counts as large
    monkeypatch.setattr(csv_writer, "PROCESSES", 2)
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    assert run(capsys, "--project", str(encrypted), "extract")[0] == 0
    output = tmp_path / "annotations.csv"
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", SECRET)
    code, _, err = run(
        capsys, "--project", str(encrypted), "export", "annotations", "--format", "csv",
        "--output", str(output),
    )  # fmt: skip
    assert code == 0, err
    assert "Alfyorov" in output.read_text(encoding="utf-8")
