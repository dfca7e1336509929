"""The provider's course pages: who may use them, and what they save or refuse."""

import re

import pytest
import sqlalchemy as sa

from core.db import db
from courses.catalogue.models import Course
from tests.courses.catalogue.factories import ACCESS_ROLES, sign_in_as

ALLOWED = {"own_staff", "admin"}


def _expect(who: str, ok: int) -> int:
    if who == "anonymous":
        return 302
    return ok if who in ALLOWED else 403


@pytest.mark.parametrize("who", ACCESS_ROLES)
def test_provider_pages_access(client, login_as, make_course, who):
    course = make_course()
    provider_id = course.provider_id
    sign_in_as(who, login_as, course.provider)
    for path in (
        f"/udbyder/{provider_id}/kurser/nyt",
        f"/kurser/{course.id}/rediger",
    ):
        assert client.get(path).status_code == _expect(who, 200), path
    for path in (f"/kurser/{course.id}/arkiver", f"/kurser/{course.id}/genopret"):
        assert client.post(path).status_code == _expect(who, 302), path


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("employee", 403),
        ("manager", 403),
        ("coordinator", 403),
        ("provider_staff", 403),  # linked to no provider
        ("own_staff", 200),
        ("admin", 200),
    ],
)
def test_provider_home_access(client, login_as, make_provider, who, status):
    provider = make_provider()
    sign_in_as(who, login_as, provider)
    assert client.get("/udbyder/").status_code == status


def test_staff_see_only_their_own_providers_courses(
    client, login_as, make_provider, make_course
):
    staff = login_as("provider_staff")
    own, other = make_provider(staff, name="Egen udbyder"), make_provider(name="Anden")
    make_course(own, title="Vores kursus")
    make_course(other, title="Deres kursus")
    page = client.get("/udbyder/").text
    assert "Vores kursus" in page
    assert "Deres kursus" not in page
    theirs = db.session.scalar(sa.select(Course).where(Course.title == "Deres kursus"))
    assert "Rediger kursus" not in client.get(f"/kurser/{theirs.id}").text


def _form(**changes) -> dict:
    data = {
        "title": "Produktionsstyring i praksis",
        "description": "Om styring af produktionen.",
        "category": "",
        "format": "online",
        "duration_days": "1,5",
        "audience": "both",
        "price_state": "0",
        "price_municipal": "1.500,50",
    }
    return data | changes


def test_provider_creates_a_course(client, login_as, make_provider, make_course):
    staff = login_as("provider_staff")
    provider = make_provider(staff)
    basis = make_course(title="Grundkursus")
    response = client.post(
        f"/udbyder/{provider.id}/kurser/nyt",
        data=_form(prerequisites=[str(basis.id)]),
    )
    assert response.status_code == 302
    course = db.session.scalar(
        sa.select(Course).where(Course.title == "Produktionsstyring i praksis")
    )
    assert str(course.price_municipal) == "1500.50"
    assert str(course.duration_days) == "1.5"
    assert [c.title for c in course.prerequisites] == ["Grundkursus"]
    page = client.get(response.headers["Location"]).text
    assert "Kurset er gemt som kladde" in page


def test_a_new_course_is_for_both_kinds_of_staff_unless_changed(
    client, login_as, make_provider
):
    """Issue 15: the form started on state staff only, so a provider who did not
    look closed the course to every municipal employee."""
    provider = make_provider(login_as("provider_staff"))

    page = client.get(f"/udbyder/{provider.id}/kurser/nyt").text

    chosen = re.search(r'<select[^>]*name="audience".*?</select>', page, re.S).group(0)
    both = r'<option selected value="both"|<option value="both" selected'
    assert re.search(both, chosen)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_municipal": "gratis"}, "Skriv et beløb i kroner"),
        ({"price_state": "-100"}, "Skriv et beløb i kroner"),
        ({"title": ""}, "Titel"),
        ({"duration_days": "to"}, "Skriv et tal"),
        ({"format": "carrier-pigeon"}, "Undervisningsform"),
    ],
)
def test_bad_course_input_is_refused_at_the_field(
    client, login_as, make_provider, changes, message
):
    staff = login_as("provider_staff")
    provider = make_provider(staff)
    response = client.post(f"/udbyder/{provider.id}/kurser/nyt", data=_form(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_edit_refuses_a_prerequisite_cycle(
    client, login_as, make_provider, make_course
):
    staff = login_as("provider_staff")
    provider = make_provider(staff)
    first = make_course(provider, title="Første")
    second = make_course(provider, title="Anden", prerequisites=[first])
    response = client.post(
        f"/kurser/{first.id}/rediger",
        data=_form(title="Første", prerequisites=[str(second.id)]),
    )
    assert response.status_code == 400
    assert "kan ikke have sig selv som forudsætning" in response.text
    db.session.expire_all()
    assert db.session.get(Course, first.id).prerequisites == []


def test_archive_takes_the_course_out_and_restore_puts_it_back(
    client, login_as, make_provider, make_course
):
    staff = login_as("provider_staff")
    course = make_course(make_provider(staff), title="Arkivkursus")
    client.post(f"/kurser/{course.id}/arkiver")
    assert "Arkivkursus" not in client.get("/kurser/").text
    assert "Arkivkursus" in client.get("/udbyder/?arkiv=1").text
    client.post(f"/kurser/{course.id}/genopret")
    assert "Arkivkursus" in client.get("/kurser/").text


def test_new_course_form_starts_with_prices_that_can_be_sent_back(
    client, login_as, make_provider
):
    provider = make_provider(login_as("provider_staff"))
    page = client.get(f"/udbyder/{provider.id}/kurser/nyt").text
    assert (
        'id="price_state" name="price_state" required type="text" value="0,00"' in page
    )


def test_edit_form_shows_danish_numbers(client, login_as, make_provider, make_course):
    course = make_course(
        make_provider(login_as("provider_staff")),
        price_municipal="1500.5",
        duration_days="1.5",
    )
    page = client.get(f"/kurser/{course.id}/rediger").text
    assert 'value="1500,50"' in page
    assert 'value="1,5"' in page
