"""REFI-QDA, the exchange standard of QualCoder, ATLAS.ti, MAXQDA and NVivo: what the project
writer (``qdpx_writer``), the codebook writer (``qdc_writer``) and the import
(``services/refi_qda_import``) share.

The standard has no place for much of what the project holds (a record's status, fields and
fuzzy date, an annotation's origin and confidence, a code's key). Each element that stands for
one of ours carries it in a processing instruction, ``<?testimony-workbench {json}?>``, its
first child: other tools skip processing instructions, schema validation ignores them, and our
import restores the project exactly from them. An element without one came from another tool.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from workbench.export.model import Cell, Table

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PI_TARGET = "testimony-workbench"
PI_VERSION = 1  # the root's instruction says which version of these instructions a file has
APP = "Testimony Workbench"
UNKNOWN_USER = "unknown annotator"  # who made what the project does not say
_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:testimony-workbench:refi-qda")
# Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; surrogates; U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RGB = re.compile(r"#[0-9A-Fa-f]{6}")

Row = dict[str, Any]


def origin() -> str:
    """The ``origin`` attribute other tools show: this application and its version."""
    try:
        return f"{APP} {metadata.version('testimony-workbench')}"
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return APP


def user_guid(name: str) -> str:
    """An annotator's GUID: the same name gives the same GUID in every export."""
    return str(uuid.uuid5(_GUIDS, "user:" + name))


def code_guid(name: str) -> str:
    """A codebook entry's GUID, from its unique name: stable across exports and projects."""
    return str(uuid.uuid5(_GUIDS, "code:" + name))


def new_guid() -> str:
    """A GUID for anything else."""
    return str(uuid.uuid4())


def xml_text(value: str) -> str:
    """``value`` as XML 1.0 can hold it: each character it cannot hold becomes U+FFFD (one
    for one, so lengths stay); the exact value travels in the element's instruction."""
    return _NOT_XML.sub("\ufffd", value)


def kept_exactly(value: str) -> bool:
    """Whether element text reads back as written (XML turns a CR into a line feed)."""
    return "\r" not in value and _NOT_XML.search(value) is None


def xml_time(value: datetime) -> str:
    """A stored (naive UTC) time as ``xsd:dateTime`` to the second."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> datetime:
    """The current time as the project stores times (naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def instruction(values: Mapping[str, Any]) -> ET.Element[Any]:
    """``<?testimony-workbench {json}?>``: ASCII-only JSON (no character XML refuses), with
    ``>`` escaped so the text never closes the instruction early."""
    text = json.dumps(values, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return ET.ProcessingInstruction(PI_TARGET, text.replace(">", "\\u003e"))


def rows(table: Table) -> Iterable[Row]:
    """A table's rows as dicts keyed by column name (columns may be added in any order)."""
    for row in table.rows():
        yield dict(zip(table.columns, row, strict=True))


def json_value(cell: Cell) -> Any:
    """A JSON column's cell (JSON text) as its value."""
    return json.loads(cell) if isinstance(cell, str) and cell else {}


def iso(value: Cell) -> str | None:
    """A time cell as ISO text with microseconds (the instruction keeps it exact)."""
    return value.isoformat() if isinstance(value, datetime) else None


def element(tag: str, parent: ET.Element | None = None, **attrs: str) -> ET.Element:
    """An element, appended to ``parent`` when given. Tags stay unqualified: the root
    declares its namespace as the default with ``xmlns`` (ElementTree cannot write a
    default namespace together with unqualified attributes)."""
    return ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)


def document(root: ET.Element) -> bytes:
    """The XML file of ``root``: UTF-8 with its declaration."""
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


class Names:
    """Code names unique across a codebook, as other tools require (compared case-folded):
    a repeated name gets `` (2)``, `` (3)``…"""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, wanted: str, fallback: str) -> str:
        """``wanted`` on one line, made unique; ``fallback`` when it is blank."""
        base = xml_text(" ".join(wanted.split())) or fallback
        name, number = base, 2
        while name.casefold() in self._taken:
            name, number = f"{base} ({number})", number + 1
        self._taken.add(name.casefold())
        return name


def code_extras(code: Row) -> dict[str, Any]:
    """What a codebook entry's instruction carries: all REFI-QDA has no place for."""
    extras: dict[str, Any] = {
        "name": code["name"], "kind": code["kind"], "label": code["label"],
        "colour": code["colour"], "shortcut": code["shortcut"], "position": code["position"],
        "fields": json_value(code["fields"]),
    }  # fmt: skip
    if not kept_exactly(code["description"] or ""):
        extras["description"] = code["description"]
    return {"code": extras}


def codebook(codes: Sequence[Row], names: Names) -> tuple[list[ET.Element], dict[int, ET.Element]]:
    """The codebook's entries as nested ``Code`` elements (parents first, each level in the
    codebook's order); returns the top-level elements and every element by code id."""
    ordered = sorted(codes, key=lambda c: (c["position"], c["id"]))
    known = {code["id"] for code in codes}
    by_id: dict[int, ET.Element] = {}
    top: list[ET.Element] = []
    pending = list(ordered)
    while pending:  # a parent is placed before its children, whatever their order
        waiting = []
        for code in pending:
            parent = code["parent_id"] if code["parent_id"] in known else None
            if parent is not None and parent not in by_id:
                waiting.append(code)
                continue
            node = _code_element(code, names, by_id.get(parent) if parent else None)
            by_id[code["id"]] = node
            if parent is None:
                top.append(node)
        if len(waiting) == len(pending):  # a loop of parents: place the rest at the top
            for code in waiting:
                code["parent_id"] = None
        pending = waiting
    return top, by_id


def _code_element(code: Row, names: Names, parent: ET.Element | None) -> ET.Element:
    colour = str(code["colour"] or "")[:7]
    attrs = {"guid": code_guid(code["name"]), "name": names.unique(code["label"], code["name"]),
             "isCodable": "true"}  # fmt: skip
    if _RGB.fullmatch(colour):
        attrs["color"] = colour
    node = element("Code", parent, **attrs)
    node.append(instruction(code_extras(code)))
    if code["description"]:
        element("Description", node).text = xml_text(code["description"])
    return node
