"""What the purchase plan refuses, in words the coordinator understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "bad_period": _l("The period must end on or after the day it starts."),
    "period_too_long": _l("The period may be at most 3 years."),
    "empty_plan": _l("The plan has no seats to request."),
    "stale_seats": _l(
        "The plan is out of date: %(course)s no longer has seats for everyone in "
        "the plan. Nothing was requested; work out the plan again."
    ),
    "stale_seat": _l(
        "The plan is out of date: %(person)s can no longer be booked on "
        "%(course)s. Nothing was requested; work out the plan again."
    ),
    "stale_rules": _l(
        "The plan is out of date: it no longer keeps within the budget and the "
        "rules. Nothing was requested; work out the plan again."
    ),
    "booking_failed": _l(
        "The booking of %(person)s on %(course)s could not be requested: "
        "%(reason)s Nothing was requested."
    ),
}


class PurchaseError(DomainError):
    """A purchase plan the rules refuse."""

    messages = MESSAGES
