"""Forms for offers, reflections, sign-off and sparring requests; they never save."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
)

from core.forms import BaseForm, CountField
from core.numbers import Bounds
from learning.internal.models import OfferKind
from learning.internal.services import MAX_CAPACITY

KIND_LABELS = {
    OfferKind.job_shadowing: _l("Job shadowing"),
    OfferKind.peer_session: _l("Peer session"),
}
DAYS = 3  # the form offers this many day rows; the first is required


class OfferForm(BaseForm):
    kind = SelectField(
        _l("Kind"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        _l("What the learner will see and do"), validators=[Length(max=4000)]
    )
    location = StringField(_l("Place"), validators=[Length(max=300)])
    capacity = CountField(
        _l("Places"),
        validators=[InputRequired()],
        bounds=Bounds(Decimal(1), Decimal(MAX_CAPACITY)),
        default=2,
    )
    competences = SelectMultipleField(
        _l("Competences it develops"),
        coerce=int,
        validators=[DataRequired()],
        description=_l("The learner reaches level Beherske in each of them."),
    )
    needs_approval = BooleanField(_l("The learner's manager must approve"))
    day_1 = DateField(_l("Day 1"), validators=[InputRequired()])
    day_2 = DateField(_l("Day 2"), validators=[Optional()])
    day_3 = DateField(_l("Day 3"), validators=[Optional()])
    start = TimeField(_l("From"), validators=[InputRequired()], default=None)
    end = TimeField(_l("To"), validators=[InputRequired()], default=None)

    def days(self):
        return [
            d
            for d in (self.day_1.data, self.day_2.data, self.day_3.data)
            if d is not None
        ]


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class ReflectionForm(BaseForm):
    reflection = TextAreaField(
        _l("Your short reflection"),
        # The service checks the length, so the message names both bounds.
        validators=[DataRequired()],
        description=_l("What did you learn, and what will you do differently?"),
    )


class AskForm(BaseForm):
    mentor_id = HiddenField(validators=[DataRequired()])
    competence_id = HiddenField(validators=[DataRequired()])
    message = TextAreaField(_l("Message (optional)"), validators=[Length(max=1000)])


class AnswerForm(BaseForm):
    reply = TextAreaField(_l("Reply (optional)"), validators=[Length(max=1000)])


class OptOutForm(BaseForm):
    opted_out = BooleanField(_l("Do not suggest me as a sparring partner"))
