"""The stand-ins for spaCy's attribute ruler and lemmatiser give every token the attributes
and lemma the model's own components give."""

from __future__ import annotations

from typing import Any

import spacy

from tests.conftest import TESTIMONY
from workbench.extraction.attributes import FastAttributes, FastLemmas, use_stand_ins
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


def _stand_ins(nlp: Any) -> set[type]:
    return {type(pipe) for _, pipe in nlp.pipeline} & {FastAttributes, FastLemmas}


def test_the_stand_ins_set_what_the_model_sets() -> None:
    ruled, fast = _model(), _model()
    use_stand_ins(fast)
    assert _stand_ins(fast) == {FastAttributes, FastLemmas} and not _stand_ins(ruled)
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    assert _attributes(fast, texts) == _attributes(ruled, texts)


def test_extraction_uses_the_stand_ins() -> None:
    assert _stand_ins(load_pipeline()) == {FastAttributes, FastLemmas}
