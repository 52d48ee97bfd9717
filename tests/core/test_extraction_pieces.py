"""A long document is read and stored in pieces; what the whole document decides holds across
them, and a run that stopped inside a document continues there."""

from __future__ import annotations

import threading
from dataclasses import astuple
from datetime import date
from itertools import pairwise
from pathlib import Path

from tests.conftest import import_text
from tests.pieces_helpers import duplicated_passages, long_text, pieces_stored, stored
from workbench.extraction.pieces import LOOK_BACK, PIECE, look_back, pieces
from workbench.extraction.pipeline import (
    DocumentExtraction,
    DocumentInput,
    Extractor,
    document_pieces,
    join,
)
from workbench.project import Project

PUBLISHED = date(2024, 6, 1)


def test_pieces_cut_at_blank_lines_and_cover_the_text() -> None:
    text = long_text(3 * PIECE)
    bounds = list(pieces(text))
    assert len(bounds) >= 3
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a < b <= a + PIECE for a, b in bounds)
    assert all(end == start for (_, end), (start, _) in pairwise(bounds))
    assert all(text[a:].startswith("Two days later") for a, _ in bounds[1:])
    assert list(pieces("")) == [(0, 0)]
    assert list(pieces(text, bounds[1][0])) == bounds[1:]  # a run that continues
    back = look_back(text, bounds[1][0])
    assert text[back - 1] == "\n" and bounds[1][0] - back >= LOOK_BACK


def _comparable(extraction: DocumentExtraction) -> list[tuple[object, ...]]:
    return sorted(
        (s.type, s.label, sorted(s.spans), repr(sorted(s.fields.items())),
         astuple(s.date) if s.date else (), sorted(s.links), s.key)
        for s in extraction.suggestions
    )  # fmt: skip


def test_a_document_in_pieces_gets_what_it_gets_whole() -> None:
    """Names join across pieces ("Petrov" is Ivan Petrov) and a relative date at the start of
    a piece counts from the date just before it."""
    document = DocumentInput(long_text(24_000), PUBLISHED, "en")
    extractor = Extractor()
    parts = list(document_pieces(0, document, size=6_000))
    pieced = join(extractor.extract_piece(piece) for piece in parts)
    whole = join(extractor.extract_piece(p) for p in document_pieces(0, document, size=10**6))
    assert len(parts) >= 4
    assert _comparable(pieced) == _comparable(whole)
    people = {s.label for s in pieced.suggestions if s.type == "person"}
    assert people == {"Ivan Petrov", "Olena Petrova"}
    events = [s for s in pieced.suggestions if s.type == "event"]
    later = [s for s in events if s.label.startswith("Two days later")]
    assert len(later) == len(events) // 2 and all(s.date is not None for s in later)


def test_each_piece_commits_and_a_second_run_continues(project: Project, tmp_path: Path) -> None:
    text = long_text(2 * PIECE + 10_000)
    doc_id = import_text(project, tmp_path, "long.txt", text, published="2024-06-01").id
    cancel = threading.Event()
    report = project.extraction.run(progress=lambda *_: cancel.set(), cancel=cancel)

    assert report.cancelled and report.documents == 0
    first = pieces_stored(project.path, doc_id)
    assert len(first) == 1 and first[0][0] == 0
    passages = [p for key in stored(project.path) if key[0] != "link" for p in key[-1]]
    assert passages and all(end <= first[0][1] for _, _, end in passages)  # the first piece's

    report = project.extraction.run()
    assert not report.cancelled and report.documents == 1
    done = pieces_stored(project.path, doc_id)
    assert done[1][0] == first[0][1] and done[-1][1] == len(text)  # continued, to the end
    assert duplicated_passages(project.path) == 0

    with Project(tmp_path / "whole.twb", actor="tester") as other:
        import_text(other, tmp_path, "long.txt", text, published="2024-06-01")
        other.extraction.run()
    assert stored(project.path) == stored(tmp_path / "whole.twb")
    assert project.extraction.run().added == {}  # a third run starts afresh and adds nothing
