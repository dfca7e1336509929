"""Diplomas, their modules and a person's progress; they flush, the caller commits."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core import clock
from core.audit import record
from core.db import db, plain_rows
from core.people.models import User
from core.people.services import managed_team_ids
from courses.catalogue.models import Course
from courses.diplomas.errors import DiplomaError
from courses.diplomas.models import (
    EARNED,
    Diploma,
    DiplomaEnrolment,
    DiplomaModule,
    ModuleKind,
    ModuleProgress,
    ModuleStatus,
)
from courses.diplomas.permissions import allowed_statuses


def add_module(
    actor: User | None,
    diploma: Diploma,
    course: Course,
    *,
    ects: Decimal | int,
    kind: ModuleKind = ModuleKind.elective,
    code: str = "",
    demo: bool = False,
) -> DiplomaModule:
    """Make `course` count towards `diploma` with `ects` credits."""
    if Decimal(ects) <= 0:
        raise DiplomaError("ects_not_positive")
    module = DiplomaModule(
        diploma=diploma,
        course=course,
        ects=Decimal(ects),
        kind=kind,
        code=code,
        demo=demo,
        position=len(diploma.modules),
    )
    db.session.add(module)
    db.session.flush()
    record(actor, "diploma.add_module", diploma, after={"course_id": course.id})
    return module


def _statuses(user: User, diploma: Diploma) -> dict[int, ModuleProgress]:
    rows = db.session.scalars(
        sa.select(ModuleProgress)
        .join(ModuleProgress.module)
        .where(
            ModuleProgress.user_id == user.id, DiplomaModule.diploma_id == diploma.id
        )
    )
    return {row.module_id: row for row in rows}


def set_status(
    actor: User,
    person: User,
    module: DiplomaModule,
    status: ModuleStatus,
    *,
    completed_on: date | None = None,
) -> ModuleProgress:
    """Record `person`'s status on `module`; the final project must come last."""
    if status not in allowed_statuses(actor, person):
        raise DiplomaError("status_not_allowed")
    if module.kind is ModuleKind.final_project:
        if status is ModuleStatus.accredited:
            raise DiplomaError("final_project_not_accredited")
        if status is ModuleStatus.passed:
            before = progress(person, module.diploma)
            if before.missing_before_final > 0 or before.mandatory_missing:
                raise DiplomaError("final_project_last")
    row = _statuses(person, module.diploma).get(module.id)
    if row is None:
        row = ModuleProgress(user_id=person.id, module=module)
        db.session.add(row)
    old = row.status.value if row.status else None
    row.status = status
    row.completed_on = completed_on if status in EARNED else None
    row.changed_by_id = actor.id
    db.session.flush()
    record(
        actor,
        "diploma.module_status",
        row,
        before={"status": old},
        after={"status": status.value, "user_id": person.id},
    )
    return row


def enrol(actor: User, person: User, diploma: Diploma, started_on: date):
    """Record when `person` started `diploma`; the completion deadline runs from it."""
    if not allowed_statuses(actor, person):
        raise DiplomaError("status_not_allowed")
    if started_on > clock.today():
        raise DiplomaError("start_in_future")
    enrolment = db.session.scalar(
        sa.select(DiplomaEnrolment).where(
            DiplomaEnrolment.user_id == person.id,
            DiplomaEnrolment.diploma_id == diploma.id,
        )
    )
    if enrolment is None:
        enrolment = DiplomaEnrolment(user_id=person.id, diploma=diploma)
        db.session.add(enrolment)
    enrolment.started_on = started_on
    db.session.flush()
    record(actor, "diploma.enrol", diploma, after={"user_id": person.id})
    return enrolment


# How a rule stands: met, still open, not to be judged without the start date,
# or past the completion deadline (it can no longer be met).
MET, OPEN, NO_START, MISSED = "met", "open", "no_start", "missed"


@dataclass
class Rule:
    code: str
    state: str
    params: dict = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.state == MET


@dataclass
class Progress:
    diploma: Diploma
    rows: list[tuple[DiplomaModule, ModuleStatus | None]]
    ects: dict[ModuleStatus, Decimal]
    earned: Decimal
    missing: Decimal
    missing_before_final: Decimal
    mandatory_missing: list[DiplomaModule]
    deadline: date | None
    rules: list[Rule]
    started_on: date | None = None

    @property
    def complete(self) -> bool:
        return all(rule.met for rule in self.rules)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _deadline_state(
    deadline: date | None, today: date, done: bool, finished_on: date | None
) -> str:
    """The completion rule: met when the diploma was completed by the deadline;
    without a start date there is no deadline to judge by."""
    if deadline is None:
        return NO_START
    if done:
        return MISSED if finished_on is not None and finished_on > deadline else MET
    return OPEN if today <= deadline else MISSED


def _finished_on(statuses: dict[int, ModuleProgress]) -> date | None:
    """The last day a module was earned, when every earned one has its date."""
    days = [p.completed_on for p in statuses.values() if p.status in EARNED]
    if not days or None in days:
        return None
    return max(days)


def progress(person: User, diploma: Diploma, *, today: date | None = None) -> Progress:
    """Where `person` stands on `diploma`: ECTS by status and the rules not yet met."""
    today = today or clock.today()
    statuses = _statuses(person, diploma)
    rows = [
        (m, statuses[m.id].status if m.id in statuses else None)
        for m in diploma.modules
    ]
    ects = {status: Decimal(0) for status in ModuleStatus}
    for module, status in rows:
        if status is not None:
            ects[status] += module.ects
    earned = ects[ModuleStatus.passed] + ects[ModuleStatus.accredited]
    total = Decimal(diploma.total_ects)
    final = [m for m, _s in rows if m.kind is ModuleKind.final_project]
    final_ects = sum((m.ects for m in final), Decimal(0))
    final_done = bool(final) and all(
        statuses.get(m.id) and statuses[m.id].status in EARNED for m in final
    )
    earned_before_final = earned - (final_ects if final_done else 0)
    mandatory_missing = [
        m for m, s in rows if m.kind is ModuleKind.mandatory and s not in EARNED
    ]
    enrolment = db.session.scalar(
        sa.select(DiplomaEnrolment).where(
            DiplomaEnrolment.user_id == person.id,
            DiplomaEnrolment.diploma_id == diploma.id,
        )
    )
    deadline = (
        _years_later(enrolment.started_on, diploma.completion_years)
        if enrolment
        else None
    )
    missing = max(Decimal(0), total - earned)
    done = earned >= total and final_done
    rules = [
        Rule("total", earned >= total, {"earned": earned, "total": total}),
        Rule("mandatory", not mandatory_missing, {"count": len(mandatory_missing)}),
        Rule("final_project", final_done, {"ects": final_ects}),
    ]
    passed = deadline is not None and today > deadline and not done
    rules = [
        Rule(r.code, MET if r.state else (MISSED if passed else OPEN), r.params)
        for r in rules
    ]
    rules.append(
        Rule(
            "deadline",
            _deadline_state(deadline, today, done, _finished_on(statuses)),
            {"deadline": deadline, "years": diploma.completion_years},
        )
    )
    return Progress(
        diploma=diploma,
        rows=rows,
        ects=ects,
        earned=earned,
        missing=missing,
        missing_before_final=max(Decimal(0), total - final_ects - earned_before_final),
        mandatory_missing=mandatory_missing,
        deadline=deadline,
        rules=rules,
        started_on=enrolment.started_on if enrolment else None,
    )


def load_diploma(diploma_id: int) -> Diploma | None:
    return db.session.scalar(
        sa.select(Diploma)
        .options(joinedload(Diploma.modules).joinedload(DiplomaModule.course))
        .where(Diploma.id == diploma_id)
    )


def diplomas_of(person: User) -> list[tuple[sa.Row, Decimal]]:
    """The diplomas `person` has started or recorded modules in (rows with their
    id, title and total_ects), by title, with the ECTS earned: one statement,
    built once (_diplomas_statement), read as plain columns."""
    rows = plain_rows(_diplomas_statement(), {"person": person.id})
    return [(row, Decimal(row.ects)) for row in rows]


@cache
def _diplomas_statement() -> sa.Select:
    """diplomas_of()'s statement for the person `person`: built anew each request
    (the dashboard's), it and its cache key cost more than the answer (issue 19)."""
    person = sa.bindparam("person")
    earned = sa.func.coalesce(
        sa.func.sum(
            sa.case((ModuleProgress.status.in_(list(EARNED)), DiplomaModule.ects))
        ),
        0,
    )
    recorded = (
        sa.select(DiplomaModule.diploma_id.label("diploma_id"), earned.label("ects"))
        .join(ModuleProgress, ModuleProgress.module_id == DiplomaModule.id)
        .where(ModuleProgress.user_id == person)
        .group_by(DiplomaModule.diploma_id)
        .subquery()
    )
    enrolled = sa.select(DiplomaEnrolment.diploma_id).where(
        DiplomaEnrolment.user_id == person
    )
    return (
        sa.select(
            Diploma.id,
            Diploma.title,
            Diploma.total_ects,
            sa.func.coalesce(recorded.c.ects, 0).label("ects"),
        )
        .outerjoin(recorded, recorded.c.diploma_id == Diploma.id)
        .where(sa.or_(recorded.c.diploma_id.is_not(None), Diploma.id.in_(enrolled)))
        .order_by(Diploma.title)
    )


def team_members(manager: User) -> list[User]:
    """The people in the teams `manager` leads, by name."""
    teams = managed_team_ids(manager)
    if not teams:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.team_id.in_(teams), User.active.is_(True))
            .order_by(User.name)
        )
    )
