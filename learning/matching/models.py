"""Which competences a course develops, and the dated evidence a completion leaves.

Both live in learning: the jobcentre's framework is the jobcentre's, so courses
never learn of competences; learning records the link and listens for completions.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User
from courses.catalogue.models import Course
from learning.competences.models import Competence


class CourseCompetence(db.Model):
    """A course develops a competence up to a level of the framework's scale.

    The level's upper bound is the scale's top, which a coordinator may change,
    so the database guards only the lower bound and the scale asks before shrinking.
    """

    __tablename__ = "course_competences"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "competence_id"),
        sa.CheckConstraint("level >= 1", name="level_positive"),
    )

    id: Mapped[intpk]
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competences.id"), index=True
    )
    level: Mapped[int]
    demo: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship()
    competence: Mapped[Competence] = relationship()

    def __repr__(self) -> str:
        return f"<CourseCompetence {self.course_id}->{self.competence_id}@{self.level}>"


class EvidenceKind(enum.Enum):
    course = "course"
    job_shadowing = "job_shadowing"


class Evidence(db.Model):
    """A dated fact about a person and a competence, shown beside the ratings.

    Never a rating: the manager turns it into a level in the next manager or
    agreed rating. One row per booking and competence, so completing again
    does not repeat it.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        sa.UniqueConstraint("booking_id", "competence_id"),
        sa.Index("ix_evidence_person_competence", "person_id", "competence_id"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competences.id"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(default=EvidenceKind.course)
    title: Mapped[str] = mapped_column(sa.String(300))
    occurred_on: Mapped[date]
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[User] = relationship()
    competence: Mapped[Competence] = relationship()

    def __repr__(self) -> str:
        return f"<Evidence {self.person_id} {self.competence_id} {self.occurred_on}>"
