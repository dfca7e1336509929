"""The open, bookable sessions of the courses that develop some competences, for
nobody in particular (no one's calendar, no prerequisites): what the demand of
a team, a jobcentre or a region can be closed with (learning.reports.demand).

A national jobcentre's demand reads ~10,000 sessions. They start and end at a
few hundred moments and cost one of a handful of prices, so each column is read
as the driver gives it and each distinct value is converted once, by the
column type's own result processor: the same values SQLAlchemy would make for
each row (issue 19: the conversions were a third of the report's reading)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa

from core.db import UTCDateTime, db, plain_rows, utcnow
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession
from courses.sessions.timing import COPENHAGEN
from learning.matching import reads
from learning.matching.models import CourseCompetence

SESSION, LINK = 0, 1
# OpenSession made without the named tuple's Python-level __new__, which took
# twice as long as the tuple itself (10,000 sessions for a national jobcentre).
_new = tuple.__new__


class LinkedCourse(NamedTuple):
    """A course with open sessions: whom it is for, and the wanted competences
    it develops, (competence id, level reached) each."""

    course_id: int
    audience: str  # "state", "municipal" or "both", as ranking.Offer has it
    links: tuple[tuple[int, int], ...]  # sorted


class OpenSession(NamedTuple):
    """One open session as a group's demand reads it (ranking.Offer's fields of
    the same names, and values)."""

    course_session_id: int
    course_id: int
    price_state: Decimal
    price_municipal: Decimal
    starts_at: datetime
    ends_at: datetime | None
    first_day: date  # the first day in Copenhagen


def open_sessions_for(
    competence_ids: Iterable[int], *, now: datetime | None = None
) -> tuple[dict[int, LinkedCourse], list[OpenSession]]:
    """The courses that develop these competences and have an open session
    (the matching engine's open_now and listing rules), and those sessions.
    One query."""
    wanted = sorted(set(competence_ids))
    rows = plain_rows(_statement(), {"wanted": wanted, "now": now or utcnow()})
    dialect = db.session.get_bind().dialect
    codes = [column[1] for column in rows.cursor.description]
    price = Converted(sa.Numeric(12, 2), dialect, codes[5], Decimal)
    moment = Converted(UTCDateTime(), dialect, codes[7])
    audience = Converted(Course.audience.type, dialect, codes[4], lambda a: a.value)
    first_day = Converted(UTCDateTime(), dialect, codes[7], _first_day)
    links: dict[int, list[tuple[int, int]]] = {}
    kinds: dict[int, str] = {}
    sessions = []
    for (
        kind,
        course_id,
        sid,
        level,
        aud,
        p_state,
        p_municipal,
        start,
        end,
    ) in rows.all():
        if kind == LINK:
            links.setdefault(course_id, []).append((sid, level))
            kinds[course_id] = audience[aud]
            continue
        sessions.append(
            _new(
                OpenSession,
                (
                    sid,
                    course_id,
                    price[p_state],
                    price[p_municipal],
                    moment[start],
                    moment[end],
                    first_day[start],
                ),
            )
        )
    with_sessions = {s.course_id for s in sessions}
    courses = {
        course_id: LinkedCourse(course_id, kinds[course_id], tuple(sorted(found)))
        for course_id, found in links.items()
        if course_id in with_sessions
    }
    return courses, [s for s in sessions if s.course_id in courses]


class Converted(dict):
    """Raw column values -> the values `type_` makes of them on this dialect for
    the driver's type code `code` (what SQLAlchemy itself passes), then passed
    through `then`: each distinct value converted once, on first look-up."""

    def __init__(self, type_, dialect, code, then: Callable = lambda v: v):
        super().__init__()
        self.process = type_.dialect_impl(dialect).result_processor(dialect, code)
        self.then = then

    def __missing__(self, raw):
        if raw is None:
            value = None
        else:
            value = self.then(self.process(raw) if self.process else raw)
        self[raw] = value
        return value


def _first_day(starts_at: datetime) -> date:
    return starts_at.astimezone(COPENHAGEN).date()


@cache
def _statement() -> sa.CompoundSelect:
    """(SESSION, course, session, NULL, NULL, price state, price municipal,
    start, end) for each open session of a course linked to a `wanted`
    competence, and (LINK, course, competence, level, audience, NULL...) for
    those links, every value as the driver reads it. Built once per process."""
    wanted = sa.bindparam("wanted", expanding=True)
    now = sa.bindparam("now", type_=UTCDateTime())
    raw = sa.String

    def plain(column):
        return sa.type_coerce(column, raw)

    linked = sa.select(CourseCompetence.course_id).where(
        CourseCompetence.competence_id.in_(wanted)
    )
    sessions = (
        sa.select(
            reads.union_kind(SESSION),
            CourseSession.course_id,
            CourseSession.id,
            sa.type_coerce(sa.null(), sa.Integer),
            plain(sa.null()),
            plain(sa.func.coalesce(CourseSession.price_state, Course.price_state)),
            plain(
                sa.func.coalesce(CourseSession.price_municipal, Course.price_municipal)
            ),
            plain(CourseSession.starts_at),
            plain(CourseSession.ends_at),
        )
        .join(Course, Course.id == CourseSession.course_id)
        .where(CourseSession.course_id.in_(linked), *reads.open_now(now))
    )
    links = (
        sa.select(
            reads.union_kind(LINK),
            CourseCompetence.course_id,
            CourseCompetence.competence_id,
            CourseCompetence.level,
            plain(Course.audience),
            *[sa.null()] * 4,
        )
        .join(Course, Course.id == CourseCompetence.course_id)
        .where(CourseCompetence.competence_id.in_(wanted))
    )
    return sa.union_all(sessions, links)
