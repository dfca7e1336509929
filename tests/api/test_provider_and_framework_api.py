"""Providers' courses, sessions and participant lists, and the competence
framework, through the API (issue 20)."""

from decimal import Decimal

from core.db import db
from courses.bookings import services as bookings
from courses.catalogue.models import CourseStatus
from tests.courses.catalogue.factories import make_course, make_provider, make_session


def test_provider_staff_read_their_courses_sessions_and_participants(
    client, create_user, token_for
):
    staff = create_user("provider_staff")
    own = make_provider(staff, name="Egen udbyder")
    draft = make_course(own, title="Kladde om æøå", status=CourseStatus.draft)
    course_session = make_session(
        make_course(own, title="Udgivet", price_municipal=Decimal("0"))
    )
    make_course(make_provider(), title="En andens kursus")
    person = create_user(name="Søren Ærø")
    bookings.book(person, course_session)
    db.session.commit()
    headers = token_for(staff, "provider:read")

    courses = client.get("/api/v1/provider/courses", headers=headers).get_json()
    sessions = client.get(
        f"/api/v1/provider/courses/{course_session.course_id}/sessions",
        headers=headers,
    ).get_json()
    people = client.get(
        f"/api/v1/provider/sessions/{course_session.id}/participants", headers=headers
    ).get_json()

    assert [c["title"] for c in courses["items"]] == ["Kladde om æøå", "Udgivet"]
    assert courses["items"][0]["id"] == draft.id
    assert [s["id"] for s in sessions["items"]] == [course_session.id]
    assert [(p["name"], p["status"]) for p in people["items"]] == [
        ("Søren Ærø", "confirmed")
    ]


def test_another_providers_sessions_are_not_found(client, create_user, token_for):
    staff = create_user("provider_staff")
    make_provider(staff)
    foreign = make_session(make_course(make_provider()))
    headers = token_for(staff, "provider:read")

    listed = client.get(
        f"/api/v1/provider/courses/{foreign.course_id}/sessions", headers=headers
    )
    people = client.get(
        f"/api/v1/provider/sessions/{foreign.id}/participants", headers=headers
    )

    assert (listed.status_code, people.status_code) == (404, 404)


def test_the_framework_reads_with_a_token(
    client, create_user, small_framework, token_for
):
    headers = token_for(create_user(), "framework:read")

    competences = client.get("/api/v1/competences?kind=action", headers=headers)
    profile = client.get(
        f"/api/v1/profiles/{small_framework.consultant.id}", headers=headers
    )
    scale = client.get("/api/v1/scale", headers=headers).get_json()

    assert "B-H1" in [c["code"] for c in competences.get_json()["items"]]
    assert {c["kind"] for c in competences.get_json()["items"]} == {"action"}
    assert profile.get_json()["requirements"]
    assert [level["value"] for level in scale["levels"]] == [0, 1, 2, 3, 4]
