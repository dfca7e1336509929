"""DomainError: a code to match on, a field to show it beside, a message in Danish."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from core.errors import DomainError

# A message the bookings catalogue already translates, so the Danish is known.
CLASH = (
    "The session's course days overlap your booking of %(course)s on "
    "%(when)s (%(status)s)."
)


class ExampleError(DomainError):
    messages = {"too_many": _l(CLASH)}


def _params(course: str) -> dict:
    return {"course": course, "when": "7. december 2026", "status": "bekræftet"}


class ExampleForm(FlaskForm):
    title = StringField()


def test_the_message_is_danish_outside_a_request_and_filled_in(app):
    error = ExampleError("too_many", **_params("Samtaleteknik"))
    assert error.code == "too_many"
    assert "Samtaleteknik" in str(error)
    assert str(error).startswith("Holdet")  # the Danish catalogue's text


def test_an_unknown_code_says_its_code(app):
    assert str(ExampleError("unheard_of")) == "unheard_of"


def test_the_message_lands_beside_its_field_or_above_the_form(app):
    with app.test_request_context(method="POST", data={"title": "x"}):
        form = ExampleForm(meta={"csrf": False})
        assert form.validate()
        ExampleError("too_many", field="title", **_params("A")).add_to(form)
        ExampleError("too_many", **_params("B")).add_to(form)
        assert len(form.title.errors) == 1
        assert "A" in form.title.errors[0]
        assert len(form.form_errors) == 1
