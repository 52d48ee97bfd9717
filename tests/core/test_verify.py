"""`workbench verify`: each kind of damage, made behind the application's back, is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.core.backup_helpers import fill, run, smash_index, tamper
from workbench.project import Project
from workbench.storage import migrate


@pytest.fixture
def filled(project_path: Path, testimony_file: Path) -> Path:
    return fill(project_path, testimony_file)


def _verify(capsys: pytest.CaptureFixture[str], project: Path) -> tuple[int, str, str]:
    return run(capsys, "--project", str(project), "--wait", "0", "verify")


def test_a_sound_project_is_ok_on_every_count(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = filled.read_bytes()
    assert _verify(capsys, filled) == (
        0,
        "ok: integrity check (every page, row and index)\n"
        f"ok: schema {migrate.HEAD_REVISION}\n"
        "ok: full-text index matches the documents\n"
        "ok: 1 document text(s) match their SHA-256\n"
        "ok: 1 annotation quote(s) match their documents\n"
        "ok: 1 evidence link(s) point to existing annotations\n"
        "ok: references between tables\n"
        "ok: JSON columns hold JSON objects\n",
        "",
    )
    assert filled.read_bytes() == before


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (
            ["UPDATE annotations SET quote = 'x'"],
            r"annotation 1 \(document 1, \d+-\d+\): its quote differs from the document's text "
            r"at that span",
        ),
        (
            ['UPDATE annotations SET "end" = 100000'],
            r"annotation 1 \(document 1, \d+-100000\): the span lies outside its document's "
            r"\d+ characters",
        ),
        (
            ["UPDATE documents SET text_sha256 = 'feed'"],
            r"document 1: its stored text does not match its SHA-256",
        ),
        (
            ["UPDATE evidence SET annotation_id = 99"],
            r"record 1: evidence 1 points to annotation 99, which does not exist",
        ),
        (
            ["UPDATE annotations SET document_id = 7"],
            r"annotation 1 \(document 7, \d+-\d+\): its document does not exist or its text is "
            r"not text",
        ),
        (
            ["UPDATE records SET type_id = 999"],
            r"records row 1: refers to a codes row that does not exist",
        ),
        (
            ["UPDATE records SET fields = '{\"title\": '"],
            r"records\.fields of row 1 is not valid JSON",
        ),
        (
            ["INSERT INTO documents_fts (rowid, title, text) VALUES (99, 'x', 'ghost')"],
            r"full-text index documents_fts (is damaged or )?does not match the documents table "
            r"\(.*\); "
            r"searches will miss or invent documents",
        ),
    ],
)
def test_damage_is_reported_one_line_each_and_exits_1(
    filled: Path, statements: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(filled, *statements)
    code, _, err = _verify(capsys, filled)
    assert code == 1
    lines = err.splitlines()
    assert re.fullmatch(rf"project\.twb: {problem}", lines[0]), err
    assert re.fullmatch(r"verify: 1 of 8 checks found problems", lines[-1]), err
    assert "Traceback" not in err


def test_a_text_changed_in_place_fails_its_hash_and_the_index(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(filled, "UPDATE documents SET text = replace(text, 'March', 'April')")
    code, out, err = _verify(capsys, filled)
    assert code == 1
    assert "project.twb: document 1: its stored text does not match its SHA-256\n" in err
    assert "does not match the documents table" in err
    assert "ok: 1 annotation quote(s) match their documents\n" in out  # before the change


def test_a_damaged_index_is_found_by_the_full_integrity_check(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    smash_index(filled)
    with Project(filled):  # the quick check on open does not see this
        pass
    code, out, err = _verify(capsys, filled)
    assert code == 1
    assert err.startswith(
        "project.twb: integrity check: row 1 missing from index ix_audit_log_at\n"
    )
    assert "ok: integrity" not in out


def test_a_file_that_is_not_a_project_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.twb"
    path.write_text("just some notes\n")
    code, out, err = _verify(capsys, path)
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "notes.twb: notes.twb is not an SQLite database"
    code, _, err = _verify(capsys, tmp_path / "missing.twb")
    assert (code, err) == (1, f"error: no project at {tmp_path / 'missing.twb'}\n")


def test_verify_waits_for_no_one_else_to_have_the_project(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project(filled, app="the window"):
        code, out, err = _verify(capsys, filled)
    assert (code, out) == (1, "")
    assert err.startswith("error: project.twb is open in the window (pid ")
