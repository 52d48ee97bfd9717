"""Plain text and Markdown: the text is kept exactly, so offsets match the source file.

Only CRLF and lone CR become LF and a leading UTF-8 BOM is dropped; nothing is stripped,
normalised or expanded. Bytes are never decoded with ``errors="replace"``: text that cannot be
decoded exactly is refused.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from workbench.importers.base import ExtractedText, ImportLimits, ImportRefused

# UTF-32 BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)

# A well-formed multi-byte UTF-8 sequence (RFC 3629), or else any single non-ASCII byte.
_UTF8_SEQUENCE_OR_HIGH_BYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
    rb"|[\x80-\xff]"
)
# How much of a file the damaged-UTF-8 test looks at; the first megabyte tells enough.
_SAMPLE_BYTES = 1024 * 1024
# Control characters that do not belong in text (tab, LF, CR and form feed do).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05
# Among equally plausible legacy encodings, the most widely used wins.
_PREFERRED_LEGACY = ("cp1252", "cp1251", "cp1250", "koi8_r", "koi8_u", "cp866", "iso8859_15")
_UNICODE_CODECS = frozenset({"ascii", "utf_8", "utf_16", "utf_16_le", "utf_16_be", "utf_32"})

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r" {0,3}#[ \t]+(.*?)[ \t]*")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")


def extract_txt(data: bytes, limits: ImportLimits) -> ExtractedText:
    """A ``.txt`` file: its exact text; the title is left to the caller (the file name)."""
    del limits  # plain text needs no limits beyond the size the caller checked
    text, encoding, notes = decode_text(data)
    return ExtractedText(text=text, format="txt", encoding=encoding, notes=notes)


def extract_markdown(data: bytes, limits: ImportLimits) -> ExtractedText:
    """A Markdown file stored as its exact source; the title is its first ``# heading``."""
    del limits
    text, encoding, notes = decode_text(data)
    return ExtractedText(
        text=text, format="md", title=markdown_title(text), encoding=encoding, notes=notes
    )


def decode_text(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode exactly, normalise line endings; return the text, the encoding and any notes."""
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            text = _decode_strict(data[len(bom) :], encoding, offset=len(bom))
            notes: tuple[str, ...] = (f"decoded as {encoding} (not UTF-8)",)
            break
    else:
        if b"\x00" in data:
            raise ImportRefused("binary data, not text")
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
            encoding, notes = "utf-8", ()
        except UnicodeDecodeError as exc:
            offset = len(data) - len(body)
            if offset or looks_like_damaged_utf8(body):  # a UTF-8 BOM declares UTF-8
                raise damaged_utf8(exc.start + offset) from None
            text, encoding = decode_legacy(data)
            notes = (f"decoded as {encoding} (not UTF-8)",)
    _refuse_binary(text)
    if not text.strip():
        raise ImportRefused("the file contains no text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, notes


def markdown_title(text: str) -> str | None:
    """The text of the first level-1 ATX heading outside fenced code, or None."""
    fence: str | None = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        heading = _ATX_H1.fullmatch(line)
        if heading:
            title = _CLOSING_HASHES.sub("", heading.group(1)).strip()
            if title:
                return title
    return None


def _decode_strict(data: bytes, encoding: str, offset: int) -> str:
    """Decode with a Unicode codec, refusing (with the byte position) on the first error."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"invalid {encoding} data at byte {exc.start + offset}") from None


def damaged_utf8(position: int) -> ImportRefused:
    """The refusal for bytes meant as UTF-8 that hold an invalid sequence at ``position``."""
    return ImportRefused(f"invalid UTF-8 at byte {position} (the file looks like damaged UTF-8)")


def looks_like_damaged_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences: damaged UTF-8, not legacy.

    Legacy single-byte text can hold a few accidental UTF-8 sequences (in cp1251 a capital
    letter before Ukrainian i, yo or "»" is one), so one is not enough: four in five must be.
    """
    valid = invalid = 0
    for match in _UTF8_SEQUENCE_OR_HIGH_BYTE.finditer(data, 0, _SAMPLE_BYTES):
        if match.end() - match.start() > 1:
            valid += 1
        else:
            invalid += 1
    return valid > 0 and valid >= 4 * invalid


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Detect a legacy 8-bit or CJK encoding with charset-normalizer and decode strictly."""
    matches = [m for m in from_bytes(data) if m.encoding not in _UNICODE_CODECS]
    if matches:
        best = matches[0]
        tied = [
            m
            for m in matches
            if m.chaos <= best.chaos + 1e-9 and m.coherence >= best.coherence - 1e-9
        ]
        ranked = sorted(tied, key=lambda m: _preference(m.encoding))
        ranked += [m for m in matches if all(m is not t for t in tied)]
        for match in ranked:
            try:
                return data.decode(match.encoding), display_name(match.encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    raise ImportRefused(
        "cannot tell the text encoding (not UTF-8); save the file as UTF-8 and import again"
    )


def _preference(encoding: str) -> int:
    """Rank of an encoding in the preference list; unlisted ones come after, in any order."""
    if encoding in _PREFERRED_LEGACY:
        return _PREFERRED_LEGACY.index(encoding)
    return len(_PREFERRED_LEGACY)


def display_name(codec: str) -> str:
    """The usual (IANA) name of a Python codec: cp1251 -> windows-1251, koi8_r -> koi8-r."""
    name = codecs.lookup(codec).name
    if re.fullmatch(r"utf-(16|32)-[lb]e", name):
        return name[:6] + name[7:]  # utf-16-le -> utf-16le
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    if name == "latin-1":
        return "iso-8859-1"
    if name.startswith("iso8859-"):
        return "iso-8859-" + name.removeprefix("iso8859-")
    return name.replace("_", "-")


def _refuse_binary(text: str) -> None:
    """Refuse text with a high share of control characters: it is binary data."""
    controls = sum(1 for _ in _CONTROL.finditer(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise ImportRefused("binary data, not text")
