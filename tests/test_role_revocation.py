"""Access follows the role: when an administrator takes a role away (or ends a
deputy period, or deactivates the account) through the admin forms, every page
that role opened answers 403 or 404 to the same browser on its next request,
while the person's remaining roles keep working.

The pages are not a hand-picked list: every GET route in `app.url_map` is tried
with the person's own objects (their provider's courses and sessions, their
team and its members, their jobcentre), before and after. A route is the role's
when the person opens it and a plain employee of another team does not.
"""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.people import services as people
from core.people.models import Role, UnitKind, User
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, ProviderMember
from courses.sessions.models import CourseSession
from tests.courses.bookings.factories import make_session
from tests.routes import own_objects, seed_demo, sign_in, urls_for


# Routes that need something no person owns (a static file, a feed secret) or
# that act on the session itself.
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


def answers(client, urls: list[str]) -> dict[str, int]:
    return {url: client.get(url).status_code for url in urls}


def opened(statuses: dict[str, int]) -> set[str]:
    return {url for url, status in statuses.items() if status == 200}


@pytest.fixture
def demo(app) -> dict[str, User]:
    return seed_demo(app)


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
