"""The base form and shared fields; forms validate and never save."""

import re

import flask_babel
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

# C0 control characters other than tab and line breaks, and DEL. PostgreSQL refuses
# NUL in text outright, and none of them belongs in a name, title or description.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(value):
    """Drop invisible control characters from text typed or pasted into a form."""
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class _CatalogueTranslations:
    """WTForms ships no Danish, so its built-in messages go through our own
    catalogue (translations/core) like every other string."""

    # WTForms fills in %(min)d and the like itself, so the catalogue's raw text is
    # returned; flask_babel's own helpers would format it first and fail.
    def gettext(self, string):
        return flask_babel.get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return flask_babel.get_translations().ungettext(singular, plural, n)


class BaseForm(FlaskForm):
    """All forms carry a CSRF token; errors that belong to no single field go in
    WTForms' own `form_errors` list and are shown at the top of the form."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                filters = [
                    *unbound_field.kwargs.get("filters", ()),
                    without_control_characters,
                ]
                options = {**options, "filters": filters}
            return unbound_field.bind(form=form, **options)


class EnumSelectField(SelectField):
    """A select over an Enum's members, labelled by a {member: label} mapping."""

    def __init__(self, label=None, *, enum, labels, **kwargs):
        self.enum = enum
        choices = [(member.value, labels[member]) for member in enum]
        super().__init__(label, choices=choices, coerce=str, **kwargs)

    def process_data(self, value):
        super().process_data(value.value if isinstance(value, self.enum) else value)

    @property
    def member(self):
        return self.enum(self.data) if self.data else None


REQUIRED = _l("This field is required.")
