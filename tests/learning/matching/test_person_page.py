"""Forslag til dig ranked at course level, a page at a time in SQL
(learning.matching.person_page), against the ranking over every session
(ranking.suggest): the same suggestions, in the same order, with the same
reasons, prices and places, under every filter and on every page."""

import random
from datetime import time, timedelta
from decimal import Decimal

import pytest

from core.db import db, utcnow
from courses.bookings import services as bookings
from courses.bookings.models import PrerequisiteWaiver
from courses.catalogue.models import Audience
from courses.sessions.timing import local
from learning.matching import engine, person_page
from learning.matching.ranking import Filters
from tests.courses.bookings.factories import make_course, make_session
from tests.dates import ahead, at

pytest.importorskip("learning.matching.models")

PLACES = ["Jobcenter Aarhus", "Odense", " odense ", "København", "Ærø"]


def _world(rng: random.Random, consultant, link) -> None:
    """Courses of every kind around the consultant's gaps: equal weights and
    prices, several sessions on one day, own session prices, full sessions,
    another audience, prerequisites (one waived), a booked session's busy day."""
    now = utcnow().replace(microsecond=0)
    busy_day = now + timedelta(days=40)
    booked = make_session(link(make_course(), {"B-A1": 4}), start=busy_day)
    bookings.book(consultant, booked)
    needs = make_course()
    for n in range(24):
        course = make_course(
            title=f"Kursus {n}",
            price=rng.choice([0, 1000, 1000, 3000]),
            audience=Audience.state if n % 11 == 5 else Audience.both,
            prerequisites=[needs] if n % 7 == 3 else [],
        )
        levels = {
            code: rng.choice([2, 3, 3, 4])
            for code in rng.sample(["B-H1", "B-V1", "S-VK1", "B-A1"], rng.randint(1, 3))
        }
        link(course, levels)
        if n == 10:
            db.session.add(
                PrerequisiteWaiver(user_id=consultant.id, course_id=course.id)
            )
        for _ in range(rng.randint(1, 4)):
            day = rng.choice([5, 20, 20, 40, 41, 70, 120])
            cs = make_session(
                course,
                start=now + timedelta(days=day, hours=rng.choice([-20, 1, 3, 30])),
                capacity=rng.choice([0, 10, 10]),
                days=rng.choice([1, 1, 2]),
            )
            cs.location = rng.choice(PLACES)
            if rng.random() < 0.3:
                cs.price_municipal = Decimal(rng.choice([0, 500, 1000]))
    # One day's sessions, the later made first: SQL reads them by their start,
    # the ranking orders a day's by id, and a page boundary falls between them.
    same_day = link(make_course(title="Samme dag"), {"B-H1": 3})
    for hour in (15, 14, 13, 12, 11, 10, 9):
        make_session(same_day, start=at(ahead(60), time(hour)))
    db.session.commit()


def _key(s) -> tuple:
    return (
        s.offer.course_session_id,
        s.price,
        s.weighted,
        s.covered,
        s.module,
        s.open_gaps,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_page_is_the_rankings_over_every_session(consultant, link, seed):
    _world(random.Random(seed), consultant, link)
    ranked, loaded = engine.suggestions_for([consultant])
    everything = ranked[consultant.id]
    places = sorted({s.offer.location.strip() for s in everything} - {""})
    month = local(everything[0].offer.starts_at)
    kinds = [Filters(kind=k) for k in ("knowledge", "action", "attitude")]
    areas = [Filters(area_id=g.area_id) for g in loaded.people[consultant.id].gaps]
    for filters in [
        Filters(),
        Filters(free_only=True),
        Filters(place="odense"),
        Filters(place="ærø", free_only=True),
        Filters(month=(month.year, month.month)),
        *kinds,
        *areas,
    ]:
        expected = [_key(s) for s in engine.rank_again(loaded, consultant.id, filters)]
        got = []
        for page in range(1, len(expected) // 3 + 2):
            found = person_page.suggestion_page(consultant, filters, page, size=3)
            assert found.total == len(expected)
            assert found.places == places
            got += [_key(s) for s in found.items]
        assert got == expected, filters


def test_the_sessions_left_out_are_not_counted(consultant, link):
    _world(random.Random(4), consultant, link)
    everything = engine.suggestions_for([consultant])[0][consultant.id]
    left_out = frozenset(s.offer.course_session_id for s in everything[::2])
    found = person_page.suggestion_page(consultant, size=50, leave_out=left_out)
    assert [_key(s) for s in found.items] == [_key(s) for s in everything[1::2]]
    assert found.total == len(everything) - len(left_out)


def test_a_place_is_found_without_the_places_asked_for(consultant, link):
    _world(random.Random(5), consultant, link)
    ranked, loaded = engine.suggestions_for([consultant])
    odense = Filters(place="odense")
    expected = [_key(s) for s in engine.rank_again(loaded, consultant.id, odense)]
    found = person_page.suggestion_page(consultant, odense, size=50, places=False)
    assert expected
    assert [_key(s) for s in found.items] == expected
