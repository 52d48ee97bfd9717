"""printable(): untrusted text shown on a terminal with unsafe characters as escapes."""

from __future__ import annotations

import pytest

from workbench.text_safety import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("line\nforged\r", "line\\nforged\\r"),
        ("col\tcol", "col\\tcol"),
        ("nul\x00 del\x7f csi\x9b nel\x85", "nul\\x00 del\\x7f csi\\x9b nel\\x85"),
        ("txt.\u202eexe", "txt.\\u202eexe"),
        ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
        ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
        ("para\u2028line\u2029", "para\\u2028line\\u2029"),
        ("undecodable \udcff byte", "undecodable \\udcff byte"),
    ],
)
def test_unsafe_characters_become_visible_escapes(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_ordinary_text_is_unchanged() -> None:
    text = "“Я не хотел воевать” 🙂🇺🇦 e\u0301 C:\\Users\\a.txt \u00a0 \u200d \u05e9\u05dc\u05dd"
    assert printable(text) == text
