"""Every GET route of the app, filled in with objects a person has power over: the
route map that the role-revocation and the reads-only tests walk."""

import itertools
import re
from datetime import timedelta

import sqlalchemy as sa

from core.db import db
from core.people import services as people
from core.people.demo import load_demo_data
from core.people.models import OrgUnit, Role, UnitKind, User
from courses.bookings.models import Booking
from courses.catalogue.models import Course, Provider, ProviderMember
from courses.diplomas.models import Diploma
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Area, Competence, Profile

SKIP_ENDPOINTS = {"static", "core.login", "core.logout"}
PARAM = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def seed_demo(app) -> dict[str, User]:
    """Load the demo data as `flask seed-demo` does; the demo people by key."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    emails = {p["key"]: p["email"].lower() for p in load_demo_data()["people"]}
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails.values())))
    by_email = {u.email: u for u in users}
    return {key: by_email[email] for key, email in emails.items()}


def sign_in(client, user: User) -> None:
    """A real server-side login session in the client's cookie, as after /log-ind."""
    people.start_login_session(user, lifetime=timedelta(hours=1))
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.current_login_token
        sess["_fresh"] = True


def _ids(stmt, limit: int = 2) -> list[int]:
    return list(db.session.scalars(stmt.limit(limit)))


def own_objects(person: User) -> dict[str, list]:
    """URL values for every parameter, taken from what `person` has power over."""
    provider_ids = _ids(
        sa.select(ProviderMember.provider_id).where(ProviderMember.user_id == person.id)
    ) or _ids(sa.select(Provider.id).order_by(Provider.id), 1)
    course_ids = _ids(
        sa.select(Course.id)
        .where(Course.provider_id.in_(provider_ids))
        .order_by(Course.id)
    )
    session_ids = _ids(
        sa.select(CourseSession.id)
        .where(CourseSession.course_id.in_(course_ids))
        .order_by(CourseSession.id)
    )
    led = list(people.managed_team_ids(person)) or _ids(
        sa.select(OrgUnit.id).where(OrgUnit.manager_id == person.id)
    )
    jobcentre_id = person.team.parent_id if person.team else None
    if person.has_role(Role.coordinator) and jobcentre_id:
        units = [jobcentre_id, person.team_id]
        in_scope = User.team_id.in_(
            sa.select(OrgUnit.id).where(OrgUnit.parent_id == jobcentre_id)
        )
    elif person.is_admin:
        units = _ids(sa.select(OrgUnit.id).where(OrgUnit.kind == UnitKind.team), 1)
        in_scope = User.team_id.is_not(None)
    else:
        units = led
        in_scope = User.team_id.in_(led or [-1])
    user_ids = _ids(
        sa.select(User.id).where(in_scope, User.id != person.id).order_by(User.id)
    )
    return {
        "provider_id": provider_ids,
        "course_id": course_ids,
        "course_session_id": session_ids,
        "meeting_id": _ids(
            sa.select(Meeting.id).where(Meeting.course_session_id.in_(session_ids))
        ),
        "booking_id": _ids(
            sa.select(Booking.id).where(
                sa.or_(
                    Booking.course_session_id.in_(session_ids),
                    Booking.user_id.in_(user_ids),
                )
            )
        ),
        "user_id": user_ids,
        "person_id": user_ids,
        "unit_id": units,
        "diploma_id": _ids(sa.select(Diploma.id).order_by(Diploma.id), 1),
        "competence_id": _ids(sa.select(Competence.id).order_by(Competence.id), 1),
        "area_id": _ids(sa.select(Area.id).order_by(Area.id), 1),
        "profile_id": _ids(sa.select(Profile.id).order_by(Profile.id), 1),
        "source": ["selv", "leder", "aftalt"],
        "fmt": ["csv", "json"],
    }


def urls_for(app, objects: dict[str, list]) -> list[str]:
    """Every GET route of the app, filled in with every combination of objects."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP_ENDPOINTS:
            continue
        names = PARAM.findall(rule.rule)
        if any(not objects.get(name) for name in names):
            continue
        for values in itertools.product(*(objects[name] for name in names)):
            filled = iter(values)
            urls.append(PARAM.sub(lambda _m, v=filled: str(next(v)), rule.rule))
    return sorted(set(urls))
