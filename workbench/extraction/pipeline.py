"""From document texts to suggestions: entities, dates, events and figures with their spans."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from workbench.extraction.dates import DateMention, FuzzyDate, find_dates
from workbench.extraction.entities import (
    EntityCluster,
    EntityMention,
    add_name_repeats,
    cluster_entities,
    find_entities,
)
from workbench.extraction.events import EVENT_TYPES, event_label, event_type, segments
from workbench.extraction.figures import FigureMention, find_figures
from workbench.extraction.furniture import tidy
from workbench.extraction.nlp import load_pipeline
from workbench.extraction.rules import RuleMatcher
from workbench.extraction.russian import LANGUAGES as RUSSIAN
from workbench.extraction.russian import parse_russian

CHUNK = 25_000  # characters per spaCy call: bounds memory (spaCy allows 1,000,000)
# Chunks per spaCy batch: working memory grows with the tokens of a batch (16 texts of 20 KB
# peaked at 1.1 GB; 4 stay under 500 MB at the same speed). Smaller chunks shorten how long
# one call holds the GIL (UI gaps 150 -> 125 ms at 8,000) but cost 10% in throughput.
BATCH = 4
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
    """The NLP results of one document, with offsets into the whole text."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)  # found once, over the whole text
    figures_seen: set[tuple[object, ...]] = field(default_factory=set)  # across its chunks


class Extractor:
    """Runs the pipeline over documents; the spaCy model loads on first use."""

    def __init__(self) -> None:
        self._nlp: Any = None
        self._matcher: RuleMatcher | None = None

    def _load(self) -> tuple[Any, RuleMatcher]:
        if self._nlp is None or self._matcher is None:
            self._nlp = load_pipeline()
            self._matcher = RuleMatcher(self._nlp)
        return self._nlp, self._matcher

    def extract(self, documents: Iterable[DocumentInput]) -> Iterator[DocumentExtraction]:
        """Suggestions per document, in order, batching the NLP work across documents."""
        for doc_input, parsed in self._parse(documents):
            yield self._suggest(doc_input, parsed)

    def _parse(
        self, documents: Iterable[DocumentInput]
    ) -> Iterator[tuple[DocumentInput, _Parsed | None]]:
        """Run spaCy over every chunk of every English document (others get None)."""
        nlp, matcher = self._load()
        pending: list[tuple[DocumentInput, int]] = []  # document and its number of chunks

        def chunk_stream() -> Iterator[tuple[str, tuple[int, int]]]:
            for index, document in enumerate(documents):
                if document.language not in ENTITY_LANGUAGES or not document.text.strip():
                    pending.append((document, 0))
                    continue
                pieces = chunks(document.text)
                pending.append((document, len(pieces)))
                for offset, piece in pieces:
                    yield piece, (index, offset)

        current: _Parsed | None = None
        seen = 0
        for doc, (_index, offset) in nlp.pipe(chunk_stream(), as_tuples=True, batch_size=BATCH):
            while pending and pending[0][1] == 0:
                yield pending.pop(0)[0], None
            if current is None:
                document = pending[0][0]
                current = _Parsed(dates=find_dates(document.text, document.published))
            self._add_chunk(doc, offset, matcher, current)
            seen += 1
            if seen == pending[0][1]:
                yield pending.pop(0)[0], current
                current, seen = None, 0
        while pending:
            yield pending.pop(0)[0], None

    @staticmethod
    def _add_chunk(doc: Any, offset: int, matcher: RuleMatcher, parsed: _Parsed) -> None:
        parsed.sentences += [
            (start + offset, end + offset)
            for s in doc.sents
            for start, end in _lines(doc.text, s.start_char, s.end_char)
        ]
        parsed.mentions += [
            replace(m, start=m.start + offset, end=m.end + offset)
            for m in find_entities(doc, matcher)
        ]
        end = offset + len(doc.text)
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

    def _suggest(self, document: DocumentInput, parsed: _Parsed | None) -> DocumentExtraction:
        result = DocumentExtraction()
        text = document.text
        if not text.strip():
            result.notes.append("the document is empty; nothing to extract")
            return result
        if parsed is None and document.language in RUSSIAN:
            russian = parse_russian(chunks(text))
            parsed = _Parsed(
                sentences=russian.sentences,
                mentions=russian.mentions,
                dates=find_dates(text, document.published),
            )
        elif parsed is None:
            result.notes.append(
                f"language '{document.language}': people, places, organisations and figures "
                "skipped (English and Russian models only); dates were still looked for"
            )
            parsed = _Parsed(
                sentences=[m.span() for m in SENTENCE.finditer(text)],
                dates=find_dates(text, document.published),
            )
        mentions = tidy(text, parsed.mentions)
        for cluster in cluster_entities(add_name_repeats(text, mentions)):
            result.suggestions.append(_entity_suggestion(cluster))
        result.suggestions += [_figure_suggestion(figure) for figure in parsed.figures]
        result.suggestions += _events(text, parsed, result.suggestions)
        if not result.suggestions:
            result.notes.append("no people, places, dates or figures were found")
        return result


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut at line breaks: a headline, byline or list item is never run together."""
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        if match.group().strip():
            pieces.append((start + match.start(), start + match.end()))
    return pieces or [(start, end)]


def _entity_suggestion(cluster: EntityCluster) -> Suggestion:
    return Suggestion(
        key=f"{cluster.kind}:{cluster.label.lower()}",
        type=cluster.kind,
        label=cluster.label,
        confidence=cluster.confidence,
        spans=[(m.start, m.end) for m in cluster.mentions],
        fields=dict(cluster.fields),
    )


def _figure_suggestion(figure: FigureMention) -> Suggestion:
    values = {
        "value": figure.value,
        "min": figure.min,
        "max": figure.max,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "total": figure.total,
    }
    return Suggestion(
        key=f"figure:{figure.start}:{figure.end}",
        type="figure",
        label=figure.text,
        confidence=figure.confidence,
        spans=[(figure.start, figure.end)],
        fields={k: v for k, v in values.items() if v is not None},
    )


def _events(text: str, parsed: _Parsed, found: list[Suggestion]) -> list[Suggestion]:
    """One event per date mention, over the clause of its sentence that holds it."""
    mentions = parsed.dates
    by_sentence: dict[tuple[int, int], list[DateMention]] = {}
    sentences = parsed.sentences or [(0, len(text))]
    i = 0
    for mention in mentions:
        while i < len(sentences) - 1 and sentences[i][1] <= mention.start:
            i += 1
        by_sentence.setdefault(sentences[i], []).append(mention)
    events: list[Suggestion] = []
    for sentence, dated in by_sentence.items():
        spans = [(m.start, m.end) for m in dated]
        for mention, segment in zip(dated, segments(text, sentence, spans), strict=True):
            if segment.end <= segment.start:
                continue
            clause = text[segment.start : segment.end]
            kind = event_type(clause)
            events.append(
                Suggestion(
                    key=f"event:{segment.start}:{segment.end}:{mention.start}",
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
                    links=_links(segment.start, segment.end, found),
                )
            )
    return events


def _links(start: int, end: int, found: list[Suggestion]) -> list[tuple[str, str]]:
    """Records with a span inside [start, end): the event's participants, places, figures."""
    links = []
    for suggestion in found:
        if any(start <= s and e <= end for s, e in suggestion.spans):
            links.append((ROLE.get(suggestion.type, suggestion.type), suggestion.key))
    return links
