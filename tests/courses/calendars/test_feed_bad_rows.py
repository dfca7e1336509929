"""One meeting that cannot be written never takes a feed down (issue 16)."""

import logging
from datetime import datetime, time, timedelta

from core.clock import COPENHAGEN
from core.db import db
from courses.calendars import services
from courses.sessions.timing import local
from tests.courses.calendars.conftest import events_of


def _break(meeting) -> None:
    """What an old import left behind: an all-day meeting that starts at 07:00 UTC."""
    meeting.all_day = True
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    db.session.commit()


def test_bad_meeting_is_left_out_of_the_provider_feed(
    client, make_provider, make_course, make_session, caplog
):
    provider = make_provider(name="COK")
    course_session = make_session(make_course(provider), days=(30, 31))
    bad, good = course_session.meetings
    _break(bad)

    with caplog.at_level(logging.WARNING, logger="courses.calendars.services"):
        response = client.get(f"/kalender/udbyder/{provider.id}.ics")

    assert response.status_code == 200
    assert set(events_of(response.data)) == {services.meeting_uid(good.id)}
    assert any(str(bad.id) in r.getMessage() for r in caplog.records)


def test_bad_meeting_is_left_out_of_the_personal_feed(
    client, login_as, make_provider, make_course, make_session, make_booking
):
    user = login_as("employee")
    course_session = make_session(make_course(make_provider()), days=(30, 31))
    make_booking(user, course_session)
    bad, good = course_session.meetings
    _break(bad)
    token = services.regenerate_token(user, user)
    db.session.commit()

    response = client.get(f"/kalender/personlig/{token.secret}.ics")

    assert response.status_code == 200
    assert set(events_of(response.data)) == {
        services.person_meeting_uid(good.id, user.id)
    }


def test_provider_is_shown_the_meeting_to_fix(
    client, login_as, make_provider, make_course, make_session
):
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    course_session = make_session(make_course(provider, title="Jobsamtaler"))
    _break(course_session.meetings[0])

    page = client.get(f"/udbyder/{provider.id}/kalender").get_data(as_text=True)

    assert "Kursusdage, der ikke kan skrives i kalenderen" in page
    assert "Jobsamtaler" in page
    meeting = course_session.meetings[0]
    assert f"/kursusdage/{meeting.id}" in page or f"/{meeting.id}/rediger" in page


def test_following_the_link_and_saving_the_day_puts_it_back_in_the_feed(
    client, login_as, make_provider, make_course, make_session
):
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    course_session = make_session(make_course(provider, title="Jobsamtaler"))
    meeting = course_session.meetings[0]
    _break(meeting)
    day = local(meeting.starts_at).date()

    form = client.get(f"/kursusdage/{meeting.id}/rediger")
    saved = client.post(
        f"/kursusdage/{meeting.id}/rediger",
        data={"day": day.isoformat(), "start": "09:00", "end": "12:00"},
    )

    assert form.status_code == 200
    assert saved.status_code == 302
    page = client.get(f"/udbyder/{provider.id}/kalender").get_data(as_text=True)
    assert "Kursusdage, der ikke kan skrives i kalenderen" not in page
    feed = client.get(f"/kalender/udbyder/{provider.id}.ics")
    assert set(events_of(feed.data)) == {services.meeting_uid(meeting.id)}
    (written,) = events_of(feed.data).values()
    assert written.decoded("DTSTART") == datetime.combine(day, time(9), COPENHAGEN)
