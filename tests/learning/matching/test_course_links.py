"""The coordinator's page per course: which competences it develops, to which level;
reached from the course page through the link learning contributes."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from learning.competences import services as framework
from learning.matching.models import CourseCompetence
from tests.courses.bookings.factories import make_course


def _links(course) -> dict[str, int]:
    rows = db.session.scalars(
        sa.select(CourseCompetence).where(CourseCompetence.course_id == course.id)
    )
    return {link.competence.code: link.level for link in rows}


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    course = make_course()
    for url in (
        f"/kompetencer/kurser/{course.id}",
        "/kompetencer/kurser/import",
        "/kompetencer/kurser/eksport.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("employee", 403),
        ("manager", 403),
        ("provider_staff", 403),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_only_coordinators_and_admins_maintain_the_links(
    client, login_as, small_framework, role, status
):
    course = make_course()
    login_as(role)
    for url in (
        f"/kompetencer/kurser/{course.id}",
        "/kompetencer/kurser/import",
        "/kompetencer/kurser/eksport.csv",
        "/kompetencer/kurser/eksport.xlsx",
    ):
        assert client.get(url).status_code == status, url
    competence = small_framework.by_code("B-V1")
    response = client.post(
        f"/kompetencer/kurser/{course.id}",
        data={"competence_id": competence.id, "level": 3},
    )
    assert response.status_code == (302 if status == 200 else 403)
    assert _links(course) == ({"B-V1": 3} if status == 200 else {})


def test_the_course_page_links_to_the_page_for_coordinators_only(
    client, login_as, small_framework
):
    course = make_course(title="Virksomhedskontakt")
    login_as("coordinator")
    html = client.get(f"/kurser/{course.id}").get_data(as_text=True)
    assert "Kompetencer, kurset udvikler" in html
    assert f'href="/kompetencer/kurser/{course.id}"' in html
    client.post("/log-ud")
    login_as("employee")
    html = client.get(f"/kurser/{course.id}").get_data(as_text=True)
    assert "Kompetencer, kurset udvikler" not in html


def test_a_coordinator_adds_changes_and_removes_a_competence(
    client, login_as, small_framework
):
    course = make_course(title="Samtaleteknik")
    login_as("coordinator")
    url = f"/kompetencer/kurser/{course.id}"
    talk = small_framework.by_code("B-H1")
    law = small_framework.by_code("B-V1")
    client.post(url, data={"competence_id": talk.id, "level": 2})
    client.post(url, data={"competence_id": law.id, "level": 3})
    assert _links(course) == {"B-H1": 2, "B-V1": 3}

    response = client.post(url, data={"competence_id": talk.id, "level": 3})
    assert response.status_code == 302
    assert _links(course) == {"B-H1": 3, "B-V1": 3}
    html = client.get(url).get_data(as_text=True)
    assert "Kan føre en motiverende samtale" in html
    assert "3 – Beherske" in html

    response = client.post(f"{url}/fjern/{law.id}")
    assert response.status_code == 302
    assert _links(course) == {"B-H1": 3}
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "courses")
    ).all()
    assert actions.count("course_competences.set") == 4


@pytest.mark.parametrize("level", ["0", "5", "tre", ""])
def test_a_level_outside_the_scale_is_refused_in_danish(
    client, login_as, small_framework, level
):
    course = make_course()
    login_as("coordinator")
    response = client.post(
        f"/kompetencer/kurser/{course.id}",
        data={"competence_id": small_framework.by_code("B-V1").id, "level": level},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Ret venligst følgende" in html or "Udfyld" in html
    assert _links(course) == {}


def test_a_retired_competence_cannot_be_linked(client, login_as, small_framework):
    course = make_course()
    competence = small_framework.by_code("B-A1")
    framework.set_retired(None, competence, True)
    db.session.commit()
    login_as("coordinator")
    response = client.post(
        f"/kompetencer/kurser/{course.id}",
        data={"competence_id": competence.id, "level": 2},
    )
    assert response.status_code == 400
    assert _links(course) == {}


def test_removing_a_link_that_does_not_exist_is_a_404(
    client, login_as, small_framework
):
    course = make_course()
    login_as("coordinator")
    competence = small_framework.by_code("B-V1")
    response = client.post(f"/kompetencer/kurser/{course.id}/fjern/{competence.id}")
    assert response.status_code == 404
    assert client.get("/kompetencer/kurser/999999").status_code == 404


def test_the_scale_cannot_shrink_below_a_linked_level(small_framework):
    course = make_course()
    db.session.add(
        CourseCompetence(
            course_id=course.id,
            competence_id=small_framework.by_code("B-V1").id,
            level=4,
        )
    )
    db.session.commit()
    assert framework.highest_level_in_use() == 4
