"""The catalogue page and a course's page, as the people who read them see them."""

from decimal import Decimal

import pytest

from core.db import db
from core.people.models import EmployerKind
from courses.catalogue.models import Audience
from courses.catalogue.services import archive_course, get_or_create_category
from courses.diplomas.models import Diploma, ModuleKind
from courses.diplomas.services import add_module

ROLES = ["employee", "manager", "coordinator", "provider_staff", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_the_catalogue(client, login_as, make_course, role):
    course = make_course(title="Jobindsats for begyndere")
    login_as(role)
    listing = client.get("/kurser/")
    assert listing.status_code == 200
    assert "Jobindsats for begyndere" in listing.text
    assert client.get(f"/kurser/{course.id}").status_code == 200


@pytest.mark.parametrize("path", ["/kurser/", "/kurser/1", "/diplomer/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


def test_unknown_course_is_404(client, login_as):
    login_as("employee")
    assert client.get("/kurser/999999").status_code == 404


def test_free_text_search_folds_danish_letters(client, login_as, make_course):
    make_course(title="Økonomistyring og budgetlægning")
    make_course(title="Virksomhedskontakt", description="Samarbejde med ARBEJDSGIVERE")
    login_as("employee")
    assert "Økonomistyring" in client.get("/kurser/?q=økonomi").text
    page = client.get("/kurser/?q=arbejdsgivere")
    assert "Virksomhedskontakt" in page.text
    assert "Økonomistyring" not in page.text


def test_filters_by_category_provider_audience(
    client, login_as, make_course, make_provider
):
    leadership = get_or_create_category("leadership", "Ledelse")
    ministry = make_provider(name="Styrelsen")
    make_course(
        ministry, title="100 første dage", category=leadership, audience=Audience.state
    )
    make_course(title="Kommunalt kursus", audience=Audience.municipal)
    db.session.commit()
    login_as("employee")
    text = client.get(f"/kurser/?category={leadership.id}").text
    assert "100 første dage" in text
    assert "Kommunalt kursus" not in text
    text = client.get(f"/kurser/?provider={ministry.id}").text
    assert "100 første dage" in text
    assert "Kommunalt kursus" not in text
    text = client.get("/kurser/?audience=municipal").text
    assert "Kommunalt kursus" in text
    assert "100 første dage" not in text


def test_date_range_and_free_seats(client, login_as, make_course, make_session):
    soon, later, full = (make_course(title=t) for t in ("Snart", "Senere", "Fuldt"))
    make_session(soon, days=(10,))
    make_session(later, days=(200,))
    packed = make_session(full, days=(12,), capacity=1)
    packed.seats_taken = 1
    db.session.commit()
    login_as("employee")
    from tests.courses.catalogue.factories import working_day

    until = working_day(60).isoformat()
    text = client.get(f"/kurser/?to={until}").text
    assert "Snart" in text
    assert "Fuldt" in text
    assert "Senere" not in text
    text = client.get(f"/kurser/?to={until}&free=1").text
    assert "Snart" in text
    assert "Fuldt" not in text


def test_diploma_filter(client, login_as, make_course):
    module = make_course(title="Afgangsprojekt")
    make_course(title="Almindeligt kursus")
    diploma = Diploma(key="dib", title="Diplom i beskæftigelse")
    db.session.add(diploma)
    add_module(None, diploma, module, ects=15, kind=ModuleKind.final_project)
    db.session.commit()
    login_as("employee")
    text = client.get("/kurser/?diploma=1").text
    assert "Afgangsprojekt" in text
    assert "Almindeligt kursus" not in text


def test_archived_courses_leave_the_list_but_stay_readable(
    client, login_as, make_course
):
    course = make_course(title="Gammelt kursus")
    archive_course(None, course)
    db.session.commit()
    login_as("employee")
    assert "Gammelt kursus" not in client.get("/kurser/").text
    page = client.get(f"/kurser/{course.id}")
    assert page.status_code == 200
    assert "arkiveret" in page.text


def test_sort_by_price_uses_the_viewers_price(client, login_as, make_course):
    make_course(title="Billig for staten", price_state=Decimal(0), price_municipal=900)
    make_course(title="Billig for kommunen", price_state=500, price_municipal=100)
    login_as("employee", employer_kind=EmployerKind.municipal)
    text = client.get("/kurser/?sort=price").text
    assert text.index("Billig for kommunen") < text.index("Billig for staten")


def test_pagination(client, login_as, make_provider, make_course):
    provider = make_provider()
    for n in range(12):
        make_course(provider, title=f"Kursus {n:02d}")
    login_as("employee")
    first = client.get("/kurser/?per_page=10").text
    assert "Kursus 00" in first
    assert "Kursus 10" not in first
    assert "Side 1 af 2" in first
    second = client.get("/kurser/?per_page=10&page=2").text
    assert "Kursus 10" in second
    assert "Kursus 00" not in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour=blue", "colour"),
        ("page=abc", "page"),
        ("from=2026-13-01", "from"),
        ("from=0001-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("from=2027-05-01&to=2027-04-01", "slutdatoen"),
        ("sort=popularity", "sort"),
        ("per_page=7", "per_page"),
        ("free=yes", "free"),
        ("audience=citizens", "audience"),
        ("q=a&q=b", "q"),
        ("q=" + "x" * 201, "200"),
    ],
)
def test_bad_query_strings_get_a_danish_400(client, login_as, query, message):
    login_as("employee")
    response = client.get(f"/kurser/?{query}")
    assert response.status_code == 400
    assert message in response.text.lower()


def test_course_page_shows_sessions_seats_price_and_prerequisites(
    client, login_as, make_course, make_session
):
    basis = make_course(title="Grundkursus")
    course = make_course(
        title="Overbygning",
        prerequisites=[basis],
        price_state=Decimal("0"),
        price_municipal=Decimal("2500"),
    )
    course_session = make_session(course, days=(40, 41), capacity=12)
    course_session.seats_taken = 5
    db.session.commit()
    login_as("employee", employer_kind=EmployerKind.municipal)
    text = client.get(f"/kurser/{course.id}").text
    assert "Grundkursus" in text
    assert "7 ledige pladser" in text
    assert "2.500,00 kr." in text
    assert "09:00–15:00" in text
    login_as("employee", employer_kind=EmployerKind.state)
    assert "Pris for dig: Gratis" in client.get(f"/kurser/{course.id}").text
