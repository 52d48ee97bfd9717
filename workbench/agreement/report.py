"""The agreement table: every measure per code and over all codes, for the corpus and for
each document, for the chosen annotators together and (three or more) for each pair."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from workbench.agreement import counts as cp
from workbench.agreement import unitized
from workbench.agreement.figure import Figure
from workbench.agreement.spans import Span, units
from workbench.domain import CancelFlag, Progress

ALL_CODES = "(all codes)"
ONE_ANNOTATOR = "agreement needs two annotators or more"
NO_PASSAGES = "no passages by these annotators"
CHECK_EVERY = 50  # documents between progress reports and looks at the cancel flag
COLUMNS = ("scope", "document_id", "document_title", "code", "annotators", "code_points",
           "agreement_percent", "cohen_kappa", "alpha_u", "note")  # fmt: skip

# document id → code → annotator → that annotator's spans of the code in the document
Passages = Mapping[int, Mapping[str, Mapping[str, Sequence[Span]]]]


class AgreementCancelled(Exception):  # noqa: N818 - a stop the user asked for, not a fault
    """The user stopped the computation; nothing was computed."""


@dataclass(frozen=True)
class Text:
    """A document as the measures see it: its id, title and length in code points."""

    id: int
    title: str
    length: int


@dataclass(frozen=True)
class Row:
    """The measures of one code (None: all codes) in one document (None: the corpus) for
    one set of annotators."""

    document_id: int | None
    document_title: str
    code: str | None
    annotators: tuple[str, ...]
    code_points: int  # units: code points × codes
    agreement: Figure  # percent of units every annotator marks alike
    kappa: Figure
    alpha_u: Figure

    @property
    def note(self) -> str:
        """Why figures are missing, each reason once."""
        reasons = (self.agreement.reason, self.kappa.reason, self.alpha_u.reason)
        return "; ".join(dict.fromkeys(r for r in reasons if r))

    def cells(self) -> tuple[str | int | float | None, ...]:
        """The row in ``COLUMNS`` order, numbers as numbers and missing figures empty."""
        return (
            "corpus" if self.document_id is None else "document",
            self.document_id,
            self.document_title,
            self.code or ALL_CODES,
            " + ".join(self.annotators),
            self.code_points,
            _rounded(self.agreement, 2),
            _rounded(self.kappa, 4),
            _rounded(self.alpha_u, 4),
            self.note,
        )


@dataclass(frozen=True)
class Report:
    """The agreement table and what it compares."""

    annotators: tuple[str, ...]
    documents: int  # documents with passages by the annotators (the corpus)
    rows: tuple[Row, ...]


def _rounded(figure: Figure, digits: int) -> float | None:
    return None if figure.value is None else round(figure.value, digits)


def build(
    texts: Sequence[Text],
    passages: Passages,
    annotators: Sequence[str],
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> Report:
    """The table for ``annotators`` over ``texts`` (in order): corpus rows first, then each
    document's. Documents without a passage by any of them have one row saying so and stay
    out of the corpus."""
    chosen = tuple(dict.fromkeys(annotators))
    if len(chosen) < 2:
        missing = Figure.missing(ONE_ANNOTATOR)
        row = Row(None, "", None, chosen, 0, missing, missing, missing)
        return Report(chosen, 0, (row,))
    groups = [chosen, *(combinations(chosen, 2) if len(chosen) > 2 else ())]
    annotated = [t for t in texts if _marked(passages.get(t.id, {}), chosen)]
    codes = sorted({code for t in annotated for code in passages[t.id]})
    corpus = _Corpus(codes, groups)
    document_rows: list[Row] = []
    for done, text in enumerate(texts, start=1):
        if done % CHECK_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise AgreementCancelled
            if progress is not None:
                progress(done, len(texts), f"{done:,} of {len(texts):,} documents")
        document_rows += _document_rows(text, passages.get(text.id, {}), chosen, groups, corpus)
    return Report(chosen, len(annotated), (*corpus.rows(len(annotated)), *document_rows))


def _marked(by_code: Mapping[str, Mapping[str, Sequence[Span]]], chosen: Sequence[str]) -> bool:
    return any(by_code[code].get(name) for code in by_code for name in chosen)


class _Corpus:
    """The documents' counts and tallies added up, per code and set of annotators."""

    def __init__(self, codes: Sequence[str], groups: Sequence[tuple[str, ...]]) -> None:
        self.codes = codes
        self.groups = groups
        self.counts: dict[tuple[str, tuple[str, ...]], cp.Counts] = {}
        self.tallies = {(c, g): unitized.Tally(len(g)) for c in codes for g in groups}

    def add(self, code: str, group: tuple[str, ...], counts: cp.Counts,
            part: unitized.Tally) -> None:  # fmt: skip
        key = (code, group)
        self.counts[key] = self.counts[key] + counts if key in self.counts else counts
        self.tallies[key].add(part)

    def rows(self, documents: int) -> Iterator[Row]:
        title = f"{documents:,} document(s)"
        for group in self.groups:
            if not self.codes:
                missing = Figure.missing(NO_PASSAGES)
                yield Row(None, title, None, group, 0, missing, missing, missing)
                continue
            per_code = [(c, self.counts[(c, group)], self.tallies[(c, group)]) for c in self.codes]
            yield _row((None, title), None, group, _sum(c for _, c, _ in per_code),
                       [t for _, _, t in per_code])  # fmt: skip
            for code, counts, part in per_code:
                yield _row((None, title), code, group, counts, [part])


def _document_rows(
    text: Text,
    by_code: Mapping[str, Mapping[str, Sequence[Span]]],
    chosen: tuple[str, ...],
    groups: Sequence[tuple[str, ...]],
    corpus: _Corpus,
) -> list[Row]:
    """One document's rows (and its share of the corpus figures)."""
    if not _marked(by_code, chosen):
        missing = Figure.missing(NO_PASSAGES)
        return [Row(text.id, text.title, None, chosen, 0, missing, missing, missing)]
    used = sorted(code for code in by_code if any(by_code[code].get(n) for n in chosen))
    marks = {c: {n: units(by_code[c].get(n, ())) for n in chosen} for c in used}
    pairs = {
        (c, a, b): unitized.pair_disagreement(marks[c][a], marks[c][b])
        for c in used
        for a, b in combinations(chosen, 2)
    }
    alone = {(c, n): unitized.alone(marks[c][n], text.length) for c in used for n in chosen}
    rows: list[Row] = []
    for group in groups:
        measured = []
        for code in used:
            counts = cp.count([marks[code][n] for n in group], text.length)
            observed = sum(pairs[(code, a, b)] for a, b in combinations(group, 2))
            part = unitized.together([alone[(code, n)] for n in group], observed)
            measured.append((code, counts, part))
        for code in corpus.codes:
            if code not in marks:
                measured_blank = (cp.unmarked(text.length, len(group)),
                                  unitized.blank(text.length, len(group)))  # fmt: skip
                corpus.add(code, group, *measured_blank)
        for code, counts, part in measured:
            corpus.add(code, group, counts, part)
        rows.append(_row((text.id, text.title), None, group, _sum(c for _, c, _ in measured),
                         [t for _, _, t in measured]))  # fmt: skip
        rows += [_row((text.id, text.title), c, group, n, [t]) for c, n, t in measured]
    return rows


def _sum(items: Iterator[cp.Counts] | Sequence[cp.Counts]) -> cp.Counts:
    total: cp.Counts | None = None
    for item in items:
        total = item if total is None else total + item
    assert total is not None
    return total


def _row(
    where: tuple[int | None, str],
    code: str | None,
    group: tuple[str, ...],
    counts: cp.Counts,
    parts: Sequence[unitized.Tally],
) -> Row:
    """The row of one code (None: all) in one document or the corpus (``where``: its id,
    None for the corpus, and title)."""
    return Row(*where, code, group, counts.units, cp.percentage(counts), cp.kappa(counts),
               unitized.alpha(parts))  # fmt: skip
