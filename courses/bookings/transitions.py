"""The booking life cycle as data: each transition names its sources, target, who
may make it and the guards that must pass. lifecycle.py runs it (check, allowed,
apply; eligibility.py asks through lifecycle.check), and views.py reads a target
to spot a replayed button.

Seats follow from the states: a transition into a seat-holding state takes a seat
with the conditional UPDATE, one out of it gives the seat back. Where a seat is
wanted but none is free, `when_full` names the state to go to instead.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from courses.bookings import guards
from courses.bookings.models import BookingStatus as S


class Party(enum.Enum):
    """Who may make a transition."""

    owner = "owner"  # the booked person
    approver = "approver"  # their team's manager, or the deputy while deputising
    provider = "provider"  # staff of the course's provider
    admin = "admin"
    system = "system"  # the platform itself: offers, lapses, cancelled sessions


Guard = Callable[[guards.Context], None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[S | None]
    target: S
    parties: frozenset[Party]
    guards: tuple[Guard, ...] = ()
    when_full: S | None = None


def _t(name, sources, target, parties, guards_=(), when_full=None) -> Transition:
    return Transition(
        name, frozenset(sources), target, frozenset(parties), tuple(guards_), when_full
    )


_SELF, _MANAGER = Party.owner, Party.approver
_PROVIDER, _ADMIN, _SYSTEM = Party.provider, Party.admin, Party.system
_BOOKABLE = (
    guards.session_open,
    guards.before_booking_deadline,
    guards.in_audience,
    guards.has_prerequisites,
    guards.no_clash,
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        # A booking that needs approval waits for the manager without a seat.
        _t("request", {None}, S.requested, {_SELF}, _BOOKABLE),
        _t("book", {None}, S.confirmed, {_SELF}, _BOOKABLE, when_full=S.waitlisted),
        _t(
            "approve",
            {S.requested},
            S.confirmed,
            {_MANAGER, _ADMIN},
            (guards.session_open,),
            when_full=S.waitlisted,
        ),
        _t("reject", {S.requested}, S.rejected, {_MANAGER, _ADMIN}),
        _t("offer", {S.waitlisted}, S.offered, {_SYSTEM}, (guards.session_open,)),
        _t("accept", {S.offered}, S.confirmed, {_SELF}, (guards.offer_open,)),
        _t("decline", {S.offered}, S.cancelled, {_SELF}),
        _t("lapse", {S.offered}, S.cancelled, {_SYSTEM}, (guards.offer_due,)),
        _t(
            "withdraw",
            {S.requested, S.waitlisted},
            S.cancelled,
            {_SELF, _MANAGER, _ADMIN},
        ),
        _t(
            "cancel",
            {S.confirmed},
            S.cancelled,
            {_SELF, _MANAGER, _ADMIN},
            (guards.before_cancellation_deadline,),
        ),
        _t(
            "cancel_late",
            {S.confirmed},
            S.late_cancelled,
            {_SELF, _MANAGER, _ADMIN},
            (guards.after_cancellation_deadline,),
        ),
        _t(
            "mark_attended",
            {S.confirmed, S.no_show},
            S.attended,
            {_PROVIDER, _ADMIN},
            (guards.session_begun,),
        ),
        _t(
            "mark_no_show",
            {S.confirmed, S.attended},
            S.no_show,
            {_PROVIDER, _ADMIN},
            (guards.session_begun,),
        ),
        _t("complete", {S.attended}, S.completed, {_PROVIDER, _ADMIN}),
        _t(
            "session_cancelled",
            {S.requested, S.waitlisted, S.offered, S.confirmed},
            S.cancelled,
            {_SYSTEM},
        ),
    )
}
