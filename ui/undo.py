"""The undo command: one kind for every step, which writes the step's two states back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.changes import ChangeSet
from workbench.errors import WorkbenchError
from workbench.services.steps import StepResult, StepService


class StepCommand(QUndoCommand):
    """A step that already ran: its first redo only refreshes; undo restores the rows before
    it and redo the rows after it (a restore, not a replay).

    When writing a state back fails (the project is busy, the disk is full), the rows stay
    as they were, the user is told, and the stack is moved back to where it was, so the
    stack always says what the project holds: that move only refreshes, it writes nothing.
    """

    def __init__(
        self,
        text: str,
        steps: StepService,
        result: StepResult,
        on_change: Callable[[ChangeSet], None],
        *,
        on_failed: Callable[[str, bool], None] | None = None,
    ) -> None:
        super().__init__(text)
        self._steps, self._result = steps, result
        self._on_change, self._on_failed = on_change, on_failed
        self._first: ChangeSet | None = result.changes  # the step ran before the push
        self._undone_already = False  # a failed redo: the next undo only refreshes

    def redo(self) -> None:
        if self._first is not None:
            changes, self._first = self._first, None
            self._on_change(changes)
            return
        try:
            changes = self._steps.restore(self._result.after, self._result.before)
        except WorkbenchError as exc:
            self._undone_already = True
            self._failed(str(exc), undo=True)
            return
        self._on_change(changes)

    def undo(self) -> None:
        if self._undone_already:
            self._undone_already = False
            self._on_change(ChangeSet())
            return
        try:
            changes = self._steps.restore(self._result.before, self._result.after)
        except WorkbenchError as exc:
            self._first = ChangeSet()  # the rows are still those after the step
            self._failed(str(exc), undo=False)
            return
        self._on_change(changes)

    def _failed(self, message: str, *, undo: bool) -> None:
        """Tell the window, which steps the stack back over this command (by undoing when
        ``undo``) once control returns to the event loop."""
        if self._on_failed is None:
            raise WorkbenchError(message)
        self._on_failed(message, undo)
