"""Who pays: the Kompetencefond's 80 % share under the cap, the jobcentre the rest."""

from decimal import Decimal

from learning.plans.funding import Line, split
from learning.plans.models import Funding


def test_fund_pays_eighty_percent_and_the_jobcentre_the_rest():
    totals = split([Line(Decimal("10000"), Funding.fund)])
    assert totals.fund == Decimal("8000.00")
    assert totals.jobcentre == Decimal("2000.00")
    assert totals.fund_left == Decimal("22000.00")


def test_cap_is_shared_first_come_and_counts_what_was_used_before():
    totals = split(
        [
            Line(Decimal("20000"), Funding.fund),
            Line(Decimal("20000"), Funding.fund),
            Line(Decimal("1500"), Funding.budget),
            Line(Decimal("900"), Funding.free),
        ],
        fund_used_before=Decimal("10000"),
    )
    # 20.000 left under the cap: 16.000 for the first, 4.000 for the second.
    assert [s.fund for s in totals.shares] == [
        Decimal("16000.00"),
        Decimal("4000"),
        Decimal(0),
        Decimal(0),
    ]
    assert [s.jobcentre for s in totals.shares] == [
        Decimal("4000.00"),
        Decimal("16000"),
        Decimal("1500"),
        Decimal(0),
    ]
    assert totals.fund_left == Decimal(0)


def test_nothing_left_when_the_cap_was_used_already():
    totals = split(
        [Line(Decimal("5000"), Funding.fund)], fund_used_before=Decimal("30000")
    )
    assert totals.fund == 0
    assert totals.jobcentre == Decimal("5000")
