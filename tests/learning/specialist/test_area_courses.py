"""Linking catalogue courses to a specialist area: the area's staff, coordinators
and admins do it on /specialomraader/<area>/kurser, and the area page then lists
the courses' next sessions. An unknown, archived or already linked course, or a
function of another area, gets a Danish 4xx and links nothing."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import SpecialistArea
from core.people.specialists import SpecialistFunction, add_staff
from courses.catalogue import services as catalogue
from learning.specialist.models import AreaCourse
from tests.courses.catalogue.factories import make_course, make_session

pytestmark = pytest.mark.usefixtures("app")

PAGE = "/specialomraader/eures/kurser"


def _links() -> list[tuple]:
    return list(
        db.session.execute(
            sa.select(AreaCourse.area, AreaCourse.course_id, AreaCourse.function_id)
        )
    )


def _link(client, course_id, function_id=""):
    return client.post(
        PAGE, data={"course_id": str(course_id), "function_id": str(function_id)}
    )


def test_staff_link_a_seminar_and_the_area_page_lists_its_session(
    client, login_as, knowledge
):
    seminar = make_course(title="EURES-seminar om sæsonarbejde i Europa")
    make_session(seminar, days=(15,))
    login_as(knowledge.people["staff"])
    form = client.get(PAGE).get_data(as_text=True)
    assert "EURES-seminar om sæsonarbejde i Europa" in form  # a choice
    assert 'for="course_id"' in form
    assert 'for="function_id"' in form

    answer = _link(client, seminar.id, knowledge.function.id)
    assert answer.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "EURES-seminar om sæsonarbejde i Europa er knyttet til området." in page
    assert "Fjern 'EURES-seminar om sæsonarbejde i Europa' fra området" in page
    area = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert "EURES-seminar om sæsonarbejde i Europa" in area
    assert 'href="/specialomraader/eures/kurser"' in area
    function = client.get(f"/specialomraader/funktion/{knowledge.function.id}")
    assert "EURES-seminar om sæsonarbejde i Europa" in function.get_data(as_text=True)
    assert _links() == [(SpecialistArea.eures, seminar.id, knowledge.function.id)]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("coordinator", 200),
        ("admin", 200),
        ("key", 403),  # key persons write items, they do not link courses
        ("colleague", 403),
        ("disability_key", 403),
    ],
)
def test_who_links_courses(client, login_as, knowledge, who, status):
    course = make_course(title="Netværksmøde for EURES-nøglepersoner")
    login_as(knowledge.people[who])
    assert client.get(PAGE).status_code == status
    area = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert ('href="/specialomraader/eures/kurser"' in area) is (status == 200)
    linked = _link(client, course.id)
    assert linked.status_code == (302 if status == 200 else 403)
    assert len(_links()) == (1 if status == 200 else 0)
    removed = client.post(f"{PAGE}/{course.id}/fjern")
    assert removed.status_code == (302 if status == 200 else 403)
    assert _links() == []


def test_another_areas_staff_may_not_link(client, login_as, knowledge):
    disability = SpecialistFunction(
        area=SpecialistArea.disability,
        region=knowledge.function.region,
        name="Job & Handicap Nord",
    )
    db.session.add(disability)
    db.session.flush()
    add_staff(None, disability, knowledge.people["colleague"])
    db.session.commit()
    login_as(knowledge.people["colleague"])
    assert client.get(PAGE).status_code == 403
    assert client.get("/specialomraader/handicap/kurser").status_code == 200


@pytest.mark.parametrize("course_id", ["99999", "abc", "", "-3", "1.250,50"])
def test_an_unknown_course_is_a_danish_400(client, login_as, knowledge, course_id):
    make_course()
    login_as(knowledge.people["staff"])
    answer = _link(client, course_id)
    assert answer.status_code == 400
    assert "Vælg et kursus fra kataloget." in answer.get_data(as_text=True)
    assert _links() == []


def test_a_course_linked_twice_is_a_danish_409(client, login_as, knowledge):
    course = make_course(title="Æbler, øer og åer i Europa")
    login_as(knowledge.people["staff"])
    assert _link(client, course.id).status_code == 302
    again = _link(client, course.id, knowledge.function.id)
    assert again.status_code == 409
    assert "Æbler, øer og åer i Europa er allerede knyttet til området." in (
        again.get_data(as_text=True)
    )
    assert _links() == [(SpecialistArea.eures, course.id, None)]


def test_an_archived_course_or_another_areas_function_is_refused(
    client, login_as, knowledge
):
    archived = make_course(title="Gammelt kursus")
    catalogue.archive_course(None, archived, reason="Udgået")
    db.session.commit()
    other = SpecialistFunction(
        area=SpecialistArea.disability,
        region=knowledge.function.region,
        name="Job & Handicap Nord",
    )
    db.session.add(other)
    db.session.commit()
    course = make_course()
    login_as(knowledge.people["staff"])
    answer = _link(client, archived.id)
    assert answer.status_code == 400
    assert "Kurset er arkiveret" in answer.get_data(as_text=True)
    for function_id in (other.id, "99999", "abc"):
        answer = _link(client, course.id, function_id)
        assert answer.status_code == 400, function_id
        assert "Vælg en specialfunktion" in answer.get_data(as_text=True)
    assert _links() == []


def test_removing_a_course_not_linked_is_a_danish_404(client, login_as, knowledge):
    course = make_course()
    login_as(knowledge.people["coordinator"])
    answer = client.post(f"{PAGE}/{course.id}/fjern")
    assert answer.status_code == 404
    assert "Kurset er ikke knyttet til området." in answer.get_data(as_text=True)


def test_the_course_page_reads_a_fixed_number_of_queries(
    client, login_as, knowledge, count_queries
):
    login_as(knowledge.people["staff"])
    db.session.add(AreaCourse(area=SpecialistArea.eures, course=make_course()))
    make_course()
    db.session.commit()
    with count_queries() as few:
        assert client.get(PAGE).status_code == 200
    for _n in range(6):
        db.session.add(
            AreaCourse(
                area=SpecialistArea.eures,
                course=make_course(),
                function_id=knowledge.function.id,
            )
        )
        make_course()
    db.session.commit()
    with count_queries() as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few)
