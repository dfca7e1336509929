"""services.deciding_gaps (what the reports add up) and services.latest_gaps
(the heat maps) against gaps_for (the gap engine over every rating) on a
generated world: the national dataset at a small
scale, with later rounds on top that compete with the first (a newer self-
assessment beside an older agreed level, two rounds of one source on the same
moment, people rated afresh by themselves or their manager only, a person
rated in nothing), so each rule of current_level is met."""

import random
from datetime import timedelta

import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.models import User
from learning.assessments import services
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences.models import Competence, Requirement
from learning.scale import seed_scale


def _more_rounds(rng: random.Random) -> None:
    people = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    required = list(db.session.scalars(sa.select(Requirement.competence_id).distinct()))
    now = clock.now()
    rated_at = {}  # a few moments shared by several rounds: ties on the time
    for person_id in rng.sample(people, len(people) // 2):
        if rng.random() < 0.5:  # rated afresh, from nothing
            db.session.execute(sa.delete(Rating).where(Rating.person_id == person_id))
        last = None
        for _ in range(rng.randint(1, 4)):
            if last is not None and rng.random() < 0.3:
                source, at, cids = last  # typed in again on the same moment
            else:
                source = rng.choice(list(RatingSource))
                at = rated_at.setdefault(
                    rng.randint(0, 5), now - timedelta(days=rng.randint(1, 400))
                )
                cids = rng.sample(required, min(8, len(required)))
            last = source, at, cids
            sitting = AssessmentRound(person_id=person_id, source=source, rated_at=at)
            db.session.add(sitting)
            db.session.flush()
            db.session.execute(
                sa.insert(Rating),
                [
                    {
                        "round_id": sitting.id,
                        "person_id": person_id,
                        "competence_id": cid,
                        "source": source,
                        "level": rng.randint(0, 4),
                        "rated_at": at,
                    }
                    for cid in cids
                ],
            )
    db.session.commit()


def _counted(item) -> tuple:
    return (
        item.competence_id,
        item.target,
        item.priority,
        item.layer,
        item.current,
        item.gap,
        item.weighted,
        item.assessed,
    )


def test_the_reports_read_the_same_gaps_as_the_engine(app):
    seed_scale(0.01)
    _more_rounds(random.Random(19))
    never = User(email="aldrig@skala.demo.dk", name="Aldrig Vurderet")
    db.session.add(never)
    db.session.commit()
    people = list(db.session.scalars(sa.select(User.id).order_by(User.id)))

    engine = services.gaps_for(people)
    reports, competences = services.deciding_gaps(people)

    assert reports.keys() == engine.keys()
    compared = 0
    for person_id, gaps in engine.items():
        mine = reports[person_id]
        assert [_counted(i) for i in mine.items] == [_counted(i) for i in gaps.items]
        assert (mine.total, mine.largest, mine.never_assessed) == (
            gaps.total,
            gaps.largest,
            gaps.never_assessed,
        )
        compared += len(gaps.items)
    assert compared > 1000
    assert any(g.never_assessed for g in engine.values())
    assert any(
        i.agreed_level is None and i.current is not None
        for g in engine.values()
        for i in g.items
    )
    needed = {i.competence_id for g in engine.values() for i in g.items}
    assert competences.keys() == needed
    assert all(isinstance(c, Competence) for c in competences.values())


def test_the_heat_maps_read_the_same_gaps_as_the_engine(app):
    seed_scale(0.01)
    _more_rounds(random.Random(20))
    people = list(db.session.scalars(sa.select(User.id).order_by(User.id)))

    engine = services.gaps_for(people)
    heat, competences = services.latest_gaps(people)

    assert {p: g.items for p, g in heat.items()} == {
        p: g.items for p, g in engine.items()
    }
    assert any(i.talk_topic for g in engine.values() for i in g.items)
    needed = {i.competence_id for g in engine.values() for i in g.items}
    assert competences.keys() == needed
