"""The purchase plan for a jobcentre: the problem built from the matching engine
in a fixed number of queries, solved (optimise.solve), and turned into booking
requests through the booking life cycle in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from core.audit import record
from core.clock import local_date
from core.db import db, utcnow
from core.people.models import OrgUnit, User
from courses.bookings import services as bookings
from courses.bookings.course_days import whole_days
from courses.bookings.errors import BookingError
from courses.bookings.models import Booking, BookingStatus
from courses.sessions.models import CourseSession, Meeting
from learning.assessments.overview import jobcentre_members
from learning.competences.models import Competence
from learning.matching import engine
from learning.matching.ranking import Offer
from learning.reports.purchase import optimise
from learning.reports.purchase.errors import PurchaseError
from learning.reports.purchase.optimise import Choice, Need, Problem, Seat

# Stored on the bookings a purchase plan requests (Booking.approval_reason): the
# manager approves each, whatever its price.
PURCHASE_REASON = "purchase_plan"
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Ask:
    """What the coordinator asks: a budget for a period, for a jobcentre."""

    jobcentre: OrgUnit
    budget: Decimal
    starts_on: date
    ends_on: date


@dataclass
class Built:
    """The problem and what the pages name in it."""

    problem: Problem
    people: dict[int, User]
    competences: dict[int, Competence]
    offers: dict[int, Offer]


@dataclass(frozen=True)
class Raised:
    competence: Competence
    current: int
    reached: int


@dataclass(frozen=True)
class Row:
    """One chosen seat as the page and the export show it."""

    person: User
    course_session: CourseSession
    price: Decimal
    gain: int
    raised: tuple[Raised, ...]


@dataclass(frozen=True)
class SessionRow:
    """One session of the plan: its seats, people, cost and gap closed."""

    course_session: CourseSession
    rows: tuple[Row, ...]

    @property
    def cost(self) -> Decimal:
        return sum((r.price for r in self.rows), Decimal(0))

    @property
    def gain(self) -> int:
        return sum(r.gain for r in self.rows)


@dataclass(frozen=True)
class Figures:
    """What one choice buys, as the page's summary and the export show it."""

    sessions: int
    seats: int
    people: int
    cost: Decimal
    gain: int
    gap_left: int


@dataclass
class Result:
    ask: Ask
    built: Built
    best: Choice
    greedy: Choice
    sessions: list[SessionRow]

    @property
    def total_gap(self) -> int:
        return self.built.problem.total_gap

    @property
    def people_count(self) -> int:
        return len(self.built.people)

    def gap_left(self, choice: Choice) -> int:
        return self.total_gap - choice.gain

    def figures(self, choice: Choice) -> Figures:
        return Figures(
            len({s.session_id for s in choice.seats}),
            len(choice.seats),
            len(choice.people),
            choice.cost,
            choice.gain,
            self.gap_left(choice),
        )

    @property
    def gain_over_greedy(self) -> int:
        return self.best.gain - self.greedy.gain

    @property
    def rows(self) -> list[Row]:
        return [r for s in self.sessions for r in s.rows]


def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PurchaseError("bad_period", field="ends_on")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise PurchaseError("period_too_long", field="ends_on")


def _in_period(offer: Offer, ask: Ask) -> bool:
    if offer.first_day is None:
        return False
    last = local_date(offer.ends_at) if offer.ends_at else offer.first_day
    return ask.starts_on <= offer.first_day and last <= ask.ends_on


def _pending(ids: list[int]) -> dict[int, int]:
    """Requests waiting for a manager, per session: seats promised already."""
    return dict(
        db.session.execute(
            sa.select(Booking.course_session_id, sa.func.count(Booking.id))
            .where(
                Booking.course_session_id.in_(ids),
                Booking.status == BookingStatus.requested,
            )
            .group_by(Booking.course_session_id)
        ).all()
    )


def _meetings(ids: list[int]) -> dict[int, list]:
    """Each session's course days as whole days, so two seats clash exactly when
    booking them would (courses.bookings.course_days: a shared day)."""
    result: dict[int, list] = {}
    for sid, starts, ends in db.session.execute(
        sa.select(Meeting.course_session_id, Meeting.starts_at, Meeting.ends_at).where(
            Meeting.course_session_id.in_(ids), Meeting.cancelled.is_(False)
        )
    ):
        result.setdefault(sid, []).append(whole_days(starts, ends))
    return result


def build(ask: Ask, *, now: datetime | None = None) -> Built:
    """The jobcentre's problem: its people's assessed gaps, and the seats the
    matching engine suggests for them on sessions within the period (audience,
    price, prerequisites, deadlines and clashes with their bookings are the
    engine's), with the seats left once waiting requests are served and the
    sessions that clash with one another. About twenty queries, whatever the
    size."""
    people = {p.id: p for p in jobcentre_members(ask.jobcentre)}
    suggested, loaded = engine.suggestions_for(
        list(people.values()), now=now, ranked=False
    )
    offers = {o.course_session_id: o for o in loaded.offers if _in_period(o, ask)}
    seats = tuple(
        Seat(
            s.person_id,
            s.offer.course_session_id,
            s.offer.course_id,
            s.price,
            tuple((c.competence_id, c.reached) for c in s.covered),
        )
        for items in suggested.values()
        for s in items
        if s.offer.course_session_id in offers and s.covered
    )
    ids = sorted({s.session_id for s in seats})
    pending = _pending(ids)
    needs = tuple(
        Need(pid, g.competence_id, g.current, g.target, g.priority)
        for pid, person in loaded.people.items()
        for g in person.gaps
        if g.size
    )
    problem = Problem(
        needs,
        seats,
        {sid: max(0, offers[sid].seats_left - pending.get(sid, 0)) for sid in ids},
        ask.budget,
        optimise.clashing_pairs(_meetings(ids)),
    )
    return Built(problem, people, loaded.competences, offers)


def purchase_plan(
    ask: Ask, *, time_limit: float, now: datetime | None = None
) -> Result:
    """The optimal plan (or the best found within `time_limit` seconds, with the
    proven bound) beside the greedy choice."""
    built = build(ask, now=now)
    best, greedy = optimise.solve(built.problem, time_limit=time_limit)
    return Result(ask, built, best, greedy, session_rows(built, best))


def session_rows(built: Built, choice: Choice) -> list[SessionRow]:
    """The chosen seats grouped by session, first day first: one query."""
    sessions = engine.sessions_by_id({s.session_id for s in choice.seats})
    ordered = sorted(
        choice.seats,
        key=lambda s: (
            built.offers[s.session_id].starts_at,
            s.session_id,
            built.people[s.person_id].name,
        ),
    )
    shares = optimise.gain_per_seat(built.problem, ordered)
    needs = {(n.person_id, n.competence_id): n for n in built.problem.needs}
    grouped: dict[int, list[Row]] = {}
    for seat in ordered:
        raised = tuple(
            Raised(
                built.competences[c],
                needs[(seat.person_id, c)].current,
                min(level, needs[(seat.person_id, c)].target),
            )
            for c, level in seat.reaches
            if (seat.person_id, c) in needs
        )
        grouped.setdefault(seat.session_id, []).append(
            Row(
                built.people[seat.person_id],
                sessions[seat.session_id],
                seat.price,
                shares[seat.key],
                raised,
            )
        )
    return [
        SessionRow(rows[0].course_session, tuple(rows)) for rows in grouped.values()
    ]


def _stale_seat(built: Built, key: tuple[int, int]) -> PurchaseError:
    person = built.people.get(key[0])
    course_session = db.session.get(CourseSession, key[1])
    return PurchaseError(
        "stale_seat",
        person=person.name if person else "?",
        course=course_session.course.title if course_session else "?",
    )


def check_still_valid(built: Built, keys: Iterable[tuple[int, int]]) -> list[Seat]:
    """The plan's seats as the database stands now, or PurchaseError naming the
    first that is gone: a person no longer suggested there (booked elsewhere at
    the time, the session closed or moved), or a session whose seats went."""
    known = {s.key: s for s in built.problem.seats}
    chosen = []
    for key in keys:
        if key not in known:
            raise _stale_seat(built, key)
        chosen.append(known[key])
    broken = optimise.violations(built.problem, chosen)
    if optimise.SEATS in broken:
        used: dict[int, int] = {}
        for s in chosen:
            used[s.session_id] = used.get(s.session_id, 0) + 1
        sid = next(sid for sid, n in used.items() if n > built.problem.seats_left[sid])
        course = db.session.get(CourseSession, sid).course.title
        raise PurchaseError("stale_seats", course=course)
    if broken:
        raise PurchaseError("stale_rules")
    return chosen


def request_seats(
    actor: User,
    ask: Ask,
    keys: list[tuple[int, int]],
    *,
    now: datetime | None = None,
) -> list[Booking]:
    """Request every seat of the plan for its person, each to be approved by the
    person's manager, in one savepoint: if any is refused, none is made. The
    plan is checked again against the database first."""
    now = now or utcnow()
    if not keys:
        raise PurchaseError("empty_plan")
    built = build(ask, now=now)
    chosen = check_still_valid(built, keys)
    sessions = engine.sessions_by_id({s.session_id for s in chosen})
    made = []
    with db.session.begin_nested():
        for seat in chosen:
            person = built.people[seat.person_id]
            course_session = sessions[seat.session_id]
            try:
                made.append(
                    bookings.book(
                        person, course_session, approval=PURCHASE_REASON, now=now
                    )
                )
            except BookingError as exc:
                raise PurchaseError(
                    "booking_failed",
                    person=person.name,
                    course=course_session.course.title,
                    reason=exc,
                ) from exc
        record(
            actor,
            "purchase_plan.requested",
            ask.jobcentre,
            after={
                "budget": str(ask.budget),
                "starts_on": ask.starts_on.isoformat(),
                "ends_on": ask.ends_on.isoformat(),
                "seats": [list(s.key) for s in chosen],
                "cost": str(sum((s.price for s in chosen), Decimal(0))),
            },
        )
    return made
