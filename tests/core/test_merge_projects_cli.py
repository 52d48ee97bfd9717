"""``workbench merge OTHER_PROJECT``: what came in on stdout, conflicts and refusals on
stderr, exit 1 with one line and nothing changed when the copy cannot be taken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.core.test_merge_projects import _diverge, _record, make_base
from workbench.cli import main
from workbench.project import Project
from workbench.storage.cipher import Passphrase
from workbench.storage.encrypt import encrypt_copy


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The lead's project the annotators copy."""
    return make_base(tmp_path / "base.twb")


def test_merge_says_what_came_in_and_lists_the_conflicts(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna, boris, chen = _diverge(base)
    assert main(["--project", str(anna), "--annotator", "lead", "merge", str(boris)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("merged boris.twb: 1 document(s), 1 passage(s), 1 record(s)")
    assert "annotators of the copy: boris" in out
    assert main(["--project", str(anna), "merge", str(chen)]) == 0
    captured = capsys.readouterr()
    assert "1 new conflict(s) for the lead" in captured.out
    assert "1 conflict(s) wait for the lead" in captured.err
    assert "label: ours Ivan Petrov (private) | theirs I. Petrov (chen.twb)" in captured.err
    assert main(["--project", str(anna), "merge", str(chen)]) == 0
    assert "0 new conflict(s)" in capsys.readouterr().out


def test_a_refused_copy_is_one_line_and_exit_1(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.twb"
    other.write_text("plain text, not a project")
    assert main(["--project", str(base), "merge", str(other)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "not a Testimony" in err


def test_an_encrypted_copy_opens_with_the_passphrase_from_the_environment(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    boris = tmp_path / "boris.twb"
    shutil.copyfile(base, boris)
    with Project(boris, actor="boris") as project:
        project.review.edit(_record(project, "Ivan Petrov").id, note="seen twice")
    secret = encrypt_copy(boris, tmp_path / "secret.twb", Passphrase("s3cret")).path
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", None)  # no terminal to type it at
    assert main(["--project", str(base), "merge", str(secret)]) == 1
    assert "WORKBENCH_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "s3cret")
    assert main(["--project", str(base), "merge", str(secret)]) == 0
    assert "1 record(s) updated" in capsys.readouterr().out
    with Project(base) as project:
        assert _record(project, "Ivan Petrov").note == "seen twice"
