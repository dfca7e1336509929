"""schemathesis against the whole API (issue 20): no 5xx, every answer as the
document says."""

import sqlalchemy as sa

from core.db import db
from courses.bookings import services as bookings
from courses.bookings.models import Booking
from tests.api.fuzzing import fuzz
from tests.courses.catalogue.factories import make_course, make_session


def test_every_operation_answers_as_documented_without_a_token(app):
    for _ in range(3):
        make_session(make_course(title="Kursus med æøå"))

    ran = fuzz(app)

    assert "GET /api/v1/courses" in ran


def test_no_operation_gives_one_person_another_persons_data(
    app, create_user, setting, plan_for, token_for, monkeypatch
):
    """Two people with every scope: whatever schemathesis asks with the first
    one's token, the second one's name, e-mail, plan and bookings never appear."""
    # Above the ~340 requests the run makes, so each reaches its operation.
    monkeypatch.setitem(app.config, "API_TOKEN_RATE", 10_000)
    first = setting.person
    second = create_user(
        name="Birgitte Hemmelig", email="birgitte@hemmelig.dk", team=setting.team
    )
    theirs = plan_for(second)
    theirs.title = "Birgittes egen plan"
    db.session.commit()
    for course_session in setting.sessions:
        bookings.book(second, course_session)
    bookings.book(first, setting.sessions[0])
    db.session.commit()
    their_bookings = set(
        db.session.scalars(sa.select(Booking.id).where(Booking.user_id == second.id))
    )

    def never_theirs(case, response):
        text = response.text
        for secret in ("Birgitte", "birgitte@hemmelig.dk", "Birgittes egen plan"):
            assert secret not in text, case.operation.label
        label = case.operation.label
        if label.startswith("GET /api/v1/me/") and response.status_code == 200:
            items = response.json().get("items", [response.json()])
            if "bookings" in label:
                assert not {b["id"] for b in items} & their_bookings
            if "plans" in label:
                assert theirs.id not in {p["id"] for p in items}

    ran = fuzz(app, headers=token_for(first), seen=never_theirs)

    assert {"GET /api/v1/me/bookings", "GET /api/v1/me/plans"} <= set(ran)
