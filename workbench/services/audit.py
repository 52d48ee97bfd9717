"""Writing the audit log, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from workbench.storage.models import AuditEntry, utcnow

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
