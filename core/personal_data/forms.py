"""The erasure's confirmation: the administrator types the person's address."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from core.forms import BaseForm


class EraseForm(BaseForm):
    email = StringField(
        _l("The person's e-mail address"),
        validators=[InputRequired(), Length(max=254)],
        description=_l("Typed as a confirmation: erasing cannot be undone."),
    )
