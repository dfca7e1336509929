"""The course page says "1 dag" and "2 dage", not "1 dage"."""

from decimal import Decimal

import pytest

from core.db import db


@pytest.mark.parametrize(
    ("days", "wording"),
    [
        (Decimal("1"), "1 dag<"),
        (Decimal("2"), "2 dage<"),
        (Decimal("1.5"), "1,5 dage<"),
    ],
)
def test_duration_is_singular_for_one_day(client, login_as, make_course, days, wording):
    course = make_course(duration_days=days)
    db.session.commit()
    login_as("employee")
    assert wording in client.get(f"/kurser/{course.id}").text
