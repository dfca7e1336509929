"""What the personal-data rules refuse, in an administrator's words."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError


class PersonalDataError(DomainError):
    """An erasure the rules refuse."""

    messages = {
        "own_account": _l(
            "You cannot erase your own account. Ask another administrator."
        ),
        "already_erased": _l("This person's data is already erased."),
        "not_confirmed": _l(
            "Type the person's e-mail address exactly as shown to confirm."
        ),
    }
