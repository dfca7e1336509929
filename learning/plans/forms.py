"""Forms for plans, goals, activities, the talk and decisions; they never save."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from core.forms import AmountField, BaseForm, CountField, EnumSelectField
from core.numbers import Bounds
from learning.plans.labels import AIMS_LABELS, FUNDING_LABELS, KIND_LABELS
from learning.plans.models import ActivityKind, AimsMet, Funding

# Dates are typed as the date picker sends them, or the Danish way: 15.1.2027.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
DATE_MESSAGE = _l("Enter a date, e.g. 15.01.2027.")
COST = Bounds(Decimal(0), Decimal(10_000_000), places=2)
TEXT = [Optional(), Length(max=4000)]


def _date(label, *, required=False, **kwargs) -> DateField:
    validators = [InputRequired()] if required else [Optional()]
    return DateField(label, validators, format=DATE_FORMATS, **kwargs)


class ActionForm(BaseForm):
    """A button that changes something: the CSRF token and nothing else."""


class SignOffForm(BaseForm):
    """The colleague signs off learning they led, with a short note if they like."""

    note = TextAreaField(
        _l("A short note to the learner (optional)"),
        [
            Optional(),
            Length(max=500, message=_l("The note may be at most 500 characters.")),
        ],
    )


class NewPlanForm(BaseForm):
    period = RadioField(
        _l("Period"),
        choices=[("current", _l("This period")), ("next", _l("Next period"))],
        default="current",
        validators=[DataRequired()],
    )


class PreparationForm(BaseForm):
    wishes = TextAreaField(
        _l("Your wishes for your development"),
        TEXT,
        description=_l("What you would like to learn, and where you want to go."),
    )
    employee_note = TextAreaField(_l("Your note for the talk"), TEXT)


class TalkForm(BaseForm):
    manager_note = TextAreaField(_l("The manager's preparation"), TEXT)
    talk_on = _date(_l("Date of the talk"))
    talk_summary = TextAreaField(_l("What the talk agreed"), TEXT)


class GoalForm(BaseForm):
    competence_id = SelectField(
        _l("Competence"), coerce=str, validators=[Optional()], default=""
    )
    target_level = SelectField(
        _l("Target level"), coerce=str, validators=[Optional()], default=""
    )
    text = TextAreaField(
        _l("Goal in words"),
        TEXT,
        description=_l("For a goal outside the framework, or to say more."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.competence_id.data and not (self.text.data or "").strip():
            self.form_errors.append(
                str(_l("Choose a competence and a target level, or describe the goal."))
            )
            return False
        return ok


class GapGoalForm(BaseForm):
    competence_id = HiddenField(validators=[DataRequired()])


class ActivityForm(BaseForm):
    kind = EnumSelectField(
        _l("Kind"),
        enum=ActivityKind,
        labels=KIND_LABELS,
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), TEXT)
    goal_id = SelectField(_l("Goal it serves"), coerce=str, default="")
    colleague_id = SelectField(
        _l("Colleague"),
        coerce=str,
        default="",
        description=_l("For internal learning: the colleague you learn from."),
    )
    cost = AmountField(_l("Cost in kroner"), [Optional()], bounds=COST, default=0)
    funding = EnumSelectField(
        _l("Funding"), enum=Funding, labels=FUNDING_LABELS, default="budget"
    )
    starts_on = _date(_l("From"))
    ends_on = _date(_l("To"))
    participants = CountField(
        _l("Participants"),
        [Optional()],
        bounds=Bounds(Decimal(1), Decimal(500)),
        default=1,
    )

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(
                str(_l("The activity must end on or after it starts."))
            )


class SessionActivityForm(BaseForm):
    course_session_id = HiddenField(validators=[DataRequired()])
    funding = EnumSelectField(
        _l("Funding"), enum=Funding, labels=FUNDING_LABELS, default="budget"
    )


class DecisionForm(BaseForm):
    comment = TextAreaField(
        _l("Comment"),
        [Optional(), Length(max=2000)],
        description=_l("Required when you return the plan: say what to change."),
    )
    approve = SubmitField(_l("Approve the plan and its bookings"))
    send_back = SubmitField(_l("Return the plan"))


class UnitPlanForm(BaseForm):
    unit_id = SelectField(_l("Jobcentre or team"), coerce=str)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_on = _date(_l("From"), required=True)
    ends_on = _date(_l("To"), required=True)
    responsible = StringField(_l("Responsible"), [Optional(), Length(max=300)])
    aims = TextAreaField(_l("Aims"), TEXT)
    strategy = TextAreaField(_l("Strategy"), TEXT)

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(str(_l("The period must end after it starts.")))


class StatusReportForm(BaseForm):
    aims_met = EnumSelectField(
        _l("Were the aims met?"), enum=AimsMet, labels=AIMS_LABELS
    )
    status_report = TextAreaField(
        _l("Closing status report"), [DataRequired(), Length(max=4000)]
    )
