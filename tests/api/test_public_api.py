"""The API's document, its page for developers, and the catalogue and sessions
read without a token (issue 20)."""

from decimal import Decimal

from core.db import db
from courses.catalogue import services as catalogue
from courses.catalogue.models import CourseStatus
from courses.sessions import services as sessions
from tests.courses.catalogue.factories import make_course, make_provider, make_session


def test_the_document_is_openapi_3_1_with_the_public_paths(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert {
        "/api/v1/courses",
        "/api/v1/courses/{course_id}",
        "/api/v1/courses/{course_id}/sessions",
        "/api/v1/sessions/{course_session_id}",
        "/api/v1/providers",
    } <= set(document["paths"])
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_developers_page_lists_the_operations_in_danish(client):
    response = client.get("/api/v1/docs")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>API for udviklere</h1>" in page
    assert "GET /api/v1/courses/{course_id}/sessions" in page
    assert "Kræver ingen adgangsnøgle." in page


def test_the_catalogue_lists_only_what_everyone_may_see(app, client):
    provider = make_provider(name="Professionshøjskolen Absalon")
    listed = make_course(
        provider, title="Samtaler med æøå", price_municipal=Decimal("1250.50")
    )
    make_course(provider, title="Kladde", status=CourseStatus.draft)
    archived = make_course(provider, title="Arkiveret")
    catalogue.archive_course(None, archived)
    db.session.commit()

    body = client.get("/api/v1/courses").get_json()

    assert [c["title"] for c in body["items"]] == ["Samtaler med æøå"]
    assert body["total"] == 1
    course = body["items"][0]
    assert course["id"] == listed.id
    assert course["price_municipal"] == "1250.50"
    assert course["provider"]["name"] == "Professionshøjskolen Absalon"


def test_the_catalogue_pages_and_searches(client):
    for n in range(5):
        make_course(title=f"Kursus {n} om netværk" if n % 2 else f"Kursus {n}")

    first = client.get("/api/v1/courses?per_page=2").get_json()
    last = client.get("/api/v1/courses?per_page=2&page=3").get_json()
    found = client.get("/api/v1/courses?q=NETVÆRK").get_json()

    assert (first["total"], first["pages"], len(first["items"])) == (5, 3, 2)
    assert len(last["items"]) == 1
    assert [c["title"] for c in found["items"]] == [
        "Kursus 1 om netværk",
        "Kursus 3 om netværk",
    ]


def test_a_draft_course_is_not_found_as_json(client):
    draft = make_course(status=CourseStatus.draft)

    response = client.get(f"/api/v1/courses/{draft.id}")

    assert response.status_code == 404
    assert response.get_json() == {
        "code": "not_found",
        "message": "Der blev ikke fundet noget på denne adresse.",
    }


def test_bad_input_is_a_422_naming_the_field(client):
    response = client.get("/api/v1/courses?per_page=1000&audience=alle")

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "Noget af det indsendte er ikke gyldigt."
    assert set(body["errors"]["query"]) == {"per_page", "audience"}


def test_an_unknown_address_and_method_answer_json(client):
    missing = client.get("/api/v1/kurser")
    wrong_method = client.delete("/api/v1/courses")

    assert (missing.status_code, missing.get_json()["code"]) == (404, "not_found")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["code"] == "method_not_allowed"


def test_a_course_lists_its_upcoming_sessions_with_meetings(client):
    course = make_course(price_municipal=Decimal("1500"))
    later = make_session(course, days=(40, 41), price_municipal=Decimal("900"))
    sooner = make_session(course, days=(20,))
    cancelled = make_session(course, days=(30,))
    sessions.cancel_session(None, cancelled, reason="For få tilmeldte")
    db.session.commit()

    body = client.get(f"/api/v1/courses/{course.id}/sessions").get_json()

    assert [s["id"] for s in body["items"]] == [sooner.id, later.id]
    assert body["items"][1]["price_municipal"] == "900.00"
    assert body["items"][0]["price_municipal"] == "1500.00"
    assert len(body["items"][1]["meetings"]) == 2
    assert body["items"][0]["meetings"][0]["starts_at"].endswith("+00:00")


def test_a_session_of_a_draft_course_is_not_found(client):
    draft = make_course(status=CourseStatus.draft)
    hidden = make_session(draft)
    shown = make_session()

    assert client.get(f"/api/v1/sessions/{hidden.id}").status_code == 404
    body = client.get(f"/api/v1/sessions/{shown.id}").get_json()
    assert body["seats_left"] == 10
    assert body["meetings"][0]["place"] == "Lokale 1"
