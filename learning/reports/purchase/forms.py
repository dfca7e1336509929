"""The purchase plan's question (budget and period) and its one button; they
never save."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField
from wtforms.validators import InputRequired, Length, Regexp

from core.forms import REQUIRED, AmountField, BaseForm
from core.numbers import Bounds

# A jobcentre's budget for courses: above 0, at most a hundred million kroner.
BUDGET = Bounds(Decimal(1), Decimal(100_000_000), 2)
# Dates as the date picker sends them, or the Danish way: 15.1.2027.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
# "person-session" pairs, separated by spaces; room for a large jobcentre's plan.
SEATS = r"^\d{1,10}-\d{1,10}( \d{1,10}-\d{1,10})*$"


class _Question:
    """The budget and the period, shared by the question and the button."""

    budget = AmountField(
        _l("Budget (kr.)"),
        [InputRequired(REQUIRED)],
        bounds=BUDGET,
        description=_l("What the jobcentre may spend on seats, e.g. 500.000."),
    )
    starts_on = DateField(
        _l("From"),
        [InputRequired(REQUIRED)],
        format=DATE_FORMATS,
        description=_l("Sessions that start on or after this day, e.g. 1.2.2027."),
    )
    ends_on = DateField(
        _l("To"),
        [InputRequired(REQUIRED)],
        format=DATE_FORMATS,
        description=_l("Sessions that end on or before this day."),
    )


class PlanQueryForm(_Question, BaseForm):
    """Read from the query string: the plan is worked out, nothing is changed."""

    class Meta:
        csrf = False


class RequestSeatsForm(_Question, BaseForm):
    """The plan's seats travel back with the question, so nothing is kept
    between the page and the button; the CSRF token guards the change."""

    seats = HiddenField(
        validators=[InputRequired(), Length(max=250_000), Regexp(SEATS)]
    )
