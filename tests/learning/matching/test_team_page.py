"""A team's shared sessions judged at course level (learning.matching.team_page)
against the ranking over every member and session (ranking.suggest_many, then
shared_offers): the same sessions in the same order, each with the same
members, reasons, prices and weights, the same total and places, and the same
number of suggestions for each member, under every filter and on every page."""

import random
from datetime import timedelta

import pytest

from core.db import db, utcnow
from core.people.models import EmployerKind
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.sessions.models import CourseSession
from courses.sessions.timing import local
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.matching import engine, team_page
from learning.matching.presenting import PAGE_SIZE
from learning.matching.ranking import Filters, shared_offers
from tests.courses.bookings.factories import make_course, make_session
from tests.learning.matching.test_person_page import PLACES, _world

pytest.importorskip("learning.matching.models")

CODES = ["B-V1", "B-H1", "B-A1", "S-VK1"]


def _team(rng, consultant, link, small_framework, create_user, rate, team):
    """The consultant's world (test_person_page) and five colleagues with gaps of
    their own, state and municipal staff, some with a booked session's busy
    day, one with no rating at all."""
    _world(rng, consultant, link)
    now = utcnow().replace(microsecond=0)
    sessions = list(db.session.scalars(db.select(CourseSession)))
    people = [consultant]
    for n in range(5):
        kind = EmployerKind.state if n % 2 else EmployerKind.municipal
        person = create_user("employee", team=team, employer_kind=kind)
        framework.set_user_profiles(None, person, [small_framework.consultant])
        if n != 4:
            levels = {code: rng.choice([0, 1, 2, 3]) for code in CODES}
            rate(small_framework, person, RatingSource.self, levels)
        if n % 2 == 0:
            busy = make_session(
                link(make_course(), {rng.choice(CODES): 4}),
                start=now + timedelta(days=rng.choice([20, 40, 41])),
            )
            bookings.book(person, busy)
        if n == 1:  # one of the world's sessions the booking service accepts
            for cs in rng.sample(sessions, len(sessions)):
                try:
                    bookings.book(person, cs)
                except BookingError:
                    continue
                break
        people.append(person)
    extra = make_course(title="Ekstra", price=2000)
    link(extra, {"B-V1": 3, "B-H1": 3})
    for day in (20, 40, 90):
        cs = make_session(extra, start=now + timedelta(days=day))
        cs.location = rng.choice(PLACES)
        cs.price_state = 1500
    db.session.commit()
    return people


def _shared_key(shared) -> tuple:
    return (
        shared.offer.course_session_id,
        shared.weighted,
        shared.total_price,
        tuple(
            (s.person_id, s.price, s.weighted, s.covered, s.module, s.open_gaps)
            for s in shared.members
        ),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_page_is_the_shared_ranking_over_every_session(
    consultant, link, small_framework, create_user, rate, team, seed
):
    rng = random.Random(seed)
    people = _team(rng, consultant, link, small_framework, create_user, rate, team)
    ranked, loaded = engine.suggestions_for(people, ranked=False)
    everything = shared_offers(s for items in ranked.values() for s in items)
    assert len(everything) > PAGE_SIZE
    month = local(everything[0].offer.starts_at)
    gaps = {g.area_id for p in loaded.people.values() for g in p.gaps}
    for filters in [
        Filters(),
        Filters(free_only=True),
        Filters(place="odense"),
        Filters(place="ærø", free_only=True),
        Filters(month=(month.year, month.month)),
        *[Filters(kind=k) for k in ("knowledge", "action", "attitude")],
        *[Filters(area_id=a) for a in sorted(gaps)],
    ]:
        ranked, loaded = engine.suggestions_for(people, filters, ranked=False)
        expected = shared_offers(s for items in ranked.values() for s in items)
        got = []
        for page in range(1, len(expected) // PAGE_SIZE + 2):
            found = team_page.shared_page(people, filters, page)
            assert found.page.total == len(expected), filters
            assert found.places == loaded.places
            assert found.counts == {p: len(items) for p, items in ranked.items()}
            got += [_shared_key(s) for s in found.page.items]
        assert got == [_shared_key(s) for s in expected], filters
        past = team_page.shared_page(people, filters, len(expected) // PAGE_SIZE + 2)
        assert past.page is None
