"""Forms for the calendar pages: confirmations, the upload, the preview and feeds."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from core.forms import BaseForm
from courses.calendars.planning import BY_CATEGORY, NEW, SKIP


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


def _new_label(group) -> str:
    titles = group.titles
    if len(titles) == 1:
        return _l("New course (draft): %(title)s", title=titles[0])
    return _l("New draft courses, one per title (%(count)s)", count=len(titles))


def preview_form(plan):
    """A form with one course choice per group of new events; what is imported
    comes from the stored file, never from the form."""

    class PreviewForm(BaseForm):
        group_by = HiddenField(default=plan.group_by)

    courses = [(str(c.id), c.title) for c in plan.courses]
    for group in plan.choices:
        if group.by == BY_CATEGORY:
            label = _l("Course for the category “%(name)s”", name=group.label)
        else:
            label = _l("Course for “%(name)s”", name=group.label)
        options = [(NEW, _new_label(group)), (SKIP, _l("Do not import")), *courses]
        field = SelectField(label, choices=options, default=group.choice)
        setattr(PreviewForm, group.key, field)
    return PreviewForm()
