"""The dashboard's panels say what the database holds: one's bookings by state and
the requests awaiting the manager, one's plan and the plans awaiting the manager,
and when one last assessed oneself (issue 19 reads each panel in one statement)."""

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from learning.plans.models import PlanStatus


def _panel(page: str, name: str) -> str:
    start = page.index(f'id="panel-{name}"')
    return page[start : page.index("</section>", start)]


def _book(person, session, status: BookingStatus) -> None:
    db.session.add(
        Booking(
            user_id=person.id,
            course_session_id=session.id,
            status=status,
            team_id=person.team_id,
            budget_year=session.starts_at.year,
        )
    )


def test_the_employee_sees_her_bookings_plan_and_last_self_assessment(
    client, login_as, setting, plan_for
):
    mette, sessions = setting.person, setting.sessions
    for session, status in zip(
        sessions,
        (BookingStatus.offered, BookingStatus.confirmed, BookingStatus.requested),
        strict=True,
    ):
        _book(mette, session, status)
    _book(mette, sessions[0], BookingStatus.cancelled)  # not counted
    plan = plan_for(mette)
    db.session.commit()
    login_as(mette)
    page = client.get("/").text

    bookings = _panel(page, "bookings")
    assert "1 plads er tilbudt dig." in bookings
    assert "1 kommende kursus." in bookings
    assert "1 tilmelding venter." in bookings
    assert "afventer din godkendelse" not in bookings
    plans = _panel(page, "plans")
    assert f'href="/planer/{plan.id}"' in plans
    assert "venter på din godkendelse" not in plans
    assert "Du vurderede dig selv senest den" in _panel(page, "competences")


def test_the_manager_sees_what_awaits_him_and_has_no_plan_yet(
    client, login_as, setting, plan_for
):
    mette, lars = setting.person, setting.manager
    _book(mette, setting.sessions[0], BookingStatus.requested)
    _book(mette, setting.sessions[1], BookingStatus.requested)
    _book(
        lars, setting.sessions[2], BookingStatus.requested
    )  # his own: not his to decide
    plan_for(mette).status = PlanStatus.submitted
    db.session.commit()
    login_as(lars)
    page = client.get("/").text

    bookings = _panel(page, "bookings")
    assert "2 tilmeldinger afventer din godkendelse." in bookings
    assert "1 tilmelding venter." in bookings  # his own request
    plans = _panel(page, "plans")
    assert "1 plan venter på din godkendelse." in plans
    assert "Forbered din udviklingssamtale og plan" in plans
    assert "Du har endnu ikke vurderet dig selv." in _panel(page, "competences")


def test_a_manager_with_nothing_waiting_is_told_nothing_waits(
    client, login_as, setting
):
    login_as(setting.manager)
    page = client.get("/").text
    assert "afventer din godkendelse" not in _panel(page, "bookings")
    assert "venter på din godkendelse" not in _panel(page, "plans")


def test_a_self_assessment_saved_shows_on_the_next_dashboard(
    client, login_as, setting, small_framework
):
    """The panels' statements are built once per process; what they read is not
    kept: a round saved through the product shows on the next request."""
    lars = setting.manager
    login_as(lars)
    assert "Du har endnu ikke vurderet dig selv." in _panel(
        client.get("/").text, "competences"
    )
    competence = small_framework.by_code("B-V1")
    saved = client.post(
        f"/kompetencer/vurdering/personer/{lars.id}/selv",
        data={f"level_{competence.id}": "2"},
    )
    assert saved.status_code == 302
    shown = _panel(client.get("/").text, "competences")
    assert "Du vurderede dig selv senest den" in shown
