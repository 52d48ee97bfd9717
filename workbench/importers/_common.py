"""Small helpers shared by the importers."""

from __future__ import annotations

_MB = 1024 * 1024


def format_mb(size: int) -> str:
    """Megabytes (MiB) with as few decimals as keep small numbers readable: 200, 1.5, 0.001."""
    value = size / _MB
    if value >= 1 and value.is_integer():
        return str(int(value))
    return f"{value:.1f}" if value >= 0.1 else f"{value:.4f}".rstrip("0")
