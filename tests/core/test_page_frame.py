"""The signed-in page frame (issue 19): the menus, the unread count and the
current page, read with the login in one statement and drawn from markup the
process keeps per language, page and set of allowed links (core/templating.py).

What the frame shows must follow every change made through the product on the
very next request: a role taken away, a deputy period started or ended, a
notification received or read, another language chosen. Each test makes the
change through the product's own pages and looks at the next page.
"""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications import services as notifications
from core.people import services as people
from core.people.advisers import set_adviser
from core.people.login import load_login_session
from core.people.models import Role, UnitKind, User, UserRole
from tests.conftest import counting_queries
from tests.routes import sign_in

TEAM_MAP = "/kompetencer/vurdering/team"
JOBCENTRE_MAP = "/kompetencer/vurdering/jobcentre"
REGION = "/rapporter/region"


def menu(page: str) -> str:
    """The main menu's markup (the mobile drawer repeats it)."""
    found = re.search(r'<nav class="navigation-menu".*?</nav>', page, re.S)
    assert found, "no main menu on the page"
    return found.group(0)


def menu_of(client, path: str = "/adgangskode") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return menu(response.get_data(as_text=True))


def header_of(client, path: str = "/adgangskode") -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<div class="portal-user">') : page.index("</header>")]


def user_form(user: User, roles: list[str]) -> dict:
    """The administrator's edit form for `user`, with `roles` ticked."""
    return {
        "name": user.name,
        "email": user.email,
        "roles": roles,
        "employer_kind": user.employer_kind.value,
        "team_id": user.team_id or 0,
        "active": "y",
    }


@pytest.fixture
def admin_client(app, create_user):
    """An administrator's browser, beside the person's own."""
    other = app.test_client()
    sign_in(other, create_user("admin", email="it-chef@jobcenter.demo.dk"))
    return other


@pytest.fixture
def places(create_unit):
    region = create_unit(UnitKind.region, name="Region Syd")
    jobcentre = create_unit(UnitKind.jobcentre, name="Jobcenter Vejle", parent=region)
    team = create_unit(UnitKind.team, name="Team Vest", parent=jobcentre)
    return region, jobcentre, team


def test_a_role_taken_away_leaves_the_menu_on_the_next_request(
    client, admin_client, login_as, places
):
    _, _, team = places
    manager = login_as("manager", team=team)
    assert TEAM_MAP in menu_of(client)

    form = user_form(manager, ["employee"])
    assert admin_client.post(f"/admin/brugere/{manager.id}", data=form).status_code
    assert TEAM_MAP not in menu_of(client)

    form = user_form(manager, ["employee", "manager"])
    admin_client.post(f"/admin/brugere/{manager.id}", data=form)
    assert TEAM_MAP in menu_of(client)


def test_a_deputy_period_opens_and_closes_the_team_link(
    client, admin_client, login_as, create_user, places
):
    _, jobcentre, team = places
    boss = create_user("manager", team=team, email="chef@jobcenter.demo.dk")
    deputy = login_as("manager", team=team, email="stedfortraeder@jobcenter.demo.dk")
    # login_as made the deputy the team's manager: the boss leads it.
    team.manager = boss
    db.session.commit()
    assert TEAM_MAP not in menu_of(client)

    unit_form = {
        "kind": "team",
        "name": team.name,
        "parent_id": jobcentre.id,
        "manager_email": boss.email,
        "deputy_email": deputy.email,
        "deputising": "y",
    }
    assert admin_client.post(f"/admin/enheder/{team.id}", data=unit_form).status_code
    assert TEAM_MAP in menu_of(client)

    del unit_form["deputising"]
    admin_client.post(f"/admin/enheder/{team.id}", data=unit_form)
    assert TEAM_MAP not in menu_of(client)


def test_a_coordinator_sees_the_jobcentre_and_the_advised_region(
    client, login_as, places
):
    region, _, team = places
    coordinator = login_as("coordinator", team=team)
    shown = menu_of(client)
    assert JOBCENTRE_MAP in shown
    assert REGION not in shown

    set_adviser(coordinator, region)
    db.session.commit()
    assert REGION in menu_of(client)


def test_an_employee_sees_only_their_own_links(client, login_as, places):
    _, _, team = places
    login_as("employee", team=team)
    shown = menu_of(client)
    for link in (TEAM_MAP, JOBCENTRE_MAP, REGION, "/admin/brugere"):
        assert link not in shown


def test_the_unread_count_follows_new_and_read_notifications(client, login_as):
    person = login_as("employee")
    assert "Notifikationer (" not in header_of(client)

    notifications.notify(person, "Din tilmelding er godkendt", mail=False)
    db.session.commit()
    assert "Notifikationer (1" in header_of(client)

    assert client.post("/notifikationer/alle-laest").status_code == 302
    assert "Notifikationer (" not in header_of(client)


def test_the_current_page_is_marked_in_the_menu(client, login_as, places):
    _, _, team = places
    login_as("manager", team=team)
    on_dashboard = menu_of(client, "/")
    on_team_map = menu_of(client, TEAM_MAP)
    current = re.compile(r'<a class="nav-link current" href="([^"]+)"')
    assert current.findall(on_dashboard) == ["/"]
    assert current.findall(on_team_map) == [TEAM_MAP]
    # A page outside the menu marks nothing.
    assert current.findall(menu_of(client)) == []
    assert 'aria-current="page"' not in menu_of(client)


def test_the_menu_follows_the_chosen_language(client, login_as):
    login_as("employee")
    assert "Forside" in menu_of(client)
    client.post("/sprog/en", data={"next": "/adgangskode"})
    english = menu_of(client)
    assert "Dashboard" in english
    assert "Forside" not in english
    client.post("/sprog/da", data={"next": "/adgangskode"})
    assert "Dashboard" not in menu_of(client)


def test_signing_out_ends_the_frame(client, login_as):
    login_as("employee")
    assert client.get("/adgangskode").status_code == 200
    client.post("/log-ud")
    response = client.get("/adgangskode")
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


def test_the_frame_costs_one_statement_whatever_the_person_holds(
    client, login_as, places
):
    """The login, the roles, the team, the unread count, the led teams and the
    advised regions come in one statement; the menu asks nothing more."""
    region, _, team = places
    person = login_as("manager", team=team)
    person.set_roles([Role.employee, Role.manager, Role.coordinator])
    set_adviser(person, region)
    notifications.notify(person, "Ny besked", mail=False)
    db.session.commit()
    client.get("/adgangskode")
    with counting_queries() as statements:
        page = client.get("/adgangskode").get_data(as_text=True)
    assert len(statements) == 1, statements
    assert TEAM_MAP in menu(page)
    assert JOBCENTRE_MAP in menu(page)
    assert REGION in menu(page)
    assert "Notifikationer (1" in page


def test_a_refused_page_shows_the_frame_as_the_login_read_it(client, login_as, places):
    """An error page rolls the request back, which expires the person (a POST
    reads the login in the request's transaction); the frame is drawn from what
    the login read (core.people.login), not read again."""
    _, _, team = places
    person = login_as("employee", team=team)
    notifications.notify(person, "Ny besked", mail=False)
    db.session.commit()
    client.get("/adgangskode")
    with counting_queries() as statements:
        refused = client.post("/admin/brugere/ny", data={"name": "Ny"})
    assert refused.status_code == 403
    assert len(statements) == 1, statements
    page = refused.get_data(as_text=True)
    assert person.name in page
    assert "Notifikationer (1" in page


def test_a_signed_in_page_sends_no_cookie_when_nothing_changed(client, create_user):
    """Sign-in binds the form token's secret to the session (kept forms), so
    drawing a page's forms neither re-signs nor re-sends the cookie: a signed-in
    page answers without Set-Cookie."""
    person = create_user("employee", password="Kodeord-til-frame-1")
    signed_in = client.post(
        "/log-ind", data={"email": person.email, "password": "Kodeord-til-frame-1"}
    )
    assert signed_in.status_code == 302
    for _ in range(2):
        response = client.get("/adgangskode")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers


def test_the_kept_roles_follow_every_change_to_the_person(app, create_user):
    """User.roles is kept with its rows (every menu predicate asks): replacing,
    adding and removing rows show at once, and so does a reload."""
    person = create_user("employee")
    assert person.roles == {Role.employee}
    person.set_roles([Role.employee, Role.manager])
    assert person.roles == {Role.employee, Role.manager}
    person.role_rows.append(UserRole(role=Role.admin))
    assert person.is_admin
    person.role_rows.remove(next(r for r in person.role_rows if r.role is Role.admin))
    assert not person.is_admin
    db.session.commit()
    assert person.roles == {Role.employee, Role.manager}
    db.session.execute(
        sa.delete(UserRole).where(
            UserRole.user_id == person.id, UserRole.role == Role.manager
        )
    )
    db.session.commit()
    db.session.expire_all()  # as the next request, which loads the person anew
    assert person.roles == {Role.employee}


def test_the_roles_read_with_the_login_give_way_to_the_rows(app, create_user):
    """The login reads the roles by name, not as rows (core.people.login): a
    change to the rows within the request shows at once, and so does a row
    changed elsewhere once the person is expired (as a refresh does)."""
    person = create_user("employee")
    token = people.start_login_session(person, lifetime=timedelta(hours=1)).token
    db.session.commit()
    db.session.expunge_all()
    with app.test_request_context("/"):
        user = load_login_session(token)
        assert user.roles == {Role.employee}
        user.set_roles([Role.employee, Role.manager])
        assert user.roles == {Role.employee, Role.manager}
        db.session.rollback()
    db.session.expunge_all()
    with app.test_request_context("/"):
        user = load_login_session(token)
        assert user.roles == {Role.employee}
        db.session.commit()  # nothing changed: the person stays as loaded
        db.session.execute(sa.insert(UserRole).values(user_id=user.id, role="admin"))
        db.session.commit()
        assert not user.is_admin  # read with the login, as the request began
        db.session.expire(user)
        assert user.is_admin
        db.session.rollback()


def test_a_mail_in_another_language_leaves_the_page_in_its_own(client, login_as):
    """The page's catalogue is kept for the request (core.templating); a text
    drawn under force_locale, as a mail to someone who reads English, gets its
    own catalogue, and the page goes on in Danish."""
    from flask import render_template_string
    from flask_babel import force_locale

    with client.application.test_request_context("/"):
        assert render_template_string('{{ _("Dashboard") }}') == "Forside"
        with force_locale("en"):
            assert render_template_string('{{ _("Dashboard") }}') == "Dashboard"
        assert render_template_string('{{ _("Dashboard") }}') == "Forside"


def test_the_kept_parts_of_the_layout_follow_the_chosen_language(client, login_as):
    """The head, site name, account links and footer are drawn once per language
    and kept (core.templating.kept_part): choosing English shows them in English
    on the next page, and Danish again after."""
    login_as("employee")
    danish = client.get("/adgangskode").get_data(as_text=True)
    assert "Gå til indhold" in danish
    assert "Mine data" in danish
    client.post("/sprog/en", data={"next": "/adgangskode"})
    english = client.get("/adgangskode").get_data(as_text=True)
    for text in ("Skip to content", "My data", "System status"):
        assert text in english
    assert "Mine data" not in english
    client.post("/sprog/da", data={"next": "/adgangskode"})
    assert "Mine data" in client.get("/adgangskode").get_data(as_text=True)


def test_the_kept_parts_hold_no_person(client, app, login_as, create_user):
    """Two people on the same worker: each page shows its own reader's name and
    unread count, whichever person's page drew the kept parts."""
    first = login_as("employee")
    assert first.name in header_of(client)
    other = app.test_client()
    second = create_user("employee", email="anden@jobcenter.demo.dk", name="Åse Ørsted")
    sign_in(other, second)
    notifications.notify(second, "Til Åse", mail=False)
    db.session.commit()
    theirs = header_of(other)
    assert "Åse Ørsted" in theirs
    assert first.name not in theirs
    assert "Notifikationer (1" in theirs
    mine = header_of(client)
    assert first.name in mine
    assert "Notifikationer (" not in mine
