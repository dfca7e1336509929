"""One seeded demo, shared by the access tests: the demo data as `flask seed-demo`
loads it, the few objects the demo lacks made through the services (plans of
other teams, jobcentres and regions, unit plans, bookings of internal offers,
calendar imports, a feed secret, a password link, sparring requests), every
demo role signed in once, and a fingerprint of the database to prove that a
refused request changed nothing. A test that changes the database marks the
world dirty and the next test gets a fresh one."""

import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa

from core.clock import today
from core.db import db
from core.notifications.models import OutboxMail
from core.people import accounts
from core.people.models import OrgUnit, User
from core.tokens import services as api_tokens
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.calendars import imports
from courses.calendars import services as calendars
from courses.catalogue.models import Provider, ProviderMember
from courses.sessions.models import CourseSession, SessionStatus
from learning.internal import mentoring
from learning.internal.models import InternalOffer
from learning.plans import decisions
from learning.plans import services as plans
from learning.plans.models import ActivityKind, Plan
from learning.specialist import feeds as knowledge_feeds
from tests.access.objects import Persona, persona
from tests.conftest import empty_database
from tests.dates import ics
from tests.routes import seed_demo, sign_in

# The demo people the tests act as (keys of core/people/demo/organisation.json).
PERSONAS = {
    "employee": "employee",  # Mette, København, company team
    "manager": "manager",  # Lars, manager of that team
    "coordinator": "coordinator",  # Hanne, coordinator of Jobcenter København
    "adviser": "region-adviser",  # Kirsten, adviser of Hovedstaden og Sjælland
    "provider": "provider",  # Peter, staff of the ministry's provider
    "admin": "admin",
    "keyperson": "keyperson",  # Ayse, key person, København, integration team
}
ROLES = tuple(PERSONAS)

_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//adgangstest//DA\r\n"
    "BEGIN:VEVENT\r\nUID:adgang-{key}@test\r\nDTSTAMP:{stamp}Z\r\n"
    "DTSTART:{day}T090000Z\r\nDTEND:{day}T150000Z\r\nSUMMARY:Importeret hold\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def fingerprint() -> dict[str, str]:
    """Table name -> a hash of all its rows in primary-key order."""
    result = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(
            sa.select(table).order_by(*table.primary_key.columns)
        ).all()
        result[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.rollback()
    return result


class Writes:
    """The INSERT, UPDATE and DELETE statements the engines are sent."""

    def __init__(self):
        self.seen: list[str] = []
        self.engines: list[sa.Engine] = []

    def _note(self, _conn, _cursor, statement, *_args):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.seen.append(statement.split("\n")[0][:100])

    def watch(self, engine: sa.Engine) -> None:
        if engine not in self.engines:
            sa.event.listen(engine, "before_cursor_execute", self._note)
            self.engines.append(engine)

    def stop(self) -> None:
        for engine in self.engines:
            sa.event.remove(engine, "before_cursor_execute", self._note)
        self.engines.clear()


class World:
    def __init__(self, app):
        self.app = app
        self.personas: dict[str, Persona] = {}
        self.clients: dict[str | None, object] = {}
        self.tokens: dict[str, str] = {}  # each role's login session
        self.password_token = ""
        self.baseline: dict[str, str] = {}
        self.dirty = True
        self.writes = Writes()
        self._marker: tuple[int, str] | None = None

    def ensure(self, *, as_is: bool = False) -> None:
        """A clean world for the next test: rebuilt when a test changed it (unless
        `as_is`) or another module emptied the database in between."""
        if (as_is or not self.dirty) and self._marker is not None:
            user = db.session.get(User, self._marker[0])
            if user is not None and user.email == self._marker[1]:
                return
        self.build()

    def build(self) -> None:
        empty_database()
        demo = seed_demo(self.app)
        _add_what_the_demo_lacks(demo)
        self.password_token = _password_link(demo)
        db.session.commit()
        self.personas = {
            role: persona(role, demo[key]) for role, key in PERSONAS.items()
        }
        self.clients = {None: self.app.test_client()}
        for role, key in PERSONAS.items():
            client = self.app.test_client()
            sign_in(client, demo[key])
            self.clients[role] = client
            self.tokens[role] = demo[key].current_login_token
        self.baseline = fingerprint()
        admin = demo["admin"]
        self._marker = (admin.id, admin.email)
        self.dirty = False

    def changed_tables(self) -> list[str]:
        """Tables no longer as built; the world is marked dirty if any."""
        now = fingerprint()
        changed = sorted(name for name in now if now[name] != self.baseline[name])
        if changed:
            self.dirty = True
        return changed


def _period():
    return plans.period_containing(today())


def _person_plan(owner: User) -> Plan:
    starts_on, ends_on = _period()
    plan = plans.create_plan(owner, owner, starts_on=starts_on, ends_on=ends_on)
    plans.add_goal(owner, plan, text="Bedre til virksomhedsbesøg")
    plans.add_activity(owner, plan, kind=ActivityKind.reading, title="Læs en bog")
    return plan


def _unit_plan(actor: User, unit: OrgUnit) -> Plan:
    starts_on, ends_on = _period()
    plan = plans.create_unit_plan(
        actor,
        unit,
        title=f"Projekt i {unit.name}",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    plans.add_goal(actor, plan, text="Flere virksomhedsaftaler")
    plans.add_activity(actor, plan, kind=ActivityKind.seminar, title="Netværksmøde")
    return plan


def _unit(name: str) -> OrgUnit:
    return db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == name))


def _book_somewhere(person: User, sessions) -> None:
    """A booking for `person` on the first session the rules let them book."""
    for course_session in sessions:
        try:
            with db.session.begin_nested():
                bookings.book(person, course_session, tell=False)
        except BookingError:
            continue
        return
    raise AssertionError(f"{person.name} could book nothing")


def _add_what_the_demo_lacks(demo: dict[str, User]) -> None:
    """Objects of other teams, jobcentres, regions and providers, so that every
    role has something that is not theirs to try; made through the services."""
    admin, coordinator = demo["admin"], demo["coordinator"]
    # Person plans: another team of København, another jobcentre, another region.
    for key in ("mads-rasmussen", "pia-olsen", "charlotte-bruun"):
        _person_plan(demo[key])
    # Unit plans: a team's, another jobcentre's, one in another region; the
    # demo's plan for Jobcenter København gets a goal and an activity.
    _unit_plan(coordinator, demo["manager"].team)
    youth = _unit_plan(coordinator, demo["susanne-moeller"].team)
    decisions.submit(coordinator, youth)
    _unit_plan(admin, _unit("Jobcenter Hvidovre"))
    _unit_plan(admin, _unit("Jobcenter Odense"))
    unit_plan = db.session.scalar(
        sa.select(Plan).where(Plan.unit_id == _unit("Jobcenter København").id)
    )
    plans.add_goal(coordinator, unit_plan, text="Fælles sprog om kompetencer")
    plans.add_activity(
        coordinator, unit_plan, kind=ActivityKind.seminar, title="Temadag"
    )
    # Learning a colleague leads: a colleague's approved plan names the employee
    # for job shadowing and a teammate of hers for mentoring.
    learner = demo["ali-hassan"]
    led = _person_plan(learner)
    for key, title in (("employee", "Følordning"), ("birgitte-lund", "Mentorforløb")):
        plans.add_activity(
            learner, led, kind=ActivityKind.internal, title=title, colleague=demo[key]
        )
    decisions.submit(learner, led)
    decisions.approve(learner.team.manager, led)
    # Bookings by people of another team and another region.
    open_sessions = db.session.scalars(
        sa.select(CourseSession)
        .where(
            CourseSession.status == SessionStatus.open,
            CourseSession.id.not_in(sa.select(InternalOffer.course_session_id)),
        )
        .order_by(CourseSession.starts_at.desc())
    ).all()
    for key in ("mads-rasmussen", "charlotte-bruun"):
        _book_somewhere(demo[key], open_sessions)
    # Internal offers: the employee books the one a teammate hosts, the manager
    # the one the key person hosts; each has a host with someone else's booking.
    for key, host in (("employee", "birgitte-lund"), ("manager", "keyperson")):
        offered = db.session.scalars(
            sa.select(CourseSession)
            .join(InternalOffer, InternalOffer.course_session_id == CourseSession.id)
            .where(InternalOffer.host_id == demo[host].id)
        ).all()
        _book_somewhere(demo[key], offered)
    # A calendar file waiting at its preview, for two providers.
    day = (today() + timedelta(days=60)).strftime("%Y%m%d")
    for provider_id, actor in db.session.execute(
        sa.select(ProviderMember.provider_id, ProviderMember.user_id).order_by(
            ProviderMember.provider_id
        )
    ).all()[:2]:
        provider = db.session.get(Provider, provider_id)
        stamp = ics(today(), "000000")  # when the file was made: today
        data = _ICS.format(key=provider.id, day=day, stamp=stamp).encode()
        imports.store(db.session.get(User, actor), provider, data, filename="hold.ics")
        # A course system's token, made by a member of the provider.
        api_tokens.issue(db.session.get(User, actor), "Kursussystem", ["provider:read"])
    # Personal API tokens of the employee and of a colleague in another team,
    # and the organisation's directory token, made by an administrator.
    for key in ("employee", "jonas-kristensen"):
        api_tokens.issue(demo[key], "HR-systemet", ["me:read"])
    api_tokens.issue(demo["admin"], "Entra ID", ["scim"])
    # The employee's calendar feed secret.
    calendars.regenerate_token(demo["employee"], demo["employee"])
    # The employee's private feed address for the specialist areas.
    knowledge_feeds.new_address(demo["employee"])
    # Sparring: the employee asks a colleague; two other colleagues ask each other.
    for key in ("employee", "jonas-kristensen"):
        person = demo[key]
        gap = next(g for g in mentoring.mentors_for(person) if g.candidates)
        mentor = next(
            c.user for c in gap.candidates if c.user.id not in (demo["employee"].id,)
        )
        mentoring.ask(person, mentor, gap.competence, message="Har du tid?")
    db.session.flush()


def _password_link(demo: dict[str, User]) -> str:
    """A password link as the invitation mails it: its secret."""
    person = demo["birgitte-lund"]
    accounts.invite(demo["admin"], person, lifetime=timedelta(days=1))
    db.session.flush()
    mail = db.session.scalar(
        sa.select(OutboxMail)
        .where(OutboxMail.to_address == person.email)
        .order_by(OutboxMail.id.desc())
    )
    return re.search(r"/adgangskode/ny/([^\s/]+)", mail.body).group(1)
