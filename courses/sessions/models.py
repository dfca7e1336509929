"""Course sessions (one scheduled run of a course) and their meetings."""

import enum
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import EmployerKind
from courses.catalogue.models import Course
from courses.sessions.timing import COPENHAGEN


class SessionStatus(enum.Enum):
    planned = "planned"
    open = "open"
    cancelled = "cancelled"


def new_calendar_uid() -> str:
    return uuid.uuid4().hex


class CourseSession(db.Model):
    __tablename__ = "course_sessions"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "min_participants >= 0", name="min_participants_not_negative"
        ),
        # The booking counter's backstop: a seat can never be taken twice over.
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        sa.UniqueConstraint("course_id", "provider_uid"),
        sa.Index("ix_course_sessions_listing", "status", "starts_at"),
        # A course's upcoming sessions: the catalogue's date, seat and sort filters.
        sa.Index("ix_course_sessions_course_upcoming", "course_id", "starts_at"),
        # The catalogue cache's data version reads the latest change.
        sa.Index("ix_course_sessions_updated_at", "updated_at"),
    )

    id: Mapped[intpk]
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    capacity: Mapped[int] = mapped_column(default=20)
    min_participants: Mapped[int] = mapped_column(default=0)
    # Confirmed plus offered seats; changed only by one conditional UPDATE per booking.
    seats_taken: Mapped[int] = mapped_column(default=0)
    # A price here overrides the course's price for that employer kind.
    price_state: Mapped[Decimal | None]
    price_municipal: Mapped[Decimal | None]
    booking_deadline: Mapped[datetime | None]
    cancellation_deadline: Mapped[datetime | None]
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[SessionStatus] = mapped_column(default=SessionStatus.open)
    # First start and last end of the meetings, kept by the services for sorting
    # and filters.
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    calendar_uid: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_calendar_uid
    )
    sequence: Mapped[int] = mapped_column(default=0)
    provider_uid: Mapped[str | None] = mapped_column(sa.String(500))
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="course_session",
        cascade="all, delete-orphan",
        order_by="Meeting.starts_at",
    )

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def price_for(self, employer_kind: EmployerKind) -> Decimal:
        state = employer_kind is EmployerKind.state
        own = self.price_state if state else self.price_municipal
        return own if own is not None else self.course.price_for(employer_kind)


class Meeting(db.Model):
    """One dated block of a session. Instants are UTC; pages show Europe/Copenhagen."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.UniqueConstraint("course_session_id", "recurrence_id"),
    )

    id: Mapped[intpk]
    course_session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    # Whole days (an imported all-day event): local midnight to midnight, shown
    # and published as dates. Set by the import only; editing times clears it.
    all_day: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    sequence: Mapped[int] = mapped_column(default=0)
    # For imported meetings: the provider's RECURRENCE-ID ("" for a single event).
    recurrence_id: Mapped[str | None] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course_session: Mapped[CourseSession] = relationship(back_populates="meetings")

    @property
    def first_day(self) -> date:
        """The Danish date the meeting starts on."""
        return self.starts_at.astimezone(COPENHAGEN).date()

    @property
    def last_day(self) -> date:
        """The Danish date of the meeting's last day (for all-day meetings, the
        day before the midnight it ends at)."""
        end = self.ends_at.astimezone(COPENHAGEN)
        return (end - timedelta(days=1)).date() if self.all_day else end.date()
