"""OffsetMap: code points (the core's offsets) to Qt's UTF-16 positions and back."""

from __future__ import annotations

from bisect import bisect_left


class OffsetMap:
    """Converts offsets for one text; only characters outside the BMP differ (2 UTF-16 units)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral16 = [cp + n for n, cp in enumerate(self._astral)]

    def to_utf16(self, codepoint: int) -> int:
        """Qt position of a code-point offset."""
        return codepoint + bisect_left(self._astral, codepoint)

    def to_codepoint(self, utf16: int) -> int:
        """Code-point offset of a Qt position (inside a surrogate pair: the character's start)."""
        return utf16 - bisect_left(self._astral16, utf16)
