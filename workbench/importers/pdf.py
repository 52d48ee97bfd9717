"""PDF files: the text layer in reading order, via pdfminer.six layout analysis.

Pages are separated by a blank line ("\n\n"), as are pdfminer's text boxes (paragraphs or
columns); lines inside a box end with "\n". Trailing spaces at line ends and control
characters are dropped; words and characters are kept as pdfminer maps them (no Unicode
normalisation, no de-hyphenation). A crafted file is refused, never a traceback. The importer
runs this in a worker process (``isolated.py``) that bounds its memory and time.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTContainer, LTText, LTTextBox
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from workbench.importers.base import ExtractedText, ImportLimits, ImportRefused

_PROTECTED = "the PDF is password-protected; remove the password and import again"
_DAMAGED = "the PDF is damaged and cannot be read"
_NO_TEXT = "the PDF has no text layer (scanned images?); run OCR on it first"
_NO_UNICODE = "the PDF's text cannot be decoded (its fonts lack a Unicode map); run OCR on it first"
# Acrobat accepts a header anywhere in the first kilobyte; the end marker must be near the end.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 2048
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_CID = re.compile(r"\(cid:\d+\)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n{3,}")
_ENCRYPT = re.compile(rb"/Encrypt[\s/<\d]")


def extract_pdf(data: bytes, limits: ImportLimits) -> ExtractedText:
    """Extract the text of every page, and the title and author from the info dictionary."""
    del limits  # the caller bounds the size; pdfminer reads from memory
    if data.find(b"%PDF-", 0, _HEADER_WINDOW) < 0:
        raise ImportRefused("not a PDF file")
    if b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise ImportRefused("the PDF is truncated or damaged")
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        pages = _page_texts(document)
        info = _info(document)
    except MemoryError:  # the worker process reports it as such, not as a damaged file
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportRefused(_PROTECTED) from exc
    except Exception as exc:  # pdfminer raises anything on crafted input
        raise ImportRefused(_PROTECTED if _ENCRYPT.search(data) else _DAMAGED) from exc
    if not pages:  # a page tree that leads nowhere: pdfminer found no page objects
        raise ImportRefused(_DAMAGED)
    # A font's map may name half of a UTF-16 pair (an Identity map of the code <D800>):
    # no character, and text that cannot be stored; it is shown as U+FFFD.
    text, halves = _SURROGATE.subn("\ufffd", "\n\n".join(page for page in pages if page))
    undecoded = len(_CID.findall(text))
    if not text.strip():
        raise ImportRefused(_NO_TEXT)
    if not _CID.sub("", text).strip():
        raise ImportRefused(_NO_UNICODE)
    notes: tuple[str, ...] = ()
    if undecoded:
        notes = (f"{undecoded} characters could not be decoded and appear as (cid:N)",)
    if halves:
        notes += (f"{halves} invalid characters (lone UTF-16 surrogates) appear as \ufffd",)
    return ExtractedText(
        text=text,
        format="pdf",
        title=_info_text(info, "Title"),
        author=_info_text(info, "Author"),
        notes=notes,
    )


def _page_texts(document: Any) -> list[str]:
    """The tidied text of each page, in page order."""
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    texts: list[str] = []
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        parts: list[str] = []
        _render(device.get_result(), parts)
        texts.append(_tidy_page("".join(parts)))
    return texts


def _render(item: Any, parts: list[str]) -> None:
    """Text of a layout item the way pdfminer's TextConverter writes it: a newline after a box."""
    if isinstance(item, LTContainer):
        for child in item:
            _render(child, parts)
    elif isinstance(item, LTText):
        parts.append(item.get_text())
    if isinstance(item, LTTextBox):
        parts.append("\n")


def _tidy_page(text: str) -> str:
    """Drop control characters and trailing spaces; at most one blank line in a row."""
    lines = (line.rstrip() for line in _CONTROL.sub("", text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _info(document: Any) -> dict[str, Any]:
    """The document information dictionary (the newest one when there are several)."""
    for entry in document.info:
        resolved = resolve1(entry)
        if isinstance(resolved, dict):
            return resolved
    return {}


def _info_text(info: dict[str, Any], key: str) -> str | None:
    """A text entry of the info dictionary, decoded, with whitespace collapsed; None if empty."""
    value = resolve1(info.get(key))
    if isinstance(value, bytes):
        value = _decode_pdf_string(value)
    if not isinstance(value, str):
        return None
    return " ".join(_CONTROL.sub("", value).split()) or None


def _decode_pdf_string(raw: bytes) -> str | None:
    """Decode a PDF text string: UTF-16 or UTF-8 with a byte-order mark, else PDFDocEncoding."""
    for bom, encoding in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return str(decode_text(raw))
