"""A scripted working day, through HTTP as the demo people do it, with the
audit trail checked against the database after every request: each change to a
booking, plan, rating, role, import, budget, key person or course-competence
link has its audit event, and each event names an object that changed (issue 18).

The check is generic: before and after each request every watched table is read
whole, the rows that were added, changed or removed are mapped to the object an
audit event names for them (a plan's goals belong to the plan, a person's roles
to the person), and that set must equal the set of objects the request's new
audit events name."""

import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.people.models import EmployerKind
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, ProviderMember
from courses.sessions.models import CourseSession
from learning.plans.models import Plan
from tests import dates
from tests.access.forms import post_forms
from tests.routes import seed_demo, sign_in

# Watched table -> the (object type, object id) an audit event names for a row.
OWNER: dict[str, Callable] = {
    "bookings": lambda row: ("bookings", row.id),
    "plans": lambda row: ("plans", row.id),
    "plan_goals": lambda row: ("plans", row.plan_id),
    "plan_activities": lambda row: ("plans", row.plan_id),
    "plan_decisions": lambda row: ("plans", row.plan_id),
    "assessment_rounds": lambda row: ("assessment_rounds", row.id),
    "ratings": lambda row: ("assessment_rounds", row.round_id),
    "user_roles": lambda row: ("users", row.user_id),
    "calendar_imports": lambda row: ("calendar_imports", row.id),
    "budgets": lambda row: ("budgets", row.id),
    "key_persons": lambda row: ("key_persons", row.id),
    "course_competences": lambda row: ("courses", row.course_id),
}
WATCHED_TYPES = {"bookings", "plans", "assessment_rounds", "users", "calendar_imports"}
WATCHED_TYPES |= {"budgets", "key_persons", "courses"}
# A course's own events (created, edited) are not about its competence links.
ONLY_ACTIONS = {"courses": "course_competences."}


def _watched(event: AuditEvent) -> bool:
    prefix = ONLY_ACTIONS.get(event.object_type, "")
    return event.object_type in WATCHED_TYPES and event.action.startswith(prefix)


def _rows() -> dict[str, dict[tuple, tuple]]:
    """Every watched table, row by primary key."""
    tables = {t.name: t for t in db.metadata.sorted_tables}
    result = {}
    for name in OWNER:
        table = tables[name]
        keys = list(table.primary_key.columns)
        result[name] = {
            tuple(getattr(row, c.name) for c in keys): row
            for row in db.session.execute(sa.select(table))
        }
    db.session.rollback()
    return result


def _changed(before, after) -> set[tuple[str, int]]:
    objects = set()
    for name, owner in OWNER.items():
        old, new = before[name], after[name]
        for key in old.keys() | new.keys():
            if tuple(old.get(key) or ()) != tuple(new.get(key) or ()):
                objects.add(owner(new.get(key) or old[key]))
    return objects


@dataclass
class Day:
    app: object
    people: dict
    last_event: int = 0
    log: list = None

    def client(self, who: str):
        client = self.app.test_client()
        sign_in(client, self.people[who])
        return client

    def act(self, label: str, who: str, do: Callable) -> object:
        """Run one request (or a GET and its POST) as `who`; check the trail."""
        before = _rows()
        response = do(self.client(who))
        after = _rows()
        events = list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.id > self.last_event)
                .order_by(AuditEvent.id)
            )
        )
        if events:
            self.last_event = events[-1].id
        named = {(e.object_type, e.object_id) for e in events if _watched(e)}
        changed = _changed(before, after)
        self.log.append((label, sorted(changed), [e.action for e in events]))
        assert changed, f"{label}: the request changed nothing watched"
        assert named == changed, (
            f"{label}: changed {sorted(changed)}, audited {sorted(named)} "
            f"({[e.action for e in events]})"
        )
        for event in events:
            assert event.actor_id == self.people[who].id or event.actor_id is None
        return response


def submit(client, page: str, action: str, *, levels: int | None = None, **values):
    """Open `page`, take the POST form whose action ends with `action` as the
    browser would send it, change `values` (and with `levels`, choose that level
    for every competence of an assessment), and send it."""
    html = client.get(page).get_data(as_text=True)
    if levels is not None:
        for name in set(re.findall(r'name="(level_\d+)"', html)):
            values.setdefault(name, str(levels))
    forms, _options = post_forms(html)
    matching = [
        (a or page, fields)
        for a, fields in forms
        if (a or page).split("?")[0].endswith(action)
    ]
    assert matching, f"no form posting to {action} on {page}: {[a for a, _ in forms]}"
    target, fields = matching[0]
    data = defaultdict(list)
    for name, value in fields:
        if name not in values:
            data[name].append(value)
    for name, value in values.items():
        data[name] = value if isinstance(value, list) else [value]
    response = client.post(target or page, data=dict(data))
    assert response.status_code in (200, 302, 303), (
        f"{target}: {response.status_code}\n{_errors(response.get_data(as_text=True))}"
    )
    return response


@pytest.fixture
def day(app):
    people = seed_demo(app)
    events = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    return Day(app, people, events, [])


def _book_a_paid_suggestion(client) -> Booking:
    """Book the first suggested session that costs money (it needs approval)."""
    forms, _options = post_forms(client.get("/forslag").get_data(as_text=True))
    for action, fields in forms:
        if not action.endswith("/tilmeld"):
            continue
        session_id = int(action.split("/")[2])
        if db.session.get(CourseSession, session_id).price_for(EmployerKind.municipal):
            response = client.post(action, data=dict(fields))
            assert response.status_code in (302, 303)
            return db.session.scalars(
                sa.select(Booking)
                .where(Booking.course_session_id == session_id)
                .order_by(Booking.id.desc())
            ).first()
    raise AssertionError("no paid session among the suggestions")


def test_a_working_day_leaves_one_audit_event_per_change(day):
    mette, lars = day.people["employee"], day.people["manager"]

    # Morning: Mette rates herself, Lars rates her.
    day.act(
        "self-assessment",
        "employee",
        lambda c: submit(
            c,
            f"/kompetencer/vurdering/personer/{mette.id}/selv",
            f"/kompetencer/vurdering/personer/{mette.id}/selv",
        ),
    )
    day.act(
        "manager assessment",
        "manager",
        lambda c: submit(
            c,
            f"/kompetencer/vurdering/personer/{mette.id}/leder",
            f"/kompetencer/vurdering/personer/{mette.id}/leder",
            levels=3,
        ),
    )

    # She books a paid course from her suggestions; Lars approves; she gives it up.
    booking = day.act("booking request", "employee", _book_a_paid_suggestion)
    assert booking.status is BookingStatus.requested
    day.act(
        "approval",
        "manager",
        lambda c: c.post(f"/tilmeldinger/{booking.id}/godkend"),
    )
    day.act(
        "cancellation",
        "employee",
        lambda c: submit(
            c,
            f"/tilmeldinger/{booking.id}/afmeld",
            f"/tilmeldinger/{booking.id}/afmeld",
            reason="Travlt i teamet",
        ),
    )

    # Midday: her draft plan (the demo's) gets a goal, is submitted and approved.
    plan = db.session.scalars(
        sa.select(Plan).where(Plan.owner_id == mette.id).order_by(Plan.id.desc())
    ).first()
    day.act(
        "goal from a gap",
        "employee",
        lambda c: submit(c, f"/planer/{plan.id}", f"/planer/{plan.id}/maal/fra-gab"),
    )
    day.act(
        "submit plan",
        "employee",
        lambda c: submit(c, f"/planer/{plan.id}", f"/planer/{plan.id}/indsend"),
    )
    day.act(
        "approve plan",
        "manager",
        lambda c: submit(
            c,
            f"/planer/{plan.id}/godkend",
            f"/planer/{plan.id}/godkend",
            approve="y",
            comment="God plan",
        ),
    )

    # Afternoon: the coordinator sets next year's budget and says what a course
    # teaches; the administrator appoints a key person and gives Lars a role.
    hanne = day.people["coordinator"]
    day.act(
        "budget",
        "coordinator",
        lambda c: submit(
            c,
            "/budgetter/",
            "/budgetter/",
            unit=str(hanne.team.parent_id),
            year=str(dates.today().year + 1),
            amount="250.000",
        ),
    )
    course_id = db.session.scalar(sa.select(Course.id).order_by(Course.id))
    day.act(
        "course-competence link",
        "coordinator",
        lambda c: submit(
            c, f"/kompetencer/kurser/{course_id}", f"/kompetencer/kurser/{course_id}"
        ),
    )
    day.act(
        "key person",
        "admin",
        lambda c: submit(
            c,
            "/admin/noeglepersoner",
            "/admin/noeglepersoner",
            email=mette.email,
            area="eures",
            jobcentre=str(mette.team.parent_id),
        ),
    )
    day.act(
        "roles",
        "admin",
        lambda c: submit(
            c,
            f"/admin/brugere/{lars.id}",
            f"/admin/brugere/{lars.id}",
            roles=["employee", "manager", "coordinator"],
        ),
    )

    # Late afternoon: the provider imports the next course days from a file.
    peter = day.people["provider"]
    provider_id = db.session.scalar(
        sa.select(ProviderMember.provider_id).where(ProviderMember.user_id == peter.id)
    )
    upload = day.act(
        "calendar upload",
        "provider",
        lambda c: c.post(
            f"/udbyder/{provider_id}/kalender",
            data={
                "file": (io.BytesIO(_calendar_file()), "kursusdage.ics"),
            },
            content_type="multipart/form-data",
        ),
    )
    preview = upload.headers["Location"]
    day.act("calendar import", "provider", lambda c: submit(c, preview, preview))

    actions = [action for _label, _changed, actions in day.log for action in actions]
    assert len(day.log) == 14
    assert "calendar_import.apply" in actions


def _calendar_file() -> bytes:
    day = dates.working_day(45)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//revision//DA\r\n"
        "BEGIN:VEVENT\r\nUID:revisionsdag@test\r\n"
        f"DTSTAMP:{dates.ics(dates.today(), '000000')}Z\r\n"
        f"DTSTART:{dates.ics(day)}T080000Z\r\nDTEND:{dates.ics(day)}T140000Z\r\n"
        "SUMMARY:Samtaler med ledige\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def _errors(html: str) -> str:
    """The error messages of a refused form, for the assertion's message."""
    return " | ".join(re.findall(r'form-error-message"[^>]*>(.*?)</span>', html, re.S))
