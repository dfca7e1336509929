"""Forms for sessions and meetings; the database rules come back from the services."""

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

from core.forms import AmountField, BaseForm, CountField, EnumSelectField
from courses.catalogue.forms import at_most, no_nul
from courses.sessions.models import SessionStatus
from courses.sessions.services import MeetingInput

STATUS_LABELS = {
    SessionStatus.planned: _l("Planned (not yet open for registration)"),
    SessionStatus.open: _l("Open for registration"),
    SessionStatus.cancelled: _l("Cancelled"),
}
EDITABLE_STATUSES = (SessionStatus.open, SessionStatus.planned)
_PRICE_HINT = _l("Leave empty to use the course's price.")


class SessionStatusField(EnumSelectField):
    def __init__(self, label=None, **kwargs):
        super().__init__(label, enum=SessionStatus, labels=STATUS_LABELS, **kwargs)
        self.choices = [(s.value, STATUS_LABELS[s]) for s in EDITABLE_STATUSES]


class SessionForm(BaseForm):
    capacity = CountField(_l("Number of seats"), validators=[InputRequired()])
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

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The meeting must end after it starts."))

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
