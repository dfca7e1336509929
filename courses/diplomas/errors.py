"""What the diploma rules refuse, in words a person understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "status_not_allowed": _l("You may not set that status."),
    "final_project_not_accredited": _l(
        "The final project cannot be accredited from prior learning."
    ),
    "final_project_last": _l(
        "The final project can only be passed when all other modules are."
    ),
    "start_in_future": _l("The start date cannot be in the future."),
    # No page adds modules (the demo and tests do), so no person sees this one.
    "ects_not_positive": _l("The change was not saved."),
}


class DiplomaError(DomainError):
    """A diploma change the rules refuse; `code` names the rule."""

    messages = MESSAGES
