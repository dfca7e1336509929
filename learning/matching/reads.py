"""The matching engine's reads, each several kinds of row in one statement: what
the people have booked, waived and enrolled in; and the course links, the open
sessions with their prerequisites and the meetings near somebody's busy time.
A UNION ALL tells the kinds apart by its first column; the other columns take
the types of the first SELECT, so the kinds share the columns their values fit.
"""

from datetime import datetime

import sqlalchemy as sa

from core.db import db
from courses.bookings.models import Booking, PrerequisiteWaiver
from courses.catalogue.models import Course, course_prerequisites
from courses.diplomas.models import DiplomaEnrolment, DiplomaModule, ModuleProgress
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.matching.models import CourseCompetence

BOOKING, WAIVER, PROGRAMME, LINKED = 0, 1, 2, 3
SESSION, LINK, MEETING, PLACE = 0, 1, 2, 3
# Busy intervals sent as an OR of ranges; more (a jobcentre's) read the meetings
# in a statement of their own (engine._meetings_near).
MAX_INTERVALS = 100


def union_kind(n: int):
    """The literal that tags a UNION ALL branch's rows (SESSION, LINK, ...)."""
    return sa.literal_column(str(n), sa.Integer)


def facts(ids: list[int], statuses, wanted: set[int] | None = None) -> dict[int, list]:
    """Kind -> (person, course or programme, booking status) rows: the people's
    bookings in `statuses` by course, their prerequisite waivers, and the
    diploma programmes they follow (enrolled, or with progress in a module).
    With `wanted`, also LINKED: (course, competence, level) for the links to
    those competences."""
    level = sa.cast(sa.null(), sa.Integer)
    parts = [
        sa.select(union_kind(BOOKING), Booking.user_id, CourseSession.course_id)
        .add_columns(Booking.status, level)
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .where(Booking.user_id.in_(ids), Booking.status.in_(list(statuses))),
        sa.select(
            union_kind(WAIVER),
            PrerequisiteWaiver.user_id,
            PrerequisiteWaiver.course_id,
            sa.null(),
            sa.null(),
        ).where(PrerequisiteWaiver.user_id.in_(ids)),
        sa.select(
            union_kind(PROGRAMME),
            DiplomaEnrolment.user_id,
            DiplomaEnrolment.diploma_id,
            sa.null(),
            sa.null(),
        ).where(DiplomaEnrolment.user_id.in_(ids)),
        sa.select(
            union_kind(PROGRAMME),
            ModuleProgress.user_id,
            DiplomaModule.diploma_id,
            sa.null(),
            sa.null(),
        )
        .join(DiplomaModule, DiplomaModule.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id.in_(ids)),
    ]
    if wanted is not None:
        parts.append(
            sa.select(
                union_kind(LINKED),
                CourseCompetence.course_id,
                CourseCompetence.competence_id,
                sa.null(),
                CourseCompetence.level,
            ).where(CourseCompetence.competence_id.in_(wanted))
        )
    found: dict[int, list] = {BOOKING: [], WAIVER: [], PROGRAMME: [], LINKED: []}
    for kind, first, second, status, level in db.session.execute(sa.union_all(*parts)):
        if kind == LINKED:
            found[kind].append((first, second, level))
        else:
            found[kind].append((first, second, status))
    return found


def open_now(now: datetime) -> list:
    """The sessions anybody may still book: open, not started, not closed, of a
    listed course."""
    return [
        CourseSession.status == SessionStatus.open,
        CourseSession.starts_at > now,
        sa.or_(
            CourseSession.booking_deadline.is_(None),
            CourseSession.booking_deadline >= now,
        ),
        Course.is_listed(),
    ]


def offers(
    wanted: set[int],
    courses: sa.ColumnElement[bool],
    near: list[tuple[datetime, datetime]] | None,
    now: datetime,
    places_of: sa.ColumnElement[bool] | None = None,
) -> tuple[list, list, list, set[str]]:
    """(sessions, links, meetings, places) in one statement.

    sessions: the open sessions of the courses `courses` selects, a row per
    prerequisite of the course (session id, course, audience, prices, capacity,
    seats taken, start, end, deadline, location, prerequisite); links: (course,
    competence, level) for the `wanted` competences; meetings: (session, start,
    end) of those sessions' meetings near one of the `near` intervals (busy
    whole days; none read when `near` is empty); places: where the open
    sessions of the courses `places_of` selects are held (none without it)."""
    price_state = sa.func.coalesce(CourseSession.price_state, Course.price_state)
    price_municipal = sa.func.coalesce(
        CourseSession.price_municipal, Course.price_municipal
    )
    sessions = (
        sa.select(
            union_kind(SESSION),
            CourseSession.id,
            CourseSession.course_id,
            Course.audience,
            sa.type_coerce(price_state, sa.Numeric(12, 2)),
            sa.type_coerce(price_municipal, sa.Numeric(12, 2)),
            CourseSession.capacity,
            CourseSession.seats_taken,
            CourseSession.starts_at,
            CourseSession.ends_at,
            CourseSession.booking_deadline,
            CourseSession.location,
            course_prerequisites.c.required_course_id,
        )
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(
            course_prerequisites,
            course_prerequisites.c.course_id == CourseSession.course_id,
        )
        .where(courses, *open_now(now))
    )
    nothing = [sa.null()] * 6
    parts = [
        sessions,
        sa.select(
            union_kind(LINK),
            CourseCompetence.course_id,
            CourseCompetence.competence_id,
            sa.null(),
            sa.null(),
            sa.null(),
            CourseCompetence.level,
            *nothing,
        ).where(CourseCompetence.competence_id.in_(wanted)),
    ]
    if near:
        # A meeting clashes when one of its course days is busy; the busy time
        # is whole days, so exactly those meetings meet it (ends included: a
        # meeting of no length at midnight), and the ranking applies the rule.
        parts.append(
            sa.select(
                union_kind(MEETING),
                Meeting.course_session_id,
                *[sa.null()] * 6,
                Meeting.starts_at,
                Meeting.ends_at,
                *[sa.null()] * 3,
            )
            .join(CourseSession, CourseSession.id == Meeting.course_session_id)
            .join(Course, Course.id == CourseSession.course_id)
            .where(
                courses,
                *open_now(now),
                Meeting.cancelled.is_(False),
                sa.or_(
                    *(
                        sa.and_(
                            Meeting.starts_at <= end,
                            Meeting.ends_at >= start,
                        )
                        for start, end in near
                    )
                ),
            )
        )
    if places_of is not None:
        # DISTINCT makes PostgreSQL type a bare NULL as text: these are typed.
        typed = [sa.cast(sa.null(), c.type) for c in sessions.selected_columns]
        parts.append(
            sa.select(
                union_kind(PLACE), *typed[1:11], CourseSession.location, typed[12]
            )
            .select_from(CourseSession)
            .join(Course, Course.id == CourseSession.course_id)
            .where(places_of, *open_now(now))
            .distinct()
        )
    found: dict[int, list] = {SESSION: [], LINK: [], MEETING: [], PLACE: []}
    for row in db.session.execute(sa.union_all(*parts)):
        found[row[0]].append(row)
    links = [(row[1], row[2], row[6]) for row in found[LINK]]
    meetings = [(row[1], row[8], row[9]) for row in found[MEETING]]
    places = {row[11] for row in found[PLACE]}
    return [row[1:] for row in found[SESSION]], links, meetings, places
