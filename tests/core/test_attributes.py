"""The stand-in for spaCy's attribute ruler gives every token the attributes the ruler gives."""

from __future__ import annotations

from typing import Any

import spacy

from tests.conftest import TESTIMONY
from workbench.extraction.attributes import FastAttributes, replace_attribute_ruler
from workbench.extraction.nlp import EXCLUDED, MODEL, load_pipeline
from workbench.paths import SAMPLE_DIR

TEXTS = [
    TESTIMONY,
    "I ain't gonna do it, y'all. Let's go! C'mon, we gotta leave.\n\n  \t Nothin' doing.",
    "He is not there; it's his. They're sure I'm right, but he ca n't say if that's so.",
    "   \n\n\n",
    "Ivan Petrov of the 47th Tank Division said more than 30 men deserted on May 4, 2024.",
]


def _model() -> Any:
    nlp = spacy.load(MODEL, exclude=EXCLUDED)
    nlp.enable_pipe("senter")
    return nlp


def _attributes(nlp: Any, texts: list[str]) -> list[tuple[str, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_)
        for doc in nlp.pipe(texts)
        for t in doc
    ]


def test_the_stand_in_sets_what_the_ruler_sets() -> None:
    ruled, fast = _model(), _model()
    replace_attribute_ruler(fast)
    assert any(isinstance(pipe, FastAttributes) for _, pipe in fast.pipeline)
    assert not any(isinstance(pipe, FastAttributes) for _, pipe in ruled.pipeline)
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    assert _attributes(fast, texts) == _attributes(ruled, texts)


def test_extraction_uses_the_stand_in() -> None:
    assert any(isinstance(pipe, FastAttributes) for _, pipe in load_pipeline().pipeline)
