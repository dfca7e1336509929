"""Who pays for a plan's activities: the team's budget, Den Kommunale
Kompetencefond (80 %, capped per person per 12 months) or nobody. Pure: plain
values in, figures out."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from learning.plans.models import Funding

FUND_SHARE = Decimal("0.80")
FUND_CAP = Decimal("30000")  # per person per 12 months since OK21
_ORE = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    cost: Decimal
    funding: Funding


@dataclass(frozen=True)
class Share:
    cost: Decimal
    fund: Decimal  # what the Kompetencefond pays
    jobcentre: Decimal  # what the jobcentre pays (budget, or the fund's remainder)


@dataclass(frozen=True)
class Totals:
    shares: tuple[Share, ...]
    cost: Decimal
    fund: Decimal
    jobcentre: Decimal
    fund_used_before: Decimal
    fund_cap: Decimal

    @property
    def fund_left(self) -> Decimal:
        """What the cap leaves after this plan."""
        return max(Decimal(0), self.fund_cap - self.fund_used_before - self.fund)


def split(
    lines: Iterable[Line],
    *,
    fund_used_before: Decimal = Decimal(0),
    share: Decimal = FUND_SHARE,
    cap: Decimal = FUND_CAP,
) -> Totals:
    """Each line's fund and jobcentre parts, in order, with the cap shared out
    first come first served; whatever the fund does not pay, the jobcentre does."""
    left = max(Decimal(0), cap - fund_used_before)
    shares = []
    for line in lines:
        fund = Decimal(0)
        if line.funding is Funding.fund:
            fund = min((line.cost * share).quantize(_ORE, ROUND_HALF_UP), left)
            left -= fund
        payer = Decimal(0) if line.funding is Funding.free else line.cost - fund
        shares.append(Share(line.cost, fund, payer))
    fund_total = sum((s.fund for s in shares), Decimal(0))
    jobcentre = sum((s.jobcentre for s in shares), Decimal(0))
    return Totals(
        shares=tuple(shares),
        cost=sum((s.cost for s in shares), Decimal(0)),
        fund=fund_total,
        jobcentre=jobcentre,
        fund_used_before=fund_used_before,
        fund_cap=cap,
    )
