"""The API's lists read a fixed number of queries whatever their length."""

from decimal import Decimal

from courses.bookings import services as bookings
from tests.courses.catalogue.factories import make_course, make_provider, make_session


def _count(client, count_queries, path: str, headers=None) -> int:
    client.get(path, headers=headers)  # warm caches; a token's first use is stamped
    with count_queries() as statements:
        assert client.get(path, headers=headers).status_code == 200
    return len(statements)


def test_the_catalogue_and_sessions_read_the_same_queries_for_1_or_8(
    client, count_queries
):
    few = make_course(make_provider(), title="A")
    make_session(few)
    many = make_course(make_provider(), title="B")
    for n in range(8):
        make_session(many, days=(30 + 7 * n, 31 + 7 * n))
        make_course(make_provider(), title=f"C{n}")

    assert _count(client, count_queries, "/api/v1/courses?per_page=1") == _count(
        client, count_queries, "/api/v1/courses?per_page=9"
    )
    assert _count(client, count_queries, f"/api/v1/courses/{few.id}/sessions") == (
        _count(client, count_queries, f"/api/v1/courses/{many.id}/sessions")
    )


def test_bookings_and_participants_read_the_same_queries_for_1_or_6(
    client, count_queries, create_user, token_for
):
    staff = create_user("provider_staff")
    provider = make_provider(staff)
    small = make_session(make_course(provider, price_municipal=Decimal("0")))
    large = make_session(make_course(provider, price_municipal=Decimal("0")))
    person = create_user()
    bookings.book(person, small)
    for _ in range(6):
        bookings.book(create_user(), large)
    for n in range(5):
        bookings.book(
            person,
            make_session(make_course(price_municipal=Decimal("0")), days=(40 + 7 * n,)),
        )
    other = create_user()
    bookings.book(other, large)
    own, theirs = token_for(person, "me:read"), token_for(other, "me:read")
    staff_token = token_for(staff, "provider:read")

    assert _count(client, count_queries, "/api/v1/me/bookings", own) == _count(
        client, count_queries, "/api/v1/me/bookings", theirs
    )
    participants = "/api/v1/provider/sessions/{}/participants"
    assert _count(
        client, count_queries, participants.format(small.id), staff_token
    ) == _count(client, count_queries, participants.format(large.id), staff_token)
