"""People, places and organisations in Russian text, from Natasha's news models.

Natasha (``natasha`` on PyPI) ships its embeddings and its NER, morphology and syntax models
inside the wheel (``natasha/data``): nothing is downloaded, ever. Its NER tags PER, LOC and
ORG; each name is then put in its dictionary form with Natasha's own normaliser (morphology
and, for organisations, syntax): "Владимира Путина" is "Владимир Путин", "Украине" is
"Украина". The models load once per process, on the first Russian document (about a second,
some 90 MB).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.extraction.entities import EntityMention

KINDS = {"PER": "person", "LOC": "place", "ORG": "organization"}
CONFIDENCE = {"person": 0.75, "place": 0.75, "organization": 0.65}
LANGUAGES = frozenset({"ru"})

_lock = threading.Lock()
_models: _Models | None = None


@dataclass(frozen=True)
class _Models:
    segmenter: Any
    vocabulary: Any
    morphology: Any
    syntax: Any
    ner: Any


def _load() -> _Models:
    """Natasha's models, loaded on first use."""
    global _models  # noqa: PLW0603 - one set of models per process, guarded by a lock
    with _lock:
        if _models is None:
            # heavy imports, only when a Russian document is read
            from natasha import (  # noqa: PLC0415
                MorphVocab,
                NewsEmbedding,
                NewsMorphTagger,
                NewsNERTagger,
                NewsSyntaxParser,
                Segmenter,
            )

            embedding = NewsEmbedding()
            _models = _Models(
                Segmenter(), MorphVocab(), NewsMorphTagger(embedding),
                NewsSyntaxParser(embedding), NewsNERTagger(embedding),
            )  # fmt: skip
        return _models


@dataclass
class RussianParse:
    """Sentences and name mentions of one Russian text, offsets into the whole text."""

    sentences: list[tuple[int, int]]
    mentions: list[EntityMention]


def parse_russian(pieces: Iterable[tuple[int, str]]) -> RussianParse:
    """Sentences and mentions of a text given as (offset, piece) chunks."""
    from natasha import Doc  # noqa: PLC0415 - loaded with the models

    models = _load()
    result = RussianParse([], [])
    for offset, piece in pieces:
        doc = Doc(piece)
        doc.segment(models.segmenter)
        doc.tag_morph(models.morphology)
        doc.parse_syntax(models.syntax)
        doc.tag_ner(models.ner)
        result.sentences += [(s.start + offset, s.stop + offset) for s in doc.sents]
        for span in doc.spans:
            kind = KINDS.get(span.type)
            if kind is None:
                continue
            span.normalize(models.vocabulary)
            normal = span.normal if span.normal and span.normal != span.text else None
            result.mentions.append(EntityMention(
                span.start + offset, span.stop + offset, span.text, kind, "model",
                CONFIDENCE[kind], normal=normal,
            ))  # fmt: skip
    return result
