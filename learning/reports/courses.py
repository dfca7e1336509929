"""The courses a demand report names, read once: the titles of the courses whose
sessions close gaps, and, for a jobcentre, the interest its people declared in
courses with no open session ahead to book (and not archived); for a jobcentre
in the same statement as its people."""

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.clock import now
from core.db import db
from core.people.models import EmployerKind, OrgUnit, UnitKind, User
from courses.bookings.models import CourseInterest
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from learning.reports.demand import Member


@dataclass
class NamedCourses:
    titles: dict[int, str] = field(default_factory=dict)  # course id -> title
    # (title, people interested) for courses with nothing to book, most first
    interest: list[tuple[str, int]] = field(default_factory=list)


def named_courses(course_ids: Iterable[int], jobcentre_id: int | None) -> NamedCourses:
    """One query (none when there is nothing to name)."""
    ids = set(course_ids)
    found = NamedCourses()
    if jobcentre_id is None:
        if ids:
            stmt = sa.select(Course.id, Course.title).where(Course.id.in_(ids))
            found.titles = dict(db.session.execute(stmt).all())
        return found
    stmt = _courses_of(jobcentre_id, Course.id.in_(ids))
    for course_id, title, n, unbookable in db.session.execute(
        stmt.order_by(sa.desc(stmt.selected_columns[2]), Course.title, Course.id)
    ):
        _name(found, course_id, title, n, unbookable)
    return found


def people_and_courses(unit: OrgUnit) -> tuple[list[Member], NamedCourses]:
    """The active people of a team or a jobcentre (id and employer kind, by id)
    and the courses its demand can name, in one statement: the titles of every
    course with a session ahead to book (a superset of those whose sessions
    close a gap) and, for a jobcentre, the interest its people declared."""
    people = sa.select(
        sa.literal(0).label("kind"),
        User.id,
        sa.cast(User.employer_kind, sa.String),
        sa.null(),
        sa.null(),
    ).where(User.active.is_(True))
    if unit.kind is UnitKind.team:
        people = people.where(User.team_id == unit.id)
        courses = sa.select(
            sa.literal(1), Course.id, Course.title, sa.null(), sa.null()
        ).where(_bookable())
    else:
        team = aliased(OrgUnit)
        people = people.join(team, team.id == User.team_id).where(
            team.parent_id == unit.id
        )
        courses = _courses_of(unit.id, _bookable(), kind=1)
    members, found = [], NamedCourses()
    rows = db.session.execute(sa.union_all(people, courses)).all()
    for kind, key, text, n, unbookable in sorted(rows, key=_order):
        if kind == 0:
            members.append(Member(key, EmployerKind(text)))
        else:
            _name(found, key, text, n, unbookable)
    return members, found


def _order(row) -> tuple:
    """People by id; then courses most wanted first, by title."""
    kind, key, text, n, _unbookable = row
    return (kind, key) if kind == 0 else (kind, -(n or 0), text, key)


def _name(found: NamedCourses, course_id, title, n, unbookable) -> None:
    found.titles[course_id] = title
    if n and unbookable:
        found.interest.append((title, n))


def _bookable():
    return sa.exists().where(
        CourseSession.course_id == Course.id,
        CourseSession.status == SessionStatus.open,
        sa.or_(CourseSession.starts_at.is_(None), CourseSession.starts_at > now()),
    )


def _courses_of(jobcentre_id: int, named, kind: int | None = None) -> sa.Select:
    """(course, title, people of the jobcentre interested, nothing to book) for
    the courses `named` selects and those its people declared interest in."""
    nothing_to_book = sa.and_(Course.archived_at.is_(None), ~_bookable())
    wanted = sa.func.count(CourseInterest.id)
    first = [] if kind is None else [sa.literal(kind)]
    return (
        sa.select(
            *first,
            Course.id,
            Course.title,
            wanted,
            sa.case((nothing_to_book, True), else_=False),
        )
        .outerjoin(
            CourseInterest,
            sa.and_(
                CourseInterest.course_id == Course.id,
                CourseInterest.jobcentre_id == jobcentre_id,
            ),
        )
        .where(sa.or_(named, CourseInterest.id.is_not(None)))
        .group_by(Course.id, Course.title, Course.archived_at)
    )
