"""The demo framework and ratings load repeatably and give a spread of gaps."""

from datetime import timedelta

import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.demo import seed_people
from learning.assessments import services
from learning.assessments.demo import seed_demo, seed_ratings
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences.demo import seed_framework
from learning.competences.models import Competence, Profile, UserProfile

MINI = {
    "scale": {
        "name": "Niveau",
        "levels": [
            {"value": v, "label": label, "description": f"{label} ..."}
            for v, label in enumerate(
                ["Ingen", "Kende", "Kunne", "Beherske", "Ekspert"]
            )
        ],
    },
    "areas": [{"code": "A", "title": "Område", "title_en": "Area", "description": ""}],
    "competences": [
        {
            "code": f"C{i}",
            "title": f"Kompetence {i}",
            "title_en": f"Competence {i}",
            "description": "",
            "kind": kind,
            "layer": layer,
            "area": "A",
            "source": "003",
        }
        for i, (kind, layer) in enumerate(
            [
                ("knowledge", "basic"),
                ("action", "basic"),
                ("attitude", "basic"),
                ("action", "specific"),
            ]
        )
    ],
    "profiles": [
        {
            "key": "basic",
            "title": "Grundlæggende",
            "title_en": "Basic",
            "description": "",
            "basic": True,
            "demo": True,
            "requirements": [
                {"competence": f"C{i}", "target": 3, "priority": 2} for i in range(3)
            ],
        },
        {
            "key": "firm",
            "title": "Virksomhedskonsulent",
            "title_en": "Company",
            "description": "",
            "basic": False,
            "demo": True,
            "requirements": [{"competence": "C3", "target": 4, "priority": 3}],
        },
    ],
}


def test_seed_framework_is_idempotent(app):
    seed_framework(MINI)
    db.session.commit()
    seed_framework(MINI)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Competence.id))) == 4
    assert db.session.scalar(sa.select(sa.func.count(Profile.id))) == 2


def test_seed_ratings_gives_three_dated_rounds_and_a_spread_of_gaps(
    app, create_user, create_unit
):
    profiles = seed_framework(MINI)
    team = create_unit()
    manager = create_user("manager", team=team)
    team.manager = manager
    people = [create_user("employee", team=team) for _ in range(24)]
    db.session.add_all(
        UserProfile(user_id=p.id, profile_id=profiles["firm"].id) for p in people[::2]
    )
    seed_ratings(people)
    db.session.commit()
    days = db.session.scalars(sa.select(AssessmentRound.rated_at).distinct()).all()
    assert len({d.date() for d in days}) >= 3
    # A demo loaded on any day looks alive: every rating lies in the past year.
    now = clock.now()
    assert all(now - timedelta(days=365) < d < now for d in days), sorted(days)
    sources = set(db.session.scalars(sa.select(Rating.source).distinct()))
    assert sources == set(RatingSource)
    gaps = services.gaps_for([p.id for p in people])
    totals = [g.total for g in gaps.values()]
    # Everyone has something to grow in, some much more than others.
    assert min(totals) > 0
    assert max(totals) > 3 * min(totals)


def test_seed_ratings_is_deterministic(app, create_user, create_unit):
    seed_framework(MINI)
    team = create_unit()
    people = [create_user("employee", team=team) for _ in range(5)]
    seed_ratings(people)
    first = db.session.execute(
        sa.select(Rating.competence_id, Rating.level).order_by(Rating.id)
    ).all()
    db.session.execute(sa.delete(Rating))
    db.session.execute(sa.delete(AssessmentRound))
    seed_ratings(people)
    assert (
        db.session.execute(
            sa.select(Rating.competence_id, Rating.level).order_by(Rating.id)
        ).all()
        == first
    )


def test_the_real_demo_data_loads_twice_without_changes(app):
    seed_people()
    seed_demo()
    db.session.commit()
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Competence, Profile, UserProfile, Rating)
    ]
    seed_people()
    seed_demo()
    db.session.commit()
    assert counts == [
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Competence, Profile, UserProfile, Rating)
    ]
    assert counts[3] > 0
