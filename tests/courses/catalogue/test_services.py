"""Course services: prices per audience, prerequisites, archive, bad values."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.people.models import EmployerKind
from courses.catalogue import services
from courses.catalogue.models import Audience, Course


def test_create_course_keeps_prices_per_audience(make_provider):
    course = services.create_course(
        None,
        make_provider(),
        title="  Økonomistyring  ",
        audience=Audience.both,
        price_state="0",
        price_municipal="2500.50",
    )
    db.session.commit()
    assert course.title == "Økonomistyring"
    assert course.price_for(EmployerKind.state) == Decimal("0.00")
    assert course.price_for(EmployerKind.municipal) == Decimal("2500.50")
    assert course.search_text.startswith("økonomistyring")
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) >= 2


@pytest.mark.parametrize(
    ("price", "code"),
    [
        ("abc", "price_not_a_number"),
        ("-1", "price_negative"),
        ("NaN", "price_not_a_number"),
    ],
)
def test_bad_prices_are_refused(make_provider, price, code):
    provider = make_provider()
    with pytest.raises(services.CatalogueError) as caught:
        services.create_course(None, provider, title="X", price_municipal=price)
    assert caught.value.code == code
    assert caught.value.field == "price_municipal"


def test_title_is_required(make_provider):
    with pytest.raises(services.CatalogueError) as caught:
        services.create_course(None, make_provider(), title="   ")
    assert caught.value.code == "title_missing"
    assert str(caught.value) == "Giv kurset en titel."


def test_prerequisites_refuse_cycles(make_course):
    first = make_course(title="Modul 1")
    second = make_course(title="Modul 2", prerequisites=[first])
    assert second.prerequisites == [first]
    for required in (second, first):
        with pytest.raises(services.CatalogueError) as caught:
            services.update_course(None, first, prerequisites=[required])
        assert caught.value.code == "prerequisite_cycle"


def test_archive_and_restore(make_course):
    course = make_course()
    services.archive_course(None, course)
    db.session.commit()
    assert db.session.get(Course, course.id).archived
    services.restore_course(None, course)
    db.session.commit()
    assert not db.session.get(Course, course.id).archived


def test_update_refreshes_search_text(make_course):
    course = make_course(title="Gammel")
    services.update_course(None, course, title="Virksomhedskontakt", description="Ny")
    assert "virksomhedskontakt" in course.search_text


def test_add_member_twice_is_harmless(make_provider, create_user):
    user = create_user("provider_staff")
    provider = make_provider(user)
    services.add_member(None, provider, user)
    db.session.commit()
    assert [m.user_id for m in provider.members] == [user.id]
