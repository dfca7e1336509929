"""The catalogue and the sessions read a price with the same rules: a number from
0 to the most a price may be, in øre, whichever way it arrives."""

from decimal import Decimal

import pytest

from core.numbers import PRICE
from courses.catalogue import services as catalogue
from courses.sessions import services as sessions
from tests.courses.catalogue.factories import meeting

TOO_LARGE = {
    "one-øre-over": PRICE.maximum + Decimal("0.01"),
    "beyond-the-column": Decimal("10000000000"),
    "400-digits": 10**400,
}


def _course(make_provider, **prices):
    return catalogue.create_course(None, make_provider(), title="Pris", **prices)


def _session(make_course, **prices):
    return sessions.create_session(None, make_course(), meetings=[meeting()], **prices)


@pytest.mark.parametrize(
    ("price", "code"),
    [
        ("abc", "price_not_a_number"),
        ("NaN", "price_not_a_number"),
        ("Infinity", "price_not_a_number"),
        ("-0.01", "price_negative"),
        *(pytest.param(v, "price_too_large", id=k) for k, v in TOO_LARGE.items()),
    ],
)
def test_both_refuse_the_same_prices(make_provider, make_course, price, code):
    with pytest.raises(catalogue.CatalogueError) as caught:
        _course(make_provider, price_state=price)
    assert (caught.value.code, caught.value.field) == (code, "price_state")
    with pytest.raises(sessions.SessionError) as caught:
        _session(make_course, price_municipal=price)
    assert (caught.value.code, caught.value.field) == (code, "price_municipal")


@pytest.mark.parametrize(
    ("price", "stored"),
    [
        (PRICE.maximum, Decimal("1000000.00")),
        ("1500.505", Decimal("1500.50")),
        (Decimal("0"), Decimal("0.00")),
    ],
)
def test_both_keep_the_same_prices(make_provider, make_course, price, stored):
    assert _course(make_provider, price_state=price).price_state == stored
    assert _session(make_course, price_state=price).price_state == stored
