"""REFI-QDA import: our own export comes back exactly, another tool's project becomes
documents and accepted manual annotations, a codebook round-trips, and every hostile file is
refused in one line with nothing imported."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.core.test_cli import run
from tests.core.test_qdpx_export import build_project, export
from workbench.errors import InvalidInputError
from workbench.importers import ImportCancelled
from workbench.project import Project
from workbench.services.memos import MemoTarget
from workbench.storage.models import (
    Annotation,
    AuditEntry,
    Code,
    Document,
    Evidence,
    Memo,
    Record,
    RecordLink,
)

OTHER_TOOL = Path(__file__).resolve().parents[1] / "data" / "refi" / "other_tool"


def package(path: Path, files: dict[str, bytes | str]) -> Path:
    """A .qdpx holding ``files`` (name → content)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def other_tool(path: Path) -> Path:
    """The hand-written project of another tool, packed."""
    files = {p.relative_to(OTHER_TOOL).as_posix(): p.read_bytes()
             for p in sorted(OTHER_TOOL.rglob("*")) if p.is_file()}  # fmt: skip
    return package(path, files)


def _sorted(items: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(items, key=repr)  # values may be None beside text


def state(project: Project) -> dict[str, Any]:
    """What the project holds, by content (ids and import times differ between projects)."""
    with project.session() as s:
        docs = {d.id: d for d in s.scalars(select(Document))}
        codes = {c.id: c for c in s.scalars(select(Code))}
        records = {r.id: r for r in s.scalars(select(Record))}
        anns = {a.id: a for a in s.scalars(select(Annotation))}

        def span(ann_id: int) -> tuple[Any, ...]:
            a = anns[ann_id]
            return (docs[a.document_id].text_sha256, a.start, a.end, codes[a.code_id].name)

        def record(record_id: int) -> tuple[Any, ...]:
            return (codes[records[record_id].type_id].name, records[record_id].label)

        return {
            "documents": _sorted(
                (d.title, d.text, d.published, d.language, d.format, d.encoding,
                 d.original_name, d.original_sha256, d.imported_by, d.imported_at)
                for d in docs.values()
            ),
            "codes": _sorted(
                (c.name, c.label, c.kind, c.colour, c.shortcut, c.description,
                 codes[c.parent_id].name if c.parent_id else None, tuple(c.fields.items()))
                for c in codes.values()
            ),
            "annotations": _sorted(
                (*span(a.id), a.quote, a.author, a.origin, a.status, a.confidence, a.note,
                 a.created_at)
                for a in anns.values()
            ),
            "records": _sorted(
                (*record(r.id), sorted(r.fields.items()), r.status, r.origin, r.confidence,
                 r.note, r.date_text, r.date_edtf, r.date_earliest, r.date_latest,
                 r.created_by, r.created_at)
                for r in records.values()
            ),
            "evidence": _sorted(
                (record(e.record_id), span(e.annotation_id), e.role)
                for e in s.scalars(select(Evidence))
            ),
            "links": _sorted(
                (record(k.source_id), record(k.target_id), k.role)
                for k in s.scalars(select(RecordLink))
            ),
            "memos": _sorted(
                (docs[m.document_id].title if m.document_id else None, m.text)
                for m in s.scalars(select(Memo))
            ),
        }  # fmt: skip


def counts(project: Project) -> tuple[int, ...]:
    with project.session() as s:
        return tuple(
            len(s.scalars(select(model.id)).all())
            for model in (Document, Annotation, Record, Evidence, Code, Memo, AuditEntry)
        )


def test_our_export_comes_back_exactly_in_a_new_project(tmp_path: Path) -> None:
    source = tmp_path / "source.twb"
    build_project(source, tmp_path)
    out = tmp_path / "p.qdpx"
    export(source, out)
    with Project(tmp_path / "new.twb", actor="importer") as new:
        report = new.project_import.import_file(out)
        got = state(new)
    with Project(source) as old:
        expected = state(old)
    assert (report.documents, report.annotations, report.records) == (2, 7, 5)
    assert report.users == ("anna", "boris") and report.notes == []
    for part in expected:
        assert got[part] == expected[part], part
    assert any("\x00" in text for _, text, *_ in got["documents"])


def test_another_tools_project_becomes_documents_and_manual_annotations(
    project: Project, tmp_path: Path
) -> None:
    report = project.project_import.import_file(other_tool(tmp_path / "other.qdpx"))
    assert (report.documents, report.annotations, report.records, report.codes) == (2, 6, 0, 5)
    assert report.users == ("Marek K.", "olena")
    assert report.notes == ["1 picture(s) not imported", "1 set(s) not imported"]
    with project.session() as s:
        codes = {c.label: c for c in s.scalars(select(Code))}
        labels = {c.id: c.label for c in codes.values()}
        parent = {c.label: labels[c.parent_id] for c in codes.values() if c.parent_id}
        anns = s.execute(select(Annotation.quote, Code.label, Annotation.author, Annotation.status,
                                Annotation.origin, Annotation.note)
                         .join(Code).order_by(Annotation.id)).all()  # fmt: skip
        docs = {d.title: d for d in s.scalars(select(Document))}
    assert parent == {"Threats": "Coercion", "Threats to family": "Threats",
                      "Forced treatment": "Coercion"}  # fmt: skip
    assert codes["Coercion"].description == "Pressure put on medical staff."
    assert codes["Forced treatment"].colour == "#cc3399"
    assert "Casualty claim" in codes and codes["Casualty claim"].name == "casualty-claim"
    whole = docs["Interview 2 — two soldiers"].text
    assert whole == ("March 3, 2024. Two men from the unit left at night 🙂\nОни не хотели "
                     "воевать.\nAbout 40 were wounded, the commander said.\n")  # fmt: skip
    assert anns == [
        ("treat them or your family will answer for it", "Threats to family", "olena",
         "accepted", "manual", ""),
        ("treat them or your family will answer for it", "Forced treatment", "Marek K.",
         "accepted", "manual", ""),
        ("operated on soldiers for three nights", "Forced treatment", "Marek K.", "accepted",
         "manual", "Key quote\n\nHe repeats this twice."),
        ("Они не хотели воевать", "Desertion", "olena", "accepted", "manual", ""),
        ("About 40 were wounded", "Casualty claim", "Marek K.", "accepted", "manual", ""),
        (whole, "Desertion", "olena", "accepted", "manual", ""),
    ]  # fmt: skip
    doc = docs["Interview 1 — surgeon, Belgorod"]
    assert doc.published == "2024-05-12" and doc.imported_by == "olena"
    assert project.memos.read(MemoTarget.document(doc.id)) == (
        "Recorded in person, translated from Russian.\n\nSecond meeting planned.")  # fmt: skip
    assert project.memos.read(MemoTarget.project()) == (
        "Interviews with medical staff.\n\nStarted coding in June.")  # fmt: skip


def test_a_text_the_project_holds_gets_the_passages(project: Project, tmp_path: Path) -> None:
    text = (OTHER_TOOL / "sources" / "0B1E9D2A-6C0F-4E52-9E8B-3F7A1C2D4E5F.txt").read_text()
    (tmp_path / "mine.txt").write_text(text)
    info, _ = project.documents.import_file(tmp_path / "mine.txt")
    report = project.project_import.import_file(other_tool(tmp_path / "other.qdpx"))
    assert report.documents == 1
    assert f"as document {info.id}: its passages were added to it" in report.notes[0]
    assert len(project.annotations.for_document(info.id)) == 3


def test_the_codebook_round_trips_through_qdc(tmp_path: Path) -> None:
    with Project(tmp_path / "a.twb") as a:
        a.codebook.add("Victim", "record_type", colour="#123456", shortcut="V",
                       description="A person harmed.")  # fmt: skip
        with a.transaction() as s:  # the editor has no field form for new types yet
            code = s.scalar(select(Code).where(Code.name == "victim"))
            assert code is not None
            code.fields = {"age": "number", "town": "text"}
        a.codebook.add("Threats", "code", shortcut="T")
        a.codebook.update(a.codebook.get("threats").id, parent_id=a.codebook.get("abuse").id)
        a.exports.export("codebook", "qdc", tmp_path / "c.qdc")
        expected = [c.__dict__ | {"id": 0, "parent_id": None} for c in a.codebook.list()]
        parents = {c.name: c.parent_id is not None for c in a.codebook.list()}
    with Project(tmp_path / "b.twb") as b:
        report = b.project_import.import_file(tmp_path / "c.qdc")
        assert report.codes == 2
        got = [c.__dict__ | {"id": 0, "parent_id": None} for c in b.codebook.list()]
        assert got == expected
        assert {c.name: c.parent_id is not None for c in b.codebook.list()} == parents
        assert b.codebook.get("threats").parent_id == b.codebook.get("abuse").id
        again = b.project_import.import_file(tmp_path / "c.qdc")
        assert again.codes == 0 and len(b.codebook.list()) == 12


def test_import_project_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdpx = other_tool(tmp_path / "other.qdpx")
    new = tmp_path / "new.twb"
    code, out, err = run(capsys, "--project", str(new), "import-project", str(qdpx))
    assert code == 0
    assert out == ("imported 2 document(s), 6 annotation(s), 0 record(s) and 5 code(s); "
                   "annotators: Marek K., olena\n")  # fmt: skip
    assert "1 picture(s) not imported" in err


def test_the_command_line_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source.twb"
    build_project(source, tmp_path)
    out, new = tmp_path / "p.qdpx", tmp_path / "new.twb"
    assert run(capsys, "--project", str(source), "export", "project", "--format", "qdpx",
               "--output", str(out))[0] == 0  # fmt: skip
    code, printed, _ = run(capsys, "--project", str(new), "import-project", str(out))
    assert code == 0
    assert printed == ("imported 2 document(s), 7 annotation(s), 5 record(s) and 0 code(s); "
                       "annotators: anna, boris\n")  # fmt: skip
    with Project(source) as old, Project(new) as copy:
        assert state(copy) == state(old)


def test_cancel_imports_nothing(project: Project, tmp_path: Path) -> None:
    before = counts(project)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled):
        project.project_import.import_file(other_tool(tmp_path / "o.qdpx"), cancel=cancel)
    assert counts(project) == before


# --- hostile files: each refused in one line, nothing imported
TEXT = "Olena treated 40 wounded in Kherson.\n"
USER = "11111111-1111-4111-8111-111111111111"
CODE = "22222222-2222-4222-8222-222222222222"


def project_xml(selection: str = 'startPosition="0" endPosition="5"', *,
                code_ref: str = CODE, user: str = USER, path: str = "internal://t.txt",
                head: str = "", body: str = "") -> str:  # fmt: skip
    return f"""<?xml version="1.0" encoding="utf-8"?>{head}
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Users><User guid="{USER}" name="u"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="c" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="33333333-3333-4333-8333-333333333333" name="t"
    plainTextPath="{path}"><PlainTextSelection guid="44444444-4444-4444-8444-444444444444"
      {selection} creatingUser="{user}"><Coding guid="55555555-5555-4555-8555-555555555555">
      <CodeRef targetGUID="{code_ref}"/></Coding>
    </PlainTextSelection></TextSource></Sources>{body}
</Project>"""


def hostile(case: str, tmp_path: Path) -> dict[str, bytes | str]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    files: dict[str, bytes | str] = {"project.qde": project_xml(), "sources/t.txt": TEXT}
    if case == "bad XML":
        files["project.qde"] = project_xml().replace("</Project>", "</Projec>")
    elif case == "external entity":
        files["project.qde"] = project_xml(
            head=f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>',
            body="<Description>&xxe;</Description>")  # fmt: skip
    elif case == "entity bomb":
        files["project.qde"] = project_xml(
            head='<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
            body="<Description>&b;</Description>")  # fmt: skip
    elif case == "missing source":
        del files["sources/t.txt"]
    elif case == "extra source":
        files["sources/other.txt"] = "not referred to"
    elif case == "offsets outside the text":
        files["project.qde"] = project_xml('startPosition="30" endPosition="99"')
    elif case == "negative offset":
        files["project.qde"] = project_xml('startPosition="-1" endPosition="5"')
    elif case == "unknown code":
        files["project.qde"] = project_xml(code_ref="66666666-6666-4666-8666-666666666666")
    elif case == "unknown user":
        files["project.qde"] = project_xml(user="77777777-7777-4777-8777-777777777777")
    elif case == "zip bomb":
        files["sources/bomb.txt"] = b"\0" * (20 * 1024 * 1024)
    elif case == "absolute entry":
        files["/etc/evil.txt"] = "x"
    elif case == "dot-dot entry":
        files["../evil.txt"] = "x"
    elif case == "dot-dot path":
        files["project.qde"] = project_xml(path="internal://../secret.txt")
    elif case == "file outside":
        files["project.qde"] = project_xml(path=f"file://{secret}")
    elif case in ("damaged instruction", "lone surrogate"):
        body = '{"document": {"title": "\\ud800"}}' if case == "lone surrogate" else "{not"
        files["project.qde"] = project_xml().replace(
            "<PlainTextSelection", f"<?testimony-workbench {body}?><PlainTextSelection"
        )
    elif case == "not UTF-8":
        files["sources/t.txt"] = TEXT.encode("utf-16")
    return files


CASES = {
    "bad XML": "project.qde is not well-formed XML",
    "external entity": "declares a DOCTYPE or entities",
    "entity bomb": "declares a DOCTYPE or entities",
    "missing source": "sources/t.txt is missing from the package",
    "extra source": "sources/other.txt is in the package but no source refers to it",
    "offsets outside the text": "is outside its 37 characters",
    "negative offset": "which is not a position in the text",
    "unknown code": "names the code 66666666",
    "unknown user": "names the user 77777777",
    "zip bomb": "sources/bomb.txt is compressed more than 100 to 1",
    "absolute entry": "an entry with an unsafe name ('/etc/evil.txt')",
    "dot-dot entry": "an entry with an unsafe name ('../evil.txt')",
    "dot-dot path": "refers to an unsafe path (internal://../secret.txt)",
    "file outside": "refers to a file outside the package",
    "not UTF-8": "sources/t.txt is not UTF-8 text",
    "damaged instruction": "a TextSource carries a damaged testimony-workbench instruction",
    "lone surrogate": "a TextSource carries a damaged testimony-workbench instruction",
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_refused_in_one_line(project: Project, tmp_path: Path, case: str) -> None:
    good = package(tmp_path / "good.qdpx", hostile("", tmp_path))
    with Project(tmp_path / "check.twb") as check:  # the base file itself imports
        assert check.project_import.import_file(good).annotations == 1
    before = counts(project)
    bad = package(tmp_path / "bad.qdpx", hostile(case, tmp_path))
    with pytest.raises(InvalidInputError) as refused:
        project.project_import.import_file(bad)
    message = str(refused.value)
    assert message.startswith("bad.qdpx: ") and message.endswith("; nothing was imported")
    assert CASES[case] in message and "\n" not in message
    assert counts(project) == before
    with project.engine.connect() as conn:
        dump = "\n".join(conn.connection.dbapi_connection.iterdump())  # type: ignore[union-attr]
    assert "TOP-SECRET" not in dump


def test_a_size_the_zip_lies_about_is_refused(project: Project, tmp_path: Path) -> None:
    path = package(tmp_path / "lie.qdpx", hostile("", tmp_path))
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry: its size
    data[entry + 24 : entry + 28] = (2**31).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    before = counts(project)
    with pytest.raises(InvalidInputError, match="would unpack to more than 256 MB"):
        project.project_import.import_file(path)
    assert counts(project) == before


def test_not_a_zip_is_one_line(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_text("<Project/>")
    with pytest.raises(InvalidInputError, match=r"^x.qdpx: it is not a REFI-QDA project"):
        project.project_import.import_file(path)
