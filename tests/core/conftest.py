"""Fixtures of the core tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from workbench.extraction.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pipeline extraction runs (without the dependency parser), loaded once: tests of
    the finders see exactly what the application sees."""
    return load_pipeline()
