"""A REFI-QDA project or codebook read into plain data and checked as a whole: every user,
code and note a reference names exists, every text source is in the package and nothing
else is, every text is UTF-8 and every selection lies inside its text. Nothing here writes.

Texts are taken as other tools write them: a leading byte order mark is not part of the
text, and CRLF or CR line ends become LF with each position moved to the same character, so
offsets (code points) stay on the passage they marked.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.domain import CancelFlag, Progress
from workbench.importers import ImportCancelled
from workbench.services.refi_qda_package import (
    PROJECT_FILE,
    Node,
    Package,
    Refused,
    check_version,
    child_text,
    children,
    extras,
    guid,
    local,
    read_xml,
)

USER_ATTRIBUTES = ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")
CODE_REFERENCES = ("CodeRef", "MemberCode")
NOTE_REFERENCES = ("NoteRef", "MemberNote")
OTHER_SOURCES = {"PictureSource": "picture(s)", "PDFSource": "PDF file(s)",
                 "AudioSource": "audio file(s)", "VideoSource": "video file(s)"}  # fmt: skip
NOT_READ = {"Variables": "variable(s)", "Cases": "case(s)", "Sets": "set(s)",
            "Graphs": "graph(s)"}  # fmt: skip


@dataclass
class Code:
    """A ``Code``: the file's name, colour, description, parent and notes."""

    guid: str
    name: str
    colour: str | None
    description: str
    parent: str | None
    notes: list[str]
    extras: dict[str, Any] | None

    @property
    def record(self) -> dict[str, Any] | None:
        """Our record's values, when this code stands for one."""
        value = self.extras.get("record") if self.extras else None
        return value if isinstance(value, dict) else None


@dataclass
class Coding:
    """A ``Coding``: the code it applies and who applied it."""

    code: str
    user: str | None
    created: str | None
    notes: list[str]


@dataclass
class Selection:
    """A ``PlainTextSelection``: [start, end) in code points of the source's text as stored."""

    guid: str
    start: int
    end: int
    user: str | None
    created: str | None
    description: str
    codings: list[Coding]
    notes: list[str]
    extras: dict[str, Any] | None


@dataclass
class Source:
    """A ``TextSource`` (or a PDF's text representation) and, once loaded, its text."""

    guid: str
    name: str
    entry: str | None  # the package entry of its text, or None when the XML holds it
    inline: str | None
    description: str
    user: str | None
    created: str | None
    selections: list[Selection]
    codings: list[Coding]  # applied to the whole source
    notes: list[str]
    extras: dict[str, Any] | None
    text: str = ""
    raw_sha256: str = ""


@dataclass
class Note:
    """A ``Note`` and its text."""

    guid: str
    name: str
    user: str | None
    entry: str | None
    text: str
    extras: dict[str, Any] | None


@dataclass
class RefiProject:
    """Everything an import takes from a file."""

    name: str = ""
    description: str = ""
    users: dict[str, str] = field(default_factory=dict)  # guid → name
    codes: dict[str, Code] = field(default_factory=dict)  # parents before children
    sources: list[Source] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    links: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # the project's own
    skipped: Counter[str] = field(default_factory=Counter)
    entries: set[str] = field(default_factory=set)  # package entries something refers to


def read_project(
    package: Package, progress: Progress | None = None, cancel: CancelFlag | None = None
) -> RefiProject:
    """The package's project, checked, with every text loaded."""
    root = read_xml(package.read(PROJECT_FILE), PROJECT_FILE)
    if local(root.tag) != "Project":
        raise Refused(f"{PROJECT_FILE} is not a REFI-QDA project (its root is not Project)")
    check_version(root)
    project = RefiProject(name=root.get("name", ""), description=child_text(root, "Description"))
    _users(root, project)
    for node in children(root, "CodeBook"):
        for codes in children(node, "Codes"):
            read_codes(codes, project.codes, None)
    _sources(root, project)
    _notes(root, project)
    for node in _grandchildren(root, "Links", "Link"):
        project.links.append((node.get("name", ""), guid(node, "originGUID", required=False),
                              guid(node, "targetGUID", required=False)))  # fmt: skip
    project.note_refs = _refs(root)
    for name, what in NOT_READ.items():
        project.skipped[what] += sum(len(children(n, name[:-1])) for n in children(root, name))
    check_references(root, project)
    _check_entries(package, project)
    _load(package, project, progress, cancel)
    return project


def read_codebook(root: Node) -> dict[str, Code]:
    """The codes of a ``.qdc`` (``CodeBook``), checked."""
    if local(root.tag) != "CodeBook":
        raise Refused("it is not a REFI-QDA codebook (its root is not CodeBook)")
    check_version(root)
    codes: dict[str, Code] = {}
    for node in children(root, "Codes"):
        read_codes(node, codes, None)
    if not codes:
        raise Refused("the codebook has no codes")
    return codes


def read_codes(parent: Node, codes: dict[str, Code], parent_guid: str | None) -> None:
    """``parent``'s ``Code`` children and theirs, parents first."""
    for node in children(parent, "Code"):
        key = _unique(guid(node), codes)
        codes[key] = Code(key, node.get("name", "").strip() or "code", node.get("color"),
                          child_text(node, "Description"), parent_guid, _refs(node),
                          extras(node))  # fmt: skip
        read_codes(node, codes, key)


def _users(root: Node, project: RefiProject) -> None:
    for node in _grandchildren(root, "Users", "User"):
        key = _unique(guid(node), project.users)
        project.users[key] = (node.get("name") or "").strip() or f"user {key[:8]}"


def _sources(root: Node, project: RefiProject) -> None:
    """Text sources (and the text of PDF sources); other kinds are counted and left."""
    seen: set[str] = set()
    for sources in children(root, "Sources"):
        for node in sources:
            kind = local(node.tag)
            _refer(node, project)
            text_node: Node | None = node if kind == "TextSource" else None
            if kind == "PDFSource" and children(node, "Representation"):
                text_node = children(node, "Representation")[0]
                _refer(text_node, project)
            elif kind in OTHER_SOURCES:
                project.skipped[OTHER_SOURCES[kind]] += 1
            if text_node is not None:
                source = _source(text_node, node.get("name") or text_node.get("name") or "")
                _unique(source.guid, seen)
                seen.add(source.guid)
                project.sources.append(source)


def _source(node: Node, name: str) -> Source:
    key = guid(node)
    assert key is not None
    path = node.get("plainTextPath")
    inline = children(node, "PlainTextContent")
    if path is None and not inline:
        raise Refused(f"source “{name}” has no plain text (plainTextPath or PlainTextContent)")
    selections = [_selection(sel) for sel in children(node, "PlainTextSelection")]
    return Source(
        key, name, _entry(path, f"source “{name}”") if path is not None else None,
        (inline[0].text or "") if path is None else None, child_text(node, "Description"),
        guid(node, "creatingUser", required=False), node.get("creationDateTime"), selections,
        [_coding(c) for c in children(node, "Coding")], _refs(node), extras(node),
    )  # fmt: skip


def _selection(node: Node) -> Selection:
    key = guid(node)
    assert key is not None
    codings = [_coding(c) for c in children(node, "Coding")]
    return Selection(key, _position(node, "startPosition"), _position(node, "endPosition"),
                     guid(node, "creatingUser", required=False), node.get("creationDateTime"),
                     child_text(node, "Description"), codings, _refs(node),
                     extras(node))  # fmt: skip


def _coding(node: Node) -> Coding:
    refs = children(node, "CodeRef")
    if not refs:
        raise Refused("a Coding has no CodeRef")
    target = guid(refs[0], "targetGUID")
    assert target is not None
    return Coding(target, guid(node, "creatingUser", required=False),
                  node.get("creationDateTime"), _refs(node))  # fmt: skip


def _position(node: Node, attribute: str) -> int:
    value = (node.get(attribute) or "").strip()
    if not re.fullmatch(r"[0-9]{1,15}", value):
        raise Refused(f"a PlainTextSelection has {attribute} {value[:30]!r}, which is not a "
                      "position in the text")  # fmt: skip
    return int(value)


def _notes(root: Node, project: RefiProject) -> None:
    for node in _grandchildren(root, "Notes", "Note"):
        key = _unique(guid(node), project.notes)
        path = node.get("plainTextPath")
        name = node.get("name", "")
        entry = _entry(path, f"note “{name}”") if path is not None else None
        if entry is not None:
            project.entries.add(entry)
        project.notes[key] = Note(key, name, guid(node, "creatingUser", required=False), entry,
                                  child_text(node, "PlainTextContent"), extras(node))  # fmt: skip


def _refer(node: Node, project: RefiProject) -> None:
    """Note the package entries a source (or its transcripts) refers to."""
    for item in node.iter():
        for attribute in ("plainTextPath", "richTextPath", "path", "currentPath"):
            value = item.get(attribute)
            if value is not None and value.startswith("internal://"):
                project.entries.add(_entry(value, f"source “{node.get('name', '')}”"))


def _entry(path: str, what: str) -> str:
    """The package entry of an ``internal://`` path; a file outside the package is refused
    (it is never read)."""
    if not path.startswith("internal://"):
        raise Refused(f"{what} refers to a file outside the package ({path[:80]}), which is "
                      "not read")  # fmt: skip
    name = path.removeprefix("internal://").replace("\\", "/")
    if not name or name.startswith("/") or ".." in name.split("/"):
        raise Refused(f"{what} refers to an unsafe path ({path[:80]})")
    return f"sources/{name}"


def _refs(node: Node) -> list[str]:
    return [key for ref in children(node, "NoteRef") if (key := guid(ref, "targetGUID"))]


def _grandchildren(root: Node, outer: str, inner: str) -> list[Node]:
    return [node for parent in children(root, outer) for node in children(parent, inner)]


def _unique(key: str | None, seen: dict[str, Any] | set[str]) -> str:
    assert key is not None
    if key in seen:
        raise Refused(f"the GUID {key} is used twice")
    return key


def check_references(root: Node, project: RefiProject) -> None:
    """Every user, code and note a reference names is in the file."""
    for node in root.iter():
        tag: object = node.tag
        if not isinstance(tag, str):  # a processing instruction
            continue
        name = local(node.tag)
        for attribute in USER_ATTRIBUTES:
            user = guid(node, attribute, required=False)
            if user is not None and user not in project.users:
                raise Refused(f"a {name} names the user {user}, who is not in Users")
        if name in CODE_REFERENCES and guid(node, "targetGUID") not in project.codes:
            raise Refused(f"a {name} names the code {node.get('targetGUID')}, which is not in "
                          "the codebook")  # fmt: skip
        if name in NOTE_REFERENCES and guid(node, "targetGUID") not in project.notes:
            raise Refused(f"a {name} names the note {node.get('targetGUID')}, which is not in "
                          "Notes")  # fmt: skip


def _check_entries(package: Package, project: RefiProject) -> None:
    """Every source's text is in the package, and the package holds no source nothing
    refers to."""
    for source in project.sources:
        if source.entry is not None:
            project.entries.add(source.entry)
    for entry in sorted(project.entries):
        if entry not in package.entries:
            raise Refused(f"{entry} is missing from the package")
    extra = sorted(e for e in package.entries if e.startswith("sources/") and
                   e not in project.entries)  # fmt: skip
    if extra:
        raise Refused(f"{extra[0]} is in the package but no source refers to it")


def _load(
    package: Package, project: RefiProject, progress: Progress | None, cancel: CancelFlag | None
) -> None:
    """Each source's text (and each note's from a file), its selections checked against it
    and moved with its line ends."""
    for done, source in enumerate(project.sources):
        if cancel is not None and cancel.is_set():
            raise ImportCancelled("the import was cancelled; nothing was imported")
        if progress is not None:
            progress(done, len(project.sources), "reading sources")
        raw = package.read(source.entry) if source.entry else (source.inline or "").encode()
        source.raw_sha256 = hashlib.sha256(raw).hexdigest()
        original = _decode(raw, source.entry or f"the text of source “{source.name}”")
        source.text, moved = _normalised(original)
        for sel in source.selections:
            if not sel.start <= sel.end <= len(original):
                raise Refused(f"a selection of source “{source.name}” at [{sel.start}, "
                              f"{sel.end}) is outside its {len(original):,} "
                              "characters")  # fmt: skip
            sel.start, sel.end = moved(sel.start), moved(sel.end)
    for note in project.notes.values():
        if note.entry is not None:
            note.text = _normalised(_decode(package.read(note.entry), note.entry))[0]


def _decode(raw: bytes, what: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"{what} is not UTF-8 text (byte {exc.start:,})") from None
    return text.removeprefix("\ufeff")


def _normalised(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with LF line ends, and the function that moves a position of ``text`` to
    the same character of the result."""
    if "\r" not in text:
        return text, lambda position: position
    dropped = [i for i, char in enumerate(text) if char == "\r" and text[i + 1 : i + 2] == "\n"]
    result = text.replace("\r\n", "\n").replace("\r", "\n")
    return result, lambda position: position - bisect_left(dropped, position)
