"""Diploma programmes, their modules (courses with ECTS) and a person's progress."""

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User
from courses.catalogue.models import Course, Provider


class ModuleKind(enum.Enum):
    mandatory = "mandatory"
    elective = "elective"
    final_project = "final_project"


class ModuleStatus(enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    passed = "passed"
    accredited = "accredited"  # recognised prior learning (merit / RKV)
    not_relevant = "not_relevant"
    failed = "failed"


# The statuses that earn a module's ECTS.
EARNED = frozenset({ModuleStatus.passed, ModuleStatus.accredited})


class Diploma(db.Model):
    __tablename__ = "diplomas"
    __table_args__ = (
        sa.CheckConstraint("total_ects > 0", name="total_ects_positive"),
        sa.CheckConstraint("completion_years > 0", name="completion_years_positive"),
    )

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    provider_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("providers.id"), index=True
    )
    total_ects: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1), default=Decimal(60))
    completion_years: Mapped[int] = mapped_column(default=6)
    demo: Mapped[bool] = mapped_column(default=False)

    provider: Mapped[Provider | None] = relationship()
    modules: Mapped[list["DiplomaModule"]] = relationship(
        back_populates="diploma",
        cascade="all, delete-orphan",
        order_by="(DiplomaModule.position, DiplomaModule.id)",
    )


class DiplomaModule(db.Model):
    """A course that counts towards a diploma, with its ECTS and kind."""

    __tablename__ = "diploma_modules"
    __table_args__ = (
        sa.UniqueConstraint("diploma_id", "course_id"),
        sa.CheckConstraint("ects > 0", name="ects_positive"),
    )

    id: Mapped[intpk]
    diploma_id: Mapped[int] = mapped_column(sa.ForeignKey("diplomas.id"), index=True)
    # Indexed for the catalogue's "diploma modules only" filter.
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40), default="")
    ects: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    kind: Mapped[ModuleKind] = mapped_column(default=ModuleKind.elective)
    position: Mapped[int] = mapped_column(default=0)
    # True where the source marks the module's title, ECTS or kind as unverified.
    demo: Mapped[bool] = mapped_column(default=False)

    diploma: Mapped[Diploma] = relationship(back_populates="modules")
    # Course.diploma_modules, read-only: a course's page reads the diplomas it
    # belongs to with the course (catalogue_part.py), which knows no diplomas.
    course: Mapped[Course] = relationship(
        backref=backref("diploma_modules", viewonly=True, order_by="DiplomaModule.id")
    )


class DiplomaEnrolment(db.Model):
    """A person taking a diploma; the completion deadline runs from `started_on`."""

    __tablename__ = "diploma_enrolments"
    __table_args__ = (sa.UniqueConstraint("user_id", "diploma_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    diploma_id: Mapped[int] = mapped_column(sa.ForeignKey("diplomas.id"), index=True)
    started_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    diploma: Mapped[Diploma] = relationship()


class ModuleProgress(db.Model):
    """One person's status on one module; set by them, their manager or an admin."""

    __tablename__ = "module_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("diploma_modules.id"), index=True
    )
    status: Mapped[ModuleStatus] = mapped_column(default=ModuleStatus.planned)
    completed_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    module: Mapped[DiplomaModule] = relationship()
