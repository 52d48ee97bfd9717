"""JSON export: tables as arrays of objects, and the whole project as one file that
``import-project`` reads back into a new project table for table, ids included."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import inspect

from tests.conftest import import_text
from tests.core.test_cli import run
from workbench.domain import CodeId, RecordId
from workbench.export.columns import RECORD_COLUMNS
from workbench.export.json_writer import SECTIONS, WRITER
from workbench.export.model import ExportCancelled, ExportRequest, Selection, WriteOptions
from workbench.extraction.dates import FuzzyDate
from workbench.extraction.pipeline import DocumentExtraction, Suggestion
from workbench.project import Project
from workbench.services.extraction import ExtractionReport
from workbench.services.memos import MemoTarget
from workbench.services.project_tables import PROJECT_MODELS
from workbench.storage.integrity import fts_problems
from workbench.storage.json_column import JSONObject

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "project.schema.json").read_text(encoding="utf-8"))
FORMULA = "=cmd|' /C calc'!A0"
TEXT_A = (
    "Olena 🙂 treated 40 wounded in Kherson on May 4, 2024.\r\n"
    f"{FORMULA} was written on the wall.\n"
)
TEXT_B = "Sgt. Olena Petrenko left the Kherson region in March.\nשלום \u200fעולם\u202e said.\n"


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_project(project: Project, folder: Path) -> None:
    """A project with what people make: documents, a codebook edit, manual passages and
    records with dates and fields, a merge (aliases), extracted suggestions with links, a
    deleted suggestion (a suppression), a rejection and memos on all three targets."""
    a = import_text(project, folder, "a.txt", TEXT_A, published="2024-05-06")
    b = import_text(project, folder, "b.txt", TEXT_B)
    stored_a = TEXT_A.replace("\r\n", "\n")  # the importer stores line ends as LF
    project.codebook.add("Witness statement", "code")
    parent = CodeId(max(c.id for c in project.codebook.list()))
    project.codebook.add("Hearsay", "code", parent_id=parent, shortcut="h")
    project.codebook.update(project.codebook.get("person").id, colour="#123456")
    olena = project.review.annotate(a.id, *span(stored_a, "Olena"), "person").record_ids[0]
    petrenko = project.review.annotate(b.id, *span(TEXT_B, "Olena Petrenko"), "person")
    project.review.merge(petrenko.record_ids[0], [olena])
    event = project.review.annotate(a.id, *span(stored_a, "treated 40 wounded"), "event")
    project.review.edit(event.record_ids[0], date_text="May 4, 2024", fields={"kind": "care"})
    project.review.annotate(a.id, *span(stored_a, FORMULA), "abuse", note=FORMULA)
    project.review.annotate(b.id, *span(TEXT_B, "שלום \u200fעולם"), "hearsay")
    march = FuzzyDate("in March", "2024-03", date(2024, 3, 1), date(2024, 3, 31), "month")
    suggestions = [
        Suggestion("p", "place", "Kherson region", 0.8, [span(TEXT_B, "Kherson region")]),
        Suggestion("s", "person", "Sgt.", 0.3, [span(TEXT_B, "Sgt.")]),
        Suggestion("e", "event", "left", 0.7, [span(TEXT_B, "left the Kherson region")],
                   date=march, links=[("place", "p")]),
    ]  # fmt: skip
    project.extraction.store(b.id, DocumentExtraction(suggestions), ExtractionReport())
    records = {r.label: r.id for r in project.records.list()}
    project.review.delete([RecordId(records["Sgt."])])
    project.review.set_status([RecordId(records["Kherson region"])], "rejected")
    project.memos.write(MemoTarget.project(), "Project memo 🙂\x00 with a NUL")
    project.memos.write(MemoTarget.document(b.id), f"{FORMULA}\n\u202eRTL")
    project.memos.write(MemoTarget.record(RecordId(records["left"])), "record memo")


@pytest.fixture
def built(tmp_path: Path) -> Iterator[Project]:
    with Project(tmp_path / "original.twb", actor="anna") as project:
        build_project(project, tmp_path)
        yield project


def export_project(project: Project, output: Path, *, text: bool = True) -> int:
    options = WriteOptions(include_text=text)
    return project.exports.run(ExportRequest("project", "json", output, options=options))


def table_rows(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the project (the search index apart), ids included."""
    with project.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'documents_fts%'"
        ).scalars()
        return {
            name: list(conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY 1').all())
            for name in names
        }


def test_a_project_comes_back_table_for_table(built: Project, tmp_path: Path) -> None:
    output = tmp_path / "project.json"
    export_project(built, output)
    with Project(tmp_path / "copy.twb", actor="ben") as copy:
        own = table_rows(copy)["audit_log"]
        report = copy.project_import.import_file(output)
        original, imported = table_rows(built), table_rows(copy)
        assert set(original) == set(imported)
        for name, rows in original.items():
            if name != "audit_log":
                assert imported[name] == rows, name
        # the audit log keeps its own start, then the file's history, then the import
        history = imported["audit_log"]
        assert history[: len(own)] == own
        assert [r[1:] for r in history[len(own) : -1]] == [r[1:] for r in original["audit_log"]]
        assert history[-1][2:5] == ("ben", "project.import", "project")
        assert (report.documents, report.annotations, report.records) == (2, 7, 4)
        assert report.changes.added["document"] == {1, 2}
        with copy.engine.connect() as conn:
            assert fts_problems(conn) == []
        assert [h.document_id for h in copy.search.find("Petrenko")] == [2]
        assert copy.memos.read(MemoTarget.project()) == "Project memo 🙂\x00 with a NUL"


def test_the_file_is_valid_against_its_schema(built: Project, tmp_path: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for text in (True, False):
        output = tmp_path / f"project-{text}.json"
        export_project(built, output, text=text)
        data = json.loads(output.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == []
        assert data["includes_text"] is text
        assert all(("text" in doc) is text for doc in data["documents"])
    broken = {**data, "includes_text": True}  # says it has the text, but has none
    assert list(validator.iter_errors(broken))


def test_the_schema_names_every_column_and_says_which_may_be_null() -> None:
    assert list(SECTIONS) == list(PROJECT_MODELS)
    for section, model in PROJECT_MODELS.items():
        columns = list(inspect(model).columns)
        item = SCHEMA["$defs"][section]
        assert list(item["properties"]) == [c.key for c in columns], section
        for column in columns:
            allows_null = "anyOf" in item["properties"][column.key]
            assert allows_null == bool(column.nullable and not column.primary_key), column
        json_columns = {c.key for c in columns if isinstance(c.type, JSONObject)}
        assert json_columns == SECTIONS[section], section


def test_text_and_formulas_are_written_exactly(built: Project, tmp_path: Path) -> None:
    output = tmp_path / "project.json"
    export_project(built, output)
    raw = output.read_text(encoding="utf-8")
    assert not raw.startswith("\ufeff")
    data = json.loads(raw)
    texts = [doc["text"] for doc in data["documents"]]
    assert texts == [TEXT_A.replace("\r\n", "\n"), TEXT_B]
    quotes = {a["quote"] for a in data["annotations"]}
    assert FORMULA in quotes and "'" + FORMULA not in quotes
    assert data["records"][0]["fields"]["aliases"] == ["Olena"]
    assert data["annotations"][0]["created_at"].endswith("Z")


def test_tables_are_arrays_of_objects_with_their_columns(built: Project, tmp_path: Path) -> None:
    output = tmp_path / "records.json"
    rows = built.exports.export("records", "json", output)
    data = json.loads(output.read_text(encoding="utf-8"))
    assert len(data) == rows and rows > 0
    assert all(list(item) == list(RECORD_COLUMNS) for item in data)
    dated = next(item for item in data if item["date_text"] == "May 4, 2024")
    assert (dated["date_earliest"], dated["date_latest"]) == ("2024-05-04", "2024-05-04")
    assert isinstance(dated["start"], int) and dated["created_at"].endswith("Z")
    passages = tmp_path / "annotations.json"
    built.exports.export("annotations", "json", passages)
    data = json.loads(passages.read_text(encoding="utf-8"))
    assert FORMULA in [item["quote"] for item in data]  # not neutralised: JSON is no sheet
    codebook = tmp_path / "codebook.json"
    built.exports.export("codebook", "json", codebook)
    names = [c["name"] for c in json.loads(codebook.read_text(encoding="utf-8"))]
    assert "hearsay" in names


def test_cancel_is_seen_before_each_document(built: Project, tmp_path: Path) -> None:
    cancel = threading.Event()

    def progress(done: int, _total: int, label: str) -> None:
        if label.endswith("documents") and done == 1:
            cancel.set()  # the user presses Cancel while the first document is written

    partial = tmp_path / "written.partial"
    data = built.exports.dataset(Selection())
    with pytest.raises(ExportCancelled):
        WRITER.write(data, "project", partial, options=WriteOptions(), progress=progress,
                     cancel=cancel)  # fmt: skip
    written = partial.read_text(encoding="utf-8")
    assert "Olena 🙂 treated" in written and "Petrenko" not in written
    output = tmp_path / "project.json"
    cancel.clear()
    with pytest.raises(ExportCancelled):
        built.exports.run(ExportRequest("project", "json", output), progress, cancel)
    assert not output.exists() and list(tmp_path.glob(".*.partial")) == []


def test_the_command_line_exports_and_imports_a_project(
    built: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "p.json"
    path = str(built.path)
    built.close()
    code, _, err = run(capsys, "--project", path, "export", "project", "--format", "json",
                       "--output", str(output))  # fmt: skip
    assert code == 0 and err.startswith("wrote ")
    new = str(tmp_path / "new.twb")
    code, out, err = run(capsys, "--project", new, "import-project", str(output))
    assert (code, err) == (0, "")
    assert out == (
        "imported 2 document(s), 7 annotation(s), 4 record(s) and 12 code(s); annotators: anna\n"
    )
    code, out, err = run(capsys, "--project", new, "import-project", str(output))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "import a JSON project into a new, empty project" in err
    bare = tmp_path / "bare.json"
    code, _, _ = run(capsys, "--project", path, "export", "project", "--format", "json",
                     "--output", str(bare), "--no-text")  # fmt: skip
    assert code == 0
    code, _, err = run(capsys, "--project", str(tmp_path / "other.twb"), "import-project",
                       str(bare))  # fmt: skip
    assert code == 1 and err.count("\n") == 1 and "without the documents' text" in err
