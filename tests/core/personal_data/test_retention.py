"""`flask learning purge` (cron) removes ratings, evidence and audit details older
than their retention periods, as of the product's clock."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.audit import AuditEvent, record
from core.db import db
from learning.assessments import services as assessments
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences import services as framework
from learning.matching.models import Evidence, EvidenceKind
from tests.learning.conftest import small_framework  # noqa: F401 (a fixture)

YEAR = timedelta(days=365)


@pytest.fixture
def history(small_framework, create_user, travel):  # noqa: F811
    """Ratings, evidence and audit events from six and from two years ago."""
    today = clock.now()
    person = create_user(name="Åse Øster")
    manager = create_user("manager")
    framework.set_user_profiles(None, person, [small_framework.basic])
    competence = small_framework.by_code("B-V1").id
    db.session.commit()

    def rate(source, by, level, comment):
        assessments.save_round(by, person, source, {competence: (level, comment)})

    def evidence(title):
        db.session.add(
            Evidence(
                person=person,
                competence_id=competence,
                kind=EvidenceKind.job_shadowing,
                title=title,
                occurred_on=clock.today(),
            )
        )

    travel(today - 6 * YEAR)
    rate(RatingSource.self, person, 1, "gammel selvvurdering")
    rate(RatingSource.manager, manager, 2, "eneste ledervurdering")
    evidence("Følordning for seks år siden")
    record(manager, "old.change", person, before={"name": "x"}, reason="gammel grund")
    db.session.commit()
    travel(today - 2 * YEAR)
    rate(RatingSource.self, person, 3, "nyere selvvurdering")
    evidence("Følordning for to år siden")
    record(manager, "new.change", person, before={"name": "y"}, reason="ny grund")
    db.session.commit()
    travel(today)
    return person


def purge(app) -> str:
    result = app.test_cli_runner().invoke(args=["learning", "purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def comments(person) -> list[str]:
    return db.session.scalars(
        sa.select(Rating.comment)
        .where(Rating.person_id == person.id)
        .order_by(Rating.id)
    ).all()


def test_old_ratings_go_unless_they_are_the_newest_of_their_kind(app, history):
    output = purge(app)
    assert "1 rating(s)" in output
    # The manager's only rating is six years old but is still the person's level.
    assert comments(history) == ["eneste ledervurdering", "nyere selvvurdering"]
    sources = db.session.scalars(sa.select(AssessmentRound.source)).all()
    assert sorted(s.value for s in sources) == ["manager", "self"]


def test_old_evidence_goes(app, history):
    output = purge(app)
    assert "1 piece(s) of evidence" in output
    titles = db.session.scalars(sa.select(Evidence.title)).all()
    assert titles == ["Følordning for to år siden"]


def test_old_audit_events_keep_who_did_what_but_lose_the_details(app, history):
    purge(app)
    events = {
        e.action: e
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like("%.change"))
        )
    }
    old, new = events["old.change"], events["new.change"]
    assert (old.before, old.after, old.reason) == (None, None, "")
    assert (old.object_type, old.object_id) == ("users", history.id)
    assert (new.before, new.reason) == ({"name": "y"}, "ny grund")


def test_the_periods_are_settings(app, history):
    periods = {
        "RATING_RETENTION": 10 * YEAR,
        "EVIDENCE_RETENTION": YEAR,
        "AUDIT_DETAIL_RETENTION": YEAR,
    }
    saved = {key: app.config[key] for key in periods}
    app.config.update(periods)
    try:
        purge(app)
    finally:
        app.config.update(saved)
    assert len(comments(history)) == 3
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 0
    new = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "new.change")
    ).one()
    assert new.before is None


def test_purging_twice_changes_nothing_more(app, history):
    purge(app)
    assert purge(app).startswith("0 rating(s) and 0 piece(s) of evidence deleted, 0")
