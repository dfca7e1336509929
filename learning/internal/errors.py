"""What internal learning refuses: an offer, its completion, a mentor request; in
words the host, the learner or the colleague asked understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "no_jobcentre": _l("You must belong to a team in a jobcentre to offer this."),
    "no_competences": _l("Choose at least one competence the offer develops."),
    "bad_competence": _l("One of the chosen competences does not exist."),
    "bad_level": _l("The level must be between 1 and %(top)s."),
    "bad_capacity": _l("The number of places must be from 1 to %(max)s."),
    "date_in_past": _l("The days must lie in the future."),
    "bad_days": _l("The days could not be used: %(reason)s"),
    "not_internal": _l("This booking is not for internal learning."),
    "not_allowed": _l("You may not do that with this offer."),
    "not_begun": _l("You can write your reflection once the offer has begun."),
    "reflection_length": _l(
        "Write a short reflection of %(min)s to %(max)s characters."
    ),
    "no_reflection": _l(
        "The learner must write a short reflection before you can sign off."
    ),
    "wrong_state": _l("The booking is not one that can be signed off now."),
    "signed_off": _l("The completion is already signed off."),
}
# What a session the offer's days would make is refused for, as `reason`.
SESSION_REASONS = {
    "no_meetings": _l("no day is given"),
    "holiday": _l("one day is a public holiday"),
    "meeting_ends_before_start": _l("a day ends before it starts"),
    "meetings_overlap": _l("two days overlap"),
    "date_out_of_range": _l("a date is out of range"),
    "time_does_not_exist": _l("a time does not exist on that day"),
}

MENTORING_MESSAGES = {
    "not_suggested": _l("That colleague is not suggested for this competence."),
    "already_asked": _l("You have already asked this colleague about it."),
    "message_too_long": _l("The message may be at most %(max)s characters."),
    "wrong_state": _l("The request has already been answered."),
}


class InternalError(DomainError):
    """A change to an internal offer or its completion that the rules refuse."""

    messages = MESSAGES


class MentoringError(InternalError):
    """A mentor request, or an answer to one, that the rules refuse."""

    messages = MESSAGES | MENTORING_MESSAGES
