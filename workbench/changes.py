"""ChangeSet: what a mutating call added, changed and removed, so views refresh only that."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

Entity = Literal["document", "annotation", "record", "code", "memo"]


def _ids() -> defaultdict[Entity, set[int]]:
    return defaultdict(set)


@dataclass
class ChangeSet:
    """Ids per entity kind touched by one operation."""

    added: defaultdict[Entity, set[int]] = field(default_factory=_ids)
    changed: defaultdict[Entity, set[int]] = field(default_factory=_ids)
    removed: defaultdict[Entity, set[int]] = field(default_factory=_ids)

    def add(self, entity: Entity, *ids: int) -> ChangeSet:
        """Note added ids; returns self so calls chain."""
        self.added[entity].update(ids)
        return self

    def change(self, entity: Entity, *ids: int) -> ChangeSet:
        """Note changed ids."""
        self.changed[entity].update(ids)
        return self

    def remove(self, entity: Entity, *ids: int) -> ChangeSet:
        """Note removed ids."""
        self.removed[entity].update(ids)
        return self

    def merge(self, other: ChangeSet) -> ChangeSet:
        """Fold another change set into this one."""
        for mine, theirs in (
            (self.added, other.added),
            (self.changed, other.changed),
            (self.removed, other.removed),
        ):
            for entity, ids in theirs.items():
                mine[entity].update(ids)
        return self

    def touches(self, entity: Entity) -> bool:
        """Whether anything of this kind was added, changed or removed."""
        return bool(self.ids(entity))

    def ids(self, entity: Entity) -> set[int]:
        """Every id of this kind that was added, changed or removed."""
        return self.added[entity] | self.changed[entity] | self.removed[entity]

    def __bool__(self) -> bool:
        return any(any(v for v in d.values()) for d in (self.added, self.changed, self.removed))
