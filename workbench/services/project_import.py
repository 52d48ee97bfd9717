"""Bringing another project's work in: a whole-project JSON export, a REFI-QDA project
(``.qdpx``) or codebook (``.qdc``), chosen by the file's suffix.

Each format is one reader function (``READERS``), imported when used. A reader checks the
whole file before it writes anything and then writes in one transaction: a bad file gives
one clear line and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.changes import ChangeSet
from workbench.domain import CancelFlag, Progress
from workbench.errors import InvalidInputError

if TYPE_CHECKING:
    from workbench.project import Project


@dataclass
class ProjectImportReport:
    """What an import of a project file brought in."""

    documents: int = 0
    annotations: int = 0
    records: int = 0
    codes: int = 0
    users: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # things the user should know
    changes: ChangeSet = field(default_factory=ChangeSet)


Reader = Callable[["Project", Path, Progress | None, CancelFlag | None], ProjectImportReport]

# suffix → (module, function) reading that kind of file into the open project
READERS: dict[str, tuple[str, str]] = {
    ".json": ("workbench.services.json_import", "import_json"),
    ".qdpx": ("workbench.services.refi_qda_import", "import_qdpx"),
    ".qdc": ("workbench.services.refi_qda_import", "import_qdc"),
}


class ProjectImportService:
    """Import a project file into the open project."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def import_file(
        self, path: Path, progress: Progress | None = None, cancel: CancelFlag | None = None
    ) -> ProjectImportReport:
        """Read ``path`` (by its suffix) into this project; one line and no change when the
        file cannot be taken."""
        path = Path(path)
        entry = READERS.get(path.suffix.lower())
        if entry is None:
            known = ", ".join(READERS)
            raise InvalidInputError(
                f"{path.name}: cannot import this kind of file (known: {known})"
            )
        if not path.is_file():
            raise InvalidInputError(f"{path} is not a file")
        module, function = entry
        try:
            reader: Reader = getattr(import_module(module), function)
        except (ImportError, AttributeError):
            raise InvalidInputError(f"importing {path.suffix} files is not available yet") from None
        try:
            return reader(self._project, path, progress, cancel)
        except OSError as exc:
            raise InvalidInputError(f"{path.name}: cannot read it: {exc.strerror or exc}") from exc
        except (RecursionError, OverflowError) as exc:  # nesting or a date past any calendar
            raise InvalidInputError(
                f"{path.name}: the file is malformed; nothing was imported"
            ) from exc
