"""What an assessment round may not contain, in words the person rating understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "nothing_rated": _l("Choose a level for at least one competence."),
    "not_in_profile": _l("A competence is not part of the person's profiles."),
    "level_out_of_scale": _l("A level is outside the scale."),
}


class AssessmentError(DomainError):
    """An assessment the rules refuse; `code` says which rule."""

    messages = MESSAGES
