"""The codebook: record types and codes, with colours and shortcut keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.changes import ChangeSet
from workbench.domain import CodeInfo
from workbench.errors import InvalidInputError
from workbench.paths import DEFAULT_CODEBOOK
from workbench.services.audit import audit
from workbench.storage.models import Code

if TYPE_CHECKING:
    from workbench.project import Project


def code_info(code: Code) -> CodeInfo:
    """The immutable view of a codebook row."""
    return CodeInfo(
        id=code.id,
        name=code.name,
        label=code.label,
        kind=code.kind,
        colour=code.colour,
        shortcut=code.shortcut,
        description=code.description,
        parent_id=code.parent_id,
        position=code.position,
    )


class CodebookService:
    """Read and seed the project's codebook."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def list(self) -> list[CodeInfo]:
        """All entries in display order."""
        with self._project.session() as session:
            rows = session.scalars(select(Code).order_by(Code.position, Code.id))
            return [code_info(c) for c in rows]

    def get(self, name: str) -> CodeInfo:
        """The entry with this name; raises InvalidInputError naming the known ones."""
        for entry in self.list():
            if entry.name == name:
                return entry
        known = ", ".join(e.name for e in self.list())
        raise InvalidInputError(f"unknown type or code '{name}' (known: {known})")

    def load_file(self, path: Path = DEFAULT_CODEBOOK) -> ChangeSet:
        """Add the entries of a codebook JSON file that the project does not have yet."""
        data = json.loads(path.read_text(encoding="utf-8"))
        changes = ChangeSet()
        with self._project.transaction() as session:
            existing = set(session.scalars(select(Code.name)))
            for position, entry in enumerate(data["entries"]):
                if entry["name"] in existing:
                    continue
                code = Code(
                    name=entry["name"],
                    label=entry["label"],
                    kind=entry["kind"],
                    colour=entry["colour"],
                    shortcut=entry.get("shortcut"),
                    description=entry.get("description", ""),
                    position=position,
                )
                session.add(code)
                session.flush()
                changes.add("code", code.id)
            audit(
                session,
                self._project.actor,
                "codebook.load",
                "code",
                None,
                file=path.name,
                added=sorted(changes.added["code"]),
            )
        return changes
