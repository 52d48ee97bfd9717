"""Writing the audit log, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workbench.storage.models import AuditEntry


def audit(
    session: Session,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **detail: Any,
) -> None:
    """Add one audit row describing a change; it commits or rolls back with the change."""
    session.add(
        AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail)
    )
