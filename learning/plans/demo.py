"""Demo plans, dated from the day the demo is loaded and made through the plan
services by the people themselves (so the audit trail and notices are real):
Mette's draft, two plans in Lars's inbox, last period's approved plan and the
region's advisory project with Jobcenter København (seed 002)."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.advisers import set_adviser
from core.people.demo import load_demo_data
from core.people.models import OrgUnit, UnitKind, User
from courses.bookings.errors import BookingError
from courses.bookings.services import booking_closed
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from learning.assessments import services as assessments
from learning.internal import mentoring
from learning.matching import engine
from learning.plans import decisions, services
from learning.plans.errors import PlanError
from learning.plans.models import ActivityKind, Funding, Plan, PlanGoal, PlanKind

DEMO_FILE = Path(__file__).parent / "demo" / "plans.json"


def seed_plans() -> None:
    """The demo plans that are missing; a second run changes nothing."""
    try:
        entries = load_demo_data()["people"]
    except FileNotFoundError:
        return
    people = _people(entries)
    if not {"employee", "manager", "coordinator"} <= people.keys():
        return
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    today = clock.today()
    current = services.period_containing(today)
    before = services.period_containing(current[0] - timedelta(days=1))
    manager = people["manager"]
    for entry in data["plans"]:
        person = people.get(entry["person"])
        period = before if entry.get("period") == "before" else current
        if person is not None and not _has_plan(person, period[0]):
            _safely(_person_plan, entry, person, manager, period, today)
    for entry in entries:
        if entry.get("advises") and entry["key"] in people:
            _safely(_unit_plan, data["unit_plan"], people[entry["key"]], entry, today)
    db.session.flush()


def _people(entries: list[dict]) -> dict[str, User]:
    emails = {p["email"].lower(): p["key"] for p in entries}
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    return {emails[u.email]: u for u in users}


def _has_plan(person: User, starts_on: date) -> bool:
    return (
        db.session.scalar(
            sa.select(Plan.id).where(
                Plan.kind == PlanKind.person,
                Plan.owner_id == person.id,
                Plan.starts_on == starts_on,
            )
        )
        is not None
    )


def _safely(make, *args) -> None:
    """One plan in a savepoint: if the rules refuse any step (a session filled
    up, a gap closed), that plan is left out and the others still load."""
    try:
        with db.session.begin_nested():
            make(*args)
    except (PlanError, BookingError):
        pass


def _person_plan(entry, person, manager, period, today: date) -> None:
    plan = services.create_plan(person, person, starts_on=period[0], ends_on=period[1])
    services.save_texts(person, plan, wishes=entry["wishes"])
    gaps = assessments.gaps_for([person.id]).get(person.id)
    for item in (gaps.in_order() if gaps else [])[: entry["gap_goals"]]:
        services.add_goal_from_gap(person, plan, item.competence_id)
    if entry.get("goal_text"):
        services.add_goal(person, plan, text=entry["goal_text"])
    # Activities fall in the plan's own period: from a month in (or from today).
    first = max(period[0] + timedelta(days=30), today + timedelta(days=14))
    if period[1] < today:
        first = period[0] + timedelta(days=60)
    for activity in entry["activities"]:
        _activity(activity, person, plan, first)
    if entry["status"] == "draft":
        return
    decisions.submit(person, plan)
    talk = entry.get("talk")
    if talk:
        talk_on = first if period[1] < today else None
        services.save_talk(
            manager,
            plan,
            manager_note=talk.get("manager_note"),
            talk_summary=talk.get("summary"),
            talk_on=talk_on,
        )
    if entry["status"] == "approved":
        decisions.approve(manager, plan, comment=entry.get("comment", ""))


def _activity(activity: dict, person: User, plan: Plan, first: date) -> None:
    funding = Funding(activity.get("funding", "budget"))
    if activity["kind"] == "suggested":
        course_session = _suggested(person, paid=activity.get("paid", False))
        if course_session is None and activity.get("course"):
            course_session = _open_session(activity["course"])
        if course_session is not None:
            services.add_session(person, plan, course_session, funding=funding)
        return
    colleague, goal = None, plan.goals[0] if plan.goals else None
    if activity["kind"] == "mentor":
        colleague, goal = _mentor(person, plan)
        if colleague is None:
            return
    day = first + timedelta(days=activity.get("offset", 0))
    services.add_activity(
        person,
        plan,
        kind=ActivityKind.internal if colleague else ActivityKind(activity["kind"]),
        title=activity["title"].format(name=colleague.name if colleague else ""),
        description=activity.get("description", ""),
        cost=Decimal(activity.get("cost", "0")),
        funding=funding,
        starts_on=day,
        ends_on=day + timedelta(days=activity["days"]),
        goal_id=goal.id if goal else None,
        colleague=colleague,
    )


def _suggested(person: User, *, paid: bool) -> CourseSession | None:
    """The first session the suggestions offer the person (a priced one if
    `paid`): what they would pick on their plan's page."""
    ranked, _loaded = engine.suggestions_for([person])
    for suggestion in ranked.get(person.id, []):
        course_session = db.session.get(
            CourseSession, suggestion.offer.course_session_id
        )
        if not paid or course_session.price_for(person.employer_kind) > 0:
            return course_session
    return None


def _open_session(course_key: str) -> CourseSession | None:
    """The first session of the course still open for booking."""
    sessions = db.session.scalars(
        sa.select(CourseSession)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Course.key == course_key, CourseSession.status == SessionStatus.open)
        .order_by(CourseSession.starts_at)
    )
    return next((cs for cs in sessions if not booking_closed(cs)), None)


def _mentor(person: User, plan: Plan) -> tuple[User | None, PlanGoal | None]:
    """A colleague further on one of the plan's goals (as the plan's page
    suggests them), with that goal."""
    goals = {g.competence_id: g for g in plan.goals}
    for gap in mentoring.mentors_for(person, max_gaps=4):
        goal = goals.get(gap.competence.id)
        for candidate in gap.candidates if goal else []:
            if candidate.user.active and candidate.user.team is not None:
                return candidate.user, goal
    return None, None


def _unit_plan(data: dict, adviser: User, entry: dict, today: date) -> None:
    region_name = next(
        r["name"] for r in load_demo_data()["regions"] if r["key"] == entry["advises"]
    )
    region = _unit(UnitKind.region, region_name)
    jobcentre = _unit(UnitKind.jobcentre, data["jobcentre"])
    if region is None or jobcentre is None:
        return
    set_adviser(adviser, region)
    exists = db.session.scalar(
        sa.select(Plan.id).where(
            Plan.kind == PlanKind.unit,
            Plan.unit_id == jobcentre.id,
            Plan.title == data["title"],
        )
    )
    if exists is not None:
        return
    starts_on = today - timedelta(days=data["started_days_ago"])
    plan = services.create_unit_plan(
        adviser,
        jobcentre,
        title=data["title"],
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=data["days"]),
        aims=data["aims"],
        strategy=data["strategy"],
        responsible=data["responsible"],
    )
    for activity in data["activities"]:
        first = starts_on + timedelta(days=activity["offset"])
        services.add_activity(
            adviser,
            plan,
            kind=ActivityKind(activity["kind"]),
            title=activity["title"],
            description=activity.get("description", ""),
            cost=Decimal(activity.get("cost", "0")),
            starts_on=first,
            ends_on=first + timedelta(days=activity.get("days", 0)),
            participants=activity.get("participants", 1),
        )


def _unit(kind: UnitKind, name: str) -> OrgUnit | None:
    return db.session.scalar(
        sa.select(OrgUnit).where(OrgUnit.kind == kind, OrgUnit.name == name).limit(1)
    )
