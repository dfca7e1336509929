"""Who may take which offer: the booking service's own refusals, worked out from
the ranking's plain values (no database, no Flask), and the calendar that finds
each person's clashes among many offers at once."""

from bisect import bisect_left
from collections.abc import Iterable
from datetime import datetime

from courses.bookings.course_days import overlaps, share_a_day, whole_days
from learning.matching.values import Interval, Offer, Person

BOTH = "both"
# Why a person may not take an offer; the codes are the booking service's own.
NOT_OPEN, STARTED, CLOSED = "session_not_open", "session_started", "booking_closed"
FULL, AUDIENCE = "session_full", "not_in_audience"
PREREQUISITES, CLASH, BOOKED = "missing_prerequisites", "clash", "already_booked"


def clashes(offer: Offer, busy: Iterable[Interval]) -> bool:
    """A meeting of the offer falls on a busy course day: the booking guards'
    rule (courses.bookings.course_days), so both refuse the same sessions."""
    return share_a_day(offer.meetings, busy)


def refusal(person: Person, offer: Offer, now: datetime) -> str | None:
    """Why the person may not book the offer now, or None when they may."""
    return (
        session_refusal(offer, now)
        or course_refusal(person, offer)
        or (CLASH if clashes(offer, person.busy) else None)
    )


def session_refusal(offer: Offer, now: datetime) -> str | None:
    """The rules that are the same for everybody."""
    if not offer.is_open:
        return NOT_OPEN
    if offer.starts_at is not None and offer.starts_at <= now:
        return STARTED
    if offer.booking_deadline is not None and now > offer.booking_deadline:
        return CLOSED
    if offer.seats_left <= 0 and not offer.waiting_list:
        return FULL
    return None


class Calendar:
    """The offers' course days (whole days) sorted by the first, so each
    person's clashes are found by looking only near their own busy days."""

    def __init__(self, offers: Iterable[Offer]):
        timed = sorted(
            (
                (o, tuple(whole_days(*m) for m in o.meetings))
                for o in offers
                if o.meetings
            ),
            key=lambda pair: (min(d[0] for d in pair[1]), pair[0].course_session_id),
        )
        self.starts = [min(d[0] for d in days) for _o, days in timed]
        self.offers = timed
        self.longest = max(
            (
                max(d[1] for d in days) - start
                for start, (_o, days) in zip(self.starts, timed, strict=True)
            ),
            default=None,
        )

    def clashing(self, busy: Iterable[Interval]) -> set[int]:
        """The ids of the sessions with a course day on one of the busy days."""
        result: set[int] = set()
        if self.longest is None:
            return result
        for interval in busy:
            day = whole_days(*interval)
            low = bisect_left(self.starts, day[0] - self.longest)
            high = bisect_left(self.starts, day[1])
            for offer, days in self.offers[low:high]:
                if any(overlaps(d, day) for d in days):
                    result.add(offer.course_session_id)
        return result


def in_audience(offer: Offer, employer_kind: str) -> bool:
    """The course is for staff of this kind of employer ("state", "municipal")."""
    return offer.audience in (BOTH, employer_kind)


def course_refusal(person: Person, offer: Offer) -> str | None:
    if not in_audience(offer, person.employer_kind):
        return AUDIENCE
    if offer.course_id in person.booked_course_ids:
        return BOOKED
    if offer.course_id not in person.waived_course_ids and not (
        offer.prerequisites <= person.done_course_ids
    ):
        return PREREQUISITES
    return None
