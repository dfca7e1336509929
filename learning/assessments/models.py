"""Assessment rounds and their ratings: self, manager and agreed, append-only."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User
from learning.competences.models import Competence


class RatingSource(enum.Enum):
    self = "self"
    manager = "manager"
    agreed = "agreed"


class AssessmentRound(db.Model):
    """One dated sitting: a person (or their manager) rated several competences."""

    __tablename__ = "assessment_rounds"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    source: Mapped[RatingSource]
    rated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    rated_by: Mapped[User | None] = relationship(foreign_keys=[rated_by_id])
    ratings: Mapped[list["Rating"]] = relationship(back_populates="round")


class Rating(db.Model):
    """One competence's level in a round. Never updated: a new round adds new rows.

    person, source and rated_at repeat the round's so the gap engine reads one table.
    """

    __tablename__ = "ratings"
    __table_args__ = (
        # A person's latest rating of a competence by a source is one step in
        # this index, the level read from it and not from the table: the gap
        # engine asks that for every target of the person (the dashboard, the
        # profile, the plan, Forslag til dig), three sources each.
        sa.Index(
            "ix_ratings_latest",
            "person_id",
            "competence_id",
            "source",
            "rated_at",
            "id",
            "level",
        ),
        sa.CheckConstraint("level >= 0", name="level_not_negative"),
    )

    id: Mapped[intpk]
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_rounds.id"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competences.id"), index=True
    )
    source: Mapped[RatingSource]
    level: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[AssessmentRound] = relationship(back_populates="ratings")
    competence: Mapped[Competence] = relationship()


class AppendOnlyError(RuntimeError):
    """Ratings are history: they are added, never changed."""


@event.listens_for(Rating, "before_update")
@event.listens_for(AssessmentRound, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AppendOnlyError(f"{type(target).__name__} rows are append-only")
