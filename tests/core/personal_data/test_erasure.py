"""An administrator erases a person: their name, e-mail and free text are gone
from every table, while bookings, budgets and statistics stay, anonymised."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification, OutboxMail
from core.notifications.services import notify, queue_mail
from core.people import services as people
from core.people.models import User
from core.personal_data.inventory import is_json, is_text
from courses.bookings import budgets
from courses.bookings.models import Booking
from courses.sessions.models import CourseSession
from learning.assessments.models import Rating
from learning.plans import services as plans
from learning.plans.models import ActivityKind, Plan
from tests.dates import today

SOEREN = ("Søren Ærø", "soeren.aeroe@jobcenter.dk")


def texts_naming(*needles: str) -> list[str]:
    """Every text and JSON cell of every table that holds one of `needles`, in
    any case: 'table.column: value'."""
    found = []
    folded = [n.casefold() for n in needles]
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if is_text(c) or is_json(c)]
        if not columns:
            continue
        # JSON as stored (json.dumps may have escaped æøå) and as read back.
        stored = [sa.cast(c, sa.Text) if is_json(c) else c for c in columns]
        for row in db.session.execute(sa.select(*stored)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                forms = [value]
                if is_json(column):
                    forms.append(json.dumps(json.loads(value), ensure_ascii=False))
                for form in forms:
                    if any(n in form.casefold() for n in folded):
                        found.append(f"{table.name}.{column.name}: {value}")
    return found


@pytest.fixture
def mentions(team):
    """Others write about Søren: in their plan, a notification and an e-mail,
    in capitals and with his address mistyped in case."""
    anna, manager = team.anna.person, team.manager
    [plan] = db.session.scalars(sa.select(Plan).where(Plan.owner_id == anna.id))
    plans.add_activity(
        anna,
        plan,
        kind=ActivityKind.internal,
        title="Følordning hos SØREN ÆRØ",
        description="Aftalt med Soeren.Aeroe@Jobcenter.dk",
        colleague=team.soeren.person,
    )
    plans.add_goal(anna, plan, text="Lære af søren ærø")
    notify(manager, "Søren Ærø har tilmeldt sig", "Skriv til soeren.aeroe@jobcenter.dk")
    queue_mail("mette@jobcenter.dk", "Om Søren Ærø", "Søren Ærø venter på svar.")
    db.session.commit()


def erase(client, person: User, typed: str):
    return client.post(f"/admin/brugere/{person.id}/slet", data={"email": typed})


def test_the_confirmation_page_says_what_will_happen(client, login_as, team):
    login_as("admin")
    page = client.get(f"/admin/brugere/{team.soeren.person.id}/slet")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>Slet en persons data</h1>" in text
    assert "Du er ved at slette Søren Ærø (soeren.aeroe@jobcenter.dk)." in text
    assert "Personens e-mailadresse" in text


def test_the_administrators_user_page_links_to_it(client, login_as, team):
    login_as("admin")
    page = client.get(f"/admin/brugere/{team.soeren.person.id}").get_data(as_text=True)
    assert f'href="/admin/brugere/{team.soeren.person.id}/slet"' in page


def test_erasure_leaves_neither_name_nor_email_in_any_text(
    client, login_as, team, mentions
):
    assert texts_naming(*SOEREN)  # the scan sees them before
    admin = login_as("admin")
    response = erase(client, team.soeren.person, "Soeren.Aeroe@jobcenter.dk ")
    assert response.status_code == 302
    assert texts_naming(*SOEREN) == []
    person = db.session.get(User, team.soeren.person.id)
    assert person.name == "Slettet bruger"
    assert person.email == f"slettet-{person.id}@slettet.invalid"
    assert not person.active
    assert person.password_hash == ""
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.erased")
    ).one()
    assert (event.actor_id, event.object_id) == (admin.id, person.id)


def test_what_was_written_about_the_person_is_emptied(client, login_as, team):
    login_as("admin")
    erase(client, team.soeren.person, SOEREN[1])
    soeren = team.soeren.person.id
    comments = db.session.scalars(
        sa.select(Rating.comment).where(Rating.person_id == soeren)
    ).all()
    assert len(comments) == 2
    assert set(comments) == {""}
    plan = db.session.scalars(sa.select(Plan).where(Plan.owner_id == soeren)).one()
    assert plan.wishes == ""
    # A goal in words must have words: it keeps a mark of the erasure.
    assert [g.text for g in plan.goals] == ["(slettet)"]
    # His own notifications and mails are gone; Anna's stay as they were.
    for text in team.soeren.texts:
        assert texts_naming(text) == []
    for text in team.anna.texts:
        assert texts_naming(text)
    assert not db.session.scalars(
        sa.select(Notification).where(Notification.user_id == soeren)
    ).all()


def test_bookings_budgets_and_statistics_survive_anonymised(
    client, login_as, team, mentions
):
    manager = team.manager
    unit = manager.team
    year = team.soeren.booking.budget_year
    budgets.set_budget(manager, unit, year, Decimal("60000"))
    db.session.commit()
    course_session_id = team.soeren.booking.course_session_id

    def figures():
        db.session.expire_all()
        course_session = db.session.get(CourseSession, course_session_id)
        bookings = db.session.scalars(
            sa.select(Booking.user_id, Booking.status).order_by(Booking.id)
        ).all()
        ratings = db.session.scalar(sa.select(sa.func.count(Rating.id)))
        return (
            course_session.seats_taken,
            bookings,
            budgets.summary(unit, year),
            ratings,
        )

    before = figures()
    assert before[0] == 2
    login_as("admin")
    assert erase(client, team.soeren.person, SOEREN[1]).status_code == 302
    assert figures() == before
    booking = db.session.get(Booking, team.soeren.booking.id)
    assert booking.user.name == "Slettet bruger"
    assert booking.decision_comment == ""


def test_erasing_the_manager_keeps_their_decisions_and_budget(client, login_as, team):
    manager = team.manager
    email = manager.email
    budget = budgets.set_budget(manager, manager.team, today().year, Decimal("5000"))
    db.session.commit()
    login_as("admin")
    assert (
        erase(client, manager, "mette.leder" if False else manager.email).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(type(budget), budget.id).amount == Decimal("5000")
    assert db.session.get(Booking, team.anna.booking.id).decided_by_id == manager.id
    assert db.session.get(User, team.anna.person.id).team.manager_id is None
    assert texts_naming("Mette Leder", email) == []


def test_a_wrong_address_erases_nothing_and_says_why(client, login_as, team):
    login_as("admin")
    response = erase(client, team.soeren.person, "anna.berg@jobcenter.dk")
    assert response.status_code == 400
    assert "Skriv personens e-mailadresse præcis som vist" in response.get_data(
        as_text=True
    )
    assert db.session.get(User, team.soeren.person.id).name == "Søren Ærø"
    assert texts_naming(team.soeren.comment)


def test_an_erased_person_cannot_be_erased_again(client, login_as, team):
    login_as("admin")
    erase(client, team.soeren.person, SOEREN[1])
    again = erase(client, team.soeren.person, SOEREN[1])
    assert again.status_code == 400
    assert "Personens data er allerede slettet." in again.get_data(as_text=True)


def test_administrators_cannot_erase_themselves(client, login_as):
    admin = login_as("admin")
    assert erase(client, admin, admin.email).status_code == 403
    assert db.session.get(User, admin.id).active


def test_an_erased_person_cannot_sign_in(client, login_as, create_user, team):
    person = create_user(
        name="Ida Ørum", email="ida@jobcenter.dk", password="hemmelig-1"
    )
    login_as("admin")
    erase(client, person, "ida@jobcenter.dk")
    client.post("/log-ud")
    response = client.post(
        "/log-ind", data={"email": "ida@jobcenter.dk", "password": "hemmelig-1"}
    )
    assert response.status_code != 302
    assert OutboxMail.query.filter_by(to_address="ida@jobcenter.dk").count() == 0


def test_the_erased_persons_copy_names_no_one(client, login_as, team):
    login_as("admin")
    erase(client, team.soeren.person, SOEREN[1])
    response = client.post(f"/admin/brugere/{team.soeren.person.id}/persondata")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig").casefold()
        assert "søren ærø" not in text
        assert SOEREN[1] not in text


def test_a_namesake_in_a_longer_name_keeps_it(client, login_as, create_user, team):
    """Whole words only: erasing Ib Holm leaves Ib Holmberg's name alone."""
    ib = create_user(name="Ib Holm", email="ib@jobcenter.dk")
    notify(team.manager, "Ib Holm og Ib Holmberg er tilmeldt")
    db.session.commit()
    login_as("admin")
    erase(client, ib, "ib@jobcenter.dk")
    subject = db.session.scalars(
        sa.select(Notification.subject).where(Notification.subject.like("%Holmberg%"))
    ).all()
    assert subject == ["Slettet bruger og Ib Holmberg er tilmeldt"]


def test_names_and_addresses_the_account_had_before_go_too(client, login_as, team):
    """The audit trail of the account's changes holds its earlier name."""
    soeren = team.soeren.person
    people.update_user(
        None,
        soeren,
        email="s.aeroe@jobcenter.dk",
        name="Søren Ærø Holm",
        roles=soeren.roles,
        employer_kind=soeren.employer_kind,
        team=soeren.team,
        active=True,
    )
    db.session.commit()
    login_as("admin")
    assert erase(client, soeren, "s.aeroe@jobcenter.dk").status_code == 302
    assert texts_naming(*SOEREN, "s.aeroe@jobcenter.dk") == []
