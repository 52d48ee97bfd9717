"""The codebook: record types and codes, with colours and shortcut keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

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
        fields=tuple((str(k), str(v)) for k, v in code.fields.items()),
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
        with self._project.write_connection() as conn:
            return seed_codebook(conn, self._project.actor, path)


def seed_codebook(conn: Connection, actor: str, path: Path = DEFAULT_CODEBOOK) -> ChangeSet:
    """Add a codebook file's missing entries on ``conn``, inside the caller's transaction (a
    new project gets its codebook in the transaction that creates it)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    existing = set(conn.scalars(select(Code.name)))
    rows = [
        {
            "name": entry["name"],
            "label": entry["label"],
            "kind": entry["kind"],
            "colour": entry["colour"],
            "shortcut": entry.get("shortcut"),
            "description": entry.get("description", ""),
            "position": position,
            "fields": entry.get("fields", {}),
        }
        for position, entry in enumerate(data["entries"])
        if entry["name"] not in existing
    ]
    changes = ChangeSet()
    if rows:
        result = conn.execute(insert(Code).returning(Code.id, sort_by_parameter_order=True), rows)
        changes.add("code", *result.scalars())
    audit(conn, actor, "codebook.load", "code", None, file=path.name,
          added=sorted(changes.added["code"]))  # fmt: skip
    return changes
