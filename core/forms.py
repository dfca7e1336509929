"""The base form and shared fields; forms validate and never save."""

import flask_babel
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField


class _CatalogueTranslations:
    """WTForms ships no Danish, so its built-in messages go through our own
    catalogue (translations/core) like every other string."""

    def gettext(self, string):
        return flask_babel.gettext(string)

    def ngettext(self, singular, plural, n):
        return flask_babel.ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """All forms carry a CSRF token; errors that belong to no single field go in
    WTForms' own `form_errors` list and are shown at the top of the form."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


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
