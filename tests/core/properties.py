"""Shared pieces of the property tests: example budgets and damage done to valid files."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# The profile `explore` (tests/conftest.py) searches with ten times the examples.
_SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else 1

# Bytes that mean something to one format or another, inserted where damage is done.
_MEANINGFUL = [
    b"\x00", b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\r", b"\n", b"\r\n", b"\t", b"\x0c", b"\x1b[31m", "\u202e".encode(), "🙂".encode(),
    b"<", b">", b"&", b"&#0;", b"&#xD800;", b"&#x110000;", b"&nbsp;", b"<![CDATA[", b"]]>",
    b"<!--", b"-->", b"<p>", b"</p>", b"<br>", b"<table><tr><td>", b"<pre>", b"<script>",
    b'<meta charset="utf-16">', b'<meta charset="x">', b"<?xml version='1.0'?>",
    b'<!DOCTYPE x [<!ENTITY e "ee">]>', b"&e;", b"<w:t>", b"</w:t>", b"<w:p>", b"<w:tab/>",
    b"%PDF-1.7", b"%%EOF", b"obj", b"endobj", b"stream", b"endstream", b"/Encrypt", b"xref",
    b"trailer", b"<<", b">>", b"(", b")", b"\\", b"BT", b"ET", b"Tj", b"/Length 99999999",
    b"PK\x03\x04", b"9999999999", b"-1", b"\"", b"'",
]  # fmt: skip


# Kinds of damage, the ones that leave most of a file as it was more often.
_KINDS = st.sampled_from(
    ["flip"] * 3 + ["set"] * 3 + ["insert"] * 3 + ["remove", "repeat"] * 2 + ["cut"]
)
_ANYWHERE = st.randoms(use_true_random=False)


def budget(count: int) -> settings:
    """Settings of a property that tries ``count`` examples (ten times as many when exploring);
    one project or reader serves them all, so slow examples are no failure."""
    return settings(
        max_examples=count * _SCALE,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@st.composite
def damaged(draw: st.DrawFn, original: bytes, most: int = 8) -> bytes:
    """``original`` with a few bytes flipped, overwritten, inserted, removed or repeated, or
    cut short: damage as disks, transfers and crafted files do it."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, most))):
        # anywhere in the file (the integers alone favour its first bytes, a header)
        if draw(st.booleans()):
            at = draw(_ANYWHERE).randint(0, len(data))
        else:
            at = draw(st.integers(0, len(data)))
        kind = draw(_KINDS)
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(_MEANINGFUL) | st.binary(min_size=1, max_size=8))
        elif kind == "remove":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(1, 4))
        elif kind == "cut":
            del data[at:]
    return bytes(data)
