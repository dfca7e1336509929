"""Demo sessions over the next twelve months, never on a Danish public holiday."""

from calendar import monthrange
from datetime import date, time, timedelta

import sqlalchemy as sa

from core import clock
from core.db import db
from courses.catalogue.demo import load_catalogue_data
from courses.catalogue.models import Course
from courses.sessions import services
from courses.sessions.models import CourseSession
from courses.sessions.services import MeetingInput
from courses.sessions.timing import holiday_name, next_working_day

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}


def _working(day: date) -> bool:
    return day.weekday() < 5 and not holiday_name(day)


def first_day(today: date, month_offset: int, weekday: str) -> date:
    """The first working `weekday` after today in the month `month_offset` on."""
    month_index = today.month - 1 + month_offset
    year, month = today.year + month_index // 12, month_index % 12 + 1
    day = date(year, month, 1)
    while day.weekday() != WEEKDAYS[weekday]:
        day += timedelta(days=1)
    last = date(year, month, monthrange(year, month)[1])
    while day <= last:
        if day > today and _working(day):
            return day
        day += timedelta(days=7)
    # Nothing left this month: take the first suitable one after it.
    return first_day(today, month_offset + 1, weekday)


def meeting_days(start: date, days: int, every: str | None = None) -> list[date]:
    """`days` working days from `start`: consecutive, or one a week."""
    result, day = [], start
    while len(result) < days:
        if _working(day):
            result.append(day)
            day += timedelta(days=7 if every == "week" else 1)
        elif every == "week":
            day += timedelta(days=7)  # a holiday week: the module moves a week on
        else:
            day = next_working_day(day)
    return result


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _meetings(pattern: dict, today: date, place: str) -> list[MeetingInput]:
    start = first_day(
        today, pattern.get("month_offset", 0), pattern.get("weekday", "tue")
    )
    return [
        MeetingInput(
            day=day,
            start=_clock(pattern["start"]),
            end=_clock(pattern["end"]),
            place=pattern.get("location", place),
            title=pattern.get("title", ""),
        )
        for day in meeting_days(start, pattern.get("days", 1), pattern.get("every"))
    ]


def _deadlines(first: date, today: date) -> dict:
    booking = first - timedelta(days=14)
    cancellation = first - timedelta(days=7)
    return {
        "booking_deadline": booking if booking >= today else None,
        "cancellation_deadline": cancellation if cancellation >= today else None,
    }


def seed_sessions(today: date | None = None) -> None:
    """Give every demo course without sessions the sessions its pattern describes."""
    today = today or clock.today()
    data = load_catalogue_data()
    courses = {
        c.key: c
        for c in db.session.scalars(sa.select(Course).where(Course.key.is_not(None)))
    }
    scheduled = set(db.session.scalars(sa.select(CourseSession.course_id).distinct()))
    for item in data["courses"]:
        course = courses.get(item["key"])
        if course is None or course.id in scheduled or course.archived:
            continue
        for pattern in item.get("sessions", []):
            place = pattern.get("location", "")
            parts = pattern.get("meetings") or [pattern]
            meetings = [m for part in parts for m in _meetings(part, today, place)]
            services.create_session(
                None,
                course,
                meetings=meetings,
                capacity=pattern.get("capacity", course.provider.default_capacity),
                min_participants=pattern.get("min_participants", 0),
                location=place,
                online_url=pattern.get("online_url", ""),
                **_deadlines(min(m.day for m in meetings), today),
            )
    db.session.flush()
