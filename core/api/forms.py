"""The form that makes a personal access token; it validates and never saves."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from core.forms import BaseForm
from core.people.forms import MultiCheckboxField

# How long a new token lasts, in days ("" never ends).
LIFETIMES = (
    ("30", _l("30 days")),
    ("90", _l("90 days")),
    ("365", _l("One year")),
    ("", _l("Until I revoke it")),
)


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        description=_l("What uses the token, e.g. 'HR-systemet'."),
        validators=[DataRequired(), Length(max=100)],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    scopes = MultiCheckboxField(
        _l("What the token may do"),
        validators=[InputRequired(message=_l("Choose at least one."))],
    )
    lifetime = RadioField(_l("Valid for"), choices=LIFETIMES, default="90")

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = scopes
