"""A whole-project export of a selection (JSON and REFI-QDA): the documents chosen and what
hangs off them, or the records chosen and what they stand on; the codebook whole; and the
file still valid and importable into an empty project."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import xmlschema

from tests.core.test_cli import run
from tests.core.test_json_export import SCHEMA as JSON_SCHEMA
from tests.core.test_json_export import build_project, table_rows
from tests.core.test_qdpx_export import SCHEMA as XSD
from workbench.domain import RecordId
from workbench.export.model import ExportRequest, Selection
from workbench.project import Project
from workbench.services.memos import MemoTarget

NS = "{urn:QDA-XML:project:1.0}"
# table of the database → section of the file
TABLES = {"codes": "codebook", "documents": "documents", "annotations": "annotations",
          "records": "records", "evidence": "evidence", "record_links": "links",
          "extraction_suppressions": "suppressions", "memos": "memos"}  # fmt: skip


@pytest.fixture
def built(tmp_path: Path) -> Iterator[Project]:
    """Two documents (a: 1, b: 2); a person with passages in both, an event and a formula
    in a; a code, a place, an event linked to it and a deleted suggestion in b; memos on
    the project and on b."""
    with Project(tmp_path / "original.twb", actor="anna") as project:
        build_project(project, tmp_path)
        yield project


def records(project: Project) -> dict[str, RecordId]:
    return {r.label: RecordId(r.id) for r in project.records.list()}


def export(project: Project, selection: Selection, output: Path) -> dict[str, Any]:
    project.exports.run(ExportRequest("project", "json", output, selection))
    data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(JSON_SCHEMA).iter_errors(data)) == []
    return data


def ids(data: dict[str, Any], section: str) -> list[int]:
    return [item["id"] for item in data[section]]


def imports_as_exported(original: Project, output: Path, data: dict[str, Any], tmp: Path) -> None:
    """The file goes into an empty project, which then holds exactly the rows it names."""
    with Project(tmp / "copy.twb", actor="ben") as copy:
        copy.project_import.import_file(output)
        before, after = table_rows(original), table_rows(copy)
        for table, section in TABLES.items():
            chosen = set(ids(data, section))
            assert after[table] == [row for row in before[table] if row[0] in chosen], table
        assert copy.search.find("Kherson") or not data["documents"]


def test_a_document_scope_holds_those_documents_and_what_hangs_off_them(
    built: Project, tmp_path: Path
) -> None:
    output = tmp_path / "b.json"
    data = export(built, Selection(document_ids=frozenset({2})), output)
    labels = records(built)
    assert ids(data, "documents") == [2]
    assert {a["document_id"] for a in data["annotations"]} == {2}
    assert len(data["annotations"]) == 4  # Olena Petrenko, the hearsay code, a place, "left"
    assert ids(data, "records") == sorted(
        labels[name] for name in ("Olena Petrenko", "Kherson region", "left")
    )  # the person has a passage in a too: only b's is evidence here
    passages = set(ids(data, "annotations"))
    assert data["evidence"] and all(e["annotation_id"] in passages for e in data["evidence"])
    assert [(link["source_id"], link["target_id"]) for link in data["links"]] == [
        (labels["left"], labels["Kherson region"])
    ]
    assert [s["document_id"] for s in data["suppressions"]] == [2]
    assert [m["document_id"] for m in data["memos"]] == [None, 2]
    assert data["history"] == []  # the audit log is the whole project's
    assert len(data["codebook"]) == len(built.codebook.list())  # the codebook stays whole
    imports_as_exported(built, output, data, tmp_path)


def test_a_record_scope_holds_those_records_their_passages_and_documents(
    built: Project, tmp_path: Path
) -> None:
    labels = records(built)
    event = tmp_path / "event.json"
    data = export(built, Selection(record_ids=frozenset({labels["treated 40 wounded"]})), event)
    assert ids(data, "records") == [labels["treated 40 wounded"]]
    assert ids(data, "documents") == [1]
    assert [a["quote"] for a in data["annotations"]] == ["treated 40 wounded"]
    assert (data["links"], data["suppressions"], data["history"]) == ([], [], [])
    assert [m["document_id"] for m in data["memos"]] == [None]
    imports_as_exported(built, event, data, tmp_path / "event")

    person = labels["Olena Petrenko"]  # a dossier: the person and what links to them
    dossier = tmp_path / "dossier.json"
    data = export(built, Selection(record_ids=frozenset(built.records.dossier(person))), dossier)
    assert ids(data, "records") == [person]
    assert ids(data, "documents") == [1, 2]
    assert sorted(a["quote"] for a in data["annotations"]) == ["Olena", "Olena Petrenko"]
    assert [m["document_id"] for m in data["memos"]] == [None, 2]
    imports_as_exported(built, dossier, data, tmp_path / "dossier")


def test_states_and_a_type_narrow_it_as_they_narrow_the_tables(
    built: Project, tmp_path: Path
) -> None:
    labels = records(built)
    accepted = tmp_path / "accepted.json"
    data = export(built, Selection(statuses=frozenset({"accepted"})), accepted)
    assert ids(data, "records") == [labels["Olena Petrenko"], labels["treated 40 wounded"]]
    # not the suggested event, nor the rejected place it links to
    assert {a["status"] for a in data["annotations"]} == {"accepted"}
    assert len(data["annotations"]) == 5 and ids(data, "documents") == [1, 2]
    assert (data["links"], data["history"]) == ([], [])
    imports_as_exported(built, accepted, data, tmp_path / "accepted")
    people = tmp_path / "people.json"
    data = export(built, Selection(type_name="person"), people)
    assert ids(data, "records") == [labels["Olena Petrenko"]]
    assert sorted(a["quote"] for a in data["annotations"]) == ["Olena", "Olena Petrenko"]
    imports_as_exported(built, people, data, tmp_path / "people")


def test_an_empty_scope_is_an_empty_project_with_its_codebook(
    built: Project, tmp_path: Path
) -> None:
    data = export(built, Selection(record_ids=frozenset()), tmp_path / "none.json")
    assert [len(data[s]) for s in ("documents", "annotations", "records", "memos")] == [0, 0, 0, 1]
    assert data["codebook"]


def test_a_qdpx_of_a_document_scope_is_valid_and_imports_as_that_document(
    built: Project, tmp_path: Path
) -> None:
    output = tmp_path / "b.qdpx"
    built.exports.run(ExportRequest("project", "qdpx", output,
                                    Selection(document_ids=frozenset({2}))))  # fmt: skip
    with zipfile.ZipFile(output) as package:
        xml = package.read("project.qde").decode("utf-8")
        assert len([n for n in package.namelist() if n.startswith("sources/")]) == 1
    xmlschema.XMLSchema(str(XSD)).validate(xml)
    root = ET.fromstring(xml)
    (source,) = root.iter(f"{NS}TextSource")
    assert source.get("name") == "b"
    assert len(list(source.iter(f"{NS}PlainTextSelection"))) == 4
    names = {code.get("name") for code in root.iter(f"{NS}Code")}
    assert {"Olena Petrenko", "left", "Witness statement"} <= names
    assert "treated 40 wounded" not in names
    with Project(tmp_path / "copy.twb", actor="ben") as copy:
        report = copy.project_import.import_file(output)
        assert (report.documents, report.annotations, report.records) == (1, 4, 3)
        assert copy.memos.read(MemoTarget.project()) == built.memos.read(MemoTarget.project())


def test_the_command_line_exports_the_documents_asked_for(
    built: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, output = str(built.path), tmp_path / "b.json"
    built.close()
    code, _, err = run(capsys, "--project", path, "export", "project", "--format", "json",
                       "--document", "2", "--output", str(output))  # fmt: skip
    assert code == 0 and err.startswith("wrote ")
    code, out, err = run(capsys, "--project", str(tmp_path / "new.twb"), "import-project",
                         str(output))  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("imported 1 document(s), 4 annotation(s), 3 record(s)")
