"""A passage in its context as one row of a list: the text as written, the passage in brackets."""

from __future__ import annotations

# Line and paragraph breaks (str.splitlines' set) and tabs, which a row would draw as a
# wide gap: each shows as one space. Every other character is as written.
_BREAKS = str.maketrans(dict.fromkeys("\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def context_line(before: str, passage: str, after: str, context: int) -> str:
    """``before[passage]after`` on one line, with an ellipsis where the context was cut
    (it is ``context`` characters long: the text went on)."""
    lead = "…" if len(before) >= context else ""
    tail = "…" if len(after) >= context else ""
    return f"{lead}{before}[{passage}]{after}{tail}".translate(_BREAKS)
