""" "Forslag til dig" over HTTP: what is suggested and why, access per role, filters,
pagination, booking in one step and a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import EmployerKind
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Audience
from courses.sessions.timing import local
from tests.courses.bookings.factories import make_course, make_session

pytest.importorskip("learning.matching.models")


def _titles(html: str, titles: list[str]) -> list[str]:
    """The given titles in the order the page shows them."""
    return sorted((t for t in titles if t in html), key=html.index)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/forslag", "/forslag/team", "/forslag/personer/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/log-ind" in response.headers["Location"]


def test_the_employee_sees_ranked_sessions_with_their_reasons(
    client, login_as, consultant, link
):
    a = link(make_course(title="Samtaleteknik"), {"B-H1": 3})
    b = link(make_course(title="Lov og virksomhed"), {"B-V1": 4, "S-VK1": 3})
    c = link(make_course(title="Kun lidt lov"), {"B-V1": 2})
    for course in (a, b, c):
        make_session(course)
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert _titles(html, ["Samtaleteknik", "Lov og virksomhed", "Kun lidt lov"]) == [
        "Samtaleteknik",
        "Lov og virksomhed",
    ]
    assert (
        "Dækker 1 af dine 3 kompetencegab: Kan føre en motiverende samtale (1 → 3)"
        in html
    )
    assert (
        "Dækker 2 af dine 3 kompetencegab: Viden om beskæftigelseslovgivningen (2 → 3)"
        in html
    )
    assert "10 ledige pladser" in html


def test_cheaper_then_earlier_wins_when_the_gap_covered_is_equal(
    client, login_as, consultant, link
):
    now = utcnow().replace(microsecond=0)
    dear = link(make_course(title="Dyr", price=3000), {"B-H1": 3})
    late = link(make_course(title="Sen"), {"B-H1": 3})
    early = link(make_course(title="Tidlig"), {"B-H1": 3})
    make_session(dear, start=now + timedelta(days=10))
    make_session(late, start=now + timedelta(days=60))
    make_session(early, start=now + timedelta(days=40))
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert _titles(html, ["Dyr", "Sen", "Tidlig"]) == ["Tidlig", "Sen", "Dyr"]


def test_sessions_the_person_may_not_book_are_not_suggested(
    client, login_as, consultant, link, create_user
):
    now = utcnow().replace(microsecond=0)
    start = now + timedelta(days=30)
    taken = make_session(
        link(make_course(title="Allerede booket"), {"S-VK1": 3}), start=start
    )
    bookings.book(consultant, taken)
    db.session.commit()
    cases = {
        "Fristen er gået": dict(booking_deadline=now - timedelta(hours=1)),
        "Kun for staten": dict(course=make_course(audience=Audience.state)),
        "Samme tid": dict(start=start + timedelta(hours=1)),
        "Kræver forkursus": dict(course=make_course(prerequisites=[make_course()])),
        "Fuldt hold": dict(capacity=0),
    }
    # Apart from "Samme tid", each on a day of its own.
    for n, title in enumerate(cases):
        cases[title].setdefault("start", start + timedelta(days=2 + n))
    for title, kwargs in cases.items():
        course = kwargs.pop("course", None) or make_course()
        course.title = title
        link(course, {"B-H1": 3})
        make_session(course, **kwargs)
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    shown = _titles(html, list(cases))
    # A full session still has its waiting list: it is the only one suggested.
    assert shown == ["Fuldt hold"]
    assert "Allerede booket" not in html
    assert "nummer 1 på ventelisten" in html


def test_a_full_session_says_where_a_booking_would_be_in_the_queue(
    client, login_as, consultant, link, create_user, team
):
    cs = make_session(link(make_course(title="Populært"), {"B-H1": 3}), capacity=1)
    for _ in range(3):
        bookings.book(create_user("employee", team=team), cs)
    db.session.commit()
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert "nummer 3 på ventelisten" in html


def test_the_price_is_the_persons_own_and_the_deadline_is_shown(
    client, login_as, consultant, link
):
    course = link(make_course(title="Betalt"), {"B-H1": 3})
    course.price_state, course.price_municipal = Decimal(0), Decimal(4500)
    deadline = utcnow().replace(microsecond=0) + timedelta(days=20)
    make_session(course, booking_deadline=deadline)
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert "4.500,00 kr." in html
    assert f"{local(deadline).day}. " in html
    assert "kræver din leders godkendelse" in html
    consultant.employer_kind = EmployerKind.state
    db.session.commit()
    html = client.get("/forslag").get_data(as_text=True)
    assert "<dd>Gratis</dd>" in html  # free for state staff: never "0,00 kr."
    assert "0,00 kr." not in html


def test_a_suggestion_is_booked_in_one_step_through_the_booking_route(
    client, login_as, consultant, link
):
    cs = make_session(link(make_course(title="Gratis"), {"B-H1": 3}))
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    action = f'action="/hold/{cs.id}/tilmeld"'
    assert action in html
    response = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 302
    status = db.session.scalar(
        sa.select(Booking.status).where(Booking.user_id == consultant.id)
    )
    assert status is BookingStatus.confirmed
    # Booked: the course is no longer suggested.
    assert "Gratis" not in client.get("/forslag").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("area=abc", "helt tal"),
        ("area=999999", "kompetenceområde"),
        ("kind=skill", "viden, handling eller holdning"),
        ("month=2027-13", "år-måned"),
        ("month=marts", "år-måned"),
        ("free=ja", "0 eller 1"),
        ("page=0", "helt tal"),
        ("page=-1", "helt tal"),
        ("sort=price", "intet filter"),
        ("free=1&free=0", "mere end én gang"),
        ("place=" + "x" * 400, "for lang"),
    ],
)
def test_bad_filters_get_a_danish_400(client, login_as, consultant, query, words):
    login_as(consultant)
    response = client.get(f"/forslag?{query}")
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_filters_by_area_kind_month_place_and_free_seats(
    client, login_as, consultant, link, small_framework
):
    now = utcnow().replace(microsecond=0)
    soon = make_session(
        link(make_course(title="Snart"), {"S-VK1": 3}), start=now + timedelta(days=20)
    )
    later = make_session(
        link(make_course(title="Senere"), {"B-V1": 3}),
        start=now + timedelta(days=100),
        capacity=0,
    )
    later.location = "Odense"
    db.session.commit()
    login_as(consultant)

    def shown(query: str) -> list[str]:
        response = client.get(f"/forslag?{query}")
        assert response.status_code == 200
        return _titles(response.get_data(as_text=True), ["Snart", "Senere"])

    firms = small_framework.by_code("S-VK1").area_id
    assert shown(f"area={firms}") == ["Snart"]
    assert shown("kind=knowledge") == ["Senere"]
    assert shown("kind=attitude") == []
    month = local(later.starts_at).strftime("%Y-%m")
    if month != local(soon.starts_at).strftime("%Y-%m"):
        assert shown(f"month={month}") == ["Senere"]
    assert shown("place=odense") == ["Senere"]
    assert shown("free=1") == ["Snart"]


def test_twenty_a_page(client, login_as, consultant, link):
    course = link(make_course(title="Mange hold"), {"B-H1": 3})
    now = utcnow().replace(microsecond=0)
    for n in range(23):
        make_session(course, start=now + timedelta(days=10 + n))
    login_as(consultant)
    first = client.get("/forslag").get_data(as_text=True)
    assert first.count('class="suggestion"') == 20
    assert "23 forslag" in first
    second = client.get("/forslag?page=2").get_data(as_text=True)
    assert second.count('class="suggestion"') == 3
    assert client.get("/forslag?page=3").status_code == 404


def _world(size: int, consultant, link, create_user, team):
    now = utcnow().replace(microsecond=0)
    for n in range(size):
        course = link(make_course(title=f"Hold {n}"), {"B-H1": 3, "S-VK1": 3})
        make_session(course, start=now + timedelta(days=5 + n))
        if n % 2:
            make_session(course, start=now + timedelta(days=5 + n, hours=3))
    elsewhere = now + timedelta(days=300 + size)
    bookings.book(consultant, make_session(make_course(), start=elsewhere))
    db.session.commit()


@pytest.mark.parametrize("url", ["/forslag", "/forslag/team"])
def test_a_fixed_number_of_queries_whatever_the_size(
    client, login_as, consultant, link, create_user, team, count_queries, url
):
    manager = create_user("manager", team=team)
    team.manager = manager
    db.session.commit()
    counts = []
    for size in (3, 30):
        _world(size, consultant, link, create_user, team)
        login_as(consultant if url == "/forslag" else manager)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
