"""Whatever a form field receives, the provider's pages never answer with a 500."""

import pytest

from tests.courses.catalogue.factories import working_day

GARBAGE = [
    "",
    "x" * 5000,
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "<script>",
    "０,５",
    "\x00",
]

COURSE = {
    "title": "Kursus",
    "description": "",
    "category": "",
    "format": "online",
    "duration_days": "1",
    "audience": "both",
    "price_state": "0",
    "price_municipal": "0",
}
SESSION = {
    "capacity": "10",
    "min_participants": "0",
    "price_state": "",
    "price_municipal": "",
    "booking_deadline": "",
    "cancellation_deadline": "",
    "location": "",
    "online_url": "",
    "status": "open",
}


def _meeting() -> dict:
    return {"day": working_day(40).isoformat(), "start": "09:00", "end": "12:00"}


@pytest.mark.parametrize("value", GARBAGE)
def test_course_form_never_fails(client, login_as, make_provider, make_course, value):
    provider = make_provider(login_as("provider_staff"))
    course = make_course(provider)
    for name in [*COURSE, "prerequisites"]:
        data = COURSE | {name: value}
        for path in (
            f"/udbyder/{provider.id}/kurser/nyt",
            f"/kurser/{course.id}/rediger",
        ):
            assert client.post(path, data=data).status_code < 500, (path, name)


@pytest.mark.parametrize("value", GARBAGE)
def test_session_and_meeting_forms_never_fail(
    client, login_as, make_provider, make_course, make_session, value
):
    provider = make_provider(login_as("provider_staff"))
    course_session = make_session(make_course(provider), days=(30,))
    meeting_id = course_session.meetings[0].id
    for name in [*SESSION, "day", "start", "end", "place", "title"]:
        data = SESSION | _meeting() | {name: value}
        for path in (
            f"/kurser/{course_session.course_id}/hold/nyt",
            f"/hold/{course_session.id}/rediger",
            f"/hold/{course_session.id}/kursusdage/ny",
            f"/kursusdage/{meeting_id}/rediger",
        ):
            assert client.post(path, data=data).status_code < 500, (path, name)
    for path in (f"/hold/{course_session.id}/aflys", f"/kursusdage/{meeting_id}/aflys"):
        assert client.post(path, data={"reason": value}).status_code < 500


@pytest.mark.parametrize("value", GARBAGE)
def test_catalogue_query_never_fails(client, login_as, value):
    login_as("employee")
    for name in ("q", "category", "provider", "audience", "from", "to", "free"):
        assert client.get("/kurser/", query_string={name: value}).status_code < 500
