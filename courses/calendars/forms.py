"""Forms for the calendar pages: confirmations, the upload, the preview and feeds."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from core.forms import BaseForm


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


class UploadForm(BaseForm):
    file = FileField(
        _l("Calendar file (.ics)"),
        validators=[FileRequired(message=_l("Choose a calendar file to upload."))],
        description=_l(
            "An iCalendar file exported from Outlook, Google or your booking system."
        ),
    )
    replace_all = BooleanField(
        _l(
            "The file holds our whole calendar: cancel imported sessions that are "
            "not in it"
        )
    )


class FeedForm(BaseForm):
    feed_url = StringField(
        _l("Address of the provider's calendar feed"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "An https address that `flask courses sync-calendars` reads. "
            "Leave it empty to stop reading a feed."
        ),
    )

    def validate_feed_url(self, field):
        value = (field.data or "").strip()
        if value.startswith("webcal://"):
            value = "https://" + value.removeprefix("webcal://")
        if value and (not value.startswith(("https://", "http://")) or " " in value):
            raise ValidationError(_l("Give an address that starts with https://."))
        field.data = value


def preview_form(plan, labels: dict[str, str]):
    """A form with one course choice per new event; the content itself comes from
    the stored file, never from the form."""

    class PreviewForm(BaseForm):
        pass

    choices = [(str(c.id), c.title) for c in plan.courses]
    for item in plan.sessions:
        if item.kind not in ("create", "skip") or item.event is None:
            continue
        options = [
            ("new", labels["new"] % {"title": item.event.summary or item.uid}),
            ("skip", labels["skip"]),
            *choices,
        ]
        field = SelectField(labels["course"], choices=options, default=item.choice)
        setattr(PreviewForm, item.key, field)
    return PreviewForm()
