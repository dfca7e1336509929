"""What the session services refuse, in words the provider understands."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import reading_english
from core.numbers import PRICE
from core.templating import long_date

MESSAGES = {
    "holiday": _l("%(day)s is a public holiday (%(name)s). Choose another day."),
    "capacity_below_taken": _l(
        "The number of seats cannot be below the %(taken)d seats already taken."
    ),
    "capacity_negative": _l("The number of seats cannot be below zero."),
    "minimum_out_of_range": _l(
        "The minimum must be between zero and the number of seats."
    ),
    "price_not_a_number": _l("The price must be a number."),
    "price_negative": _l("The price cannot be negative."),
    "price_too_large": _l("The price must be between %(min)s and %(max)s kr."),
    "deadline_after_start": _l("The deadline must be before the first course day."),
    "deadline_too_early": _l(
        "The deadline is more than a year before the first course day (%(day)s):"
        " check the year."
    ),
    "deadline_passed": _l("The deadline has passed: choose today or a later day."),
    "first_day_passed": _l(
        "The first course day has passed: choose today or a later day."
    ),
    "day_passed": _l("The day has passed: choose today or a later day."),
    "use_cancel": _l("Use the cancel button to cancel a session."),
    "reason_missing": _l(
        "Write the reason for cancelling: the participants receive it."
    ),
    "meeting_ends_before_start": _l("The meeting must end after it starts."),
    "time_does_not_exist": _l(
        "That time does not exist on this day: the clocks go forward."
    ),
    "meetings_overlap": _l("The meeting overlaps another day of the session."),
    "no_meetings": _l("A session needs at least one course day."),
    "date_out_of_range": _l("Choose a date between the years 2000 and 2100."),
    "course_archived": _l("The course is archived and cannot get new sessions."),
    "session_cancelled": _l("The session is cancelled and cannot be changed."),
    "meeting_cancelled": _l("The course day is cancelled and cannot be changed."),
    "last_meeting": _l(
        "A session needs at least one course day. Cancel the whole session instead."
    ),
}

PRICE_BOUNDS = {"min": PRICE.minimum, "max": PRICE.maximum}


class SessionError(DomainError):
    """A change to a session or its meetings that the rules refuse."""

    messages = MESSAGES

    def _render(self, message) -> str:
        if self.code == "deadline_too_early":
            return str(message) % {"day": long_date(self.params["day"])}
        if self.code == "price_too_large":
            return str(message) % {
                key: format_decimal(PRICE_BOUNDS[key], format="#,##0.##")
                for key in ("min", "max")
            }
        if self.code == "holiday":
            # The holiday's name in the reader's language, the date the Danish way.
            from courses.sessions.timing import holiday_name

            day = self.params["day"]
            language = "en_US" if reading_english() else "da"
            return str(message) % {
                "day": long_date(day),
                "name": holiday_name(day, language),
            }
        return str(message) % self.params if self.params else str(message)


class CombinedSessionError(SessionError):
    """Several refusals of one change, shown together: a form gets them all at
    once, each beside its own field, rather than one per submit."""

    def __init__(self, errors: list[SessionError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.field, **first.params)
        self.errors = errors

    def __str__(self) -> str:
        return " ".join(str(error) for error in self.errors)

    def add_to(self, form) -> None:
        for error in self.errors:
            error.add_to(form)


def raise_all(errors: list[SessionError]) -> None:
    """Raise the one error, or all of them together; nothing when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise CombinedSessionError(errors)


class LocalTimeError(SessionError):
    """A wall-clock time that does not exist in Copenhagen (the spring-forward hour)."""

    def __init__(self, **params) -> None:
        super().__init__("time_does_not_exist", "start", **params)
