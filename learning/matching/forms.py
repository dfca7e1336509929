"""Forms for a course's competences and their bulk import; they never save."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf, InputRequired

from core.forms import REQUIRED, BaseForm
from learning.competences.labels import localised
from learning.competences.models import Competence, Scale

FORMATS = ("csv", "xlsx")


class CourseCompetenceForm(BaseForm):
    """Add a competence the course develops, or change the level it reaches."""

    competence_id = SelectField(
        _l("Competence"), coerce=int, validators=[InputRequired(REQUIRED)]
    )
    level = SelectField(
        _l("Level reached"),
        coerce=int,
        validators=[InputRequired(REQUIRED)],
        description=_l("The level a participant can reach on the framework's scale."),
    )

    def __init__(self, *args, competences: list[Competence], scale: Scale, **kw):
        super().__init__(*args, **kw)
        groups: dict[str, list[tuple[int, str]]] = {}
        for c in competences:
            groups.setdefault(localised(c.area), []).append(
                (c.id, f"{c.code} {localised(c)}")
            )
        self.competence_id.choices = groups
        self.level.choices = [
            (lv.value, f"{lv.value} – {lv.name}") for lv in scale.levels if lv.value
        ]


class RemoveForm(BaseForm):
    """Only the CSRF token: the competence is in the URL."""


class LinkImportForm(BaseForm):
    file = FileField(
        _l("File (CSV or Excel)"),
        validators=[
            FileRequired(REQUIRED),
            FileAllowed(list(FORMATS), _l("Choose a .csv or an .xlsx file.")),
        ],
    )


class ApplyLinkImportForm(BaseForm):
    """The checked file travels back (base64) with the confirmation; no state kept."""

    payload = HiddenField(validators=[InputRequired()])
    fmt = HiddenField(validators=[InputRequired(), AnyOf(FORMATS)])
