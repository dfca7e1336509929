"""Who may see course links and suggestions; small predicates, reused in templates."""

from core.people.models import OrgUnit, Role, User
from core.people.permissions import leads_team
from learning.assessments.permissions import can_view_team_map
from learning.competences.permissions import can_maintain_framework


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_see_suggestions(user, person: User) -> bool:
    """Suggestions are the person's own; their manager (or deputising deputy)
    sees them for the team; admins, who see every team's view, for anyone."""
    if not _signed_in(user):
        return False
    if user.id == person.id or user.is_admin:
        return True
    return user.has_role(Role.manager) and leads_team(user, person.team_id)


def can_see_own_suggestions(user) -> bool:
    """Jobcentre staff (a team, so a profile) get suggestions; the menu link."""
    return _signed_in(user) and getattr(user, "team_id", None) is not None


def can_see_team_suggestions(user, team: OrgUnit | None = None) -> bool:
    """Managers for the teams they lead; admins for any team: those who see the
    team's competence map."""
    return can_view_team_map(user, team)


def can_maintain_course_links(user, course=None) -> bool:
    """Competence coordinators and admins say which competences a course develops
    (any course: the framework is one for every provider)."""
    return can_maintain_framework(user)
