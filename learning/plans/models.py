"""Development plans: a person's plan for a period, framed by the yearly talk
(MUS), and a unit's plan (a regional advisory project with a jobcentre); their
goals, activities and the history of decisions."""

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import OrgUnit, User
from courses.bookings.models import Booking
from courses.diplomas.models import DiplomaModule
from courses.sessions.models import CourseSession
from learning.competences.models import Competence


class PlanStatus(enum.Enum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"  # back with the manager's comment; edited like a draft
    approved = "approved"
    completed = "completed"


# The states in which the owner (or a unit plan's editors) may change the content.
EDITABLE = frozenset({PlanStatus.draft, PlanStatus.returned})


class PlanKind(enum.Enum):
    person = "person"
    unit = "unit"


class ActivityKind(enum.Enum):
    course = "course"  # a course session, booked through the booking life cycle
    diploma_module = "diploma_module"
    internal = "internal"  # job shadowing, mentoring or peer training with a colleague
    reading = "reading"
    seminar = "seminar"  # unit plans: seminars and network meetings
    other = "other"


class Funding(enum.Enum):
    budget = "budget"  # the team's (unit's) budget
    fund = "fund"  # Den Kommunale Kompetencefond: 80 %, capped per person
    free = "free"


class ActivityStatus(enum.Enum):
    planned = "planned"
    completed = "completed"
    dropped = "dropped"  # its booking was cancelled or refused


class AimsMet(enum.Enum):
    met = "met"
    partly = "partly"
    not_met = "not_met"


class Plan(db.Model):
    __tablename__ = "plans"
    __table_args__ = (
        # One plan per person per period; unit plans are many per unit.
        sa.Index(
            "uq_plans_person_period",
            "owner_id",
            "starts_on",
            unique=True,
            sqlite_where=sa.text("kind = 'person'"),
            postgresql_where=sa.text("kind = 'person'"),
        ),
        sa.CheckConstraint(
            "(kind = 'person' AND owner_id IS NOT NULL)"
            " OR (kind = 'unit' AND unit_id IS NOT NULL)",
            name="owner_or_unit",
        ),
        sa.CheckConstraint("ends_on >= starts_on", name="period_in_order"),
    )

    id: Mapped[intpk]
    kind: Mapped[PlanKind] = mapped_column(default=PlanKind.person)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    # The team whose manager decides and whose budget pays, fixed when submitted.
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    status: Mapped[PlanStatus] = mapped_column(default=PlanStatus.draft, index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(300), default="")

    # The talk (MUS): both sides prepare, then record what was agreed.
    wishes: Mapped[str] = mapped_column(sa.Text, default="")
    employee_note: Mapped[str] = mapped_column(sa.Text, default="")
    manager_note: Mapped[str] = mapped_column(sa.Text, default="")
    talk_on: Mapped[date | None]
    talk_summary: Mapped[str] = mapped_column(sa.Text, default="")

    # Unit plans (seed 002): aims, strategy, who answers for it, the closing report.
    aims: Mapped[str] = mapped_column(sa.Text, default="")
    strategy: Mapped[str] = mapped_column(sa.Text, default="")
    responsible: Mapped[str] = mapped_column(sa.String(300), default="")
    status_report: Mapped[str] = mapped_column(sa.Text, default="")
    aims_met: Mapped[AimsMet | None]

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str] = mapped_column(sa.Text, default="")
    completed_at: Mapped[datetime | None]

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id])
    team: Mapped[OrgUnit | None] = relationship(foreign_keys=[team_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    goals: Mapped[list["PlanGoal"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanGoal.id"
    )
    activities: Mapped[list["PlanActivity"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanActivity.id",
    )
    decisions: Mapped[list["PlanDecision"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanDecision.id",
    )

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def total_cost(self) -> Decimal:
        return sum((a.cost for a in self.activities if a.counts), Decimal(0))


class PlanGoal(db.Model):
    """A competence raised to a target level, or a goal in words outside the
    framework."""

    __tablename__ = "plan_goals"
    __table_args__ = (
        sa.CheckConstraint(
            "competence_id IS NOT NULL OR text <> ''", name="competence_or_text"
        ),
    )

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    competence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("competences.id"))
    target_level: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="goals")
    competence: Mapped[Competence | None] = relationship()


class PlanActivity(db.Model):
    __tablename__ = "plan_activities"
    __table_args__ = (sa.CheckConstraint("cost >= 0", name="cost_not_negative"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_goals.id", ondelete="SET NULL")
    )
    kind: Mapped[ActivityKind]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    course_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_sessions.id"), index=True
    )
    # Set when the plan is submitted: the request that the approval decides.
    booking_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bookings.id"), index=True
    )
    diploma_module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("diploma_modules.id")
    )
    colleague_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cost: Mapped[Decimal] = mapped_column(default=Decimal(0))
    funding: Mapped[Funding] = mapped_column(default=Funding.budget)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    participants: Mapped[int] = mapped_column(default=1)  # unit plans
    status: Mapped[ActivityStatus] = mapped_column(default=ActivityStatus.planned)
    completed_at: Mapped[datetime | None]
    # Who marked it done: the named colleague signing it off, or the manager
    # (a colleague-led activity); the colleague's short note on how it went.
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    completion_note: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="activities")
    goal: Mapped[PlanGoal | None] = relationship()
    course_session: Mapped[CourseSession | None] = relationship()
    booking: Mapped[Booking | None] = relationship()
    diploma_module: Mapped[DiplomaModule | None] = relationship()
    colleague: Mapped[User | None] = relationship(foreign_keys=[colleague_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    @property
    def signed_off(self) -> bool:
        """Completed by the colleague it names (their sign-off)."""
        return (
            self.status is ActivityStatus.completed
            and self.colleague_id is not None
            and self.completed_by_id == self.colleague_id
        )

    @property
    def counts(self) -> bool:
        """Dropped activities cost nothing."""
        return self.status is not ActivityStatus.dropped


class PlanDecision(db.Model):
    """One step in the plan's history: who moved it where, when and why."""

    __tablename__ = "plan_decisions"

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[PlanStatus | None]
    target: Mapped[PlanStatus]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="decisions")
    actor: Mapped[User | None] = relationship()
