"""Forms for courses and providers, and the Danish words for the enums."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from core.forms import AmountField, BaseForm, CountField, DaysField, EnumSelectField
from core.templating import localised
from courses.catalogue.models import Audience, CourseFormat, ProviderKind

FORMAT_LABELS = {
    CourseFormat.in_person: _l("In person"),
    CourseFormat.online: _l("Online"),
    CourseFormat.blended: _l("Blended (in person and online)"),
}
AUDIENCE_LABELS = {
    Audience.both: _l("State and municipal staff"),
    Audience.state: _l("State staff"),
    Audience.municipal: _l("Municipal staff"),
}
PROVIDER_KIND_LABELS = {
    ProviderKind.ministry: _l("Ministry"),
    ProviderKind.cok: _l("Komponent (formerly COK)"),
    ProviderKind.university_college: _l("University college"),
    ProviderKind.specialist_function: _l("Specialist function"),
    ProviderKind.region: _l("Region"),
    ProviderKind.jobcentre: _l("Jobcentre"),
}


def no_nul(value):
    """Drop NUL characters: PostgreSQL cannot store them, and no one means them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def at_most(characters: int) -> Length:
    """Length(max=...) with its own message: WTForms' plural one does not reach us
    with its numbers filled in."""
    return Length(max=characters, message=_l("Write at most %(max)d characters."))


class CourseChoiceField(SelectMultipleField):
    """Several courses from a list; an unknown one gets our own message (WTForms'
    plural message does not reach us with its value filled in)."""

    def pre_validate(self, form):
        known = {value for value, _label in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Choose courses from the list."))


class CourseForm(BaseForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(), at_most(300)], filters=[no_nul]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), at_most(20000)], filters=[no_nul]
    )
    category = SelectField(_l("Category"), coerce=str, validate_choice=True)
    format = EnumSelectField(
        _l("Format"),
        enum=CourseFormat,
        labels=FORMAT_LABELS,
        validators=[InputRequired()],
    )
    duration_days = DaysField(
        _l("Duration in days"),
        validators=[Optional()],
        description=_l("For example 2 or 0,5. Leave empty if it varies."),
    )
    # Most courses are for both kinds of staff: that is what a new one starts as.
    audience = EnumSelectField(
        _l("Audience"),
        enum=Audience,
        labels=AUDIENCE_LABELS,
        validators=[InputRequired()],
        default=Audience.both.value,
    )
    price_state = AmountField(
        _l("Price for state staff"),
        validators=[InputRequired()],
        description=_l("In kroner, excluding VAT. 0 if free."),
    )
    price_municipal = AmountField(
        _l("Price for municipal staff"),
        validators=[InputRequired()],
        description=_l("In kroner, excluding VAT. 0 if free."),
    )
    prerequisites = CourseChoiceField(
        _l("Prerequisites"),
        coerce=int,
        description=_l("Courses a participant must have completed first."),
    )

    def __init__(self, *args, categories=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("No category"))] + [
            (str(c.id), localised(c)) for c in categories
        ]
        self.prerequisites.choices = [(c.id, c.title) for c in courses]

    def values(self) -> dict:
        """The fields as the course services take them."""
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "format": self.format.member,
            "duration_days": self.duration_days.data,
            "audience": self.audience.member,
            "price_state": self.price_state.data,
            "price_municipal": self.price_municipal.data,
        }


class ConfirmForm(BaseForm):
    """A button that changes state; carries only the CSRF token."""


class ArchiveForm(BaseForm):
    """Take a course out of the catalogue; the reason goes in the record."""

    reason = TextAreaField(
        _l("Why? (optional)"),
        validators=[Optional(), at_most(1000)],
        filters=[no_nul],
    )


class ProviderForm(BaseForm):
    key = StringField(
        _l("Short key"),
        validators=[InputRequired(), at_most(80)],
        filters=[no_nul],
        description=_l("Lower-case letters, digits and dashes, e.g. “via”."),
    )
    name = StringField(
        _l("Name"), validators=[InputRequired(), at_most(200)], filters=[no_nul]
    )
    kind = EnumSelectField(
        _l("Kind of provider"),
        enum=ProviderKind,
        labels=PROVIDER_KIND_LABELS,
        validators=[InputRequired()],
    )
    url = URLField(
        _l("Website"),
        validators=[Optional(), URL(require_tld=False), at_most(500)],
        filters=[no_nul],
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), at_most(5000)], filters=[no_nul]
    )
    default_capacity = CountField(
        _l("Seats per session, unless stated"),
        validators=[InputRequired()],
    )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "kind": self.kind.member,
            "url": self.url.data or "",
            "description": self.description.data or "",
            "default_capacity": self.default_capacity.data,
        }


class MemberForm(BaseForm):
    email = EmailField(
        _l("E-mail of the staff member"),
        validators=[InputRequired(), at_most(254)],
        filters=[no_nul],
    )
