"""What the rules for people and the organisation refuse, in an admin's words."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "email_taken": _l("Another account already uses this e-mail."),
    "invalid_email": _l("Enter a valid e-mail address."),
    "not_a_team": _l("Choose a team."),
    "wrong_parent": _l(
        "A jobcentre belongs to a region, a team to a jobcentre, a region to nothing."
    ),
    "deputy_is_manager": _l("The deputy cannot be the manager."),
    "not_a_jobcentre": _l("Choose a jobcentre."),
    "unknown_person": _l("No account has this e-mail."),
}


class PeopleError(DomainError):
    """A change to people or the organisation that the rules refuse."""

    messages = MESSAGES


# A failed login is not a rule refusing a change: the login page says one fixed
# text for each, on purpose the same for a wrong e-mail and a wrong password, and
# there is no field or parameter to carry. So these stay plain exceptions.
class LoginError(Exception):
    """A login that did not succeed."""


class InvalidCredentialsError(LoginError):
    """Wrong e-mail or password, or an inactive account. `user_id` names the
    account for the security log (None: no account has that e-mail)."""

    def __init__(self, user_id: int | None = None):
        super().__init__(user_id)
        self.user_id = user_id


class LoginLockedError(LoginError):
    """Too many recent failures for this account or this address. Decided before
    the account is even looked up, so nothing else is known of it."""
