"""Fixtures of the core tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from workbench.extraction.nlp import load_pipeline
from workbench.importers import ImportLimits, ImportRefused, extract


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pipeline extraction runs (without the dependency parser), loaded once: tests of
    the finders see exactly what the application sees."""
    return load_pipeline()


def refusal(data: bytes, filename: str, limits: ImportLimits | None = None) -> str:
    """The one-line message of the refusal that importing ``data`` as ``filename`` must raise."""
    with pytest.raises(ImportRefused) as caught:
        extract(data, filename, limits or ImportLimits())
    message = str(caught.value)
    assert "\n" not in message
    return message
