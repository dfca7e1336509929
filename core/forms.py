"""The base form and shared fields; forms validate and never save."""

import re
from decimal import Decimal

import flask_babel
from babel.lists import format_list
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.core import UnboundField

from core import kept_form_views, kept_forms
from core.extensions import current_locale
from core.numbers import (
    DAYS,
    PRICE,
    SEATS,
    YEAR,
    AmbiguousNumberError,
    Bounds,
    NumberError,
    parse_number,
)

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
    WTForms' own `form_errors` list and are shown at the top of the form. A form
    whose page expired before it was sent comes back filled in
    (core.kept_form_views)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kept_forms.NEVER_KEPT.update(
            name
            for name, value in vars(cls).items()
            if isinstance(value, UnboundField)
            and issubclass(value.field_class, PasswordField)
        )

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()

        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None and request:
                return kept_form_views.answers_for(form)
            return wrapped

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


class NumberField(StringField):
    """A number inside `bounds`, typed the Danish way ('1.500,50', '1 250,50',
    'kr. 1.250') or plainly ('1500.50'). Anything else, NaN, '1e309' and 400
    digits included, is a form error that names the allowed range, and a text
    that reads two ways ('1,500') also says how; it never reaches the database.

    The subclasses differ in wording and display only: parsing is
    core.numbers.parse_number, for every numeric field of every form."""

    message = _l("Enter a number from %(min)s to %(max)s, e.g. 2 or 0,5.")
    ambiguous = _l(
        'Write the number unambiguously: "%(text)s" can be read as %(readings)s.'
    )

    def __init__(self, label=None, validators=None, *, bounds: Bounds, **kwargs):
        self.bounds = bounds
        if bounds.places == 0:
            kwargs["render_kw"] = {
                "inputmode": "numeric",
                **kwargs.get("render_kw", {}),
            }
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not posted at all: keep the object's value, as WTForms does
        self.data = None
        if not valuelist[0].strip():
            return
        try:
            number = self.bounds.check(parse_number(valuelist[0]))
        except AmbiguousNumberError as exc:
            raise ValueError(
                f"{self.readings_message(exc)} {self.range_message()}"
            ) from exc
        except NumberError as exc:
            raise ValueError(self.range_message()) from exc
        self.data = int(number) if self.bounds.places == 0 else number

    def range_message(self) -> str:
        return str(self.message) % {
            "min": self.shown_bound(self.bounds.minimum),
            "max": self.shown_bound(self.bounds.maximum),
        }

    def readings_message(self, exc: AmbiguousNumberError) -> str:
        """How an ambiguous text could be read, in the reader's own notation."""
        readings = [flask_babel.format_decimal(number) for number in exc.readings]
        locale = current_locale()
        return str(self.ambiguous) % {
            "text": exc.text,
            "readings": format_list(readings, style="or", locale=locale),
        }

    def shown_bound(self, number: Decimal) -> str:
        return flask_babel.format_decimal(number, format="#,##0.##")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self.shown(Decimal(self.data)).replace(".", ",")

    def shown(self, number: Decimal) -> str:
        """The stored value as the form shows it again (parsed back unchanged)."""
        return format(number.normalize(), "f")


class CountField(NumberField):
    """A whole number of something, seats by default."""

    message = _l("Enter a whole number from %(min)s to %(max)s.")

    def __init__(self, label=None, validators=None, *, bounds=SEATS, **kwargs):
        super().__init__(label, validators, bounds=bounds, **kwargs)

    def shown(self, number: Decimal) -> str:
        return str(int(number))


class AmountField(NumberField):
    """An amount in kroner, a price per participant by default."""

    message = _l(
        "Enter an amount in kroner from %(min)s to %(max)s, e.g. 1500 or 1.500,50."
    )

    def __init__(self, label=None, validators=None, *, bounds=PRICE, **kwargs):
        super().__init__(label, validators, bounds=bounds, **kwargs)

    def shown(self, number: Decimal) -> str:
        return f"{number:.2f}"


class DaysField(NumberField):
    """A length in days, to the half or tenth of a day."""

    def __init__(self, label=None, validators=None, *, bounds=DAYS, **kwargs):
        super().__init__(label, validators, bounds=bounds, **kwargs)


class YearField(CountField):
    """A calendar year, written without a thousands separator."""

    message = _l("Enter a year from %(min)s to %(max)s.")

    def __init__(self, label=None, validators=None, *, bounds=YEAR, **kwargs):
        super().__init__(label, validators, bounds=bounds, **kwargs)

    def shown_bound(self, number: Decimal) -> str:
        return str(int(number))


REQUIRED = _l("This field is required.")
