"""The audit log: written inside each change's transaction, read newest first."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, insert, or_, select, text, update
from sqlalchemy.orm import Session

from workbench.domain import AuditInfo
from workbench.storage.models import AuditEntry, utcnow

if TYPE_CHECKING:
    from workbench.project import Project

_INSERT = insert(AuditEntry)
# Words of the codebook and of review that an entry may keep about something deleted; any
# other text (a title, label, quote, file name, date phrase, checksum) goes with the thing.
_KEPT_WORDS = frozenset({"status", "type", "code"})
# Older entries naming removed documents or records (ids as a JSON array): by their subject,
# or in their list of documents or records (looked for only in entries that have one).
_NAMING = text("""
    SELECT id, detail FROM audit_log AS entry
    WHERE (entity = :entity AND entity_id IN (SELECT value FROM json_each(:ids)))
       OR (instr(detail, :key) AND EXISTS (SELECT 1 FROM json_each(entry.detail, :path)
                                          WHERE value IN (SELECT value FROM json_each(:ids))))
""")
# document.delete entries of earlier versions, which kept the deleted titles.
_OLD_TITLES = text(
    "SELECT id, detail FROM audit_log "
    "WHERE action = 'document.delete' AND instr(detail, '\"titles\"')"
)
# On a server: the entries about them, and those whose detail holds the list's key; which
# of these name them is read in Python (``_names``), as SQLite's json_each reads it.
_SERVER_NAMING = text(
    "SELECT id, entity, entity_id, detail FROM audit_log "
    "WHERE (entity = :entity AND entity_id = ANY(:ids)) OR strpos(detail::text, :key) > 0"
)
_SERVER_OLD_TITLES = text(
    "SELECT id, detail FROM audit_log "
    "WHERE action = 'document.delete' AND strpos(detail::text, '\"titles\"') > 0"
)


def _names(detail: dict[str, Any], key: str, ids: Collection[int]) -> bool:
    """Whether ``detail[key]`` (a list, the values of an object, or one value) holds one
    of ``ids``."""
    held = detail.get(key)
    values = held if isinstance(held, list) else held.values() if isinstance(held, dict) else [held]
    return any(isinstance(v, int) and not isinstance(v, bool) and v in ids for v in values)


def _naming(conn: Connection, entity: str, ids: Collection[int]) -> list[tuple[int, Any]]:
    """The entries about ``ids`` of ``entity``, or naming them in their list of them."""
    plural = f"{entity}s"
    if conn.dialect.name == "sqlite":
        values = {"entity": entity, "ids": json.dumps(sorted(ids)), "key": f'"{plural}"',
                  "path": f"$.{plural}"}  # fmt: skip
        return [(i, d) for i, d in conn.execute(_NAMING, values)]
    wanted = set(ids)
    rows = conn.execute(_SERVER_NAMING, {"entity": entity, "ids": sorted(wanted),
                                         "key": f'"{plural}"'})  # fmt: skip
    return [
        (i, detail) for i, kind, subject, detail in rows
        if (kind == entity and subject in wanted) or _names(detail, plural, wanted)
    ]  # fmt: skip


_REWRITE = (
    update(AuditEntry).where(AuditEntry.id == bindparam("entry")).values(detail=bindparam("facts"))
)


def audit(
    session: Session | Connection,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **detail: Any,
) -> None:
    """Add one audit row describing a change; it commits or rolls back with the change."""
    # Parameters passed apart from the statement keep its compiled form cached and cheap.
    conn = session.connection() if isinstance(session, Session) else session
    conn.execute(
        _INSERT,
        {
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail": detail,
        },
    )


def _is_fact(key: str, value: Any) -> bool:
    """Whether a detail value is a fact (an id, count, offset, flag, a codebook word), not
    text taken from a document or typed about one."""
    if isinstance(value, bool | int | float) or value is None:
        return True
    if isinstance(value, str):
        return key in _KEPT_WORDS
    if isinstance(value, list | tuple):
        return all(isinstance(v, bool | int | float) for v in value)
    if isinstance(value, dict):
        return all(isinstance(v, int | float) for v in value.values())
    return False


def facts(detail: dict[str, Any]) -> dict[str, Any]:
    """An entry's detail without its text: what an entry about a deleted thing keeps."""
    return {key: value for key, value in detail.items() if _is_fact(key, value)}


def forget(conn: Connection, documents: Collection[int], records: Collection[int]) -> int:
    """Take the text out of the older entries that name removed documents or records (their
    import's file name and checksum, titles, labels, date phrases): the log keeps what was
    done, by whom and when, to which ids, and marks the entry ``erased``. Returns how many
    entries changed."""
    found: dict[int, Any] = {}
    for entity, ids in (("document", documents), ("record", records)):
        if ids:
            found.update(_naming(conn, entity, ids))
    titles = _OLD_TITLES if conn.dialect.name == "sqlite" else _SERVER_OLD_TITLES
    found.update((i, d) for i, d in conn.execute(titles))
    rewrites = []
    for entry, stored in found.items():
        detail = json.loads(stored) if isinstance(stored, str) else dict(stored)
        kept = facts(detail)
        if kept != detail:
            rewrites.append({"entry": entry, "facts": {**kept, "erased": True}})
    if rewrites:
        conn.execute(_REWRITE, rewrites)
    return len(rewrites)


class AuditService:
    """Read the audit log (it is only ever written by the services' own changes)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def list(
        self, *, before_id: int | None = None, limit: int = 200, text: str = ""
    ) -> list[AuditInfo]:
        """Entries newest first, ``limit`` at a time (older ones: ``before_id`` = the last
        id seen); ``text`` keeps entries whose actor or action contains it."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, limit))
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        if text.strip():
            pattern = f"%{text.strip()}%"
            query = query.where(
                or_(AuditEntry.actor.ilike(pattern), AuditEntry.action.ilike(pattern))
            )
        with self._project.session() as session:
            return [
                AuditInfo(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, dict(e.detail))
                for e in session.scalars(query)
            ]
