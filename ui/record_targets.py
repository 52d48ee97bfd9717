"""Which records a key like Del acts on: those the user is looking at, never a leftover
selection in a panel that does not have the focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.document_view import DocumentView, Highlight
from workbench.domain import RecordId

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def focused_records(window: MainWindow) -> list[RecordId]:
    """In the records panel (with the focus): its selection; in the document text: the
    records of the highlight under the cursor or selection; anywhere else: none."""
    focus: QWidget | None = window.focusWidget()  # None when nothing had the focus yet
    if focus is None:
        return []
    tree = window.records_panel.tree
    if focus is tree or tree.isAncestorOf(focus):
        return window.records_panel.selected_record_ids()
    view = window.document_view
    if focus is view or view.isAncestorOf(focus):
        return records_at_cursor(view)
    return []


def focused_record(window: MainWindow) -> RecordId | None:
    """The one record E (edit), N (note) and P (split) act on: the records panel's current
    record while it has the focus, the innermost highlight's record in the document text,
    none anywhere else."""
    focus: QWidget | None = window.focusWidget()
    if focus is None:
        return None
    tree = window.records_panel.tree
    if focus is tree or tree.isAncestorOf(focus):
        return window.records_panel.current_record_id()
    view = window.document_view
    if focus is view or view.isAncestorOf(focus):
        ids = records_at_cursor(view)
        return ids[0] if ids else None
    return None


def records_at_cursor(view: DocumentView) -> list[RecordId]:
    """Records of the innermost highlight the cursor touches or the selection lies in; a
    selection over whole highlights takes all of theirs."""
    cursor = view.textCursor()
    start = view.offsets.to_codepoint(cursor.selectionStart())
    end = view.offsets.to_codepoint(cursor.selectionEnd())
    if start == end:  # a caret: in a highlight, or just after its last character
        hits = view.spans_at(start) or (view.spans_at(start - 1) if start else [])
        return list(hits[0].record_ids) if hits else []
    around = [h for h in view.highlights() if h.start <= start and end <= h.end]
    if around:
        return list(min(around, key=_length).record_ids)
    inside = [h for h in view.highlights() if start <= h.start and h.end <= end]
    return list(dict.fromkeys(r for h in inside for r in h.record_ids))


def _length(highlight: Highlight) -> int:
    return highlight.end - highlight.start
