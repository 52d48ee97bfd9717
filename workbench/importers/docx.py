"""Word documents (.docx): body paragraphs and tables in document order, via python-docx.

Paragraphs are separated by a blank line ("\n\n"), so each stays distinct; empty paragraphs
are skipped. A table is one line per row with its cells joined by " | " (a cell's own
paragraphs and line breaks become spaces). A line break inside a paragraph is "\n" and a tab
is "\t". Deleted tracked changes, field codes, text boxes, headers, footers, footnotes and
comments are left out. The zip is checked for bombs before anything is decompressed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE

from workbench.importers._common import format_mb
from workbench.importers.base import ExtractedText, ImportLimits, ImportRefused

_INVALID = "not a valid DOCX file (damaged or not a Word document)"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Members smaller than this are never called bombs, whatever their compression ratio.
_MIN_SUSPICIOUS_MEMBER = 1024 * 1024
# Wrappers whose children belong to the enclosing block, row or cell.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"})
# Subtrees of a paragraph that hold no visible text (or text shown elsewhere).
_SKIPPED = frozenset(
    {f"{_W}{name}" for name in ("pPr", "rPr", "del", "moveFrom", "instrText", "txbxContent")}
    | {_MC_FALLBACK}
)
_INLINE = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
# The author python-docx's own template carries: a tool, not a person.
_TEMPLATE_AUTHOR = "python-docx"


def extract_docx(data: bytes, limits: ImportLimits) -> ExtractedText:
    """Extract the body text of a DOCX and the title and author from its core properties."""
    _refuse_zip_bomb(data, limits)
    try:
        document = Document(io.BytesIO(data))
        text = "\n\n".join(_blocks(document.element.body))
        title, author = _core_title_author(document)
    except MemoryError:
        raise
    except Exception as exc:  # a crafted file can make python-docx raise anything
        raise ImportRefused(_INVALID) from exc
    if not text.strip():
        raise ImportRefused("the document contains no text")
    return ExtractedText(text=text, format="docx", title=title, author=author)


def _refuse_zip_bomb(data: bytes, limits: ImportLimits) -> None:
    """Refuse an archive whose declared sizes or compression ratios are out of bounds.

    zipfile never yields more than a member's declared size, so checking the declared sizes
    bounds what python-docx can decompress.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except MemoryError:
        raise
    except Exception as exc:  # BadZipFile, NotImplementedError (version), struct and OS errors
        raise ImportRefused(_INVALID) from exc
    total = sum(member.file_size for member in members)
    too_compressed = any(
        member.file_size >= _MIN_SUSPICIOUS_MEMBER
        and member.file_size > limits.max_compression_ratio * max(member.compress_size, 1)
        for member in members
    )
    if total > limits.max_unpacked_bytes or too_compressed:
        raise ImportRefused(
            f"refused: the DOCX would expand to {format_mb(total)} MB (possible zip bomb)"
        )


def _blocks(parent: Any) -> Iterator[str]:
    """The non-empty paragraphs and tables among ``parent``'s children, in document order."""
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            text = _tidy(_inline_text(child))
            if text.strip():
                yield text
        elif child.tag == f"{_W}tbl":
            rows = [row for row in map(_row_text, _children(child, f"{_W}tr")) if row]
            if rows:
                yield "\n".join(rows)
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Children of ``parent`` named ``tag``, also those inside content controls."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _row_text(row: Any) -> str:
    """One table row as one line, cells joined by " | "; empty when every cell is empty."""
    cells = [" ".join(" ".join(_blocks(cell)).split()) for cell in _children(row, f"{_W}tc")]
    return " | ".join(cells) if any(cells) else ""


def _inline_text(element: Any) -> str:
    """The visible text of a paragraph: runs, hyperlinks, insertions, tabs and line breaks."""
    parts: list[str] = []
    stack = [iter(element.iterchildren())]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == f"{_W}t":
            parts.append(child.text or "")
        elif child.tag in _INLINE:
            parts.append(_INLINE[child.tag])
        elif child.tag not in _SKIPPED:
            stack.append(iter(child.iterchildren()))
    return "".join(parts)


def _tidy(text: str) -> str:
    """Drop trailing whitespace at the end of each line of a paragraph."""
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")


def _core_title_author(document: Any) -> tuple[str | None, str | None]:
    """Title and author from the core properties, when the package has that part."""
    package = document.part.package
    if not any(rel.reltype == RELATIONSHIP_TYPE.CORE_PROPERTIES for rel in package.rels.values()):
        return None, None  # python-docx would invent a default part titled "Word Document"
    properties = document.core_properties
    title = " ".join((properties.title or "").split()) or None
    author = " ".join((properties.author or "").split()) or None
    return title, None if author == _TEMPLATE_AUTHOR else author
