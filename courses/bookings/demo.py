"""Demo bookings and budgets (runs after the sessions seeder; safe to run again)."""

from decimal import Decimal

import sqlalchemy as sa

from core import clock
from core.db import db, utcnow
from core.people.models import OrgUnit, Role, UnitKind, User, UserRole
from courses.bookings import budgets, services
from courses.bookings.errors import BookingError
from courses.bookings.models import Booking, Budget
from courses.sessions.models import CourseSession, SessionStatus

DEMO_BUDGET = Decimal("60000")


def seed_bookings() -> None:
    """Give every demo team a budget for this year and a few people some bookings."""
    year = clock.today().year
    teams = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.team))
    for team in teams:
        has = db.session.scalar(
            sa.select(Budget.id).where(
                Budget.org_unit_id == team.id, Budget.year == year
            )
        )
        if has is None:
            budgets.set_budget_unchecked(team, year, DEMO_BUDGET)
    if db.session.scalar(sa.select(Booking.id).limit(1)) is not None:
        return  # bookings exist: the demo has been seeded before
    sessions = db.session.scalars(
        sa.select(CourseSession)
        .where(
            CourseSession.status == SessionStatus.open,
            CourseSession.starts_at > utcnow(),
        )
        .order_by(CourseSession.starts_at)
        .limit(4)
    ).all()
    people = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.employee, User.team_id.is_not(None))
        .order_by(User.id)
        .limit(6)
    ).all()
    for i, person in enumerate(people):
        for course_session in sessions[i % 2 :: 2][:1]:
            try:
                services.book(person, course_session)
            except BookingError:
                continue  # the rules say no (audience, prerequisites): skip
    db.session.flush()
