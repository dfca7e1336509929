"""Two colleagues with a life on the platform: ratings with comments, evidence, a
development plan, a booking their manager approved, notifications, audit events."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.db import db
from core.notifications.services import notify
from core.people.models import UnitKind, User
from courses.bookings import services as bookings
from courses.bookings.models import Booking
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.matching.models import Evidence, EvidenceKind
from learning.plans import services as plans
from tests.courses.catalogue.factories import make_session
from tests.dates import today
from tests.learning.conftest import small_framework  # noqa: F401 (a fixture)


@dataclass
class Life:
    """A person and the texts only their own data holds."""

    person: User
    booking: Booking
    comment: str  # on their self rating
    wishes: str  # in their plan
    goal: str
    decision: str  # the manager's comment on their booking
    notice: str  # a notification's subject

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.comment, self.wishes, self.goal, self.decision, self.notice)


@dataclass
class Team:
    manager: User
    soeren: Life
    anna: Life


def live(fw, person: User, manager: User, course_session, tag: str) -> Life:
    """Give `person` one of each kind of data; `tag` makes their texts their own."""
    competence = fw.by_code("B-V1")
    comment = f"{tag} kender loven godt"
    assessments.save_round(
        person, person, RatingSource.self, {competence.id: (2, comment)}
    )
    assessments.save_round(
        manager, person, RatingSource.manager, {competence.id: (3, "")}
    )
    db.session.add(
        Evidence(
            person=person,
            competence=competence,
            kind=EvidenceKind.job_shadowing,
            title=f"Følordning med {tag}",
            occurred_on=today() - timedelta(days=10),
        )
    )
    start = today().replace(day=1)
    plan = plans.create_plan(
        person, person, starts_on=start, ends_on=start + timedelta(days=364)
    )
    wishes = f"{tag} ønsker at lære mere om virksomhedskontakt"
    plans.save_texts(person, plan, wishes=wishes)
    goal = f"{tag} vil kunne føre samtaler med virksomheder"
    plans.add_goal(person, plan, text=goal)
    booking = bookings.book(person, course_session)
    decision = f"{tag} har brug for kurset"
    bookings.approve(manager, booking, comment=decision)
    notice = f"Husk kurset, {tag}"
    notify(person, notice, "Kurset begynder snart.")
    db.session.commit()
    return Life(person, booking, comment, wishes, goal, decision, notice)


@pytest.fixture
def team(small_framework, create_unit, create_user) -> Team:  # noqa: F811
    unit = create_unit(UnitKind.team, name="Team Ærø")
    manager = create_user("manager", team=unit, name="Mette Leder")
    unit.manager = manager
    soeren = create_user(team=unit, name="Søren Ærø", email="soeren.aeroe@jobcenter.dk")
    anna = create_user(team=unit, name="Anna Berg", email="anna.berg@jobcenter.dk")
    for person in (soeren, anna):
        framework.set_user_profiles(None, person, [small_framework.basic])
    db.session.commit()
    course_session = make_session(capacity=5)
    return Team(
        manager,
        live(small_framework, soeren, manager, course_session, "Søren"),
        live(small_framework, anna, manager, course_session, "Anna"),
    )
