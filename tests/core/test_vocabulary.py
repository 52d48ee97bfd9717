"""The project's vocabularies: statuses, origins and code kinds are one list each."""

from __future__ import annotations

import sqlite3
from typing import get_args

import pytest

from workbench.domain import (
    ORIGINS,
    STATUSES,
    DocumentId,
    Origin,
    Passage,
    Span,
    Status,
    as_origin,
    as_status,
)
from workbench.errors import InvalidInputError
from workbench.project import Project


def test_text_becomes_a_status_or_one_clear_line() -> None:
    assert [as_status(s) for s in ("suggested", "accepted", "rejected")] == list(STATUSES)
    assert as_origin("manual") == "manual"
    with pytest.raises(InvalidInputError, match=r"^unknown status 'Accepted' \(known: sugg"):
        as_status("Accepted")


def test_the_schema_allows_exactly_the_vocabulary(project: Project) -> None:
    """The CHECK constraints and the Literal types name the same values."""
    with sqlite3.connect(project.path) as conn:
        (records_sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'records'"
        ).fetchone()
    conn.close()
    for value in get_args(Status) + get_args(Origin):
        assert f"'{value}'" in records_sql
    assert set(ORIGINS) == {"extracted", "manual"}


def test_spans_measure_and_overlap_in_code_points() -> None:
    text = "Ольга 🙂 Kherson"
    start = text.index("Kherson")
    span = Span(start, start + len("Kherson"))
    assert text[span.start : span.end] == "Kherson" and span.length == 7
    assert span.overlaps(Span(start + 6, start + 9))
    assert not span.overlaps(Span(0, start))  # touching is not overlapping
    assert Passage(DocumentId(3), span.start, span.end).span == span
    assert sorted([Span(4, 9), Span(1, 2), Span(1, 1)]) == [Span(1, 1), Span(1, 2), Span(4, 9)]
