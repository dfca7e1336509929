"""What single sign-on refuses, in the words the person signing in reads."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "refused_by_provider": _l(
        "Your organisation's sign-in did not let you in. Try again, or sign in "
        "another way."
    ),
    "unknown_attempt": _l(
        "This sign-in is unknown or was already used. Start again from the sign-in "
        "page."
    ),
    "invalid_token": _l(
        "The answer from your organisation's sign-in could not be verified, so you "
        "are not signed in. Start again from the sign-in page."
    ),
    "provider_unreachable": _l(
        "Your organisation's sign-in cannot be reached right now. Try again in a "
        "moment."
    ),
    "no_subject": _l("Your organisation's sign-in did not say who you are."),
    "no_account": _l(
        "You have no account here yet. Ask an administrator to create one for you."
    ),
    "no_email": _l(
        "Your organisation's sign-in gave no valid e-mail address, so no account "
        "can be created for you."
    ),
    "email_linked_elsewhere": _l(
        "The account with your e-mail address is already linked to another person "
        "at your organisation's sign-in. Ask an administrator."
    ),
    "inactive": _l("Your account is deactivated. Ask an administrator."),
}


class SignOnError(DomainError):
    """A sign-in through the organisation's provider that is refused."""

    messages = MESSAGES
