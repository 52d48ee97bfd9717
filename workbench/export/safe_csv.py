"""Cells as safe text: formula neutralisation and one text form for every value."""

from __future__ import annotations

from datetime import date, datetime

from workbench.export.model import Cell

# What a spreadsheet may run as a formula when a cell starts with it (OWASP ASVS 5.0, 1.2.10):
# a NUL too, which some skip before the "=" behind it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise(value: str) -> str:
    """Defuse text a spreadsheet would run as a formula by prefixing an apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def cell_text(value: Cell, *, safe: bool) -> str:
    """A cell as text: ISO 8601 UTC for times, empty for None, neutralised strings."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value) if safe else value
    return str(value)
