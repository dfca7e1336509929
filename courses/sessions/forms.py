"""Forms for sessions and meetings; the database rules come back from the services."""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Optional,
    ValidationError,
)

from core.clock import today
from core.forms import AmountField, BaseForm, CountField, EnumSelectField
from core.numbers import SEATS, Bounds
from courses.catalogue.forms import at_most, no_nul
from courses.sessions import services
from courses.sessions.errors import SessionError
from courses.sessions.models import SessionStatus
from courses.sessions.services import MeetingInput
from courses.sessions.timing import (
    FIRST_YEAR,
    LAST_YEAR,
    end_of_local_day,
    local_instant,
)

STATUS_LABELS = {
    SessionStatus.planned: _l("Planned (not yet open for registration)"),
    SessionStatus.open: _l("Open for registration"),
    SessionStatus.cancelled: _l("Cancelled"),
}
EDITABLE_STATUSES = (SessionStatus.open, SessionStatus.planned)
_PRICE_HINT = _l("Leave empty to use the course's price.")
# A session people can book has at least one seat (the provider's default may be 0).
SESSION_SEATS = Bounds(Decimal(1), SEATS.maximum)
DEADLINES = ("booking_deadline", "cancellation_deadline")


class SessionStatusField(EnumSelectField):
    def __init__(self, label=None, **kwargs):
        super().__init__(label, enum=SessionStatus, labels=STATUS_LABELS, **kwargs)
        self.choices = [(s.value, STATUS_LABELS[s]) for s in EDITABLE_STATUSES]


class SessionForm(BaseForm):
    """A session's terms. With the session's first start (`first`), the
    deadlines it has now (`stored`) and its seats taken, the form checks the
    deadlines and seats against the session too, and shows every problem at once."""

    capacity = CountField(
        _l("Number of seats"), validators=[InputRequired()], bounds=SESSION_SEATS
    )
    min_participants = CountField(
        _l("Minimum number of participants"), validators=[Optional()]
    )
    price_state = AmountField(
        _l("Price for state staff"), validators=[Optional()], description=_PRICE_HINT
    )
    price_municipal = AmountField(
        _l("Price for municipal staff"),
        validators=[Optional()],
        description=_PRICE_HINT,
    )
    booking_deadline = DateField(_l("Registration deadline"), validators=[Optional()])
    cancellation_deadline = DateField(
        _l("Cancellation deadline"), validators=[Optional()]
    )
    location = StringField(
        _l("Location"), validators=[Optional(), at_most(300)], filters=[no_nul]
    )
    online_url = URLField(
        _l("Link for online teaching"),
        validators=[Optional(), URL(require_tld=False), at_most(500)],
        filters=[no_nul],
    )
    status = SessionStatusField(_l("Status"), validators=[InputRequired()])

    def __init__(self, *args, first=None, stored=None, seats_taken=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.first = first
        self.seats_taken = seats_taken
        self.stored = stored or {}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The rules between fields run even when a field failed, so every
        # problem is shown after one submit.
        for error in self.cross_field_errors():
            error.add_to(self)
            valid = False
        return valid

    def first_start(self) -> datetime | None:
        return self.first

    def cross_field_errors(self) -> list[SessionError]:
        errors = []
        capacity, minimum = self.capacity.data, self.min_participants.data
        if capacity is not None and capacity < self.seats_taken:
            errors.append(
                SessionError("capacity_below_taken", "capacity", taken=self.seats_taken)
            )
        if capacity is not None and minimum is not None and minimum > capacity:
            errors.append(SessionError("minimum_out_of_range", "min_participants"))
        deadlines = {}
        for name in DEADLINES:
            day = getattr(self, name).data
            if day is None:
                continue
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                errors.append(SessionError("date_out_of_range", name))
            elif day < today() and day != self.stored.get(name):
                errors.append(SessionError("deadline_passed", name))
            else:
                deadlines[name] = end_of_local_day(day)
        first = self.first_start()
        if first is not None:
            errors += services.deadline_errors(first, deadlines)
        return errors

    def values(self) -> dict:
        return {
            "capacity": self.capacity.data,
            "min_participants": self.min_participants.data or 0,
            "price_state": self.price_state.data,
            "price_municipal": self.price_municipal.data,
            "booking_deadline": self.booking_deadline.data,
            "cancellation_deadline": self.cancellation_deadline.data,
            "location": self.location.data or "",
            "online_url": self.online_url.data or "",
            "status": self.status.member,
        }


class MeetingForm(BaseForm):
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    place = StringField(
        _l("Place"),
        validators=[Optional(), at_most(300)],
        filters=[no_nul],
        description=_l("Leave empty to use the session's location."),
    )
    title = StringField(
        _l("Title of the day"),
        validators=[Optional(), at_most(200)],
        filters=[no_nul],
        description=_l("For example “Module 1”."),
    )

    def __init__(self, *args, stored_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_day = stored_day

    def validate_day(self, field):
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(str(SessionError("date_out_of_range")))
        # A day already in the past may stay (its place corrected), not be chosen.
        if field.data and field.data < today() and field.data != self.stored_day:
            raise ValidationError(str(self.passed_message))

    passed_message = SessionError("day_passed")

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def local_start(self) -> datetime | None:
        """The meeting's start as typed, or None where the day or time is not
        valid (their own messages say why)."""
        if self.day.errors or self.start.errors:
            return None
        day, start = self.day.data, self.start.data
        if day is None or start is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            return None
        try:
            return local_instant(day, start)
        except SessionError:
            return None

    def meeting(self) -> MeetingInput:
        return MeetingInput(
            day=self.day.data,
            start=self.start.data,
            end=self.end.data,
            place=self.place.data or "",
            title=self.title.data or "",
        )


class NewSessionForm(SessionForm, MeetingForm):
    """A session and its first meeting; more meetings are added afterwards."""

    passed_message = SessionError("first_day_passed")

    def first_start(self) -> datetime | None:
        return self.local_start()


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class CancelForm(BaseForm):
    """Cancel a session: the reason goes to everyone booked, so it is required."""

    reason = TextAreaField(
        _l("Reason (sent to the participants)"),
        validators=[
            DataRequired(
                _l("Write the reason for cancelling: the participants receive it.")
            ),
            at_most(1000),
        ],
        filters=[no_nul, _stripped],
    )
