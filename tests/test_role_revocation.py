"""Access follows the role: when an administrator takes a role away (or ends a
deputy period, or deactivates the account) through the admin forms, every page
that role opened answers 403 or 404 to the same browser on its next request,
while the person's remaining roles keep working.

The pages are not a hand-picked list: every GET route in `app.url_map` is tried
with the person's own objects (their provider's courses and sessions, their
team and its members, their jobcentre), before and after. A route is the role's
when the person opens it and a plain employee of another team does not.
"""

import itertools
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.people import services as people
from core.people.demo import load_demo_data
from core.people.models import OrgUnit, Role, UnitKind, User
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider, ProviderMember
from courses.diplomas.models import Diploma
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Area, Competence, Profile
from tests.courses.bookings.factories import make_session

# Routes that need something no person owns (a static file, a feed secret) or
# that act on the session itself.
SKIP_ENDPOINTS = {"static", "core.login", "core.logout"}
PARAM = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def sign_in(client, user: User) -> None:
    """A real server-side login session in the client's cookie, as after /log-ind."""
    people.start_login_session(user, lifetime=timedelta(hours=1))
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.current_login_token
        sess["_fresh"] = True


def form_of(user: User, **changes) -> dict:
    """The admin's edit form for `user` as sent after changing `changes`."""
    data = {
        "name": user.name,
        "email": user.email,
        "roles": sorted(r.value for r in user.roles),
        "employer_kind": user.employer_kind.value,
        "team_id": user.team_id or 0,
        "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


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


def answers(client, urls: list[str]) -> dict[str, int]:
    return {url: client.get(url).status_code for url in urls}


def opened(statuses: dict[str, int]) -> set[str]:
    return {url for url, status in statuses.items() if status == 200}


@pytest.fixture
def demo(app) -> dict[str, User]:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    emails = {p["key"]: p["email"].lower() for p in load_demo_data()["people"]}
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails.values())))
    by_email = {u.email: u for u in users}
    return {key: by_email[email] for key, email in emails.items()}


@pytest.fixture
def outsider(create_user, create_unit) -> User:
    """A plain employee of a team of their own: what anyone signed in may open."""
    return create_user("employee", team=create_unit(UnitKind.team))


@pytest.fixture
def admin_client(app, create_user):
    """A second administrator's browser: the one who changes the person's roles."""
    other = app.test_client()
    sign_in(other, create_user("admin", email="it-chef@jobcenter.demo.dk"))
    return other


# role taken away -> (demo person, the roles they keep, a page the role opens)
CASES = {
    Role.provider_staff: ("provider", ["employee"], "/deltagerliste"),
    Role.manager: ("manager", ["employee"], "/budgetter/"),
    Role.coordinator: ("coordinator", ["employee"], "/kompetencer/ramme/"),
    Role.admin: ("admin", ["employee"], "/admin/brugere"),
}


def _powers(app, client, outsider_client, person: User):
    urls = urls_for(app, own_objects(person))
    everyone = opened(answers(outsider_client, urls))
    before = opened(answers(client, urls))
    return urls, before - everyone, before & everyone


@pytest.mark.parametrize("role", list(CASES), ids=lambda r: r.value)
def test_revoking_a_role_closes_every_page_it_opened(
    app, client, demo, outsider, admin_client, role
):
    key, kept, marker = CASES[role]
    person = demo[key]
    sign_in(client, person)
    outsider_client = app.test_client()
    sign_in(outsider_client, outsider)
    urls, powered, shared = _powers(app, client, outsider_client, person)
    assert any(marker in url for url in powered), sorted(powered)

    response = admin_client.post(
        f"/admin/brugere/{person.id}", data=form_of(person, roles=kept)
    )
    assert response.status_code == 302, response.text
    assert db.session.get(User, person.id).roles == {Role(r) for r in kept}

    after = answers(client, urls)
    still_open = {url: after[url] for url in powered if after[url] not in (403, 404)}
    assert still_open == {}
    assert {url: after[url] for url in shared if after[url] != 200} == {}
    assert client.get("/tilmeldinger/").status_code == 200


@pytest.mark.parametrize("role", list(CASES), ids=lambda r: r.value)
def test_deactivating_an_account_ends_its_session_on_every_page(
    app, client, demo, outsider, admin_client, role
):
    key, _kept, _marker = CASES[role]
    person = demo[key]
    sign_in(client, person)
    urls = urls_for(app, own_objects(person))
    public = opened(answers(app.test_client(), urls))  # feeds, health check
    before = opened(answers(client, urls)) - public
    assert before

    response = admin_client.post(
        f"/admin/brugere/{person.id}", data=form_of(person, active=None)
    )
    assert response.status_code == 302, response.text
    assert db.session.get(User, person.id).active is False

    after = answers(client, sorted(before))
    assert {url: s for url, s in after.items() if s != 302} == {}
    assert client.get("/").location.startswith("/log-ind")


def test_a_revoked_provider_membership_stays_dormant_and_wakes_with_the_role(
    client, demo, admin_client
):
    person = demo["provider"]
    members = sa.select(ProviderMember.provider_id).where(
        ProviderMember.user_id == person.id
    )
    provider_ids = set(db.session.scalars(members))
    assert provider_ids
    course_session = db.session.scalar(
        sa.select(CourseSession)
        .join(Course)
        .where(Course.provider_id.in_(provider_ids))
        .order_by(CourseSession.id)
        .limit(1)
    )
    participants = f"/hold/{course_session.id}/deltagerliste"
    sign_in(client, person)
    assert client.get(participants).status_code == 200

    admin_client.post(
        f"/admin/brugere/{person.id}", data=form_of(person, roles=["employee"])
    )
    assert client.get(participants).status_code == 403
    # Dormant: the membership is kept, and no event says it ended.
    assert set(db.session.scalars(members)) == provider_ids
    assert not db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "provider.remove_member"
        )
    )

    person = db.session.get(User, person.id)
    admin_client.post(
        f"/admin/brugere/{person.id}",
        data=form_of(person, roles=["employee", "provider_staff"]),
    )
    assert client.get(participants).status_code == 200


def test_ending_a_deputy_period_closes_the_team_pages(
    app, client, create_user, create_unit, admin_client
):
    team = create_unit(UnitKind.team)
    manager = create_user("manager", "employee", team=team)
    deputy = create_user("employee", team=team)
    member = create_user("employee", team=team)
    admin_client.post(
        f"/admin/enheder/{team.id}",
        data={
            "kind": "team",
            "name": team.name,
            "parent_id": team.parent_id,
            "manager_email": manager.email,
            "deputy_email": deputy.email,
            "deputising": "y",
        },
    )
    assert Role.manager in db.session.get(User, deputy.id).roles
    sign_in(client, db.session.get(User, deputy.id))
    pages = [
        "/kompetencer/vurdering/team",
        f"/kompetencer/vurdering/personer/{member.id}/profil",
        f"/budgetter/{team.id}",
    ]
    assert [client.get(p).status_code for p in pages] == [200, 200, 200]

    admin_client.post(
        f"/admin/enheder/{team.id}",
        data={
            "kind": "team",
            "name": team.name,
            "parent_id": team.parent_id,
            "manager_email": manager.email,
            "deputy_email": deputy.email,
        },
    )
    assert [client.get(p).status_code for p in pages] == [403, 403, 403]


def test_saving_a_team_does_not_give_a_revoked_manager_the_role_back(
    client, demo, admin_client
):
    person = demo["manager"]
    team = person.team
    admin_client.post(
        f"/admin/brugere/{person.id}", data=form_of(person, roles=["employee"])
    )
    response = admin_client.post(
        f"/admin/enheder/{team.id}",
        data={
            "kind": "team",
            "name": team.name + " (omdøbt)",
            "parent_id": team.parent_id,
            "manager_email": person.email,
        },
    )
    assert response.status_code == 302, response.text
    assert db.session.get(User, person.id).roles == {Role.employee}
    sign_in(client, db.session.get(User, person.id))
    assert client.get(f"/budgetter/{team.id}").status_code == 403


def test_a_revoked_manager_is_neither_asked_nor_able_to_decide(
    app, client, create_user, create_unit, admin_client
):
    team = create_unit(UnitKind.team)
    boss = create_user("manager", "employee", team=team)
    team.manager = boss
    db.session.commit()
    admin_client.post(
        f"/admin/brugere/{boss.id}", data=form_of(boss, roles=["employee"])
    )
    member = create_user("employee", team=team)
    course_session = make_session(price=4500)
    member_client = app.test_client()
    sign_in(member_client, member)
    response = member_client.post(f"/hold/{course_session.id}/tilmeld", data={})
    assert response.status_code == 302, response.text
    booking = db.session.scalar(sa.select(Booking).where(Booking.user_id == member.id))
    assert booking.status is BookingStatus.requested
    asked = sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == boss.id
    )
    assert db.session.scalar(asked) == 0

    sign_in(client, db.session.get(User, boss.id))
    assert client.post(f"/tilmeldinger/{booking.id}/godkend").status_code == 403
    assert db.session.get(Booking, booking.id).status is BookingStatus.requested


def test_a_key_person_counts_only_while_the_account_is_active(
    create_user, create_unit, admin_client
):
    jobcentre = create_unit(UnitKind.jobcentre)
    team = create_unit(UnitKind.team, parent=jobcentre)
    person = create_user("employee", team=team)
    other = create_user("employee", team=team)
    for key_person in (person, other):
        admin_client.post(
            "/admin/noeglepersoner",
            data={
                "email": key_person.email,
                "area": "eures",
                "jobcentre_id": jobcentre.id,
            },
        )
    listed = {k.user_id for k in people.key_persons(jobcentre=jobcentre)}
    assert listed == {person.id, other.id}

    admin_client.post(f"/admin/brugere/{person.id}", data=form_of(person, active=None))
    listed = {k.user_id for k in people.key_persons(jobcentre=jobcentre)}
    assert listed == {other.id}
