"""Exceptions the core raises for conditions the user must be told about."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class; ``str(exc)`` is one clear line meant for the user."""


class ProjectError(WorkbenchError):
    """The project file cannot be opened or created."""


class NotFoundError(WorkbenchError):
    """A document, record or annotation id does not exist."""


class InvalidInputError(WorkbenchError):
    """An argument is out of range or names something unknown."""


class DamagedProjectError(ProjectError):
    """The project file holds something this application never writes (damage or tampering)."""


class StorageError(WorkbenchError):
    """The project file could not be read or written just now (busy, disk full, I/O error);
    the change in flight was rolled back and the project is as it was before it."""


class StepConflictError(WorkbenchError):
    """An undo or redo cannot be written: the project changed since in a way the step did
    not (a document imported again in its place); nothing was changed."""


class RecordChangedError(StepConflictError):
    """A step was refused: another annotator wrote a record since its editor read it (its
    version moved on); nothing was changed, and the records named are to be read again."""

    def __init__(self, message: str, record_ids: tuple[int, ...]) -> None:
        super().__init__(message)
        self.record_ids = record_ids
