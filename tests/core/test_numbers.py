"""The one number parser: Danish where a number could be read two ways, plain
otherwise, and nothing that is not a finite number of sensible length."""

from decimal import Decimal

import pytest

from core.numbers import (
    DAYS,
    ID,
    PAGE,
    PRICE,
    SEATS,
    AmbiguousNumberError,
    NumberError,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("250.000", Decimal("250000")),
        ("1.250,50", Decimal("1250.50")),
        ("1.500", Decimal("1500")),
        ("1.500.000", Decimal("1500000")),
        ("1500.50", Decimal("1500.50")),
        ("0,5", Decimal("0.5")),
        (" 1 500 kr. ", Decimal("1500")),
        ("1\u00a0500", Decimal("1500")),
        ("1\u202f250,50", Decimal("1250.50")),
        ("1 250,50", Decimal("1250.50")),
        ("kr. 1.250", Decimal("1250")),
        ("KR 1.250", Decimal("1250")),
        ("1.250 kr.", Decimal("1250")),
        ("DKK 1.250,50", Decimal("1250.50")),
        ("1.250,-", Decimal("1250")),
        ("1,250.50", Decimal("1250.50")),
        ("1,500,000", Decimal("1500000")),
        ("12,50", Decimal("12.50")),
        ("1.5", Decimal("1.5")),
        ("007", Decimal("7")),
    ],
)
def test_numbers_are_read_as_danes_write_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "-1",
        "1e309",
        "NaN",
        "Infinity",
        "9" * 400,
        "０,５",
        "",
        "kr.",
        "1 50",  # a space groups thousands, or it is no number
        ",5",
        "5,",
    ],
)
def test_anything_else_is_not_a_number(text):
    with pytest.raises(NumberError, match="not_a_number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        # English thousands, or Danish one and a half? Not guessed.
        ("1,500", (Decimal("1.5"), Decimal("1500"))),
        ("1.500,5.0", (Decimal("1500.5"),)),
        ("1.50.000", (Decimal("150000"),)),
    ],
)
def test_a_number_that_reads_two_ways_is_refused_with_its_readings(text, readings):
    with pytest.raises(AmbiguousNumberError) as refused:
        parse_number(text)
    assert refused.value.code == "ambiguous"
    assert refused.value.readings == readings


@pytest.mark.parametrize(
    ("bounds", "value", "code"),
    [
        (SEATS, Decimal("10001"), "too_large"),
        (SEATS, Decimal("-1"), "negative"),
        (SEATS, Decimal("2.5"), "too_precise"),
        (DAYS, Decimal("0.4"), "too_small"),
        (DAYS, Decimal("1.25"), "too_precise"),
        (PRICE, "NaN", "not_a_number"),
        (PRICE, float("inf"), "not_a_number"),
        (PRICE, 10**400, "too_large"),
    ],
)
def test_values_outside_the_bounds_are_refused(bounds, value, code):
    with pytest.raises(NumberError, match=code):
        bounds.check(value)


def test_rounding_keeps_the_places_the_column_keeps():
    assert PRICE.check("1500.505", rounding=True) == Decimal("1500.50")
    assert PRICE.check(10, rounding=True) == Decimal("10.00")


@pytest.mark.parametrize("text", ["0", "-3", "2147483648", "9" * 400, "1.0", "²"])
def test_query_string_numbers_outside_the_bounds_are_no_id(text):
    with pytest.raises(ValueError):  # noqa: PT011 request.args.get wants a ValueError
        ID.arg(text)


def test_query_string_numbers_inside_the_bounds_are_read():
    assert ID.arg("2147483647") == 2**31 - 1
    assert PAGE.arg("3") == 3
