"""Decode a web page: byte-order mark, then UTF-8, then the declared charset, then detection.

A page meant as UTF-8 (a UTF-8 BOM, a declared utf-8 charset, or no declaration and mostly
valid UTF-8) that holds an invalid sequence is refused, as damaged plain text is. Unlike plain
text, a web page is not stored verbatim, so a few undecodable bytes in a page that declares
another charset are replaced with U+FFFD (and a note says how many) rather than refusing the
page or decoding all of it as mojibake in a guessed encoding.
"""

from __future__ import annotations

import codecs
import re

from workbench.importers.base import ImportRefused
from workbench.importers.plain import (
    damaged_utf8,
    decode_legacy,
    display_name,
    looks_like_damaged_utf8,
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 4096
# WHATWG: these labels mean windows-1252, and a UTF-16 label in an ASCII meta tag means UTF-8.
_WHATWG_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
# The encodings of the WHATWG Encoding Standard, as Python names them: what a browser decodes a
# page with. Any other label is ignored, as browsers ignore labels they do not know; Python
# knows codecs that are no text encoding of the web ("rot13", "zlib", "punycode", "idna",
# "unicode_escape", "undefined"), and decoding a page with one of them fails or, worse,
# succeeds. Sorted by group: Unicode, single-byte, then Chinese, Japanese and Korean.
# fmt: off
_WEB_CODECS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8",
        "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
        "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
        "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252",
        "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
        "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc-jp", "iso2022-jp", "shift-jis",
        "cp932", "euc-kr", "cp949",
    )
)
# fmt: on


def has_unicode_bom(data: bytes) -> bool:
    """True when the data starts with a UTF-8, UTF-16 or UTF-32 byte-order mark."""
    return any(data.startswith(bom) for bom, _ in _BOMS)


def decode_html(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """The page's text, the encoding used, and notes for the user."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return _decode_utf8(data[len(bom) :], offset=len(bom)), "utf-8", ()
            return _decode_lenient(data[len(bom) :], encoding)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        first_error = exc.start
    declared = _declared_charset(data[:_PRESCAN_BYTES])
    if declared == "utf-8" or (declared is None and looks_like_damaged_utf8(data)):
        raise damaged_utf8(first_error)
    if declared is not None:
        return _decode_lenient(data, declared)
    try:
        text, name = decode_legacy(data)
    except ImportRefused:
        return _decode_lenient(data, "utf-8")
    return text, name, (f"decoded as {name} (not UTF-8)",)


def _declared_charset(head: bytes) -> str | None:
    """The Python codec for the charset a <meta> tag declares, or None (none declared, or
    one that is no encoding of the web)."""
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    name = _WHATWG_ALIASES.get(name, name)
    return name if name in _WEB_CODECS else None


def _decode_utf8(data: bytes, offset: int) -> str:
    """Decode UTF-8 strictly, refusing damaged bytes with their position in the file."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise damaged_utf8(exc.start + offset) from None


def _decode_lenient(data: bytes, encoding: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode, replacing undecodable bytes with U+FFFD and saying how many there were."""
    name = display_name(encoding)
    try:
        return data.decode(encoding), name, ()
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    count = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    note = f"{count} undecodable bytes in this {name} page were replaced with \ufffd"
    return text, name, (note,)
