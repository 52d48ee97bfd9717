"""Reading a REFI-QDA file from elsewhere, guarded, before anything is written: the zip
(``.qdpx``: entry names, sizes, compression ratio) and the XML (``project.qde`` or a ``.qdc``:
no DOCTYPE, so no entity is ever expanded or fetched) into plain data. Every refusal is a
``Refused`` with one line for the user.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, TypeAlias
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from workbench.export.refi_qda import PI_TARGET, PI_VERSION

MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # uncompressed, any one entry (a text, project.qde)
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # uncompressed, every entry read
MAX_RATIO = 100.0  # uncompressed / compressed, for entries past RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_XML_BYTES = 256 * 1024 * 1024  # a .qdc file
PROJECT_FILE = "project.qde"
# an element, or a processing instruction (whose tag is ET.PI, not a name)
Node: TypeAlias = "ET.Element[Any]"
_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})\}?")  # fmt: skip


class Refused(Exception):  # noqa: N818 - a refusal, said to the user
    """The file cannot be imported; ``str(exc)`` says why in one line."""


class Package:
    """A ``.qdpx`` opened for reading: entry names checked on opening, each entry read at
    most once within the size and ratio limits."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise Refused("it is not a REFI-QDA project (not a zip file)") from None
        self.entries: dict[str, zipfile.ZipInfo] = {}
        self._read_bytes = 0
        try:
            self._check_entries()
        except BaseException:
            self._zip.close()
            raise

    def _check_entries(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Refused(f"it holds more than {MAX_ENTRIES:,} files")
        total = 0
        for info in infos:
            name = _entry_name(info.filename)
            if name in self.entries:
                raise Refused(f"it holds {name} twice")
            if info.flag_bits & 0x1:
                raise Refused(f"{name} is encrypted")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Refused(f"{name} is a symbolic link")
            _check_size(name, info.file_size, info.compress_size)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise Refused(f"it would unpack to more than {MAX_TOTAL_BYTES // 2**20:,} MB")
            if not info.is_dir():
                self.entries[name] = info
        if PROJECT_FILE not in self.entries:
            raise Refused(f"it has no {PROJECT_FILE}, so it is not a REFI-QDA project")

    def read(self, name: str) -> bytes:
        """An entry's bytes; its size is what the zip declares, checked on opening."""
        info = self.entries[name]
        self._read_bytes += info.file_size
        if self._read_bytes > MAX_TOTAL_BYTES:
            raise Refused(f"it would unpack to more than {MAX_TOTAL_BYTES // 2**20:,} MB")
        try:
            with self._zip.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise Refused(f"{name} cannot be unpacked ({exc})") from None
        if len(data) != info.file_size:
            raise Refused(f"{name} is not the size its zip entry declares")
        return data

    def close(self) -> None:
        """Close the zip."""
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _entry_name(raw: str) -> str:
    """An entry's name with ``/`` separators; absolute names and ``..`` are refused (the
    package is never unpacked to disk, but such a name has no business in it)."""
    name = raw.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in parts or "\x00" in name:
        raise Refused(f"it holds an entry with an unsafe name ({raw!r})")
    return "/".join(part for part in parts if part != ".")


def _check_size(name: str, size: int, compressed: int) -> None:
    if size > MAX_ENTRY_BYTES:
        raise Refused(f"{name} would unpack to more than {MAX_ENTRY_BYTES // 2**20:,} MB")
    if size > RATIO_FROM and size > MAX_RATIO * max(compressed, 1):
        raise Refused(f"{name} is compressed more than {MAX_RATIO:g} to 1 (a zip bomb?)")


def read_xml(data: bytes, what: str) -> Node:
    """The root of an XML document, processing instructions kept; a DOCTYPE (and so any
    entity, internal or external) is refused before it is read."""
    parser = DefusedXMLParser(target=ET.TreeBuilder(insert_pis=True), forbid_dtd=True,
                              forbid_entities=True, forbid_external=True)  # fmt: skip
    try:
        parser.feed(data)
        return parser.close()  # type: ignore[no-any-return]
    except DefusedXmlException:
        raise Refused(f"{what} declares a DOCTYPE or entities, which REFI-QDA never needs; "
                      "it was not read") from None  # fmt: skip
    except ET.ParseError as exc:
        raise Refused(f"{what} is not well-formed XML ({exc})") from None


def local(tag: object) -> str:
    """An element's name without its namespace ("" for instructions and comments)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(node: Node, name: str) -> list[Node]:
    """The child elements called ``name``, whatever namespace the file gave them."""
    return [child for child in node if local(child.tag) == name]


def child_text(node: Node, name: str) -> str:
    """The text of the first child called ``name`` ("" without one)."""
    found = children(node, name)
    return (found[0].text or "") if found else ""


def guid(node: Node, attribute: str = "guid", *, required: bool = True) -> str | None:
    """A GUID attribute in one form (lower case, without braces); a malformed one is refused."""
    value = node.get(attribute)
    if value is None:
        if required:
            raise Refused(f"a {local(node.tag)} has no {attribute}")
        return None
    match = _GUID.fullmatch(value.strip())
    if match is None:
        raise Refused(f"a {local(node.tag)} has {attribute} {value[:60]!r}, which is not a GUID")
    return match.group(1).lower()


def extras(node: Node) -> dict[str, Any] | None:
    """The values our instruction on ``node`` carries (None: none, the element came from
    another tool); a malformed one is refused."""
    for child in node:
        tag: object = child.tag
        if tag is ET.PI and (child.text or "").split(None, 1)[0] == PI_TARGET:
            body = (child.text or "")[len(PI_TARGET) :]
            try:
                value = json.loads(body, parse_constant=_no_constant)
                # no lone surrogate, no infinity (SQLite's JSON would refuse to read it back)
                json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
            except (ValueError, RecursionError):
                value = None
            if not isinstance(value, dict):
                raise Refused(f"a {local(node.tag)} carries a damaged {PI_TARGET} instruction")
            return value
    return None


def check_version(root: Node) -> None:
    """A file from a newer version of these instructions is refused rather than misread."""
    values = extras(root)
    version = values.get("version") if values else None
    if version is not None and (type(version) is not int or version > PI_VERSION):
        raise Refused(f"it was written by a newer version of {PI_TARGET} (version {version})")


def _no_constant(name: str) -> object:
    raise ValueError(name)


@dataclass(frozen=True)
class Fields:
    """Typed reading of one instruction's values; a wrong type is refused naming it."""

    values: dict[str, Any]
    where: str

    def text(self, key: str, default: str = "") -> str:
        """A string value."""
        value = self.values.get(key, default)
        if not isinstance(value, str):
            raise Refused(f"{self.where}: {key} must be text")
        return value

    def optional_text(self, key: str) -> str | None:
        """A string or null."""
        return None if self.values.get(key) is None else self.text(key)

    def number(self, key: str) -> float | None:
        """A number or null."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Refused(f"{self.where}: {key} must be a number")
        return float(value)

    def whole(self, key: str, default: int = 0) -> int:
        """A whole number."""
        value = self.values.get(key, default)
        if type(value) is not int:
            raise Refused(f"{self.where}: {key} must be a whole number")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        """One of ``allowed``."""
        value = self.text(key, default)
        if value not in allowed:
            raise Refused(f"{self.where}: {key} {value!r} is not one of {', '.join(allowed)}")
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        """A JSON object (a record's fields)."""
        value = self.values.get(key, {})
        if not isinstance(value, dict):
            raise Refused(f"{self.where}: {key} must be an object")
        return value
