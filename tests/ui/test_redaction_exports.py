"""Every export of a project with protected records, in every kind and format, holds none of
their names: searched byte for byte (UTF-8, UTF-16, case-folded) inside zips and in the
text of PDFs; passages' offsets fit the redacted text; pictures are drawn from the
redacted dataset."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pdfminer.high_level import extract_text

import main
from tests.conftest import import_text
from ui.drawn_writers import register_drawn_writers
from workbench.domain import RecordId
from workbench.export import registry
from workbench.export.model import Dataset, ExportRequest, Selection
from workbench.project import Project
from workbench.sample import build_sample_project
from workbench.timeline.model import TimelineItem

# Our own document: the person inflected in Russian, in Latin letters, possessive, in
# capitals; the place in a Russian form its passage links to the record.
OWN = (
    "Задержание\n\nРомана Тихонова задержали в Харькове 3 мая 2024 года. Тихонову "
    "предъявили обвинение, с Тихоновым говорил адвокат. Tikhonov's lawyer said TIKHONOV "
    "was held in Kharkiv; Харьков молчит. 🙂\n"
)
# Every protected writing that must not be found (stems catch the other forms).
SECRETS = ("Tikhonov", "Тихонов", "Kharkiv", "Харьков")


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[int]]]:
    """The sample project, extracted, with our document; Roman Tikhonov and the places
    named Kharkiv (the city and the region) protected."""
    folder = tmp_path_factory.mktemp("redaction")
    path = folder / "sample.twb"
    build_sample_project(path, extract=True)
    with Project(path, actor="tester") as project:
        records = project.records.list()
        person = next(r.id for r in records if r.label == "Roman Tikhonov")
        places = [r.id for r in records if r.label == "Kharkiv"]
        doc = import_text(project, folder, "own.txt", OWN, published="2024-05-04").id
        for name, record in (("Романа Тихонова", person), ("Харькове", places[0])):
            start = OWN.index(name)
            project.review.attach(doc, start, start + len(name), RecordId(record))
        project.records.protect([person, *places])
    yield path, [person, *places]


def _every_export() -> list[tuple[str, str]]:
    register_drawn_writers()
    return [(fmt, kind) for fmt in registry.formats() for kind in registry.writer(fmt).kinds]


def _texts(raw: bytes, name: str) -> Iterator[tuple[str, bytes]]:
    """The bytes to search in a file: itself, each member of a zip, each PDF stream
    decompressed."""
    yield name, raw
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            for member in package.namelist():
                yield from _texts(package.read(member), f"{name}:{member}")
    if raw.startswith(b"%PDF"):
        for stream in re.findall(rb"stream\r?\n(.*?)endstream", raw, re.S):
            try:
                yield f"{name}:stream", zlib.decompress(stream)
            except zlib.error:
                yield f"{name}:stream", stream
        yield f"{name}:text", extract_text(io.BytesIO(raw)).encode("utf-8")


def _leaks(raw: bytes, name: str) -> list[str]:
    found = []
    for where, data in _texts(raw, name):
        folded = data.decode("utf-8", "ignore").casefold()
        for secret in SECRETS:
            forms = [secret.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
            if any(form in data for form in forms) or secret.casefold() in folded:
                found.append(f"{where}: {secret}")
    return found


def test_no_export_holds_a_protected_name(
    protected: tuple[Path, list[int]], tmp_path: Path
) -> None:
    path, _ = protected
    exports = _every_export()
    assert {fmt for fmt, _ in exports} >= {"csv", "xlsx", "json", "qdpx", "qdc", "html",
                                           "pdf", "png", "svg"}  # fmt: skip
    leaks: list[str] = []
    named: set[str] = set()  # formats whose export with real names the search finds them in
    with Project(path) as project:
        for fmt, kind in exports:
            output, plain = tmp_path / f"{kind}.{fmt}", tmp_path / f"{kind}.plain.{fmt}"
            project.exports.run(ExportRequest(kind, fmt, output))
            project.exports.run(ExportRequest(kind, fmt, plain, redact=False))
            assert output.stat().st_size > 0
            leaks += _leaks(output.read_bytes(), output.name)
            if _leaks(plain.read_bytes(), plain.name):
                named.add(fmt)
    assert named == {"csv", "xlsx", "json", "qdpx", "html", "pdf", "svg"}
    assert leaks == []


def test_offsets_fit_the_redacted_text(protected: tuple[Path, list[int]], tmp_path: Path) -> None:
    path, _ = protected
    with Project(path) as project:
        whole, table, package = tmp_path / "p.json", tmp_path / "a.csv", tmp_path / "p.qdpx"
        for what, fmt, output in (("project", "json", whole), ("annotations", "csv", table),
                                  ("project", "qdpx", package)):  # fmt: skip
            project.exports.run(ExportRequest(what, fmt, output))
    data = json.loads(whole.read_text(encoding="utf-8"))
    texts = {d["id"]: d["text"] for d in data["documents"]}
    own = next(t for t in texts.values() if t.startswith("Задержание"))
    assert "Person A" in own and "Place A" in own and "🙂" in own
    for ann in data["annotations"]:
        assert texts[ann["document_id"]][ann["start"] : ann["end"]] == ann["quote"]
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        text = texts[int(row["document_id"])]
        assert text[int(row["start"]) : int(row["end"])] == row["quote"].removeprefix("'")
    assert {"Person A", "Place A"} <= {row["label"] for row in rows}
    with zipfile.ZipFile(package) as qdpx:
        root = ET.fromstring(qdpx.read("project.qde"))
        ns = {"q": root.tag[1:].split("}")[0]}
        for source in root.iterfind(".//q:TextSource", ns):
            path_in_zip = "sources/" + source.attrib["plainTextPath"].removeprefix("internal://")
            text = qdpx.read(path_in_zip).decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                start, end = (
                    int(selection.attrib["startPosition"]),
                    int(selection.attrib["endPosition"]),
                )
                if text.startswith("Задержание"):
                    assert text[start:end] == selection.attrib["name"]
                assert 0 <= start < end <= len(text)


def test_the_imported_redacted_project_is_consistent(
    protected: tuple[Path, list[int]], tmp_path: Path
) -> None:
    path, _ = protected
    output = tmp_path / "p.json"
    with Project(path) as project:
        project.exports.run(ExportRequest("project", "json", output))
    with Project(tmp_path / "copy.twb") as copy:
        copy.project_import.import_file(output)
        labels = {r.label for r in copy.records.list()}
    assert {"Person A", "Place A"} <= labels and "Roman Tikhonov" not in labels


def test_pictures_are_drawn_from_the_redacted_dataset(
    protected: tuple[Path, list[int]], tmp_path: Path
) -> None:
    """The PNG writers (of the window, the report and the command line's drawing) read the
    timeline items of the dataset the transformation gave; those hold only pseudonyms."""
    path, ids = protected
    drawn: list[list[TimelineItem]] = []
    with Project(path) as project:
        transform = project.exports.transform

        def watched(data: Dataset) -> Dataset:
            done = transform(data)
            items = done.timeline_items

            def read() -> list[TimelineItem]:
                drawn.append(list(items()))
                return drawn[-1]

            return replace(done, timeline_items=read)

        project.exports.transform = watched
        register_drawn_writers()
        project.exports.run(ExportRequest("timeline", "png", tmp_path / "t.png"))
        project.exports.run(ExportRequest("report", "html", tmp_path / "r.html"))
        from ui.timeline.export import export_timeline  # noqa: PLC0415 - Qt, drawn here

        export_timeline(project, "png", tmp_path / "cli.png")
    assert len(drawn) == 3 and all(drawn)
    for items in drawn:
        seen = " ".join(
            " ".join([i.label, *i.persons, *i.places, *(p.quote for p in i.passages),
                      *(p.document_title for p in i.passages)])
            for i in items
        )  # fmt: skip
        assert not any(s.casefold() in seen.casefold() for s in SECRETS)
        assert {"Place A"} & {place for i in items for place in i.places} or "Place A" in seen
    with Project(path) as project:
        plain = project.exports.prepared(Selection(), redact=False).timeline_items()
        assert any("Tikhonov" in " ".join(i.persons) or "Kharkiv" in i.label for i in plain)
        assert ids


def test_pseudonyms_are_stable_and_real_names_come_back_when_asked_or_released(
    protected: tuple[Path, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = protected
    first, second, plain = (tmp_path / f"{n}.csv" for n in ("first", "second", "plain"))
    with Project(path) as project:
        project.exports.run(ExportRequest("records", "csv", first))
        project.exports.run(ExportRequest("records", "csv", second))
    assert first.read_bytes() == second.read_bytes()
    cli = ["--project", str(path), "export", "records", "--format", "csv"]
    assert main.main([*cli, "--output", str(plain), "--no-redact"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "warning: --no-redact: protected records are exported under their real names"
    assert _leaks(plain.read_bytes(), "plain")
    redacted = tmp_path / "redacted.csv"
    assert main.main([*cli, "--output", str(redacted), "--redact"]) == 0
    assert (
        not _leaks(redacted.read_bytes(), "redacted") and "warning" not in capsys.readouterr().err
    )
    assert main.main(["--project", str(path), "protect", *map(str, ids), "--off"]) == 0
    released = tmp_path / "released.csv"
    assert main.main([*cli, "--output", str(released)]) == 0
    assert "Roman Tikhonov" in released.read_text(encoding="utf-8")
    assert main.main(["--project", str(path), "protect", *map(str, ids)]) == 0
    again = tmp_path / "again.csv"
    assert main.main([*cli, "--output", str(again)]) == 0
    assert again.read_bytes() == first.read_bytes()  # the same pseudonyms as before
