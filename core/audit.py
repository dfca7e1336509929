"""Append-only audit events: who did what to which object, with before and after;
the details (before, after, reason) go when they pass their retention period."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db, intpk, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(80))
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")


def record(
    actor,
    action: str,
    obj,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add an audit event for `obj` in the current transaction."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__tablename__
        if hasattr(obj, "__tablename__")
        else str(obj),
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(event)
    return event


def _holds_json(column) -> sa.ColumnElement[bool]:
    # A None written through the ORM is stored as JSON 'null', not as SQL NULL.
    return sa.and_(column.is_not(None), sa.cast(column, sa.Text) != "null")


def purge_details(older_than: datetime) -> int:
    """Empty the before, after and reason of events from before `older_than`; who
    did what to which object, and when, stays. Returns how many events changed."""
    result = db.session.execute(
        sa.update(AuditEvent)
        .where(
            AuditEvent.at < older_than,
            sa.or_(
                _holds_json(AuditEvent.before),
                _holds_json(AuditEvent.after),
                AuditEvent.reason != "",
            ),
        )
        .values(before=sa.null(), after=sa.null(), reason="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
