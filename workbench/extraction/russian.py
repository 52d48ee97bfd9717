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
from dataclasses import dataclass, replace
from typing import Any

from workbench.extraction.entities import EntityMention
from workbench.extraction.russian_names import Token, settle

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
    models = _load()
    result = RussianParse([], [])
    for offset, piece in pieces:
        doc = _doc(piece, models, ner=True)
        result.sentences += [(s.start + offset, s.stop + offset) for s in doc.sents]
        mentions = []
        for span in doc.spans:
            kind = KINDS.get(span.type)
            if kind is None:
                continue
            span.normalize(models.vocabulary)
            mention = EntityMention(span.start, span.stop, span.text, kind, "model",
                                    CONFIDENCE[kind], normal=_normal(span))  # fmt: skip
            if "\n" in span.text:  # the NER ran a byline into the next line's words
                first = span.text.split("\n", 1)[0].rstrip()
                mention = replace(mention, end=span.start + len(first), text=first, normal=None)
            if mention.text.strip():
                mentions.append(mention)
        settled = settle(piece, mentions, _tokens(doc, models), lemmatise, normals)
        result.mentions += [replace(m, start=m.start + offset, end=m.end + offset) for m in settled]
    return result


def _doc(text: str, models: _Models, *, ner: bool) -> Any:
    from natasha import Doc  # noqa: PLC0415 - loaded with the models

    doc = Doc(text)
    doc.segment(models.segmenter)
    doc.tag_morph(models.morphology)
    if ner:
        doc.parse_syntax(models.syntax)
        doc.tag_ner(models.ner)
    return doc


def _tokens(doc: Any, models: _Models) -> list[Token]:
    """The document's tokens with their dictionary forms and where sentences start."""
    starts = {s.start for s in doc.sents} if doc.sents else {0}
    tokens = []
    for token in doc.tokens:
        token.lemmatize(models.vocabulary)
        tokens.append(Token(token.start, token.stop, token.text, token.lemma or token.text.lower(),
                            token.start in starts))  # fmt: skip
    return tokens


def lemmatise(text: str) -> list[Token]:
    """The tokens of a short text with their dictionary forms."""
    models = _load()
    return _tokens(_doc(text, models, ner=False), models)


def normals(word: str) -> set[str]:
    """The dictionary forms a word can have ("окраина" for "Окраины")."""
    return {form.normal for form in _load().vocabulary(word)}


def _normal(span: Any) -> str | None:
    """The name's dictionary form: Natasha's, or for a one-word organisation its lemma
    ("Медиазону" is "Медиазона"; Natasha keeps an organisation's case as the text has it)."""
    normal = span.normal or span.text
    if span.type == "ORG" and len(span.tokens) == 1 and not span.text.isupper():
        lemma = span.tokens[0].lemma
        if lemma:
            normal = lemma[:1].upper() + lemma[1:]
    return normal if normal != span.text else None
