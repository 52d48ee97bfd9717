"""End-to-end tests of the CLI contract: exit codes, messages, files written."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from main import main as app_main
from tests.conftest import TESTIMONY
from workbench.cli import main
from workbench.export.columns import DOCUMENT_COLUMNS, RECORD_COLUMNS, TIMELINE_COLUMNS
from workbench.project import Project

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(project_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, _ = run(capsys, "--project", str(project_path), "import", str(testimony_file))
    assert code == 0
    return project_path


def export(
    capsys: pytest.CaptureFixture[str], project: Path, what: str, output: Path, fmt: str = "csv"
) -> tuple[int, str, str]:
    """``workbench --project PROJECT export WHAT --format FMT --output OUTPUT``."""
    return run(
        capsys, "--project", str(project), "export", what, "--format", fmt, "--output", str(output)
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def csv_header(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(next(csv.reader(fh)))


def test_import_list_and_export_documents(
    imported: Path, testimony_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--project", str(imported), "list", "documents")
    assert code == 0
    assert out.startswith("1\t-\ten\t")
    assert out.rstrip().endswith("testimony")
    output = tmp_path / "docs.csv"
    code, _, err = export(capsys, imported, "documents", output)
    assert code == 0, err
    assert csv_header(output)[: len(DOCUMENT_COLUMNS)] == DOCUMENT_COLUMNS
    (row,) = read_csv(output)
    assert row["sha256"] == hashlib.sha256(testimony_file.read_bytes()).hexdigest()
    assert row["chars"] == str(len(TESTIMONY.replace("\r\n", "\n")))


def test_import_metadata_options(
    project_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--project",
        str(project_path),
        "import",
        str(testimony_file),
        "--published",
        "2024-05-06",
        "--title",
        "Interview 1",
        "--source",
        "https://x.example/1",
        "--language",
        "en",
    )
    assert code == 0
    assert "“Interview 1”" in out
    _, listing, _ = run(capsys, "--project", str(project_path), "list", "documents")
    assert listing.startswith("1\t2024-05-06\ten\t")


def test_annotate_with_emoji_exports_exact_quote(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TESTIMONY.replace("\r\n", "\n")
    start = text.index("Daniil Alfyorov")
    end = start + len("Daniil Alfyorov")
    assert text.index("🙂") < end + 2  # an astral character right after the span
    code, out, err = run(
        capsys,
        "--project",
        str(imported),
        "annotate",
        "1",
        str(start),
        str(end),
        "--type",
        "person",
        "--note",
        '=HYPERLINK("x")',
    )
    assert code == 0, err
    assert "“Daniil Alfyorov”" in out
    code, out, _ = run(capsys, "--project", str(imported), "list", "records", "--type", "person")
    assert out == "1\tperson\taccepted\t1\tDaniil Alfyorov\n"
    output = tmp_path / "records.csv"
    code, _, _ = export(capsys, imported, "records", output)
    assert code == 0
    assert csv_header(output)[: len(RECORD_COLUMNS)] == RECORD_COLUMNS
    (row,) = read_csv(output)
    assert (row["start"], row["end"], row["quote"]) == (str(start), str(end), "Daniil Alfyorov")
    assert (row["record_type"], row["status"], row["origin"]) == ("person", "accepted", "manual")
    assert row["annotator"] == "tester"
    assert row["note"] == '\'=HYPERLINK("x")'


def test_code_annotation_spanning_lines_round_trips_in_csv(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TESTIMONY.replace("\r\n", "\n")
    start, end = text.index("in late March"), text.index("His mother") + 10
    code, _, err = run(
        capsys,
        "--project",
        str(imported),
        "annotate",
        "1",
        str(start),
        str(end),
        "--type",
        "desertion",
    )
    assert code == 0, err
    output = tmp_path / "annotations.csv"
    export(capsys, imported, "annotations", output)
    (row,) = read_csv(output)
    assert row["quote"] == text[start:end]
    assert "\n" in row["quote"]
    assert row["record_id"] == ""
    assert row["record_type"] == "desertion"
    _, records, _ = run(capsys, "--project", str(imported), "list", "records")
    assert records == ""


@pytest.mark.parametrize(
    ("span", "message"),
    [(("0", "999999"), "outside document 1"), (("10", "10"), "outside document 1")],
)
def test_annotate_refuses_bad_spans(
    imported: Path, span: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--project", str(imported), "annotate", "1", *span, "--type", "person"
    )
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    _, records, _ = run(capsys, "--project", str(imported), "list", "records")
    assert records == ""


def test_annotate_refuses_unknown_type_and_document(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--project", str(imported), "annotate", "1", "0", "4", "--type", "ghost"
    )
    assert code == 1
    assert "unknown type or code 'ghost'" in err
    code, _, err = run(
        capsys, "--project", str(imported), "annotate", "7", "0", "4", "--type", "person"
    )
    assert code == 1
    assert "no document with id 7" in err


def test_timeline_images_need_the_application_entry_point(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "timeline.png"
    code, _, err = export(capsys, imported, "timeline", output, "png")
    assert code == 1
    assert "image export needs the desktop application" in err
    assert not output.exists()


def test_usage_errors_exit_2(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["frobnicate"],
        ["import"],
        ["import", "x.txt", "--published", "March 2024"],
        ["annotate", "1", "-3", "5", "--type", "person"],
    ):
        with pytest.raises(SystemExit) as exc:
            main(["--project", str(project_path), *args])
        assert exc.value.code == 2
    capsys.readouterr()


def test_bad_files_exit_1_and_good_ones_are_kept(
    project_path: Path, tmp_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    unknown = tmp_path / "table.xyz"
    unknown.write_text("a,b\n")
    code, out, err = run(
        capsys,
        "--project",
        str(project_path),
        "import",
        str(binary),
        str(testimony_file),
        str(unknown),
    )
    assert code == 1
    assert out.count("imported ") == 1
    lines = [line for line in err.splitlines() if ": refused: " in line]
    assert len(lines) == 2
    assert any("image.txt: refused: " in line for line in lines)
    assert any("unsupported file type '.xyz'" in line for line in lines)
    assert "imported 1 of 3; 2 refused" in err


def test_not_a_project_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.twb"
    bogus.write_bytes(b"%PDF-1.7 not a project")
    code, _, err = run(capsys, "--project", str(bogus), "list", "documents")
    assert code == 1
    assert "not a Testimony Workbench project" in err
    assert bogus.read_bytes() == b"%PDF-1.7 not a project"


def test_export_refuses_to_overwrite_the_project(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = imported.read_bytes()
    code, _, err = export(capsys, imported, "records", imported)
    assert code == 1
    assert "project's own files" in err
    assert imported.read_bytes()[:16] == before[:16]


def test_environment_names_the_default_project(
    tmp_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "import", str(testimony_file))
    assert code == 0
    assert (tmp_path / "default.twb").exists()


def test_main_py_dispatches_commands_to_the_cli(
    project_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert app_main(["--project", str(project_path), "import", str(testimony_file)]) == 0
    assert app_main(["--project", str(project_path), "list", "documents"]) == 0
    assert "testimony" in capsys.readouterr().out


def test_console_entry_runs_as_a_process(project_path: Path, testimony_file: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--project",
            str(project_path),
            "import",
            str(testimony_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--project",
            str(project_path),
            "annotate",
            "1",
            "0",
            "9999",
            "--type",
            "person",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: span 0-9999 is outside document 1")
    assert "Traceback" not in result.stderr


def test_extract_reports_counts_and_is_idempotent(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--project", str(imported), "extract")
    assert code == 0, err
    assert out.startswith("extract done: 1 document(s); suggested ")
    assert "person" in out
    assert "event" in out
    _, records, _ = run(capsys, "--project", str(imported), "list", "records", "--status",
                        "suggested")  # fmt: skip
    assert "Daniil Alfyorov" in records
    code, out, _ = run(capsys, "--project", str(imported), "extract", "--document", "1")
    assert code == 0
    assert "suggested nothing new" in out
    code, _, err = run(capsys, "--project", str(imported), "extract", "--document", "42")
    assert code == 1
    assert "no document with id 42" in err


def test_timeline_csv_is_sorted_with_people_and_places(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--project", str(imported), "extract")
    output = tmp_path / "timeline.csv"
    code, _, err = export(capsys, imported, "timeline", output)
    assert code == 0, err
    assert csv_header(output)[: len(TIMELINE_COLUMNS)] == TIMELINE_COLUMNS
    rows = read_csv(output)
    assert rows
    earliest = [r["date_earliest"] for r in rows if not r["date_edtf"].startswith("XXXX")]
    assert earliest == sorted(earliest)  # then the year-unknown ones ("late March", undated)
    assert all(r["date_edtf"].startswith("XXXX") for r in rows[len(earliest) :])
    crossing = next(r for r in rows if r["date_text"] == "May 4, 2024")
    assert (crossing["date_earliest"], crossing["date_latest"]) == ("2024-05-04", "2024-05-04")
    assert "Kazakhstan" in crossing["places"].split("; ")
    assert "Alfyorov" in crossing["quote"]
    text = TESTIMONY.replace("\r\n", "\n")
    assert text[int(crossing["start"]) : int(crossing["end"])] == crossing["quote"]


CRAFTED = "a\x1b[31mred\nb: refused: forged"
CRAFTED_SHOWN = "a\\x1b[31mred\\nb: refused: forged"
CHARS = len(TESTIMONY.replace("\r\n", "\n"))


def test_import_prints_crafted_names_as_escapes(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crafted = tmp_path / f"{CRAFTED}.txt"
    crafted.write_text(TESTIMONY, encoding="utf-8")
    empty = tmp_path / f"{CRAFTED}\u202e.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "--project", str(project_path), "import", str(crafted), str(empty))
    assert code == 1
    assert "\x1b" not in out + err
    assert "\u202e" not in err
    assert out.splitlines() == [
        f"imported 1\t{CRAFTED_SHOWN}.txt\t“{CRAFTED_SHOWN}” ({CHARS} characters, en)"
    ]
    assert err.splitlines() == [
        f"{tmp_path}/{CRAFTED_SHOWN}\\u202e.txt: refused: the file is empty",
        "imported 1 of 2; 1 refused",
    ]
    with Project(project_path) as project:  # what is stored is the name as it was
        assert project.documents.get(1).original_name == f"{CRAFTED}.txt"
        assert project.documents.get(1).title == CRAFTED


def test_refusal_naming_a_crafted_title_is_escaped(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, again = tmp_path / "first.txt", tmp_path / "again.txt"
    first.write_text(TESTIMONY, encoding="utf-8")
    again.write_text(TESTIMONY, encoding="utf-8")
    run(capsys, "--project", str(project_path), "import", "--title", CRAFTED, str(first))
    code, _, err = run(capsys, "--project", str(project_path), "import", str(again))
    assert code == 1
    assert err.splitlines() == [
        f"{again}: refused: the same text is already in the project as document 1 "
        f"“{CRAFTED_SHOWN}”",
        "imported 0 of 1; 1 refused",
    ]


def test_list_prints_crafted_titles_and_labels_as_escapes(
    project_path: Path, testimony_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "T\x1b]0;pwned\x07\u202eevil\u2028"
    project = str(project_path)
    run(capsys, "--project", project, "import", "--title", title, str(testimony_file))
    annotate = ("annotate", "1", "0", "5", "--type", "person", "--label", CRAFTED)
    run(capsys, "--project", project, *annotate)
    code, out, _ = run(capsys, "--project", project, "list", "documents")
    assert code == 0
    assert out.splitlines() == [f"1\t-\ten\t{CHARS}\tT\\x1b]0;pwned\\x07\\u202eevil\\u2028"]
    code, out, _ = run(capsys, "--project", project, "list", "records")
    assert code == 0
    assert out.splitlines() == [f"1\tperson\taccepted\t1\t{CRAFTED_SHOWN}"]


def test_an_unexpected_failure_is_one_line_not_a_traceback(
    project_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.services.documents import DocumentService  # noqa: PLC0415

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise TypeError("secret passage text")

    monkeypatch.setattr(DocumentService, "list", broken)
    assert main(["--project", str(project_path), "list", "documents"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: an unexpected TypeError stopped the command")
    assert "secret" not in err and err.count("\n") == 1


def test_annotate_prints_a_crafted_quote_with_visible_escapes(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "crafted.txt"
    source.write_text("Ivan \u202eyzal\u202c said so.\n", encoding="utf-8")  # a bidi override
    assert main(["--project", str(project_path), "import", str(source)]) == 0
    capsys.readouterr()
    command = ["--project", str(project_path), "annotate", "1", "5", "11", "--type", "event"]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\\u202eyzal\\u202c" in out
