"""Agreement on a real project file: whose passages count, the figures of a text with
Cyrillic letters and emoji (offsets in code points), and ``workbench agreement``."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.core.test_cli import run
from workbench.agreement.report import COLUMNS, NO_PASSAGES, ONE_ANNOTATOR, Report, Row
from workbench.project import Project
from workbench.services.agreement import AgreementService
from workbench.storage.models import Annotation, Code

# an emoji before every passage: in UTF-16 each would move the offsets after it by one
TEXT = "🙂 Олена saw 🙂🙂 Іван Петренко leave Херсон; 🙂 then Олена left Херсон too.\n"
OTHER = "Anna alone read this one about Mariupol.\n"
QUIET = "Nobody marked anything here.\n"


def _span(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def _annotate(path: Path, actor: str, document_id: int, spans: list[tuple[str, str, int]]) -> None:
    with Project(path, actor=actor) as project:
        for code, phrase, nth in spans:
            start, end = _span(phrase, nth) if document_id == 1 else _other(phrase)
            project.review.annotate(document_id, start, end, code)


def _other(phrase: str) -> tuple[int, int]:
    return OTHER.index(phrase), OTHER.index(phrase) + len(phrase)


def _passage(project: Project, author: str, code: str, phrase: str, **state: str) -> None:
    """A passage as extraction or a rejection leaves it (no step makes these for a name)."""
    start, end = _span(phrase)
    with project.transaction() as session:
        code_id = session.scalar(select(Code.id).where(Code.name == code))
        session.add(Annotation(document_id=1, start=start, end=end, quote=phrase,
                               code_id=code_id, author=author, note="", **state))  # fmt: skip


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.twb"
    with Project(path, create=True) as project:
        for name, text in (("one.txt", TEXT), ("two.txt", OTHER), ("three.txt", QUIET)):
            source = tmp_path / name
            source.write_text(text, encoding="utf-8")
            project.documents.import_file(source)
        project.documents.rename(1, "=2+2 Херсон")
        # neither an unreviewed suggestion nor a rejected passage is anyone's work
        _passage(project, "Clara", "place", "Олена", origin="extracted", status="suggested")
        _passage(project, "Boris", "place", "Іван", origin="manual", status="rejected")
    _annotate(path, "Anna", 1, [("person", "Олена", 0), ("place", "Херсон", 0),
                                ("place", "Херсон", 1)])  # fmt: skip
    _annotate(path, "Boris", 1, [("person", "Олена", 0), ("person", "Іван Петренко", 0),
                                 ("place", "Херсон", 0), ("place", "Херсон", 1)])  # fmt: skip
    _annotate(path, "Anna", 2, [("place", "Mariupol", 0)])
    return path


def _row(report: Report, document_id: int | None, code: str | None) -> Row:
    (row,) = [r for r in report.rows if (r.document_id, r.code) == (document_id, code)]
    return row


def _kappa(a: int, b: int, c: int, d: int) -> float:
    """Cohen's kappa from the 2×2 table (both, first only, second only, neither)."""
    return 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))


def test_the_figures_of_a_text_with_cyrillic_and_emoji(project_file: Path) -> None:
    with Project(project_file) as project:
        service = AgreementService(project)
        assert service.annotators() == ["Anna", "Boris"]
        report = service.compute()
    n = len(TEXT)
    person = _row(report, 1, "person")  # both: Олена (5); Boris only: Іван Петренко (13)
    assert person.code_points == n
    assert person.agreement.value == pytest.approx(100 * (n - 13) / n)
    assert person.kappa.value == pytest.approx(_kappa(5, 0, 13, n - 18))
    place = _row(report, 1, "place")  # the same two Херсон each
    assert (place.agreement.value, place.kappa.value, place.alpha_u.value) == (100.0, 1.0, 1.0)
    overall = _row(report, 1, None)
    assert overall.code_points == 2 * n
    assert overall.kappa.value == pytest.approx(_kappa(5 + 12, 0, 13, 2 * n - 30))
    alone = _row(report, 2, "place")  # Anna marked Mariupol, Boris nothing
    assert alone.kappa.value == 0.0
    assert alone.alpha_u.value is not None and alone.alpha_u.value < 0
    quiet = _row(report, 3, None)
    assert quiet.alpha_u.value is None and quiet.note == NO_PASSAGES
    corpus = _row(report, None, "person")  # documents 1 and 2: 3 stays out
    assert corpus.code_points == n + len(OTHER)
    assert corpus.kappa.value == pytest.approx(_kappa(5, 0, 13, n + len(OTHER) - 18))
    assert report.documents == 2 and report.rows[0].document_id is None


def test_three_annotators_have_a_row_for_all_and_one_for_each_pair(project_file: Path) -> None:
    _annotate(project_file, "Clara", 1, [("person", "Олена", 0)])
    with Project(project_file) as project:
        report = AgreementService(project).compute(document_ids=[1])
    groups = list(dict.fromkeys(r.annotators for r in report.rows if r.document_id == 1))
    assert groups == [("Anna", "Boris", "Clara"), ("Anna", "Boris"), ("Anna", "Clara"),
                      ("Boris", "Clara")]  # fmt: skip
    everyone = report.rows[0]
    assert everyone.kappa.value is None and "two annotators" in everyone.kappa.reason
    assert everyone.alpha_u.value is not None


def test_one_annotator_is_no_figure_with_the_reason(project_file: Path) -> None:
    with Project(project_file) as project:
        report = AgreementService(project).compute(["Anna"])
    assert [r.note for r in report.rows] == [ONE_ANNOTATOR]


def test_the_command_prints_a_table(project_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--project", str(project_file), "agreement")
    assert (code, err) == (0, "")
    assert out.startswith("Corpus (2 document(s)) — Anna + Boris\n")
    assert "Document 1 “=2+2 Херсон” — Anna + Boris" in out
    assert f"  n/a: {NO_PASSAGES}" in out


def test_the_command_writes_csv_and_refuses_to_overwrite(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "agreement.csv"
    base = ["--project", str(project_file), "agreement", "--output", str(out)]
    code, _, err = run(capsys, *base, "--document", "1")
    assert code == 0 and "wrote 6 row(s)" in err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert {r[2] for r in rows[1:]} == {"1 document(s)", "'=2+2 Херсон"}  # neutralised
    n = 2 * len(TEXT)
    assert rows[1][3:6] == ["(all codes)", "Anna + Boris", str(n)]
    assert float(rows[1][7]) == round(_kappa(17, 0, 13, n - 30), 4)
    before = out.read_bytes()
    code, stdout, err = run(capsys, *base)
    assert code == 1 and stdout == "" and err.count("\n") == 1 and "exists" in err
    assert out.read_bytes() == before
    assert run(capsys, *base, "--force")[0] == 0
    assert out.read_bytes() != before  # three documents now


def test_the_command_writes_xlsx(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "agreement.xlsx"
    code, _, _ = run(capsys, "--project", str(project_file), "agreement", "--output", str(out))
    assert code == 0
    sheet = openpyxl.load_workbook(out, read_only=True)["Agreement"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    place = next(r for r in rows if r[1] == 1 and r[3] == "place")
    assert place[2] == "'=2+2 Херсон"
    assert place[5:9] == (len(TEXT), 100, 1, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--document", "1", "--document", "99"], "error: no document with id 99\n"),
        (
            ["--compare", "Anna", "--compare", "Zoe"],
            "error: no passages by 'Zoe' in this project\n",
        ),
        (["--format", "xlsx"], "error: an XLSX table needs --output FILE\n"),
    ],
)
def test_bad_input_is_one_line(
    project_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--project", str(project_file), "agreement", *args)
    assert (code, out, err) == (1, "", message)


def test_csv_on_stdout(project_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--project", str(project_file), "agreement", "--format", "csv",
                       "--compare", "Anna", "--compare", "Boris", "--document", "3")  # fmt: skip
    assert code == 0
    rows = list(csv.reader(out.splitlines()))
    assert tuple(rows[0]) == COLUMNS and rows[-1][-1] == NO_PASSAGES


def test_protected_names_in_titles_are_pseudonyms_unless_asked(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project(project_file) as project:
        project.documents.rename(1, "Олена in Херсон")
        (olena,) = [r.id for r in project.records.list(type_name="person") if r.label == "Олена"][
            :1
        ]
        project.records.protect([olena], protected=True)
        (pseudonym,) = [r.pseudonym for r in project.records.list(record_ids=[olena])]
    assert pseudonym
    base = ["--project", str(project_file), "agreement", "--document", "1"]
    code, out, err = run(capsys, *base)
    assert (code, err) == (0, "") and f"“{pseudonym} in Херсон”" in out and "Олена" not in out
    written = tmp_path / "a.csv"
    assert run(capsys, *base, "--output", str(written))[0] == 0
    assert "Олена" not in written.read_text(encoding="utf-8")
    code, out, err = run(capsys, *base, "--no-redact")
    assert code == 0 and "“Олена in Херсон”" in out and "real names" in err
