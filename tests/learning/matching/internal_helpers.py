"""Helpers for the internal-learning tests: dates from the product's clock and
working-day rules, and offers made through the service."""

from datetime import time, timedelta

from core.db import db, utcnow
from courses.sessions.services import MeetingInput
from courses.sessions.timing import COPENHAGEN, next_working_day
from learning.internal import services
from learning.internal.models import OfferKind


def working_day(days_ahead: int = 30):
    """A working day about `days_ahead` days from today (Copenhagen)."""
    today = utcnow().astimezone(COPENHAGEN).date()
    return next_working_day(today + timedelta(days=days_ahead))


def make_offer(host, competence, *, capacity=2, needs_approval=False, days=1):
    first = working_day()
    meetings = []
    day = first
    for _ in range(days):
        meetings.append(MeetingInput(day, time(9), time(15), "Lokale 2"))
        day = next_working_day(day + timedelta(days=1))
    offer = services.create_offer(
        host,
        kind=OfferKind.job_shadowing,
        title="Følordning hos en kollega",
        days=meetings,
        capacity=capacity,
        competences={competence.id: 3},
        needs_approval=needs_approval,
    )
    db.session.commit()
    return offer


def begin(offer) -> None:
    """Let the offer's first day come (the session began an hour ago)."""
    cs = offer.course_session
    cs.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
