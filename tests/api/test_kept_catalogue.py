"""The public catalogue's JSON kept per worker under the catalogue's data
version (issue 19): a repeated request reads only the version, and a change
made through the product is in the next answer."""

import pytest

from core.db import db
from courses.catalogue import services as catalogue
from courses.catalogue.models import CourseStatus
from tests.courses.catalogue.factories import make_course, make_provider


def _titles(client) -> list[str]:
    return [c["title"] for c in client.get("/api/v1/courses").get_json()["items"]]


def test_a_repeated_request_reads_only_the_data_version(client, count_queries):
    make_course(make_provider(), title="Samtaler med æøå")
    first = client.get("/api/v1/courses?per_page=7")

    with count_queries() as queries:
        again = client.get("/api/v1/courses?per_page=7")

    assert again.status_code == 200
    assert again.headers["Content-Type"] == "application/json"
    assert again.data == first.data
    assert again.get_json()["items"][0]["title"] == "Samtaler med æøå"
    assert len(queries) == 1  # the data version; the page was kept


def _rename(course):
    catalogue.update_course(None, course, title="Motiverende samtaler")


def _archive(course):
    catalogue.archive_course(None, course)


def _publish_another(course):
    draft = make_course(course.provider, title="Kladde", status=CourseStatus.draft)
    catalogue.publish_course(None, draft)


def _rename_provider(course):
    catalogue.update_provider(None, course.provider, name="Nyt udbydernavn")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_rename, ["Motiverende samtaler"]),
        (_archive, []),
        (_publish_another, ["Kladde", "Samtaler"]),
        (_rename_provider, ["Samtaler"]),
    ],
)
def test_a_change_through_the_product_is_in_the_next_answer(client, change, expected):
    course = make_course(make_provider(name="COK"), title="Samtaler")
    kept = client.get("/api/v1/courses")
    assert client.get("/api/v1/courses").data == kept.data

    change(course)
    db.session.commit()
    served = client.get("/api/v1/courses")

    assert served.data != kept.data
    assert _titles(client) == expected
    providers = {c["provider"]["name"] for c in served.get_json()["items"]}
    assert providers <= {db.session.get(type(course.provider), course.provider_id).name}
