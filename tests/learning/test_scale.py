"""`flask seed-scale` (issue 19): the national dataset, here at 2 % of its size,
on a freshly migrated database (SQLite, or a fresh PostgreSQL database when
TEST_DATABASE_URL is set): the counts, the invariants the services keep, every
booking state, and the pages people use render on it."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from core import clock
from core.db import db
from core.people import services as people
from core.people.models import OrgUnit, Role, UnitKind, User, UserRole
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences.models import Competence, UserProfile
from learning.matching.models import CourseCompetence
from learning.plans.models import Plan
from tests.databases import postgres_url
from tests.routes import sign_in
from wsgi import create_app

SCALE = "0.02"
SEATED = ("completed", "attended", "no_show", "confirmed", "offered")


@pytest.fixture
def national(tmp_path):
    url = postgres_url("scale", fresh=True) or f"sqlite:///{tmp_path / 'scale.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "scale-test-secret-key-that-is-long-enough",
        }
    )
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["seed-scale", "--scale", SCALE])
        assert result.exit_code == 0, result.output
        yield app, result.output
        db.session.remove()
        db.engine.dispose()


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_counts_follow_the_scale(national):
    _app, output = national
    assert _count(User) == 140
    assert (
        db.session.scalar(
            sa.select(sa.func.count(OrgUnit.id)).where(
                OrgUnit.kind == UnitKind.jobcentre
            )
        )
        == 2
    )
    assert _count(CourseSession) == 400
    assert _count(Booking) == 2000
    assert _count(Plan) == 140
    assert "140 people" in output
    assert "2.000 bookings" in output


def test_it_makes_everything_the_issue_lists(national):
    _app, output = national
    regions = sa.select(sa.func.count(OrgUnit.id)).where(
        OrgUnit.kind == UnitKind.region
    )
    rounds = db.session.execute(
        sa.select(AssessmentRound.source, sa.func.count(AssessmentRound.id)).group_by(
            AssessmentRound.source
        )
    ).all()
    linked = sa.select(sa.func.count(sa.distinct(CourseCompetence.course_id)))
    first, last = db.session.execute(
        sa.select(sa.func.min(Meeting.starts_at), sa.func.max(Meeting.starts_at))
    ).one()
    today = clock.today()

    assert db.session.scalar(regions) == 4
    assert _count(Competence) > 20  # the demo's whole framework
    assert _count(UserProfile) == 140  # a job-function profile each
    assert sorted(n for _source, n in rounds) == [140, 140, 140]  # three rounds
    assert (_count(Provider), _count(Course)) == (1, 10)  # 20 and 500 at full size
    assert db.session.scalar(linked) == 10  # every course develops competences
    assert _count(Meeting) >= _count(CourseSession)
    assert (today - clock.local_date(first)).days > 300
    assert (clock.local_date(last) - today).days > 300
    assert "seed-scale" in output  # the progress bar's label


def test_the_rows_keep_the_services_invariants(national):
    taken = db.session.execute(
        sa.select(
            CourseSession.id,
            CourseSession.seats_taken,
            CourseSession.capacity,
            sa.func.count(Booking.id).filter(
                Booking.status.in_([BookingStatus(s) for s in SEATED])
            ),
        )
        .outerjoin(Booking, Booking.course_session_id == CourseSession.id)
        .group_by(CourseSession.id)
    ).all()
    assert all(seats == held <= capacity for _id, seats, capacity, held in taken)
    states = set(db.session.scalars(sa.select(Booking.status).distinct()))
    assert states == set(BookingStatus)
    teams = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.team))
    assert all(t.manager_id and t.deputy_id for t in teams)


def test_manager_and_agreed_ratings_are_the_managers(national):
    """Each manager and agreed round is recorded by the person's manager (the
    deputy for the team's manager), as the rating services record them, never
    by the person; the agreed level lies between the person's own and the
    manager's. All three were recorded as rated by the person before."""
    teams = {
        t.id: (t.manager_id, t.deputy_id)
        for t in db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.team)
        )
    }
    team_of = dict(db.session.execute(sa.select(User.id, User.team_id)).all())
    rounds = db.session.execute(
        sa.select(
            AssessmentRound.person_id,
            AssessmentRound.source,
            AssessmentRound.rated_by_id,
        )
    ).all()
    for person, source, rater in rounds:
        manager, deputy = teams[team_of[person]]
        if source is RatingSource.self:
            assert rater == person
        else:
            assert rater == (deputy if manager == person else manager)
            assert rater != person
    levels = {}
    for person, competence, source, level in db.session.execute(
        sa.select(Rating.person_id, Rating.competence_id, Rating.source, Rating.level)
    ):
        levels.setdefault((person, competence), {})[source] = level
    assert len(levels) > 1000
    for seen in levels.values():
        own, managers = seen[RatingSource.self], seen[RatingSource.manager]
        assert min(own, managers) <= seen[RatingSource.agreed] <= max(own, managers)
    assert any(s[RatingSource.self] != s[RatingSource.manager] for s in levels.values())


def test_a_second_run_refuses_to_mix_with_data(national):
    app, _output = national
    again = app.test_cli_runner().invoke(args=["seed-scale", "--scale", SCALE])
    assert again.exit_code != 0
    assert "already holds people" in again.output


def test_the_product_adds_rows_after_it(national):
    """PostgreSQL's id sequences move past the seeded ids (a duplicate key before)."""
    jobcentre = db.session.scalar(
        sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.jobcentre).limit(1)
    )
    team = people.create_unit(
        None, kind=UnitKind.team, name="Nyt team", parent=jobcentre
    )
    person = people.create_user(
        None,
        email="ny@skala.demo.dk",
        name="Ny Medarbejder",
        password=None,
        roles=[Role.employee],
        team=team,
    )
    db.session.commit()
    assert _count(User) == 141
    assert db.session.get(User, person.id).team_id == team.id


@pytest.mark.parametrize(
    ("role", "urls"),
    [
        (
            Role.coordinator,
            ["/rapporter/efterspoergsel", "/kompetencer/vurdering/jobcentre"],
        ),
        (
            Role.manager,
            ["/rapporter/team", "/tilmeldinger/godkendelser", "/planer/indbakke"],
        ),
        (Role.employee, ["/forslag", "/kompetencer/vurdering/profil", "/kurser/"]),
    ],
)
def test_the_pages_people_use_render_on_it(national, role, urls):
    app, _output = national
    person = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role)
        .order_by(User.id)
    ).first()
    client = app.test_client()
    sign_in(client, person)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_suggestions_read_only_suggestable_courses_and_find_the_same(national):
    """A ranked list loads only the sessions of courses that can be suggested
    (engine.load(suggestable_only=True)); on the national data every person's
    suggestions, in order, are those ranked over every open session."""
    from learning.matching import engine, ranking

    staff = db.session.scalars(
        sa.select(User).join(Plan, Plan.owner_id == User.id).order_by(User.id).limit(25)
    ).all()
    fewer = 0
    for person in staff:
        ranked, loaded = engine.suggestions_for([person])
        every = engine.load([person], now=loaded.now)
        expected = ranking.suggest_many(every.people.values(), every.offers, every.now)
        assert [
            (s.offer.course_session_id, s.weighted, s.price, s.covered, s.module)
            for s in ranked[person.id]
        ] == [
            (s.offer.course_session_id, s.weighted, s.price, s.covered, s.module)
            for s in expected[person.id]
        ]
        fewer += len(loaded.offers) < len(every.offers)
    assert fewer  # the shortcut reads less for somebody
