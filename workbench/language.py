"""Guessing a document's language offline, from a model shipped inside py3langid."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 4000
MIN_LETTERS = 40


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The language identifier, loaded once on first use (it takes a moment)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # noqa: PLC0415

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(1 for ch in sample if unicodedata.category(ch).startswith("L"))
    if letters < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= 0.5 else None
