"""Code points and UTF-16 positions agree around emoji and flags."""

from __future__ import annotations

from ui.text_offsets import OffsetMap


def test_round_trip_with_astral_characters() -> None:
    text = "a🙂b🇺🇦c — «д»"
    offsets = OffsetMap(text)
    utf16 = text.encode("utf-16-le")
    for cp in range(len(text) + 1):
        u16 = offsets.to_utf16(cp)
        assert len(text[:cp].encode("utf-16-le")) // 2 == u16
        assert offsets.to_codepoint(u16) == cp
    assert offsets.to_codepoint(2) == 1  # the low surrogate of 🙂 rounds down to its start
    assert len(utf16) // 2 == offsets.to_utf16(len(text))


def test_plain_bmp_text_is_identity() -> None:
    offsets = OffsetMap("Kharkiv region, «Я не хотел»")
    assert [offsets.to_utf16(i) for i in range(5)] == list(range(5))
