"""Untrusted text made safe to print on a terminal, without changing what is stored.

File names, titles and labels come from documents and their senders. Printed raw, an escape
sequence recolours or rewrites the terminal, a newline forges an extra output line, and a bidi
override reorders what the reader sees. ``printable`` shows such characters as escapes.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line and paragraph separators, bidi embeddings, overrides and
# isolates, and lone surrogates (undecodable bytes of a file name), which no terminal can show.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape (``\\x1b``, ``\\n``)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    """The escape for one unsafe character: ``\\n``, ``\\x1b`` or ``\\u202e``."""
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
