"""The diploma forms: a module's status and a person's start date."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from core.forms import BaseForm


class StatusForm(BaseForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])


class StartForm(BaseForm):
    started_on = DateField(_l("Started on"), validators=[InputRequired()])
