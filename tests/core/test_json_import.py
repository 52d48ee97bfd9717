"""``import-project`` of a JSON project: everything is checked before anything is written,
a bad file is one line and leaves the project as it was, and a good one comes back exactly."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_text
from tests.core.test_json_export import table_rows
from workbench.domain import RecordId
from workbench.errors import InvalidInputError
from workbench.export.model import ExportRequest
from workbench.extraction.dates import FuzzyDate
from workbench.extraction.pipeline import DocumentExtraction, Suggestion
from workbench.importers import ImportCancelled
from workbench.project import Project
from workbench.services.extraction import ExtractionReport
from workbench.services.json_import import FileRefused, read_project_file
from workbench.services.memos import MemoTarget

FORMULA = "=cmd|' /C calc'!A0"
TEXT = "Olena 🙂 left Kherson on May 4, 2024.\nשלום\u200f עולם.\n"
ODD = "\x00 after a NUL, \u200fRTL mark\u202e override, 🙂 and \U0001f1fa\U0001f1e6."
Data = dict[str, Any]
MARK = 0.123456789  # a confidence replaced in the file's text by hostile numbers


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Data:
    """A small project as exported: a document, a code nested in another, passages, records
    with evidence, a date, a link, a suppression and memos."""
    folder = tmp_path_factory.mktemp("base")
    with Project(folder / "base.twb", actor="anna") as project:
        doc = import_text(project, folder, "a.txt", TEXT)
        project.codebook.add("Rumour", "code", parent_id=project.codebook.get("abuse").id)
        olena = project.review.annotate(doc.id, 0, 5, "person", label=FORMULA).record_ids[0]
        hebrew = TEXT.index("שלום")
        project.review.annotate(doc.id, hebrew, hebrew + 4, "rumour")
        project.review.set_status([olena], "accepted")
        start = TEXT.index("Kherson")
        place = Suggestion("p", "place", "Kherson", MARK, [(start, start + 7)])
        day = FuzzyDate("May 4, 2024", "2024-05-04", date(2024, 5, 4), date(2024, 5, 4), "day")
        event = Suggestion("e", "event", "left", 0.6, [(start - 5, start + 7)], date=day,
                           links=[("place", "p")])  # fmt: skip
        lone = Suggestion("x", "person", "May", 0.2, [(start + 11, start + 14)])
        project.extraction.store(doc.id, DocumentExtraction([place, event, lone]),
                                 ExtractionReport())  # fmt: skip
        may = next(r.id for r in project.records.list() if r.label == "May")
        project.review.delete([RecordId(may)])
        project.memos.write(MemoTarget.project(), "about the project")
        project.memos.write(MemoTarget.document(doc.id), "about a.txt")
        output = folder / "base.json"
        project.exports.run(ExportRequest("project", "json", output))
    data: Data = json.loads(output.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def data(exported: Data) -> Data:
    return copy.deepcopy(exported)


def counts(project: Project) -> dict[str, int]:
    """Rows in each table, the search index included."""
    with project.engine.connect() as conn:
        indexed = conn.exec_driver_sql("SELECT count(*) FROM documents_fts").scalar_one()
    return {"documents_fts": indexed} | {k: len(v) for k, v in table_rows(project).items()}


def refused(project: Project, path: Path) -> str:
    """The one line an import of ``path`` is refused with; the project is left as it was."""
    before = counts(project)
    with pytest.raises(InvalidInputError) as caught:
        project.project_import.import_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.name}: ") and message.endswith("; nothing was imported")
    assert counts(project) == before
    return message


def write(path: Path, data: Data, *, replace: tuple[str, str] | None = None) -> Path:
    text = json.dumps(data, ensure_ascii=True)
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace, 1)
    path.write_text(text, encoding="utf-8")
    return path


def first(data: Data, section: str, **match: Any) -> dict[str, Any]:
    item: dict[str, Any] = next(
        i for i in data[section] if all(i[k] == v for k, v in match.items())
    )
    return item


def set_in(section: str, key: str, value: Any, **match: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        first(data, section, **match)[key] = value

    return change


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def parent_loop(data: Data) -> None:
    rumour = first(data, "codebook", name="rumour")
    first(data, "codebook", name="abuse")["parent_id"] = rumour["id"]


def two_project_memos(data: Data) -> None:
    memo = first(data, "memos", document_id=None)
    data["memos"].append({**memo, "id": 99})


def same_text_twice(data: Data) -> None:
    data["documents"].append({**data["documents"][0], "id": 2})


def duplicate_id(data: Data) -> None:
    data["annotations"].append({**data["annotations"][-1]})


CHANGES: list[tuple[str, Callable[[Data], None], str]] = [
    ("version", lambda d: d.update(version=2), "made by a newer version (file format 2)"),
    ("version text", lambda d: d.update(version="1"), "format version is unknown"),
    ("version bool", lambda d: d.update(version=True), "format version is unknown"),
    ("format", lambda d: d.pop("format"), "not a project file"),
    ("not an object", lambda d: d.clear(), "not a project file"),
    ("no text", lambda d: d.update(includes_text=False), "without the documents' text"),
    ("section missing", lambda d: d.pop("links"), "'links' is missing"),
    ("unknown section", lambda d: d.update(extra=[]), "unknown key 'extra'"),
    ("section type", lambda d: d.update(annotations={}), '"annotations" must be an array'),
    ("item type", lambda d: d["codebook"].append([]), "codebook[11] is not an object"),
    ("unknown key", set_in("records", "colour", "red", origin="manual"), "unknown key 'colour'"),
    (
        "record of a code",
        set_in("records", "type_id", 6, origin="manual"),
        "is a code, not a record type",
    ),
    ("start as text", set_in("annotations", "start", "0", id=1), "annotation 1: start must be"),
    ("id as bool", set_in("records", "id", True, origin="manual"), "id must be a whole number"),
    ("title type", set_in("documents", "title", 5, id=1), "document 1: title must be text"),
    ("null label", set_in("records", "label", None, origin="manual"), "label must not be null"),
    ("huge id", set_in("annotations", "code_id", 2**64, id=1), "code_id must be a whole number"),
    ("surrogate", set_in("records", "label", "\ud800", origin="manual"), "lone surrogate"),
    ("surrogate key", set_in("records", "fields", {"\udfff": 1}, origin="manual"), "surrogate"),
    ("deep fields", set_in("records", "fields", nested(40), origin="manual"), "deeper than 32"),
    ("fields type", set_in("records", "fields", [], origin="manual"), "fields must be an object"),
    ("timestamp", set_in("evidence", "created_at", "2024-05-04 10:00", id=1), "a UTC time"),
    ("month 13", set_in("records", "date_earliest", "2024-13-01", label="left"), "a date as"),
    ("published", set_in("documents", "published", "4 May 2024", id=1), "published must be"),
    ("quote", set_in("annotations", "quote", "Olenx", id=1), "its quote is not the text at"),
    ("past the end", set_in("annotations", "end", 500, id=1), "outside its 49 characters"),
    ("empty span", set_in("annotations", "end", 0, id=1), "[0, 0) of document 1 is outside"),
    ("negative", set_in("suppressions", "start", -1, id=1), "is outside"),
    ("sha256", set_in("documents", "text_sha256", "0" * 64, id=1), "does not match its text"),
    ("chars", set_in("documents", "chars", 3, id=1), "chars is not the length"),
    ("document", set_in("annotations", "document_id", 9, id=1), 'document_id 9 is not in "doc'),
    ("code", set_in("annotations", "code_id", 99, id=1), 'code_id 99 is not in "codebook"'),
    ("record type", set_in("records", "type_id", 99, label="left"), "type_id 99 is not in"),
    ("evidence record", set_in("evidence", "record_id", 99, id=1), "record_id 99 is not in"),
    ("evidence passage", set_in("evidence", "annotation_id", 99, id=1), "annotation_id 99"),
    ("link", set_in("links", "target_id", 99, id=1), 'target_id 99 is not in "records"'),
    ("suppression", set_in("suppressions", "code_id", 99, id=1), "code_id 99 is not in"),
    ("parent", set_in("codebook", "parent_id", 99, name="rumour"), "parent_id 99 is not in"),
    ("memo document", set_in("memos", "document_id", 5, text="about a.txt"), "document_id 5"),
    ("parent loop", parent_loop, "its parents make a loop"),
    ("parent kind", set_in("codebook", "parent_id", 1, name="rumour"), "parent is of another"),
    ("colour", set_in("codebook", "colour", "red", name="rumour"), "colour must be #rrggbb"),
    ("field type", set_in("codebook", "fields", {"age": "date"}, name="person"), "text or number"),
    ("status", set_in("records", "status", "approved", label="left"), "'approved' is not one of"),
    ("origin", set_in("annotations", "origin", "robot", id=1), "origin 'robot' is not one of"),
    ("kind", set_in("codebook", "kind", "tag", name="rumour"), "kind 'tag' is not one of"),
    ("duplicate id", duplicate_id, 'two items of "annotations" have the same id'),
    ("duplicate name", set_in("codebook", "name", "person", name="rumour"), "same name 'person'"),
    ("two memos", two_project_memos, "same document_id None"),
    ("same text", same_text_twice, "same text_sha256"),
    ("confidence type", set_in("records", "confidence", "high", label="left"), "finite number"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CHANGES],
                         ids=[c[0] for c in CHANGES])  # fmt: skip
def test_a_bad_file_is_one_line_and_writes_nothing(
    project: Project, data: Data, tmp_path: Path, change: Callable[[Data], None], expected: str
) -> None:
    change(data)
    assert expected in refused(project, write(tmp_path / "bad.json", data))


RAW: list[tuple[str, tuple[str, str] | None, str]] = [
    ("huge number", (str(MARK), "1e999"), "confidence must be a finite number"),
    ("NaN", (str(MARK), "NaN"), "NaN is not a JSON number"),
    ("Infinity", (str(MARK), "-Infinity"), "-Infinity is not a JSON number"),
    ("many digits", (str(MARK), "9" * 5000), "a number with too many digits"),
    ("repeated key", ('"id": 1, ', '"id": 1, "id": 2, '), 'the key "id" appears twice'),
    ("cut short", ('"history": [', '"history": [{'), "not valid JSON"),
]


@pytest.mark.parametrize(("replace", "expected"), [r[1:] for r in RAW], ids=[r[0] for r in RAW])
def test_hostile_json_is_one_line_and_writes_nothing(
    project: Project, data: Data, tmp_path: Path, replace: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path / "bad.json", data, replace=replace)
    assert expected in refused(project, path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"\xef\xbb\xbf{}", "not valid JSON: Unexpected UTF-8 BOM"),
        (b'{"format": "testimony-workbench", "title": "\xff"}', "not UTF-8 text"),
        (b"", "not valid JSON: Expecting value (line 1, column 1)"),
    ],
    ids=["deep", "bom", "latin-1", "empty"],
)
def test_files_that_are_not_json_are_one_line(
    project: Project, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert expected in refused(project, path)


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text("[" + " " * 2000 + "]", encoding="utf-8")
    with pytest.raises(FileRefused, match="larger than"):
        read_project_file(path, max_bytes=1000)
    assert read_project_file(path, max_bytes=4000) == []


def test_only_a_new_empty_project_takes_a_file(
    project: Project, data: Data, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.json", data)
    project.codebook.add("Own code", "code")  # work the import would throw away
    assert "import a JSON project into a new, empty project" in refused(project, path)
    with Project(tmp_path / "other.twb", actor="ben") as other:
        import_text(other, tmp_path, "b.txt", "Another text entirely.")
        assert "not empty" in refused(other, path)


def test_text_survives_exactly_and_labels_are_kept(
    project: Project, data: Data, tmp_path: Path
) -> None:
    doc = data["documents"][0]
    doc["text"] = text = TEXT + ODD
    doc["chars"], doc["text_sha256"] = len(text), hashlib.sha256(text.encode()).hexdigest()
    passage = {**data["annotations"][0], "id": 50, "start": len(TEXT), "end": len(text),
               "quote": ODD, "note": FORMULA}  # fmt: skip
    data["annotations"].append(passage)
    report = project.project_import.import_file(write(tmp_path / "p.json", data))
    assert report.changes.added["annotation"] >= {50}
    again = tmp_path / "again.json"
    project.exports.run(ExportRequest("project", "json", again))
    back = json.loads(again.read_text(encoding="utf-8"))
    for section in ("codebook", "documents", "annotations", "records", "evidence", "links",
                    "suppressions", "memos"):  # fmt: skip
        assert back[section] == data[section], section
    assert back["documents"][0]["text"] == TEXT + ODD
    assert first(back, "records", origin="manual")["label"] == FORMULA
    assert [hit.start for hit in project.search.find("override")] == [len(TEXT) + 26]


def test_the_new_codebook_replaces_the_default_one(
    project: Project, data: Data, tmp_path: Path
) -> None:
    before = {c.id for c in project.codebook.list()}
    report = project.project_import.import_file(write(tmp_path / "p.json", data))
    after = {c.id for c in project.codebook.list()}
    assert after == before | {11} and report.codes == 11
    assert report.changes.added["code"] == {11} and report.changes.changed["code"] == before
    rumour = project.codebook.get("rumour")
    assert rumour.parent_id == project.codebook.get("abuse").id
    assert report.users == ("anna",)


def test_cancel_leaves_nothing_written(project: Project, data: Data, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def progress(_done: int, _total: int, label: str) -> None:
        seen.append(label)
        if label == "indexing documents":
            cancel.set()

    before = counts(project)
    with pytest.raises(ImportCancelled):
        project.project_import.import_file(write(tmp_path / "p.json", data), progress, cancel)
    assert counts(project) == before
    assert seen == ["checking documents", "indexing documents"]
