"""Forms for booking decisions, attendance, budgets and prerequisite exceptions."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import AmountField, BaseForm, YearField
from core.numbers import BUDGET
from courses.catalogue.forms import at_most, no_nul

OUTCOMES = {
    "attended": _l("Attended"),
    "no_show": _l("Did not show up"),
    "completed": _l("Completed"),
}


class ActionForm(BaseForm):
    """A button that changes a booking: only the CSRF token."""


class GiveUpForm(BaseForm):
    """Cancel, withdraw or decline a booking; the reason goes in the record, and
    to the manager with a late cancellation."""

    reason = TextAreaField(
        _l("Why? (optional)"),
        validators=[Optional(), at_most(1000)],
        filters=[no_nul],
    )


class DecisionForm(BaseForm):
    comment = TextAreaField(
        _l("Comment"),
        validators=[Length(max=2000)],
        description=_l("Shown to the employee. Required when you reject."),
    )


class AttendanceForm(BaseForm):
    outcome = SelectField(
        _l("Attendance"),
        choices=list(OUTCOMES.items()),
        validators=[DataRequired()],
    )


class BudgetForm(BaseForm):
    unit = SelectField(_l("Unit"), coerce=int, validators=[InputRequired()])
    year = YearField(_l("Year"), validators=[InputRequired()])
    amount = AmountField(
        _l("Amount (DKK)"), bounds=BUDGET, validators=[InputRequired()]
    )


class WaiverForm(BaseForm):
    person = SelectField(_l("Employee"), coerce=int, validators=[InputRequired()])
    course = SelectField(_l("Course"), coerce=int, validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Why the prerequisites are not needed, for the record."),
    )
