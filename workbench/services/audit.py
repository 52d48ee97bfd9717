"""The audit log: written inside each change's transaction, read newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, or_, select
from sqlalchemy.orm import Session

from workbench.domain import AuditInfo
from workbench.storage.models import AuditEntry, utcnow

if TYPE_CHECKING:
    from workbench.project import Project

_INSERT = insert(AuditEntry)


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
