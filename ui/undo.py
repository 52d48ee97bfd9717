"""Undo commands: each wraps a step that has already run, and how to write its two states back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.changes import ChangeSet
from workbench.services.review import ReviewResult, ReviewService


class ChangeCommand(QUndoCommand):
    """A step that already ran: its first redo only refreshes; undo and redo write states back."""

    def __init__(
        self,
        text: str,
        redo: Callable[[], ChangeSet],
        undo: Callable[[], ChangeSet],
        on_change: Callable[[ChangeSet], None],
        first: ChangeSet,
    ) -> None:
        super().__init__(text)
        self._redo, self._undo, self._on_change = redo, undo, on_change
        self._first: ChangeSet | None = first  # the step ran before the push

    def redo(self) -> None:
        if self._first is not None:
            changes, self._first = self._first, None
            self._on_change(changes)
            return
        self._on_change(self._redo())

    def undo(self) -> None:
        self._on_change(self._undo())


class ReviewCommand(ChangeCommand):
    """A review step: undo restores the rows before it, redo the rows after it (not a replay)."""

    def __init__(
        self,
        text: str,
        review: ReviewService,
        result: ReviewResult,
        on_change: Callable[[ChangeSet], None],
    ) -> None:
        super().__init__(
            text,
            lambda: review.restore(result.after),
            lambda: review.restore(result.before),
            on_change,
            result.changes,
        )
