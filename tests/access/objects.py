"""The demo's people as the access tests see them, and the objects each one
reaches: their own (within a grant's scope) and, just outside it, another's.

Reach is read from the data itself (who manages which team, who works for which
provider, who advises which region), never through the app's own lookups, so a
wrong lookup cannot agree with itself.
"""

from dataclasses import dataclass, replace

import sqlalchemy as sa

from core.db import db
from core.notifications.models import Notification
from core.people.advisers import RegionAdviser
from core.people.models import (
    KeyPerson,
    OrgUnit,
    Role,
    SpecialistArea,
    UnitKind,
    User,
)
from core.people.specialists import SpecialistFunction
from core.tokens.models import DIRECTORY_SCOPE, ApiToken
from courses.bookings.models import Booking
from courses.calendars.models import CalendarImport, CalendarToken
from courses.catalogue.models import Course, Provider, ProviderMember
from courses.diplomas.models import Diploma, DiplomaModule
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Area, Competence, Profile
from learning.internal.models import InternalOffer, MentorRequest
from learning.plans.models import Plan, PlanActivity, PlanGoal, PlanKind, PlanStatus
from learning.specialist.models import (
    AreaCourse,
    ItemKind,
    ItemStatus,
    KnowledgeFeedToken,
    KnowledgeItem,
)
from tests.access.vocabulary import SHARED, Kind, Scope, Who

_EDITABLE = (PlanStatus.draft, PlanStatus.returned)
# kind -> (a person's plan, else a unit's; the states it is in, () for any)
PLAN_STATES = {
    Kind.plan: (True, ()),
    Kind.plan_to_decide: (True, (PlanStatus.submitted,)),
    Kind.plan_to_edit: (True, _EDITABLE),
    Kind.unit_plan: (False, ()),
    Kind.unit_plan_to_decide: (False, (PlanStatus.submitted,)),
    Kind.unit_plan_to_edit: (False, _EDITABLE),
}
# A child's id is looked up under the object its parent parameter names.
PARENTS = {
    Kind.goal: tuple(PLAN_STATES),
    Kind.activity: tuple(PLAN_STATES),
    Kind.calendar_import: (Kind.provider,),
    Kind.provider_token: (Kind.provider,),
}


@dataclass(frozen=True)
class Persona:
    key: str
    user_id: int
    who: frozenset[Who]
    team_id: int | None
    jobcentre_id: int | None
    region_ids: frozenset[int]  # their jobcentre's region and those they advise
    led_team_ids: frozenset[int]
    provider_ids: frozenset[int]
    advised_region_ids: frozenset[int]


def persona(key: str, user: User) -> Persona:
    """What the data says `user` is and leads."""
    ids = lambda stmt: frozenset(db.session.scalars(stmt))  # noqa: E731
    led = ids(
        sa.select(OrgUnit.id).where(
            sa.or_(
                OrgUnit.manager_id == user.id,
                sa.and_(OrgUnit.deputy_id == user.id, OrgUnit.deputising),
            )
        )
    )
    advised = ids(
        sa.select(RegionAdviser.region_id).where(RegionAdviser.user_id == user.id)
    )
    jobcentre = user.team.parent if user.team else None
    who = {Who.anyone} | {Who(r.value) for r in user.roles}
    if advised and user.has_role(Role.coordinator):
        who.add(Who.adviser)
    if db.session.scalar(sa.select(KeyPerson.id).where(KeyPerson.user_id == user.id)):
        who.add(Who.key_person)
    return Persona(
        key=key,
        user_id=user.id,
        who=frozenset(who),
        team_id=user.team_id,
        jobcentre_id=jobcentre.id if jobcentre else None,
        region_ids=advised | ({jobcentre.parent_id} if jobcentre else set()),
        led_team_ids=led if user.has_role(Role.manager) else frozenset(),
        provider_ids=ids(
            sa.select(ProviderMember.provider_id).where(
                ProviderMember.user_id == user.id
            )
        )
        if user.has_role(Role.provider_staff)
        else frozenset(),
        advised_region_ids=advised,
    )


@dataclass(frozen=True)
class Owners:
    """Whose objects: people, units or providers (None: no condition); with
    `negate`, everyone's but theirs."""

    people: frozenset[int] | None = None
    units: frozenset[int] | None = None
    providers: frozenset[int] | None = None
    not_user: int | None = None  # and none that are this person's own
    negate: bool = False

    def dimensions(self) -> dict[str, frozenset[int]]:
        named = {"people": self.people, "units": self.units}
        named["providers"] = self.providers
        return {k: v for k, v in named.items() if v is not None}


def _ids(stmt) -> frozenset[int]:
    return frozenset(db.session.scalars(stmt))


def _teams_under(unit_ids) -> frozenset[int]:
    """The teams that are, or lie under, the given units."""
    units = set(unit_ids)
    children = _ids(sa.select(OrgUnit.id).where(OrgUnit.parent_id.in_(units)))
    grandchildren = _ids(sa.select(OrgUnit.id).where(OrgUnit.parent_id.in_(children)))
    return _ids(
        sa.select(OrgUnit.id).where(
            OrgUnit.kind == UnitKind.team,
            OrgUnit.id.in_(units | children | grandchildren),
        )
    )


def _members(team_ids, but: int | None = None) -> frozenset[int]:
    stmt = sa.select(User.id).where(User.team_id.in_(set(team_ids)))
    return _ids(stmt) - {but}


def _jobcentres_in(region_ids) -> frozenset[int]:
    return _ids(
        sa.select(OrgUnit.id).where(
            OrgUnit.kind == UnitKind.jobcentre, OrgUnit.parent_id.in_(set(region_ids))
        )
    )


def _units(jobcentres) -> frozenset[int]:
    return frozenset(jobcentres) | _teams_under(jobcentres)


def reach(p: Persona, scope: Scope) -> Owners:
    """Whose objects `p` reaches within `scope`."""
    if scope is Scope.own:
        return Owners(people=frozenset({p.user_id}))
    if scope is Scope.provider:
        return Owners(providers=p.provider_ids)
    if scope is Scope.team:
        return Owners(people=_members(p.led_team_ids, p.user_id), units=p.led_team_ids)
    if scope is Scope.jobcentre:
        jobcentres = {p.jobcentre_id} - {None}
        return Owners(
            people=_members(_teams_under(jobcentres), p.user_id),
            units=_units(jobcentres),
        )
    if scope is Scope.region:
        jobcentres = _jobcentres_in(p.advised_region_ids)
        return Owners(
            people=_members(_teams_under(jobcentres)), units=_units(jobcentres)
        )
    if scope is Scope.area:
        return Owners(people=frozenset())  # no route is scoped by area yet
    return Owners()


def outside(p: Persona, scope: Scope) -> list[Owners]:
    """Whose objects lie just outside `scope` for `p`, nearest first, then far
    away, then anyone else's: the ids to try in place of `p`'s own."""
    found = []
    if scope is Scope.own:
        near = _members(p.led_team_ids, p.user_id) or _members(
            {p.team_id} - {None}, p.user_id
        )
        found.append(Owners(people=near))
        if p.provider_ids:
            found.append(Owners(providers=p.provider_ids, not_user=p.user_id))
    elif scope is Scope.provider:
        others = _ids(sa.select(ProviderMember.provider_id)) - p.provider_ids
        found.append(Owners(providers=others))
    elif scope is Scope.team:
        siblings = _teams_under({p.jobcentre_id} - {None}) - p.led_team_ids
        found.append(Owners(people=_members(siblings, p.user_id), units=siblings))
    elif scope is Scope.jobcentre:
        regions = {
            r
            for (r,) in db.session.execute(
                sa.select(OrgUnit.parent_id).where(OrgUnit.id == p.jobcentre_id)
            )
        }
        others = _jobcentres_in(regions) - {p.jobcentre_id}
        found.append(
            Owners(people=_members(_teams_under(others), p.user_id), units=others)
        )
    elif scope is Scope.any:
        return []
    regions = _ids(sa.select(OrgUnit.id).where(OrgUnit.kind == UnitKind.region))
    far = _jobcentres_in(regions - p.region_ids)
    found.append(Owners(people=_members(_teams_under(far), p.user_id), units=far))
    found.append(replace(reach(p, scope), negate=True))
    return found


def _first(stmt, owners: Owners, **columns):
    """The first row of `stmt` whose owner columns match `owners`; None when
    the kind is not owned in any way `owners` names."""
    conditions, given = [], owners.dimensions()
    for name, wanted in given.items():
        column = columns.get(name)
        if column is not None:
            wanted = set(wanted)
            conditions.append(
                column.not_in(wanted) if owners.negate else column.in_(wanted)
            )
    if given and not conditions:
        return None
    if owners.not_user is not None and columns.get("people") is not None:
        conditions.append(columns["people"] != owners.not_user)
    return db.session.scalar(stmt.where(*conditions).limit(1))


def _provider_of_session():
    return (
        sa.select(Course.provider_id)
        .where(Course.id == CourseSession.course_id)
        .scalar_subquery()
    )


def find(kind: Kind, owners: Owners, parent=None, *, secret: str = ""):
    """The first object of `kind` the owners hold (under `parent` for a child)."""
    if kind is Kind.password_token:
        return secret or None
    if kind is Kind.directory_token:
        stmt = sa.select(ApiToken.id).where(ApiToken.holds(DIRECTORY_SCOPE))
        return db.session.scalar(stmt.order_by(ApiToken.id).limit(1))
    if kind is Kind.area_course:
        return db.session.scalar(
            sa.select(AreaCourse.course_id)
            .where(AreaCourse.area == SpecialistArea.ethnic_minorities)
            .order_by(AreaCourse.course_id)
            .limit(1)
        )
    if kind in SHARED:
        model = {
            Kind.diploma: Diploma,
            Kind.module: DiplomaModule,
            Kind.competence: Competence,
            Kind.competence_area: Area,
            Kind.profile: Profile,
            Kind.specialist_function: SpecialistFunction,
        }[kind]
        return db.session.scalar(sa.select(model.id).order_by(model.id).limit(1))
    return _owned(kind, owners, parent)


def _owned(kind: Kind, owners: Owners, parent):  # noqa: PLR0911
    by_id = lambda model: sa.select(model.id).order_by(model.id)  # noqa: E731
    if kind is Kind.person:
        return _first(by_id(User), owners, people=User.id)
    if kind in (Kind.unit, Kind.jobcentre, Kind.team):
        stmt = by_id(OrgUnit).where(OrgUnit.kind != UnitKind.region)
        if kind is not Kind.unit:
            stmt = stmt.where(OrgUnit.kind == UnitKind(kind.value))
        return _first(stmt, owners, units=OrgUnit.id)
    if kind is Kind.booking:
        provider = (
            sa.select(Course.provider_id)
            .join(CourseSession, CourseSession.course_id == Course.id)
            .where(CourseSession.id == Booking.course_session_id)
            .scalar_subquery()
        )
        return _first(
            by_id(Booking), owners, people=Booking.user_id, providers=provider
        )
    if kind in (Kind.internal_booking, Kind.hosted_booking):
        stmt = by_id(Booking).join(
            InternalOffer, InternalOffer.course_session_id == Booking.course_session_id
        )
        person = (
            Booking.user_id if kind is Kind.internal_booking else InternalOffer.host_id
        )
        return _first(stmt, owners, people=person)
    if kind is Kind.offer:
        return _first(by_id(InternalOffer), owners, people=InternalOffer.host_id)
    if kind in PLAN_STATES:
        person, states = PLAN_STATES[kind]
        stmt = by_id(Plan).where(
            Plan.kind == (PlanKind.person if person else PlanKind.unit)
        )
        if states:
            stmt = stmt.where(Plan.status.in_(states))
        if person:
            return _first(stmt, owners, people=Plan.owner_id)
        return _first(stmt, owners, units=Plan.unit_id)
    if kind is Kind.led_activity:
        stmt = (
            by_id(PlanActivity)
            .join(Plan, Plan.id == PlanActivity.plan_id)
            .where(Plan.kind == PlanKind.person, Plan.status == PlanStatus.approved)
        )
        return _first(stmt, owners, people=PlanActivity.colleague_id)
    if kind in (Kind.goal, Kind.activity):
        model = PlanGoal if kind is Kind.goal else PlanActivity
        return db.session.scalar(by_id(model).where(model.plan_id == parent).limit(1))
    if kind is Kind.calendar_import:
        stmt = by_id(CalendarImport).where(CalendarImport.provider_id == parent)
        return db.session.scalar(stmt.limit(1))
    if kind is Kind.provider_token:
        members = sa.select(ProviderMember.user_id).where(
            ProviderMember.provider_id == parent
        )
        stmt = by_id(ApiToken).where(ApiToken.user_id.in_(members))
        return db.session.scalar(stmt.limit(1))
    if kind is Kind.key_person:
        return _first(by_id(KeyPerson), owners, units=KeyPerson.jobcentre_id)
    if kind in (Kind.knowledge_item, Kind.knowledge_document):
        stmt = by_id(KnowledgeItem).where(KnowledgeItem.status == ItemStatus.published)
        if kind is Kind.knowledge_document:
            stmt = stmt.where(KnowledgeItem.kind == ItemKind.document)
        return _first(stmt, owners, people=KnowledgeItem.author_id)
    if kind is Kind.notification:
        return _first(by_id(Notification), owners, people=Notification.user_id)
    if kind is Kind.api_token:
        stmt = by_id(ApiToken).where(~ApiToken.holds(DIRECTORY_SCOPE))
        return _first(stmt, owners, people=ApiToken.user_id)
    if kind is Kind.mentor_request:
        stmt = by_id(MentorRequest)
        if owners.not_user:
            stmt = stmt.where(
                MentorRequest.requester_id != owners.not_user,
                MentorRequest.mentor_id != owners.not_user,
            )
        if owners.people is None:
            return _first(stmt, owners)
        people = set(owners.people)
        either = sa.or_(
            MentorRequest.requester_id.in_(people), MentorRequest.mentor_id.in_(people)
        )
        stmt = stmt.where(sa.not_(either) if owners.negate else either)
        return db.session.scalar(stmt.limit(1))
    if kind is Kind.feed_secret:
        stmt = sa.select(CalendarToken.secret).order_by(CalendarToken.id)
        return _first(stmt, owners, people=CalendarToken.user_id)
    if kind is Kind.knowledge_feed_secret:
        stmt = sa.select(KnowledgeFeedToken.secret).order_by(KnowledgeFeedToken.id)
        return _first(stmt, owners, people=KnowledgeFeedToken.user_id)
    if kind is Kind.provider:
        return _first(by_id(Provider), owners, providers=Provider.id)
    if kind is Kind.course:
        return _first(by_id(Course), owners, providers=Course.provider_id)
    if kind is Kind.course_session:
        return _first(by_id(CourseSession), owners, providers=_provider_of_session())
    if kind is Kind.meeting:
        provider = (
            sa.select(Course.provider_id)
            .join(CourseSession, CourseSession.course_id == Course.id)
            .where(CourseSession.id == Meeting.course_session_id)
            .scalar_subquery()
        )
        return _first(by_id(Meeting), owners, providers=provider)
    raise AssertionError(f"no look-up for {kind}")
