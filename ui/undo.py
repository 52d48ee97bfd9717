"""Undo commands: each wraps one review step that has already run, and its two snapshots."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.changes import ChangeSet
from workbench.services.review import ReviewResult, ReviewService


class ReviewCommand(QUndoCommand):
    """Undo restores the state before the step, redo the state after it (rows, not replays)."""

    def __init__(
        self,
        text: str,
        review: ReviewService,
        result: ReviewResult,
        on_change: Callable[[ChangeSet], None],
    ) -> None:
        super().__init__(text)
        self._review = review
        self._result = result
        self._on_change = on_change
        self._done = True  # the step ran before the command was pushed

    @property
    def result(self) -> ReviewResult:
        """What the step did."""
        return self._result

    def redo(self) -> None:
        if self._done:
            self._done = False
            self._on_change(self._result.changes)
            return
        self._on_change(self._review.restore(self._result.after))

    def undo(self) -> None:
        self._on_change(self._review.restore(self._result.before))


class ChangeCommand(QUndoCommand):
    """An edit outside review (document metadata): undo and redo write stored values back."""

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
        self._first: ChangeSet | None = first  # the edit already ran before the push

    def redo(self) -> None:
        if self._first is not None:
            changes, self._first = self._first, None
            self._on_change(changes)
            return
        self._on_change(self._redo())

    def undo(self) -> None:
        self._on_change(self._undo())
