"""What the plans refuse, in words the employee, the manager or the adviser
understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "not_allowed": _l("You may not do that with this plan."),
    "not_editable": _l("The plan is %(status)s and can no longer be changed."),
    "wrong_state": _l("The plan is %(status)s, so that cannot be done now."),
    "already_decided": _l(
        "Someone else has just decided this plan (it is now %(status)s). Nothing "
        "was changed."
    ),
    "plan_exists": _l("You already have a plan for the period starting %(date)s."),
    "bad_period": _l("The period must end after it starts and last at most 3 years."),
    "no_team": _l(
        "You must belong to a team whose manager can approve the plan before you "
        "submit it."
    ),
    "empty_plan": _l("Add at least one goal and one activity before submitting."),
    "bad_goal": _l("Choose a competence and a target level, or describe the goal."),
    "bad_level": _l("The target level must be between 1 and %(top)s."),
    "goal_exists": _l("That competence is already a goal of the plan."),
    "bad_competence": _l("The competence does not exist or is retired."),
    "bad_goal_ref": _l("The chosen goal is not one of this plan's goals."),
    "bad_cost": _l("The cost must be between 0 and 10.000.000 kr."),
    "bad_dates": _l("The activity must end on or after the day it starts."),
    "bad_title": _l("Give the activity a title of at most 300 characters."),
    "session_in_plan": _l("That course session is already in the plan."),
    "session_closed": _l("That course session can no longer be booked."),
    "bad_colleague": _l("Choose a colleague from your jobcentre."),
    "fund_for_unit": _l("Unit plans cannot be funded by the Kompetencefond."),
    "return_needs_comment": _l(
        "Say why the plan is returned, so the employee knows what to change."
    ),
    "booking_failed": _l(
        'The booking of "%(title)s" could not be %(action)s: %(reason)s Nothing '
        "was changed."
    ),
    "not_a_unit": _l("Unit plans belong to a jobcentre or one of its teams."),
    "text_too_long": _l("The text may be at most %(max)s characters."),
    "colleague_signs_off": _l(
        "%(name)s, who leads this activity, signs it off. If %(name)s cannot, "
        "your manager can mark it as done."
    ),
    "not_approved_yet": _l(
        "The plan is %(status)s: learning can be signed off once the plan is "
        "approved."
    ),
    "already_done": _l("The activity was already marked as done on %(date)s."),
    "activity_dropped": _l("The activity was dropped from the plan."),
}


class PlanError(DomainError):
    """A change to a plan that the rules refuse."""

    messages = MESSAGES
