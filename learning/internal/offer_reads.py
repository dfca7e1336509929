"""What an internal offer's page reads (issue 19): the offer with what it shows
and the competences it develops in one statement; the participants'
reflections, sign-offs and waiting-list places in another. The person's own
booking, its place and booking option come from the bookings' share of a
course's page (courses.bookings.page_data.course_page), read as there."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from core.db import db
from core.people.models import User
from courses.bookings import queue
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession
from learning.competences.models import Competence
from learning.internal.models import InternalOffer, OfferCompletion
from learning.matching.models import CourseCompetence


def offer_page(offer_id: int) -> tuple[InternalOffer | None, list[Competence]]:
    """The offer with its host, session, days and course (its prerequisites,
    which the booking check reads), and the competences the course develops by
    code: one statement, a row per competence, prerequisite and day."""
    session = contains_eager(InternalOffer.course_session)
    rows = list(
        db.session.execute(
            sa.select(InternalOffer, Competence)
            .join(InternalOffer.course_session)
            .outerjoin(
                CourseCompetence, CourseCompetence.course_id == CourseSession.course_id
            )
            .outerjoin(Competence, Competence.id == CourseCompetence.competence_id)
            .where(InternalOffer.id == offer_id)
            .options(
                joinedload(InternalOffer.host).lazyload(User.role_rows),  # not shown
                session.joinedload(CourseSession.course).joinedload(
                    Course.prerequisites
                ),
                session.joinedload(CourseSession.meetings),
            )
            .order_by(Competence.code)
        ).unique()
    )
    if not rows:
        return None, []
    return rows[0][0], [competence for _, competence in rows if competence]


def completions_and_places(
    course_session: CourseSession,
) -> tuple[dict[int, OfferCompletion], dict[int, int]]:
    """By booking id, the reflections and sign-offs of the session's bookings,
    and each waitlisted booking's place in the queue (1 = next, as
    queue.positions counts it): one statement."""
    waitlisted = Booking.status == BookingStatus.waitlisted
    place = sa.func.row_number().over(partition_by=Booking.status, order_by=queue.ORDER)
    rows = db.session.execute(
        sa.select(Booking.id, sa.case((waitlisted, place)), OfferCompletion)
        .outerjoin(OfferCompletion, OfferCompletion.booking_id == Booking.id)
        .where(
            Booking.course_session_id == course_session.id,
            sa.or_(waitlisted, OfferCompletion.id.is_not(None)),
        )
    )
    completions: dict[int, OfferCompletion] = {}
    places: dict[int, int] = {}
    for booking_id, place_, completion in rows:
        if completion is not None:
            completions[booking_id] = completion
        if place_ is not None:
            places[booking_id] = place_
    return completions, places
