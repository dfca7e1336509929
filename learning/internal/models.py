"""Internal learning: colleagues' offers (job shadowing, peer sessions) booked as
course sessions, their sign-off, requests for a mentor and the opt-out from being
suggested as one."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import OrgUnit, User
from courses.bookings.models import Booking
from courses.sessions.models import CourseSession
from learning.competences.models import Competence


class OfferKind(enum.Enum):
    job_shadowing = "job_shadowing"  # følordning / sidemandsoplæring
    peer_session = "peer_session"  # kollegial sparring


class InternalOffer(db.Model):
    """A colleague's offer. The seats, dates, waiting list and approval are those
    of its course session under the jobcentre's internal provider."""

    __tablename__ = "internal_offers"

    id: Mapped[intpk]
    course_session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_sessions.id"), unique=True
    )
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    jobcentre_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    kind: Mapped[OfferKind]
    # The learner's manager approves the booking first (the host asked for it).
    needs_approval: Mapped[bool] = mapped_column(default=False)
    demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    course_session: Mapped[CourseSession] = relationship()
    host: Mapped[User] = relationship()
    jobcentre: Mapped[OrgUnit] = relationship()


class OfferCompletion(db.Model):
    """The learner's short reflection and the host's sign-off of one booking."""

    __tablename__ = "internal_offer_completions"

    id: Mapped[intpk]
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    reflection: Mapped[str] = mapped_column(sa.Text, default="")
    reflected_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None]

    booking: Mapped[Booking] = relationship()
    signed_off_by: Mapped[User | None] = relationship()


class RequestStatus(enum.Enum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"


class MentorRequest(db.Model):
    """A person asks a colleague for sparring on one competence."""

    __tablename__ = "mentor_requests"
    __table_args__ = (
        # One open question per person, colleague and competence, on every engine.
        sa.Index(
            "uq_mentor_requests_one_pending",
            "requester_id",
            "mentor_id",
            "competence_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[intpk]
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    competence_id: Mapped[int] = mapped_column(sa.ForeignKey("competences.id"))
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.pending)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    competence: Mapped[Competence] = relationship()


class MentorOptOut(db.Model):
    """The person does not want to be suggested as a mentor or sparring partner."""

    __tablename__ = "mentor_opt_outs"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
