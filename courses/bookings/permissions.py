"""Who may book, decide, see participants, mark attendance and manage budgets."""

from core.people.models import OrgUnit, Role, UnitKind, User
from core.people.permissions import leads_team
from core.people.services import managed_team_ids
from courses.bookings import lifecycle
from courses.bookings.models import Booking
from courses.catalogue.permissions import provider_ids_of
from courses.sessions.models import CourseSession


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_book(user) -> bool:
    """Every signed-in person may book for themselves (the rules decide the rest)."""
    return _signed_in(user)


def can_view_booking(user, booking: Booking) -> bool:
    """The person, their manager, the course's provider staff, admins."""
    if not _signed_in(user):
        return False
    return bool(lifecycle.parties_of(user, booking))


def can_transition(user, booking: Booking, name: str) -> bool:
    """The table's party rule for `name`, for buttons and 403s (guards come later)."""
    return _signed_in(user) and lifecycle.allowed(name, user, booking)


def can_use_inbox(user) -> bool:
    """Managers who lead a team (or deputise for one), and admins."""
    if not _signed_in(user):
        return False
    return user.is_admin or (
        user.has_role(Role.manager) and bool(managed_team_ids(user))
    )


def can_decide_for(user, person: User) -> bool:
    """The person's manager (or deputising deputy) decides, never the person."""
    if not _signed_in(user) or user.id == person.id:
        return False
    return user.is_admin or leads_team(user, person.team_id)


def can_view_participants(user, course_session: CourseSession) -> bool:
    """Staff of the course's provider, and admins."""
    if not _signed_in(user):
        return False
    return user.is_admin or course_session.course.provider_id in provider_ids_of(user)


def can_manage_budgets(user) -> bool:
    """Coordinators set their jobcentre's budgets; admins all of them."""
    return _signed_in(user) and (user.is_admin or user.has_role(Role.coordinator))


def can_view_budget(user, unit: OrgUnit) -> bool:
    """The unit's coordinator (same jobcentre), the team's manager, admins."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    if user.has_role(Role.coordinator) and unit_in_my_jobcentre(user, unit):
        return True
    return unit.kind is UnitKind.team and leads_team(user, unit.id)


def can_set_budget(user, unit: OrgUnit) -> bool:
    if not can_manage_budgets(user):
        return False
    return user.is_admin or unit_in_my_jobcentre(user, unit)


def unit_in_my_jobcentre(user, unit: OrgUnit) -> bool:
    """The unit is the user's jobcentre or one of its teams."""
    if user.team is None or user.team.parent_id is None:
        return False
    jobcentre_id = user.team.parent_id
    return unit.id == jobcentre_id or unit.parent_id == jobcentre_id


def can_view_interest(user) -> bool:
    """Provider staff see interest in their courses; coordinators their jobcentre's."""
    if not _signed_in(user):
        return False
    return user.is_admin or user.has_role(Role.coordinator, Role.provider_staff)
