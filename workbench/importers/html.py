"""Web pages: the article's readable text and metadata, via trafilatura, never the network.

Only the given bytes are parsed (no URL is ever passed, no fetch function is called).
Paragraphs are separated by a blank line; a table row is one line with cells joined by " | ".
When trafilatura finds no main text (a page too short or odd for it), or only boilerplate
(none of its lines occur in the page once boilerplate is removed), the whole <body> is rendered
instead, without scripts, styles, navigation, the page's header and footer, asides and forms.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from workbench.importers.base import ExtractedText, ImportLimits, ImportRefused
from workbench.importers.html_encoding import decode_html, has_unicode_bom

_NO_TEXT = "no readable text found in the HTML"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Only the page's own metadata (meta tags, <time>, JSON-LD) dates it, never a date in the text.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Sentinels the renderer emits; _NOT_XML removed them from the markup.
_PARAGRAPH, _LINE, _CELL = "\x00", "\x01", "\x02"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Replacement characters and C1 controls: what binary data decodes to.
_GARBAGE = re.compile("[\ufffd\x7f-\x9f]")


class _Layout:
    """Which element names start a paragraph, a line or a table cell, for one tree dialect."""

    def __init__(self, paragraphs: set[str], lines: set[str], cells: set[str]) -> None:
        self.paragraphs, self.lines, self.cells = paragraphs, lines, cells


# The XML trafilatura returns as the article body.
_TRAFILATURA = _Layout(
    paragraphs={"head", "p", "quote", "list", "table", "code", "div", "graphic"},
    lines={"item", "row", "lb"},
    cells={"cell"},
)
# Plain HTML, for the fallback.
# fmt: off
_HTML = _Layout(
    paragraphs={
        "address", "article", "blockquote", "center", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "main",
        "ol", "p", "pre", "section", "summary", "table", "ul",
    },
    lines={"li", "tr", "br", "caption"},
    cells={"td", "th"},
)
_DROPPED_HTML = (
    "script", "style", "nav", "aside", "form", "noscript", "template",
    "iframe", "object", "embed", "svg", "canvas", "button", "select", "head", "title",
)
# fmt: on
# The page's own header and footer; an article's header holds its headline, so it stays.
_PAGE_HEADERS_AND_FOOTERS = (
    "//header[not(ancestor::article or ancestor::main)]"
    " | //footer[not(ancestor::article or ancestor::main)]"
)


def extract_html(data: bytes, limits: ImportLimits) -> ExtractedText:
    """Extract the main text of a web page with its title, author, date, URL and outlet."""
    del limits  # the caller bounds the size; nothing here decompresses
    if b"\x00" in data[:8192] and not has_unicode_bom(data):
        raise ImportRefused(_NO_TEXT)
    markup, encoding, notes = decode_html(data)
    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses str with one
    markup = _NOT_XML.sub("", markup.replace("\f", " "))  # nor will it hold these in a tree
    tree = load_html(markup)
    fallback_tree = _parse_leniently(markup)
    language = next(filter(None, map(_declared_language, (tree, fallback_tree))), None)
    document = _trafilatura(tree) if tree is not None else None
    text = _render(document.body, _TRAFILATURA) if document is not None else ""
    fallback = _fallback_text(fallback_tree) if fallback_tree is not None else ""
    if fallback_tree is not None and not _shares_a_line(text, fallback):
        # trafilatura found nothing, or only boilerplate (a menu, a header): use the body.
        text = fallback
        if document is None and fallback_tree is not None:
            document = extract_metadata(_parse_leniently(markup), date_config=_DATE_PARAMS)
    if not text or len(_GARBAGE.findall(text)) > 0.05 * len(text):
        raise ImportRefused(_NO_TEXT)
    return ExtractedText(
        text=text,
        format="html",
        title=_clean(getattr(document, "title", None)),
        author=_clean(getattr(document, "author", None)),
        published=_iso_date(getattr(document, "date", None)),
        source=_web_url(getattr(document, "url", None)),
        outlet=_clean(getattr(document, "sitename", None)),
        language=language,
        encoding=encoding,
        notes=notes,
    )


def _trafilatura(tree: Any) -> Any:
    """trafilatura's article body and metadata, or None when it finds no main text."""
    document: Any = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        date_extraction_params=_DATE_PARAMS,
    )
    return document if document is not None and document.body is not None else None


def _shares_a_line(text: str, fallback: str) -> bool:
    """True when a line of ``text`` also occurs in ``fallback`` (which has no boilerplate)."""
    haystack = " ".join(fallback.split())
    return any(line.strip() and " ".join(line.split()) in haystack for line in text.split("\n"))


def _parse_leniently(markup: str) -> Any:
    """A fresh lxml tree of the page, also for fragments that trafilatura will not load."""
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def _declared_language(tree: Any) -> str | None:
    """The primary subtag of ``<html lang>`` (or ``xml:lang``), lowercased, e.g. "en"."""
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    declared = root.get("lang") or root.get("xml:lang") or root.get(_XML_LANG) or ""
    primary = re.split(r"[-_]", declared.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _fallback_text(root: Any) -> str:
    """The text of the page's <body> without boilerplate elements, paragraph by paragraph."""
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(root, *_DROPPED_HTML, with_tail=False)
    for element in root.xpath(_PAGE_HEADERS_AND_FOOTERS):
        element.drop_tree()  # keeps the tail text
    body = root.find("body")
    return _render(root if body is None else body, _HTML)


def _render(root: Any, layout: _Layout) -> str:
    """Render a tree to text: blank lines between paragraphs, " | " between table cells."""
    out: list[str] = []
    in_pre = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            in_pre += tag == "pre"
            if tag in layout.paragraphs:
                out.append(_PARAGRAPH)
            elif tag in layout.lines:
                out.append(_LINE)
            elif tag in layout.cells and element.getprevious() is not None:
                out.append(_CELL)
            out.append(_pre_text(element.text, in_pre))
        else:
            if tag in layout.paragraphs:
                out.append(_PARAGRAPH)
            elif tag in layout.lines:
                out.append(_LINE)
            in_pre -= tag == "pre"
            if element is not root:
                out.append(_pre_text(element.tail, in_pre))
    return _assemble("".join(out))


def _pre_text(text: str | None, in_pre: int) -> str:
    """Text as it will be collapsed, except that inside <pre> its line breaks are kept."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\n", _LINE) if in_pre else text


def _assemble(raw: str) -> str:
    """Collapse HTML whitespace, then join lines and paragraphs; no line has trailing space."""
    blocks: list[str] = []
    for block in _HTML_SPACE.sub(" ", raw).split(_PARAGRAPH):
        lines: list[str] = []
        for line in block.split(_LINE):
            cells = [cell.strip() for cell in line.split(_CELL)]
            if any(cells):
                lines.append(" | ".join(cells).strip())
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _clean(value: object) -> str | None:
    """A metadata string with its whitespace collapsed, or None when it is empty."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _iso_date(value: object) -> str | None:
    """A ``YYYY-MM-DD`` date, or None for anything else."""
    return value if isinstance(value, str) and _ISO_DATE.fullmatch(value) else None


def _web_url(value: object) -> str | None:
    """An http(s) URL, or None (trafilatura may return a bare host or a relative path)."""
    if isinstance(value, str) and re.match(r"https?://\S+$", value.strip()):
        return value.strip()
    return None
