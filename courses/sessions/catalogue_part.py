"""The sessions' share of the catalogue's pages: the date and free-seat filters,
the date order, each listed course's upcoming sessions, and a course's sessions."""

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from core.clock import COPENHAGEN
from core.db import db, utcnow
from core.extensions import current_locale
from courses.catalogue.contributions import (
    ListingPart,
    add_course_page_part,
    add_listing_part,
)
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.services import course_upcoming_sessions


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=COPENHAGEN)


def _upcoming(now: datetime) -> list:
    return [
        CourseSession.course_id == Course.id,
        CourseSession.status != SessionStatus.cancelled,
        CourseSession.starts_at > now,
    ]


def _where(query, now: datetime) -> list:
    """Courses with an upcoming session in the date range, or with a free seat."""
    if not (query.date_from or query.date_to or query.free):
        return []
    filters = _upcoming(now)
    if query.date_from:
        filters.append(CourseSession.starts_at >= _local_midnight(query.date_from))
    if query.date_to:
        end = _local_midnight(query.date_to + timedelta(days=1))
        filters.append(CourseSession.starts_at < end)
    if query.free:
        filters.append(CourseSession.seats_taken < CourseSession.capacity)
    return [sa.exists().where(*filters)]


def _order(sort: str, now: datetime) -> list | None:
    if sort != "date":
        return None
    first = (
        sa.select(sa.func.min(CourseSession.starts_at))
        .where(*_upcoming(now))
        .correlate(Course)
        .scalar_subquery()
    )
    return [sa.nulls_last(first), Course.title]


@dataclass(frozen=True)
class Upcoming:
    """What the catalogue shows about a course's upcoming sessions."""

    sessions: int
    first_start: datetime | None
    seats_left: int


def upcoming_by_course(course_ids: list[int], *, now: datetime | None = None):
    """One query: per course, the upcoming sessions, the first start and free seats."""
    if not course_ids:
        return {}
    now = now or utcnow()
    free = sa.case(
        (
            CourseSession.capacity > CourseSession.seats_taken,
            CourseSession.capacity - CourseSession.seats_taken,
        ),
        else_=0,
    )
    rows = db.session.execute(
        sa.select(
            CourseSession.course_id,
            sa.func.count(CourseSession.id),
            sa.func.min(CourseSession.starts_at),
            sa.func.sum(free),
        )
        .where(
            CourseSession.course_id.in_(course_ids),
            CourseSession.status != SessionStatus.cancelled,
            CourseSession.starts_at > now,
        )
        .group_by(CourseSession.course_id)
    )
    result = {}
    for course_id, count, first, seats in rows:
        result[course_id] = Upcoming(int(count), first, int(seats or 0))
    return result


@functools.cache
def _page_sessions() -> sa.Select:
    # Built once per process (issue 19): building a statement and its cache key
    # costs more than SQLite takes to answer it. The days come with the
    # sessions (the booking check reads them too).
    return course_upcoming_sessions().options(joinedload(CourseSession.meetings))


def _course_page(user, course: Course, _so_far: dict) -> dict:
    values = {"course_id": course.id, "now": utcnow()}
    course_sessions = db.session.scalars(_page_sessions(), values).unique().all()
    return {
        "course_sessions": course_sessions,
        "cancelled": SessionStatus.cancelled,
        "session_days": session_days,
        "session_meta": session_meta,
    }


# A session card's days (issue 19): a cProfile of a course page with 16
# sessions on the national dataset put about half its rendering in the cards'
# headings and meeting tables (dates, clock times, texts, a macro per meeting).
# Their markup (no addresses in it) is a pure function of the values below and
# the language, so it is rendered once per such key and kept in the process: a
# change to a session or a meeting changes the key, and the next request
# renders it anew; nothing kept can show an old value. Only a release (new
# templates or translations, which restarts the process) changes the markup of
# a key. When full, the kept markup is dropped (a card redraws in well under a
# millisecond).
KEPT_SESSION_DAYS = 8192


def _days_key(course_session: CourseSession) -> tuple:
    return (
        str(current_locale()),
        course_session.id,
        course_session.starts_at,
        course_session.ends_at,
        course_session.location,
        bool(course_session.online_url),
        tuple(
            (m.starts_at, m.ends_at, m.place, m.cancelled, m.all_day)
            for m in course_session.meetings
        ),
    )


def session_days(course_session: CourseSession) -> Markup:
    """The heading and the meetings' table of a session's card on a course page."""
    return _kept_markup(
        "kept_session_days",
        _days_key(course_session),
        "courses/sessions/_session_days.html",
        course_session=course_session,
    )


def _kept_markup(store: str, key: tuple, template: str, **context) -> Markup:
    """`template` rendered with `context`, kept in this process's `store` under
    `key`, which must hold every value the template shows."""
    kept = current_app.extensions.setdefault(store, {})
    markup = kept.get(key)
    if markup is None:
        if len(kept) >= KEPT_SESSION_DAYS:
            kept.clear()
        markup = kept[key] = Markup(render_template(template, **context))
    return markup


def _meta_key(course_session: CourseSession, shows_price: bool, price) -> tuple:
    return (
        str(current_locale()),
        shows_price,
        course_session.seats_left,
        course_session.capacity,
        price,
        course_session.booking_deadline,
        course_session.cancellation_deadline,
        course_session.location,
        course_session.status,
    )


def session_meta(course_session: CourseSession, shows_price: bool, price) -> Markup:
    """A session card's line of seats, price, deadlines, place and state on a
    course page; `price` is the reader's, shown when `shows_price`.

    Kept per process as session_days' markup is, keyed by every value the line
    shows (a cProfile of the national course page with 16 sessions put a fifth
    of its rendering in these lines' texts, dates and prices): a change of
    seats, deadlines, place or state changes the key, so nothing kept can show
    an old value; a price is a course's or session's, not a person's."""
    return _kept_markup(
        "kept_session_meta",
        _meta_key(course_session, shows_price, price),
        "courses/sessions/_session_meta.html",
        course_session=course_session,
        shows_price=shows_price,
        price=price,
    )


def register(app: Flask) -> None:
    add_listing_part(
        app,
        ListingPart(
            where=_where,
            order=_order,
            facts=lambda ids, now: {"upcoming": upcoming_by_course(ids, now=now)},
            version=(("max(updated_at)", CourseSession.__tablename__),),
        ),
    )
    add_course_page_part(app, _course_page)
