"""Bookings and their states, budgets, declared interest and prerequisite waivers."""

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import OrgUnit, User
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession


class BookingStatus(enum.Enum):
    requested = "requested"
    confirmed = "confirmed"
    rejected = "rejected"
    waitlisted = "waitlisted"
    offered = "offered"
    cancelled = "cancelled"
    late_cancelled = "late_cancelled"
    attended = "attended"
    no_show = "no_show"
    completed = "completed"


# A person may hold at most one booking in these states per session.
ACTIVE_STATUSES = frozenset(
    {
        BookingStatus.requested,
        BookingStatus.waitlisted,
        BookingStatus.offered,
        BookingStatus.confirmed,
        BookingStatus.attended,
        BookingStatus.no_show,
        BookingStatus.completed,
    }
)
# The states that occupy one of CourseSession.seats_taken.
SEAT_STATUSES = frozenset(
    {
        BookingStatus.offered,
        BookingStatus.confirmed,
        BookingStatus.attended,
        BookingStatus.no_show,
        BookingStatus.completed,
    }
)
# Bookings whose course days keep the person busy: a new booking whose meetings
# overlap one of these is refused as a clash, and suggestions leave it out. A
# request or a place on the waiting list counts: either may become a seat.
CLASHING_STATUSES = frozenset(
    {
        BookingStatus.requested,
        BookingStatus.waitlisted,
        BookingStatus.offered,
        BookingStatus.confirmed,
    }
)
# Approved bookings whose price is spent or reserved against the unit's budget.
COMMITTED_STATUSES = frozenset(
    {
        BookingStatus.waitlisted,
        BookingStatus.offered,
        BookingStatus.confirmed,
        BookingStatus.attended,
        BookingStatus.no_show,
        BookingStatus.completed,
        BookingStatus.late_cancelled,
    }
)


def _status_list(statuses) -> str:
    return ", ".join(f"'{s.value}'" for s in sorted(statuses, key=lambda s: s.value))


_ACTIVE_SQL = f"status IN ({_status_list(ACTIVE_STATUSES)})"


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        # Double-clicks and replays meet this index, whatever the engine.
        sa.Index(
            "uq_bookings_one_active",
            "user_id",
            "course_session_id",
            unique=True,
            sqlite_where=sa.text(_ACTIVE_SQL),
            postgresql_where=sa.text(_ACTIVE_SQL),
        ),
        sa.Index("ix_bookings_queue", "course_session_id", "status", "queued_at"),
        # No two bookings of a session ever hold the same place in its queue.
        sa.Index(
            "uq_bookings_queue_number",
            "course_session_id",
            "queue_number",
            unique=True,
        ),
        sa.Index("ix_bookings_offers_due", "status", "offer_expires_at"),
        # A team's requests in the approval inbox, found through its people.
        sa.Index("ix_bookings_user_status", "user_id", "status"),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id"), index=True
    )
    status: Mapped[BookingStatus] = mapped_column(default=BookingStatus.requested)
    # The team and price when booked: budgets are charged where the person was then.
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    price: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    budget_year: Mapped[int]
    needs_approval: Mapped[bool] = mapped_column(default=False)
    approval_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str] = mapped_column(sa.Text, default="")
    # When the person joined the waiting list, and the number drawn then: the
    # queue's stored order (courses/bookings/queue.py).
    queued_at: Mapped[datetime | None]
    queue_number: Mapped[int | None]
    offered_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]
    # Why the person was passed over for a freed seat (a calendar clash), if so.
    skip_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    cancelled_at: Mapped[datetime | None]
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    team: Mapped[OrgUnit | None] = relationship()
    course_session: Mapped[CourseSession] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def offer_lapsed(self) -> bool:
        """An offer past its deadline: pages show it as lapsed; the seat passes on
        when the expire-offers job runs or a POST acts on the booking."""
        return (
            self.status is BookingStatus.offered
            and self.offer_expires_at is not None
            and self.offer_expires_at <= utcnow()
        )

    def __repr__(self) -> str:
        return f"<Booking {self.id} {getattr(self.status, 'value', None)}>"


class Budget(db.Model):
    """What an org unit may spend on courses in a calendar year."""

    __tablename__ = "budgets"
    __table_args__ = (
        sa.UniqueConstraint("org_unit_id", "year"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[intpk]
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    year: Mapped[int]
    amount: Mapped[Decimal]
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    org_unit: Mapped[OrgUnit] = relationship()


class CourseInterest(db.Model):
    """A person's declared interest in a course that has no open session yet."""

    __tablename__ = "course_interests"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    # Kept at declaration so counts by jobcentre need no walk up the tree.
    jobcentre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    jobcentre: Mapped[OrgUnit | None] = relationship()


class PrerequisiteWaiver(db.Model):
    """A manager's recorded exception: the person may book without the prerequisites."""

    __tablename__ = "prerequisite_waivers"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    course: Mapped[Course] = relationship()
