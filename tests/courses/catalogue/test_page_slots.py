"""The slots colleagues fill on the catalogue's pages: book buttons, participant
attendance, interest and the provider's calendar feed."""

from datetime import timedelta

import pytest
from jinja2 import TemplateNotFound

from core.db import db, utcnow


def _needs(app, template: str) -> None:
    """The slot's template must exist: a missing one would leave the page silent."""
    try:
        app.jinja_env.get_template(template)
    except TemplateNotFound:
        pytest.fail(f"{template} is missing")


def test_course_page_offers_booking_per_session(app, client, login_as, make_session):
    _needs(app, "courses/bookings/_session_actions.html")
    course_session = make_session(days=(30,))
    login_as("employee")
    page = client.get(f"/kurser/{course_session.course_id}").text
    assert 'class="booking-actions"' in page


def test_course_page_advertises_the_provider_feed(app, client, login_as, make_course):
    _needs(app, "courses/calendars/_feed_link.html")
    course = make_course()
    login_as("employee")
    page = client.get(f"/kurser/{course.id}").text
    assert 'rel="alternate" type="text/calendar"' in page


def test_session_page_shows_both_participant_views(
    app, client, login_as, make_provider, make_session, create_user
):
    _needs(app, "courses/bookings/_participants.html")
    from courses.bookings.models import Booking, BookingStatus

    staff = login_as("provider_staff")
    course_session = make_session(make_course_for(make_provider(staff)), days=(30,))
    person = create_user(name="Karen Deltager")
    db.session.add(
        Booking(
            user=person,
            course_session=course_session,
            status=BookingStatus.confirmed,
            budget_year=2027,
        )
    )
    course_session.starts_at = utcnow() - timedelta(hours=1)  # attendance is open
    db.session.commit()
    page = client.get(f"/hold/{course_session.id}").text
    assert page.count("Karen Deltager") >= 2  # our list, and the attendance form


def make_course_for(provider):
    from tests.courses.catalogue.factories import make_course

    return make_course(provider)
