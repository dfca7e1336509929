"""A team's shared sessions: many people's suggestions grouped by session, the
sessions that serve most people first."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from learning.matching.values import Offer, Suggestion, collections_paused


@dataclass(frozen=True)
class SharedOffer:
    """One session and the people it would serve, most helped first."""

    offer: Offer
    members: tuple[Suggestion, ...]
    weighted: int
    total_price: Decimal

    def sort_key(self) -> tuple:
        return (
            -len(self.members),
            -self.weighted,
            self.total_price,
            self.offer.first_day or date.max,
            self.offer.course_session_id,
        )


def shared_offers(
    suggestions: Iterable[Suggestion], *, min_members: int = 2
) -> list[SharedOffer]:
    """Sessions that serve at least `min_members` people, most served first."""
    with collections_paused():
        grouped: dict[int, list[Suggestion]] = {}  # session id -> its people
        for s in suggestions:
            sid = s.offer.course_session_id
            members = grouped.get(sid)
            if members is None:
                grouped[sid] = [s]
            else:
                members.append(s)
        result = [
            SharedOffer(
                members[0].offer,
                tuple(members),
                sum(s.weighted for s in members),
                Decimal(sum(s.price for s in members)),
            )
            for members in grouped.values()
            if len(members) >= min_members
        ]
        result.sort(key=SharedOffer.sort_key)
    return result


def ordered_members(shared: SharedOffer) -> list[Suggestion]:
    """The people a shared session serves, most weighted gap covered first."""
    return sorted(shared.members, key=lambda s: (-s.weighted, s.person_id))
