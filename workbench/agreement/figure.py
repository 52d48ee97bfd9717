"""A measure's value, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A number, or None with the reason it cannot be given (one annotator, no passages, a
    kappa whose expected agreement is 1)."""

    value: float | None
    reason: str = ""

    @classmethod
    def missing(cls, reason: str) -> Figure:
        """No figure, for ``reason``."""
        return cls(None, reason)

    def text(self, digits: int = 3) -> str:
        """The value rounded for reading, or "n/a"."""
        return "n/a" if self.value is None else f"{self.value:.{digits}f}"
