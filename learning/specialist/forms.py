"""Forms for knowledge items; they validate and never save."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import BaseForm
from learning.specialist.labels import KIND_LABELS
from learning.specialist.models import ItemKind


class ItemForm(BaseForm):
    kind = SelectField(
        _l("Kind"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[DataRequired()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Length(max=1000)],
        description=_l("Two or three lines shown in lists, suggestions and the feed."),
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Length(max=20_000)],
        description=_l(
            "Plain text, or simple HTML: paragraphs, bold, italics, lists and "
            "links. Anything else is removed."
        ),
    )
    url = StringField(
        _l("Web address (for a link)"),
        validators=[Length(max=1000)],
        description=_l("Starts with https://"),
    )
    file = FileField(
        _l("Document (for a document)"),
        description=_l(
            "PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV; at most "
            "%(limit)s MB."
        ),
    )
    competence_ids = SelectMultipleField(
        _l("Competences it helps develop"),
        coerce=int,
        validators=[DataRequired()],
        description=_l(
            "People with a gap in one of them get the item suggested. Hold Ctrl "
            "(or Cmd) to choose more than one."
        ),
    )
    function_id = SelectField(
        _l("Specialist function"), coerce=str, validators=[Optional()]
    )

    def __init__(self, *args, upload_limit_mb: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = str(self.file.description) % {"limit": upload_limit_mb}

    @property
    def chosen_kind(self) -> ItemKind | None:
        try:
            return ItemKind(self.kind.data)
        except ValueError:
            return None


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class CourseLinkForm(BaseForm):
    """Link a catalogue course to the area. The choices are checked by the
    service, so a forged or stale choice gets the area's own Danish message."""

    course_id = SelectField(
        _l("Course"),
        coerce=str,
        validate_choice=False,
        description=_l("The catalogue's courses that are not linked yet."),
    )
    function_id = SelectField(
        _l("Specialist function"),
        coerce=str,
        validate_choice=False,
        validators=[Optional()],
    )
