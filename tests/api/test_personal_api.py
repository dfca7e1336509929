"""A person's own gaps, suggestions, plans and bookings through the API, with a
personal access token; booking and cancelling by the pages' rules (issue 20)."""

import sqlalchemy as sa

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from tests.courses.bookings.factories import make_session


def test_without_a_token_the_api_answers_401_in_json(client):
    response = client.get("/api/v1/me/bookings")

    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_a_token_without_the_scope_is_refused(client, create_user, token_for):
    person = create_user()

    response = client.get("/api/v1/me/bookings", headers=token_for(person, "me:read"))
    refused = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": make_session().id},
        headers=token_for(person, "me:read"),
    )

    assert response.status_code == 200
    assert refused.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0


def test_a_signed_in_browser_cannot_book_through_the_api(client, login_as):
    login_as("employee")
    course_session = make_session()

    response = client.post(
        "/api/v1/me/bookings", json={"course_session_id": course_session.id}
    )

    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0


def test_booking_through_the_api_takes_a_seat(client, create_user, token_for):
    person = create_user()
    course_session = make_session(capacity=1, title="Samtaler på dansk")

    response = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id},
        headers=token_for(person),
    )

    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["course_title"]) == ("confirmed", "Samtaler på dansk")
    db.session.refresh(course_session)
    assert course_session.seats_taken == 1
    listed = client.get("/api/v1/me/bookings", headers=token_for(person)).get_json()
    assert [b["id"] for b in listed["items"]] == [body["id"]]


def test_a_full_session_is_refused_by_the_rules_when_no_waiting_list_is_wanted(
    client, create_user, token_for
):
    course_session = make_session(capacity=1)
    first, second = create_user(), create_user()
    client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id},
        headers=token_for(first),
    )

    refused = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id, "waitlist": False},
        headers=token_for(second),
    )
    queued = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id},
        headers=token_for(second),
    )

    assert refused.status_code == 409
    assert refused.get_json()["code"] == "session_full"
    assert queued.get_json()["status"] == "waitlisted"
    assert queued.get_json()["waiting_list_number"] == 1


def test_cancelling_gives_the_seat_up_and_another_persons_booking_is_not_found(
    client, create_user, token_for
):
    course_session = make_session(capacity=2)
    person, other = create_user(), create_user()
    mine = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id},
        headers=token_for(person),
    ).get_json()

    foreign = client.post(
        f"/api/v1/me/bookings/{mine['id']}/cancel",
        json={"reason": "Syg"},
        headers=token_for(other),
    )
    cancelled = client.post(
        f"/api/v1/me/bookings/{mine['id']}/cancel",
        json={"reason": "Syg"},
        headers=token_for(person),
    )

    assert foreign.status_code == 404
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    booking = db.session.get(Booking, mine["id"])
    assert booking.status is BookingStatus.cancelled
    db.session.refresh(course_session)
    assert course_session.seats_taken == 0


def test_gaps_and_suggestions_are_the_persons_own(client, setting, token_for):
    headers = token_for(setting.person, "me:read")

    gaps = client.get("/api/v1/me/gaps", headers=headers).get_json()
    suggested = client.get("/api/v1/me/suggestions", headers=headers).get_json()

    assert {"B-V1", "B-H1", "S-VK1"} <= {
        g["competence_code"] for g in gaps["items"] if g["gap"]
    }
    assert gaps["total_weighted"] > 0
    assert {s["course_session_id"] for s in suggested["items"]} == {
        cs.id for cs in setting.sessions
    }
    assert all(s["reason"].startswith("Dækker") for s in suggested["items"])


def test_plans_are_the_persons_own(client, create_user, plan_for, token_for):
    person, other = create_user(), create_user()
    plan = plan_for(person)
    foreign = plan_for(other)

    listed = client.get("/api/v1/me/plans", headers=token_for(person)).get_json()
    refused = client.get(f"/api/v1/me/plans/{foreign.id}", headers=token_for(person))

    assert [p["id"] for p in listed["items"]] == [plan.id]
    assert listed["items"][0]["status"] == "draft"
    assert refused.status_code == 404


def test_csrf_does_not_apply_to_token_requests(
    app, client, create_user, token_for, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    course_session = make_session()

    response = client.post(
        "/api/v1/me/bookings",
        json={"course_session_id": course_session.id},
        headers=token_for(create_user()),
    )

    assert response.status_code == 201


def test_over_its_rate_a_token_gets_429_in_json(
    app, client, create_user, token_for, monkeypatch
):
    monkeypatch.setitem(app.config, "API_TOKEN_RATE", 2)
    headers = token_for(create_user(), "me:read")

    answers = [client.get("/api/v1/me/plans", headers=headers) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].get_json()["code"] == "too_many_requests"
    assert int(answers[2].headers["Retry-After"]) >= 1
