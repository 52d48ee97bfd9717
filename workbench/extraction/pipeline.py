"""From document texts to suggestions: entities, dates, events and figures with their spans."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import Any

from workbench.extraction.dates import DateMention, FuzzyDate, find_dates
from workbench.extraction.entities import EntityCluster, EntityMention, find_entities
from workbench.extraction.events import EVENT_TYPES, event_label, event_type, segments
from workbench.extraction.figures import FigureMention, find_figures
from workbench.extraction.figures_ru import find_russian_figures
from workbench.extraction.nlp import load_pipeline
from workbench.extraction.pieces import (
    PIECE,
    DocumentMemory,
    KnownName,
    look_back,
    piece_entities,
    pieces,
)
from workbench.extraction.rules import RuleMatcher
from workbench.extraction.russian import LANGUAGES as RUSSIAN
from workbench.extraction.russian import parse_russian

CHUNK = 25_000  # characters per spaCy call: bounds memory (spaCy allows 1,000,000)
# Chunks per spaCy batch: working memory grows with the characters of a batch, about 3.6 MB
# per 1,000 (one chunk of 25,000 peaks at 250 MB with the model, four at 460 MB), and the
# speed is the same from one to four (measured on the benchmark's corpus).
BATCH = 1
ENTITY_LANGUAGES = {"en", None}
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
ROLE = {"person": "participant", "place": "place", "organization": "organization"}


@dataclass
class Suggestion:
    """One record to propose, with the spans that support it."""

    key: str  # identity within the document, for links
    type: str  # record type name: person, place, organization, event, figure
    label: str
    confidence: float
    spans: list[tuple[int, int]]
    fields: dict[str, Any] = field(default_factory=dict)
    date: FuzzyDate | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (role, target key)


@dataclass
class DocumentInput:
    """What extraction needs to know of a document."""

    text: str
    published: date | None = None
    language: str | None = None


@dataclass
class DocumentExtraction:
    """The suggestions for one document and notes for the user."""

    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """Split a text into (offset, piece) no longer than ``size``, at paragraph or word breaks."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n\n"), window.rfind(". "), window.rfind("\n"))
        if cut < size // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= size // 2 else size
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


@dataclass
class _Parsed:
    """The NLP results of one piece of a document, with offsets into the piece."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)  # found once, over the piece
    figures_seen: set[tuple[object, ...]] = field(default_factory=set)  # across the document


@dataclass
class PieceInput:
    """One piece of a document to extract from (``workbench.extraction.pieces``)."""

    document: int  # the caller's name for the document (its id)
    start: int  # where ``text`` starts in the document
    text: str
    published: date | None = None
    language: str | None = None
    before: str = ""  # the document's text just before the piece, read for its dates only
    first: bool = True  # the first piece of the document this run reads
    last: bool = True  # the document's last piece
    known: list[KnownName] = field(default_factory=list)  # names stored before ``start``


def document_pieces(
    number: int,
    document: DocumentInput,
    start: int = 0,
    known: list[KnownName] | None = None,
    size: int = PIECE,
) -> Iterator[PieceInput]:
    """The pieces of a document from ``start`` on (``known``: what is stored before it)."""
    text = document.text
    bounds = list(pieces(text, start, size))
    for index, (a, b) in enumerate(bounds):
        yield PieceInput(
            number, a, text[a:b], document.published, document.language,
            before=text[look_back(text, a) : a], first=index == 0,
            last=index == len(bounds) - 1, known=list(known or []) if index == 0 else [],
        )  # fmt: skip


class Extractor:
    """Runs the pipeline over pieces of documents; each model loads when first needed.

    The pieces of one document come in order, one after the other: what a piece finds that
    the whole document needs (names, restated figures) is kept for the next
    (``DocumentMemory``); a document's first piece starts afresh.
    """

    def __init__(self) -> None:
        self._nlp: Any = None
        self._matcher: RuleMatcher | None = None
        self._memory = DocumentMemory()

    def _load(self) -> tuple[Any, RuleMatcher]:
        if self._nlp is None or self._matcher is None:
            self._nlp = load_pipeline()
            self._matcher = RuleMatcher(self._nlp)
        return self._nlp, self._matcher

    def extract(self, documents: Iterable[DocumentInput]) -> Iterator[DocumentExtraction]:
        """Suggestions per whole document, in order (its pieces put together)."""
        for number, document in enumerate(documents):
            yield join(self.extract_piece(p) for p in document_pieces(number, document))

    def extract_piece(self, piece: PieceInput) -> DocumentExtraction:
        """The suggestions of one piece, with offsets into the whole document."""
        if piece.first:
            self._memory = DocumentMemory.resumed(piece.known)
        result = DocumentExtraction()
        if piece.first and piece.last and not piece.text.strip():
            result.notes.append("the document is empty; nothing to extract")
            return result
        parsed = self._parse(piece, result.notes)
        result.suggestions = self._suggest(piece, parsed)
        self._memory.found = self._memory.found or bool(result.suggestions)
        if piece.last and not self._memory.found:
            result.notes.append("no people, places, dates or figures were found")
        return result

    def _parse(self, piece: PieceInput, notes: list[str]) -> _Parsed:
        """Sentences, mentions, dates and figures of a piece (offsets into the piece)."""
        text = piece.text
        dates = _piece_dates(piece)
        if piece.language in ENTITY_LANGUAGES:
            nlp, matcher = self._load()
            parsed = _Parsed(dates=dates, figures_seen=self._memory.figures_seen)
            for doc, (offset, chunk) in nlp.pipe(
                ((chunk, (offset, chunk)) for offset, chunk in chunks(text)),
                as_tuples=True,
                batch_size=BATCH,
            ):
                self._add_chunk(doc, offset, chunk, matcher, parsed)
            return parsed
        if piece.language in RUSSIAN:
            russian = parse_russian(chunks(text))
            spans = [(d.start, d.end) for d in dates]
            seen = self._memory.figures_seen  # a figure restated in the same words: once
            figures = []
            for figure in find_russian_figures(text, russian.sentences, spans):
                key = ("ru", figure.text, figure.value, figure.min, figure.max)
                if key not in seen:
                    seen.add(key)
                    figures.append(figure)
            return _Parsed(
                sentences=russian.sentences, mentions=russian.mentions, dates=dates, figures=figures
            )
        if piece.first:
            notes.append(
                f"language '{piece.language}': people, places, organisations and figures "
                "skipped (English and Russian models only); dates were still looked for"
            )
        return _Parsed(sentences=[m.span() for m in SENTENCE.finditer(text)], dates=dates)

    @staticmethod
    def _add_chunk(doc: Any, offset: int, text: str, matcher: RuleMatcher, parsed: _Parsed) -> None:
        """Add what the doc of one chunk (``text``) holds; ``doc.text`` would join every
        token again, and ``doc.sents`` walk them twice."""
        doc.user_hooks["sents"] = _sentences
        parsed.sentences += [
            (start + offset, end + offset)
            for s in doc.sents
            for start, end in _lines(text, s.start_char, s.end_char)
        ]
        parsed.mentions += [
            replace(m, start=m.start + offset, end=m.end + offset)
            for m in find_entities(doc, matcher)
        ]
        end = offset + len(text)
        dates = [
            (d.start - offset, d.end - offset)
            for d in parsed.dates
            if offset <= d.start and d.end <= end
        ]
        parsed.figures += [
            replace(
                f,
                start=f.start + offset,
                end=f.end + offset,
                sentence_start=f.sentence_start + offset,
                sentence_end=f.sentence_end + offset,
            )
            for f in find_figures(doc, dates, parsed.figures_seen)
        ]

    def _suggest(self, piece: PieceInput, parsed: _Parsed) -> list[Suggestion]:
        """The piece's suggestions: names grouped with the document's earlier ones, then
        figures, then one event per date."""
        offset = piece.start
        found = [
            _entity_suggestion(keyed.key, keyed.cluster)
            for keyed in piece_entities(piece.text, parsed.mentions, self._memory)
        ]
        found += [_figure_suggestion(figure, offset) for figure in parsed.figures]
        found += _events(piece.text, parsed, found, offset)
        return [_shifted(s, offset) for s in found] if offset else found


def _sentences(doc: Any) -> list[Any]:
    """A doc's sentences, as spaCy finds them, from one read of its sentence starts: spaCy's
    own ``doc.sents`` first walks every token as a Python object, twice, each time it is
    read (and the figure finder reads it too)."""
    if len(doc) == 0:
        return []
    starts = doc.to_array("SENT_START").tolist()
    cuts = [0, *(i for i in range(1, len(starts)) if starts[i] == 1), len(doc)]
    return [doc[a:b] for a, b in pairwise(cuts)]


def _piece_dates(piece: PieceInput) -> list[DateMention]:
    """The dates of a piece (offsets into it), read with the text before it for context."""
    skip = len(piece.before)
    found = find_dates(piece.before + piece.text, piece.published, piece.language)
    return [replace(d, start=d.start - skip, end=d.end - skip) for d in found if d.start >= skip]


def _shifted(suggestion: Suggestion, offset: int) -> Suggestion:
    """A piece's suggestion with offsets into the whole document."""
    fields = suggestion.fields
    if "date_span" in fields:
        a, b = fields["date_span"]
        fields = {**fields, "date_span": [a + offset, b + offset]}
    spans = [(a + offset, b + offset) for a, b in suggestion.spans]
    return replace(suggestion, spans=spans, fields=fields)


def join(parts: Iterable[DocumentExtraction]) -> DocumentExtraction:
    """A document's suggestions from those of its pieces: one suggestion per key, with the
    spans of every piece and the label and fields of the last."""
    whole = DocumentExtraction()
    by_key: dict[str, Suggestion] = {}
    for part in parts:
        whole.notes += part.notes
        for suggestion in part.suggestions:
            same = by_key.get(suggestion.key)
            if same is None:
                by_key[suggestion.key] = suggestion
                whole.suggestions.append(suggestion)
            else:
                same.spans += suggestion.spans
                same.label, same.fields = suggestion.label, suggestion.fields
    return whole


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut at line breaks: a headline, byline or list item is never run together."""
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        if match.group().strip():
            pieces.append((start + match.start(), start + match.end()))
    return pieces or [(start, end)]


def _entity_suggestion(key: str, cluster: EntityCluster) -> Suggestion:
    return Suggestion(
        key=key,
        type=cluster.kind,
        label=cluster.label,
        confidence=cluster.confidence,
        spans=[(m.start, m.end) for m in cluster.mentions],
        fields=dict(cluster.fields),
    )


def _figure_suggestion(figure: FigureMention, offset: int) -> Suggestion:
    values = {
        "value": figure.value,
        "min": figure.min,
        "max": figure.max,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "total": figure.total,
    }
    return Suggestion(
        key=f"figure:{figure.start + offset}:{figure.end + offset}",
        type="figure",
        label=figure.text,
        confidence=figure.confidence,
        spans=[(figure.start, figure.end)],
        fields={k: v for k, v in values.items() if v is not None},
    )


def _events(text: str, parsed: _Parsed, found: list[Suggestion], offset: int) -> list[Suggestion]:
    """One event per date mention, over the clause of its sentence that holds it (offsets
    into ``text``; keys by offsets into the document, ``offset`` further on)."""
    mentions = parsed.dates
    by_sentence: dict[tuple[int, int], list[DateMention]] = {}
    sentences = parsed.sentences or [(0, len(text))]
    i = 0
    for mention in mentions:
        while i < len(sentences) - 1 and sentences[i][1] <= mention.start:
            i += 1
        by_sentence.setdefault(sentences[i], []).append(mention)
    events: list[Suggestion] = []
    spans_of = _SpanIndex(found)
    for sentence, dated in by_sentence.items():
        spans = [(m.start, m.end) for m in dated]
        for mention, segment in zip(dated, segments(text, sentence, spans), strict=True):
            if segment.end <= segment.start:
                continue
            clause = text[segment.start : segment.end]
            kind = event_type(clause)
            events.append(
                Suggestion(
                    key=f"event:{segment.start + offset}:{segment.end + offset}:"
                    f"{mention.start + offset}",
                    type="event",
                    label=event_label(clause),
                    confidence=round(mention.date.confidence * 0.9, 2),
                    spans=[(segment.start, segment.end)],
                    fields={
                        "event_type": kind,
                        "event_type_label": EVENT_TYPES[kind],
                        "date_span": [mention.start, mention.end],
                        "date_inferred": mention.date.inferred,
                        "date_precision": mention.date.precision,
                    },
                    date=mention.date,
                    links=spans_of.links(segment.start, segment.end),
                )
            )
    return events


class _SpanIndex:
    """The spans of a piece's suggestions, sorted, to find those inside a clause."""

    def __init__(self, found: list[Suggestion]) -> None:
        self._found = found
        self._spans = sorted((a, b, i) for i, s in enumerate(found) for a, b in s.spans)
        self._starts = [a for a, _, _ in self._spans]

    def links(self, start: int, end: int) -> list[tuple[str, str]]:
        """Records with a span inside [start, end): the event's participants, places,
        figures, in the order they were found."""
        first, last = bisect_left(self._starts, start), bisect_left(self._starts, end)
        inside = sorted({i for _, b, i in self._spans[first:last] if b <= end})
        return [(ROLE.get(self._found[i].type, self._found[i].type), self._found[i].key)
                for i in inside]  # fmt: skip
