"""The search tests of project files, run on a project on the server (PostgreSQL's own
full-text index instead of FTS5, the same hits)."""

from __future__ import annotations

from tests.core.test_search import (
    test_all_hits_as_one_record_is_all_or_nothing,
    test_all_hits_as_one_record_is_one_undoable_step,
    test_annotate_all_hits_is_one_undoable_step,
    test_phrase_hits_with_offsets_and_context,
    test_whole_words_by_default,
    test_whole_words_in_cyrillic,
    test_whole_words_with_punctuation_at_the_edges,
)

__all__ = [
    "test_all_hits_as_one_record_is_all_or_nothing",
    "test_all_hits_as_one_record_is_one_undoable_step",
    "test_annotate_all_hits_is_one_undoable_step",
    "test_phrase_hits_with_offsets_and_context",
    "test_whole_words_by_default",
    "test_whole_words_in_cyrillic",
    "test_whole_words_with_punctuation_at_the_edges",
]
