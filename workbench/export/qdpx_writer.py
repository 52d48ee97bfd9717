"""REFI-QDA project (``.qdpx``): a zip of ``project.qde`` (XML, ``urn:QDA-XML:project:1.0``)
and each document's text as ``sources/<guid>.txt``, the exchange format of QualCoder,
ATLAS.ti, MAXQDA and NVivo.

The mapping (docs/ARCHITECTURE.md, "Exports"): record types and codes are codes, each record
a code nested in its type; an annotation is a ``PlainTextSelection`` (positions in code
points, the quote as its name, its annotator as ``creatingUser``) coded with the records it
supports, else with its own code; memos and notes are ``Note``s; record links are ``Link``s.
What the standard has no place for rides in each element's instruction (``refi_qda``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from workbench.domain import CancelFlag, Progress
from workbench.errors import InvalidInputError
from workbench.export.model import Dataset, ExportCancelled, WriteOptions
from workbench.export.refi_qda import (
    PI_VERSION,
    PROJECT_NS,
    UNKNOWN_USER,
    Names,
    Row,
    codebook,
    document,
    element,
    instruction,
    iso,
    json_value,
    kept_exactly,
    new_guid,
    now,
    origin,
    rows,
    user_guid,
    xml_text,
    xml_time,
)

NS = PROJECT_NS
RECORD_KEYS = ("label", "status", "origin", "confidence", "date_text", "date_edtf",
               "date_earliest", "date_latest", "created_by", "protected",
               "pseudonym")  # fmt: skip
DOCUMENT_KEYS = ("title", "source", "outlet", "author", "published", "language", "format",
                 "encoding", "original_name", "original_sha256", "text_sha256",
                 "imported_by")  # fmt: skip
SHOWN_METADATA = (("published", "Published"), ("outlet", "Outlet"), ("author", "Author"),
                  ("source", "Source"), ("language", "Language"),
                  ("original_name", "Original file"))  # fmt: skip


class _Project:
    """The project's small tables in memory (everything but the documents' text), and the
    elements and users made from them as the XML is built."""

    def __init__(self, data: Dataset) -> None:
        self.codes = list(rows(data.table("project.codebook")))
        self.records = list(rows(data.table("project.records")))
        self.annotations: defaultdict[int, list[Row]] = defaultdict(list)
        for ann in rows(data.table("project.annotations")):
            self.annotations[ann["document_id"]].append(ann)
        self.evidence: defaultdict[int, list[Row]] = defaultdict(list)
        for ev in rows(data.table("project.evidence")):
            self.evidence[ev["annotation_id"]].append(ev)
        self.links = list(rows(data.table("project.links")))
        self.memos = {m["document_id"]: m for m in rows(data.table("project.memos"))}
        self.users: dict[str, str] = {}  # name → guid
        self.notes: list[ET.Element] = []
        self.code_guids: dict[int, str] = {}
        self.record_guids: dict[int, str] = {}

    def user(self, name: str | None) -> str:
        """The GUID of an annotator (listed in ``Users``); unknown ones share one user."""
        name = name or UNKNOWN_USER
        if name not in self.users:
            self.users[name] = user_guid(name)
        return self.users[name]

    def note(self, parent: ET.Element, name: str, text: str, author: str | None,
             when: Any) -> None:  # fmt: skip
        """A ``Note`` holding ``text``, referred to from ``parent``."""
        if not text:
            return
        guid = new_guid()
        attrs = {"guid": guid, "name": xml_text(name)[:200], "creatingUser": self.user(author)}
        if when is not None:
            attrs["creationDateTime"] = xml_time(when)
        node = element("Note", None, **attrs)
        if not kept_exactly(text):
            node.append(instruction({"note": {"text": text}}))
        element("PlainTextContent", node).text = xml_text(text)
        self.notes.append(node)
        element("NoteRef", parent, targetGUID=guid)


class QdpxWriter:
    """The whole project as a REFI-QDA project."""

    format = "qdpx"
    label = "REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo)"
    extension = ".qdpx"
    kinds = ("project",)

    def write(
        self,
        data: Dataset,
        what: str,
        path: Path,
        *,
        options: WriteOptions,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> int:
        """Write the zip: every document's text first (Cancel is looked at before each),
        then ``project.qde``; returns the number of documents, codes, passages and notes."""
        del what
        if not options.include_text:
            raise InvalidInputError("a REFI-QDA project carries the documents' text; "
                                    "export it with the text")  # fmt: skip
        project = _Project(data)
        names = Names()
        top, code_elements = codebook(project.codes, names)
        project.code_guids = {cid: node.attrib["guid"] for cid, node in code_elements.items()}
        _records(project, code_elements, names)
        sources: list[ET.Element] = []
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for done, doc in enumerate(rows(data.table("project.documents"))):
                if cancel is not None and cancel.is_set():
                    raise ExportCancelled
                if progress is not None:
                    progress(done, 0, f"{done:,} documents")
                guid = new_guid()
                package.writestr(f"sources/{guid}.txt", doc["text"].encode("utf-8"))
                sources.append(_source(project, doc, guid))
            root = _root(data, project, top, sources)
            package.writestr("project.qde", document(root))
        passages = sum(len(anns) for anns in project.annotations.values())
        return len(sources) + len(code_elements) + len(project.record_guids) + passages


def _records(project: _Project, codes: dict[int, ET.Element], names: Names) -> None:
    """Each record as a code nested in its type's, with its memo as a note."""
    for record in sorted(project.records, key=lambda r: r["id"]):
        parent = codes.get(record["type_id"])
        if parent is None:  # pragma: no cover - the schema refers every record to a type
            continue
        guid = new_guid()
        project.record_guids[record["id"]] = guid
        node = element("Code", parent, guid=guid, isCodable="true",
                       name=names.unique(record["label"], f"record {record['id']}"))  # fmt: skip
        colour = parent.get("color")
        if colour:
            node.set("color", colour)
        extras = {key: record[key] for key in RECORD_KEYS}
        extras.update(fields=json_value(record["fields"]), created_at=iso(record["created_at"]),
                      updated_at=iso(record["updated_at"]))  # fmt: skip
        node.append(instruction({"record": extras}))
        element("Description", node).text = xml_text(_summary(record, parent.get("name", "")))
        project.user(record["created_by"])
        project.note(node, f"Memo: {record['label']}", record["note"], record["created_by"],
                     record["updated_at"])  # fmt: skip


def _summary(record: Row, type_label: str) -> str:
    """A record in words, for the people who read the code in another tool."""
    state = f"{type_label} record, {record['status']}, {record['origin']}"
    if record["confidence"] is not None:
        state += f", confidence {record['confidence']:.2f}"
    lines = [state, f"Label: {record['label']}"]
    if record["date_text"]:
        lines.append(f"Date as written: {record['date_text']}")
    if record["date_edtf"]:
        lines.append(f"Date (EDTF): {record['date_edtf']}")
    if record["date_earliest"] or record["date_latest"]:
        lines.append(f"Between {record['date_earliest'] or '…'} and "
                     f"{record['date_latest'] or '…'}")  # fmt: skip
    for key, value in json_value(record["fields"]).items():
        lines.append(f"{key}: {_shown(value)}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    """A field's value in words: a list of names as "a; b", anything nested as JSON."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "; ".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _source(project: _Project, doc: Row, guid: str) -> ET.Element:
    """A document as a ``TextSource`` whose text is ``sources/<guid>.txt``."""
    attrs = {"guid": guid, "name": xml_text(doc["title"]),
             "plainTextPath": f"internal://{guid}.txt",
             "creatingUser": project.user(doc["imported_by"]),
             "creationDateTime": xml_time(doc["imported_at"])}  # fmt: skip
    node = element("TextSource", None, **attrs)
    extras = {key: doc[key] for key in DOCUMENT_KEYS}
    extras.update(extra=json_value(doc["extra"]), imported_at=iso(doc["imported_at"]))
    node.append(instruction({"document": extras}))
    shown = [f"{label}: {doc[key]}" for key, label in SHOWN_METADATA if doc[key]]
    if shown:
        element("Description", node).text = xml_text("\n".join(shown))
    anns = sorted(project.annotations.get(doc["id"], ()),
                  key=lambda a: (a["start"], a["end"], a["id"]))  # fmt: skip
    for ann in anns:
        _selection(project, node, ann)
    memo = project.memos.get(doc["id"])
    if memo is not None:
        project.note(node, f"Memo: {doc['title']}", memo["text"], memo["author"],
                     memo["updated_at"])  # fmt: skip
    return node


def _selection(project: _Project, source: ET.Element, ann: Row) -> None:
    """An annotation as a ``PlainTextSelection`` coded with the records it supports (or its
    own code), the quote as its name and its annotator as ``creatingUser``."""
    user = project.user(ann["author"])
    when = xml_time(ann["created_at"])
    node = element("PlainTextSelection", source, guid=new_guid(), name=xml_text(ann["quote"]),
                   startPosition=str(ann["start"]), endPosition=str(ann["end"]),
                   creatingUser=user, creationDateTime=when)  # fmt: skip
    evidence = [ev for ev in project.evidence.get(ann["id"], ())
                if ev["record_id"] in project.record_guids]  # fmt: skip
    targets = [project.record_guids[ev["record_id"]] for ev in evidence]
    extras: dict[str, Any] = {
        "code": project.code_guids[ann["code_id"]], "status": ann["status"],
        "origin": ann["origin"], "confidence": ann["confidence"], "author": ann["author"],
        "created_at": iso(ann["created_at"]), "updated_at": iso(ann["updated_at"]),
        "roles": {project.record_guids[ev["record_id"]]: ev["role"] for ev in evidence
                  if ev["role"] != "mention"},
    }  # fmt: skip
    node.append(instruction({"passage": extras}))
    for target in targets or [project.code_guids[ann["code_id"]]]:
        coding = element("Coding", node, guid=new_guid(), creatingUser=user,
                         creationDateTime=when)  # fmt: skip
        element("CodeRef", coding, targetGUID=target)
    project.note(node, "Note", ann["note"], ann["author"], ann["updated_at"])


def _root(data: Dataset, project: _Project, top: list[ET.Element],
          sources: list[ET.Element]) -> ET.Element:  # fmt: skip
    """``Project`` with its parts in the schema's order, empty containers left out."""
    root = element("Project", xmlns=NS, name=xml_text(data.title) or "project", origin=origin(),
                   creationDateTime=xml_time(now()))  # fmt: skip
    root.append(instruction({"version": PI_VERSION}))
    project_memo = project.memos.get(None)
    refs = element("Project")  # the project's own note reference goes last
    if project_memo is not None:
        project.note(refs, "Project memo", project_memo["text"], project_memo["author"],
                     project_memo["updated_at"])  # fmt: skip
    if project.users:
        users = element("Users", root)
        for name, guid in sorted(project.users.items()):
            element("User", users, guid=guid, name=xml_text(name))
    if top:
        element("Codes", element("CodeBook", root)).extend(top)
    if sources:
        element("Sources", root).extend(sources)
    if project.notes:
        element("Notes", root).extend(project.notes)
    links = [link for link in project.links
             if {link["source_id"], link["target_id"]} <= project.record_guids.keys()]  # fmt: skip
    if links:
        parent = element("Links", root)
        for link in links:
            element("Link", parent, guid=new_guid(), name=xml_text(link["role"]),
                    direction="OneWay", originGUID=project.record_guids[link["source_id"]],
                    targetGUID=project.record_guids[link["target_id"]])  # fmt: skip
    root.extend(refs)
    return root


WRITER = QdpxWriter()
