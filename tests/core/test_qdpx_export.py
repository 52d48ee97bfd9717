"""REFI-QDA export: a ``.qdpx`` valid against the standard's schema, with what other tools
need beyond it (origin, UTF-8 sources without BOM, code-point positions, creatingUser and
the quote on every selection, users with stable GUIDs, unique code names), and a ``.qdc``."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from tests.conftest import import_text
from tests.core.test_cli import run
from workbench.domain import RecordId
from workbench.errors import InvalidInputError
from workbench.export.model import ExportCancelled, ExportRequest, WriteOptions
from workbench.export.refi_qda import user_guid
from workbench.project import Project
from workbench.services.documents import ImportOptions
from workbench.services.memos import MemoTarget
from workbench.storage.models import RecordLink

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "refi-qda" / "Project.xsd"
NS = "{urn:QDA-XML:project:1.0}"
HOSTILE = "=cmd|' /C calc'!A0"
TEXT = (
    f'He said "go" & <left>\n{HOSTILE} was on the wall 🙂\n'
    "\u202eRTL override\u200f and a mark; a NUL:\x00 end\n"
)
TEXT_B = "Олена (name changed) left Kherson 🙂 on 3 March.\nShe treated 40 wounded.\n"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_project(path: Path, folder: Path) -> dict[str, RecordId]:
    """A project two annotators worked on: formula text, quotes, newlines, emoji, bidi
    controls and a NUL in texts, titles, labels and notes; a record with fields and a date,
    one with passages in both documents, a rejected one, a link, memos and notes."""
    source = folder / "a.txt"
    source.write_text(TEXT, encoding="utf-16")  # a NUL is text in UTF-16, binary in UTF-8
    with Project(path, actor="anna") as project:
        options = ImportOptions(title=f'{HOSTILE} "q"\x01', published="2024-05-04")
        doc = project.documents.import_file(source, options)[0].id
        person = project.review.annotate(doc, *_span(TEXT, "go"), "person").record_ids[0]
        project.review.annotate(doc, *_span(TEXT, HOSTILE), "abuse", note="a <note> & more")
        place = project.review.annotate(doc, *_span(TEXT, "🙂"), "place").record_ids[0]
        event = project.review.annotate(doc, *_span(TEXT, "\x00"), "event").record_ids[0]
        project.review.edit(person, label=f"{HOSTILE}\nline two", note="memo\r\nwith CR\x02",
                            fields={"title": 'Dr "X"', "kind": "surgeon"})  # fmt: skip
        project.review.edit(event, date_text="10 March 2022")
        project.memos.write(MemoTarget.document(doc), f"document memo {HOSTILE}")
        project.memos.write(MemoTarget.project(), "project memo\nsecond line 🙂")
    with Project(path, actor="boris") as project:
        other = import_text(project, folder, "b.txt", TEXT_B, title="Second").id
        olena = project.review.annotate(other, *_span(TEXT_B, "Олена"), "person").record_ids[0]
        project.review.attach(other, *_span(TEXT_B, "Kherson"), place)
        figure = project.review.annotate(other, *_span(TEXT_B, "40 wounded"), "figure")
        project.review.edit(figure.record_ids[0], fields={"value": 40, "unit": "wounded"})
        project.review.edit(olena, fields={"aliases": ["Olena", "O."]})
        project.review.set_status([olena], "rejected")
        with project.transaction() as session:
            session.add(RecordLink(source_id=event, target_id=place, role="place"))
    return {"person": person, "place": place, "event": event, "olena": olena}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.twb"
    build_project(path, tmp_path)
    return path


def export(path: Path, output: Path, what: str = "project", fmt: str = "qdpx") -> int:
    with Project(path, actor="exporter") as project:
        return project.exports.export(what, fmt, output)


def qde(package: Path) -> ET.Element:
    with zipfile.ZipFile(package) as zf:
        return ET.fromstring(zf.read("project.qde"))


def test_the_export_is_valid_and_holds_what_other_tools_need(
    built: Path, tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "p.qdpx"
    export(built, out)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("project.qde")
        schema.validate(xml.decode("utf-8"))
        root = ET.fromstring(xml)
        assert root.get("origin", "").startswith("Testimony Workbench")
        sources = root.findall(f"{NS}Sources/{NS}TextSource")
        texts = {}
        for source in sources:
            path = source.get("plainTextPath", "")
            assert path.startswith("internal://") and source.find(f"{NS}PlainTextContent") is None
            raw = zf.read("sources/" + path.removeprefix("internal://"))
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
            texts[source.get("guid")] = raw.decode("utf-8")
        assert sorted(texts.values()) == sorted([TEXT, TEXT_B])  # the NUL kept in the file
    users = {u.get("name"): u.get("guid") for u in root.iter(f"{NS}User")}
    assert users == {name: user_guid(name) for name in ("anna", "boris")}
    selections = 0
    for source in sources:
        text = texts[source.get("guid")]
        for sel in source.iter(f"{NS}PlainTextSelection"):
            selections += 1
            quote = text[int(sel.get("startPosition", "")) : int(sel.get("endPosition", ""))]
            assert sel.get("name") == quote.replace("\x00", "\ufffd")  # code points, XML-safe
            assert sel.get("creatingUser") in users.values()
            assert sel.find(f"{NS}Coding/{NS}CodeRef") is not None
    assert selections == 7
    names = [code.get("name", "") for code in root.iter(f"{NS}Code")]
    assert len({n.casefold() for n in names}) == len(names)
    assert "Person" in names and f"{HOSTILE} line two" in names  # a record, on one line
    assert any(note.text == "memo\nwith CR\ufffd" for note in root.iter(f"{NS}PlainTextContent"))
    assert [link.get("name") for link in root.iter(f"{NS}Link")] == ["place"]
    described = {c.get("name"): c.findtext(f"{NS}Description") for c in root.iter(f"{NS}Code")}
    assert "Date as written: 10 March 2022\nDate (EDTF): 2022-03-10" in described["\ufffd"]
    assert described["40 wounded"].endswith("value: 40\nunit: wounded")
    assert described["Олена"].startswith("Person record, rejected, manual")
    assert described["Олена"].endswith("aliases: Olena; O.")
    assert root[-1].tag == f"{NS}NoteRef"  # the project's memo, last as the schema orders


def test_user_guids_are_stable_across_exports_and_projects(built: Path, tmp_path: Path) -> None:
    export(built, tmp_path / "1.qdpx")
    export(built, tmp_path / "2.qdpx")
    first, second = qde(tmp_path / "1.qdpx"), qde(tmp_path / "2.qdpx")
    assert [u.attrib for u in first.iter(f"{NS}User")] == [
        u.attrib for u in second.iter(f"{NS}User")
    ]
    codes = [c.get("guid") for c in first.find(f"{NS}CodeBook/{NS}Codes") or ()]
    assert codes == [c.get("guid") for c in second.find(f"{NS}CodeBook/{NS}Codes") or ()]


def test_an_empty_project_has_no_empty_containers(
    project: Project, tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "empty.qdpx"
    project.exports.export("project", "qdpx", out)
    root = qde(out)
    schema.validate(ET.tostring(root, encoding="unicode"))
    assert [child.tag.removeprefix(NS) for child in root if isinstance(child.tag, str)] == [
        "CodeBook"
    ]


def test_cancel_is_looked_at_before_each_source(built: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, _total: int, _label: str) -> None:
        seen.append(done)
        cancel.set()  # after the first document

    out = tmp_path / "c.qdpx"
    with Project(built) as project, pytest.raises(ExportCancelled):
        project.exports.export("project", "qdpx", out, progress=progress, cancel=cancel)
    assert seen == [0] and list(tmp_path.glob("*c.qdpx*")) == []


def test_an_export_without_the_text_is_refused_in_one_line(built: Path, tmp_path: Path) -> None:
    request = ExportRequest("project", "qdpx", tmp_path / "t.qdpx",
                            options=WriteOptions(include_text=False))  # fmt: skip
    with (
        Project(built) as project,
        pytest.raises(InvalidInputError, match="carries the documents' text"),
    ):
        project.exports.run(request)
    assert not (tmp_path / "t.qdpx").exists()


def test_the_codebook_is_a_valid_qdc(
    built: Path, tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "c.qdc"
    assert export(built, out, "codebook", "qdc") == 10
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook" and root.get("origin")
    # The codebook's Code is the project's without NoteRef: validate it as a project's.
    codes = root.find("{urn:QDA-XML:codebook:1.0}Codes")
    assert codes is not None and len(codes) == 10
    text = ET.tostring(codes, encoding="unicode").replace("urn:QDA-XML:codebook:1.0", NS[1:-1])
    schema.validate(f'<Project xmlns="{NS[1:-1]}" name="x"><CodeBook>{text}</CodeBook></Project>')


def test_the_command_line_exports_a_project_and_a_codebook(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli.qdpx"
    code, _, err = run(capsys, "--project", str(built), "export", "project", "--format", "qdpx",
                       "--output", str(out))  # fmt: skip
    assert code == 0 and err.startswith("wrote ") and zipfile.is_zipfile(out)
    qdc = tmp_path / "cli.qdc"
    code, _, _ = run(capsys, "--project", str(built), "export", "codebook", "--format", "qdc",
                     "--output", str(qdc))  # fmt: skip
    assert code == 0 and qdc.read_bytes().startswith(b"<?xml")
    code, _, err = run(capsys, "--project", str(built), "export", "records", "--format", "qdpx",
                       "--output", str(tmp_path / "r.qdpx"))  # fmt: skip
    assert (code, err) == (1, "error: qdpx exports project, not records\n")
