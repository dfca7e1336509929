"""Every numeric field of every form refuses what its column cannot hold, and more:
the form comes back with a Danish message beside the field, and nothing is written.

The forms are found by importing the packages, their numeric fields by type and by
name against the models' numeric columns; the table below says where each form is
posted, and a test fails when a form with a number in it is missing from it."""

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField, SelectFieldBase
from wtforms.fields import DecimalRangeField, IntegerRangeField
from wtforms.fields.core import UnboundField

import core
import courses
import learning
from core.clock import today
from core.db import db, utcnow
from core.forms import NumberField
from core.numbers import INT4_MAX
from core.people.advisers import set_adviser
from core.people.models import UnitKind
from courses.sessions.models import CourseSession
from learning.competences import services as framework
from learning.competences.models import CompetenceKind, Layer
from learning.plans import services as plans
from tests.courses.catalogue.factories import (
    make_course,
    make_provider,
    make_session,
    working_day,
)
from tests.learning.reports.purchase.factories import ask_plan, request_plan

NUMBER_TYPES = (
    NumberField,
    IntegerField,
    DecimalField,
    FloatField,
    IntegerRangeField,
    DecimalRangeField,
)


def _app_forms() -> set[type]:
    """The forms of every forms.py, and those the app's views define themselves."""
    importlib.import_module("wsgi")
    for package in (core, courses, learning):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.rsplit(".", 1)[-1] == "forms":
                importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in ("core", "courses", "learning"):
                found.add(sub)
    return found


def _numeric_columns() -> dict[str, list[sa.Column]]:
    columns: dict[str, list[sa.Column]] = {}
    for table in db.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, sa.Integer | sa.Numeric) and not (
                column.primary_key or column.foreign_keys
            ):
                columns.setdefault(column.name, []).append(column)
    return columns


def _numeric_fields(form_class: type) -> dict[str, UnboundField]:
    """Fields typed as numbers, and text fields named like a numeric column."""
    columns = _numeric_columns()
    fields = {}
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField):
            continue
        kind = unbound.field_class
        if issubclass(kind, NUMBER_TYPES) or (
            name in columns and not issubclass(kind, SelectFieldBase)
        ):
            fields[name] = unbound
    return fields


FORMS = {form: fields for form in _app_forms() if (fields := _numeric_fields(form))}
BY_NAME = {form.__name__: form for form in FORMS}


def _column_maximum(column: sa.Column) -> Decimal:
    if isinstance(column.type, sa.Numeric):
        precision, scale = column.type.precision or 12, column.type.scale or 0
        return Decimal(10) ** (precision - scale) - Decimal(10) ** -scale
    return Decimal(INT4_MAX)


def _maximum(name: str, unbound: UnboundField) -> Decimal:
    if "bounds" in unbound.kwargs:
        return unbound.kwargs["bounds"].maximum
    default = unbound.field_class.__init__.__kwdefaults__ or {}
    if "bounds" in default:
        return default["bounds"].maximum
    # A field that declares no range: the most its column can hold.
    columns = _numeric_columns().get(name, [])
    return min((_column_maximum(c) for c in columns), default=Decimal(INT4_MAX))


# --- Where each form is posted, by whom, with otherwise valid data --------------

COURSE = {
    "title": "Kursus i tal",
    "description": "",
    "category": "",
    "format": "online",
    "duration_days": "1,5",
    "audience": "both",
    "price_state": "0",
    "price_municipal": "1.500,50",
}
SESSION = {
    "capacity": "16",
    "min_participants": "2",
    "price_state": "",
    "price_municipal": "",
    "booking_deadline": "",
    "cancellation_deadline": "",
    "location": "Odense",
    "online_url": "",
    "status": "open",
}
PROVIDER = {
    "key": "talskolen",
    "name": "Talskolen",
    "kind": "university_college",
    "url": "",
    "description": "",
    "default_capacity": "25",
}


def _staff_provider(login_as):
    return make_provider(login_as("provider_staff"))


def new_course(login_as, create_user, create_unit):
    provider = _staff_provider(login_as)
    return f"/udbyder/{provider.id}/kurser/nyt", COURSE


def edit_course(login_as, create_user, create_unit):
    course = make_course(_staff_provider(login_as))
    return f"/kurser/{course.id}/rediger", COURSE


def new_session(login_as, create_user, create_unit):
    course = make_course(_staff_provider(login_as))
    meeting = {"day": working_day(40).isoformat(), "start": "09:00", "end": "15:00"}
    return f"/kurser/{course.id}/hold/nyt", SESSION | meeting


def edit_session(login_as, create_user, create_unit):
    course_session = make_session(make_course(_staff_provider(login_as)))
    return f"/hold/{course_session.id}/rediger", SESSION


def new_provider(login_as, create_user, create_unit):
    login_as("admin")
    return "/udbydere/ny", PROVIDER


def edit_provider(login_as, create_user, create_unit):
    login_as("admin")
    return f"/udbydere/{make_provider().id}", PROVIDER


def set_budget(login_as, create_user, create_unit):
    team = create_unit(UnitKind.team)
    login_as(create_user("coordinator", team=team))
    return "/budgetter/", {"unit": str(team.id), "year": utcnow().year, "amount": "5"}


def new_offer(login_as, create_user, create_unit):
    framework.get_scale()
    area = framework.save_area(None, None, code="FIRM", title="Virksomhedskontakt")
    competence = framework.save_competence(
        None,
        None,
        code="S-VK1",
        title="Kan opsøge og servicere virksomheder",
        kind=CompetenceKind.action,
        layer=Layer.specific,
        area=area,
    )
    login_as("employee")
    return "/intern-laering/ny", {
        "kind": "peer_session",
        "title": "Sparring om virksomhedsbesøg",
        "competences": [str(competence.id)],
        "capacity": "4",
        "day_1": working_day(20).isoformat(),
        "start": "13:00",
        "end": "15:00",
        "location": "Mødelokale 3",
    }


def add_plan_activity(login_as, create_user, create_unit):
    """An activity of a region's advisory project, which counts participants."""
    region = create_unit(UnitKind.region)
    jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    adviser = login_as("coordinator")
    set_adviser(adviser, region)
    starts_on, ends_on = plans.period_containing(today())
    plan = plans.create_unit_plan(
        adviser,
        jobcentre,
        title="Netværk for unge",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    db.session.commit()
    return f"/planer/{plan.id}/aktiviteter", {
        "kind": "seminar",
        "title": "Seminar om unge i job",
        "cost": "1.250,50",
        "funding": "budget",
        "participants": "12",
    }


def filter_audit_trail(login_as, create_user, create_unit):
    """The administrator's audit trail, filtered by an object's number (a GET)."""
    login_as("admin")
    return "/admin/revisionsspor", {"object_type": "users", "object_id": "1"}


filter_audit_trail.method = "GET"


ROUTES: dict[str, tuple[Callable, ...]] = {
    "CourseForm": (new_course, edit_course),
    "NewSessionForm": (new_session,),
    "SessionForm": (edit_session,),
    "ProviderForm": (new_provider, edit_provider),
    "BudgetForm": (set_budget,),
    "OfferForm": (new_offer,),
    "ActivityForm": (add_plan_activity,),
    "PlanQueryForm": (ask_plan,),
    "AuditFilterForm": (filter_audit_trail,),
    "RequestSeatsForm": (request_plan,),
}


def _send(client, route: Callable, path: str, data: dict):
    """Post the form, or ask with it where it is a question read from the query
    string (the route's `method` is "GET"); valid data gives 200 there, not 302."""
    if getattr(route, "method", "POST") == "GET":
        return client.get(path, query_string=data)
    return client.post(path, data=data)


@dataclass(frozen=True)
class Post:
    route: Callable
    field: str
    maximum: Decimal

    def __str__(self):
        return f"{self.route.__name__}-{self.field}"


POSTS = [
    Post(route, name, _maximum(name, unbound))
    for form_name, routes in sorted(ROUTES.items())
    if form_name in BY_NAME
    for route in routes
    for name, unbound in sorted(_numeric_fields(BY_NAME[form_name]).items())
]


def test_every_form_with_a_number_is_posted_here():
    assert len(BY_NAME) == len(FORMS), "two forms with a number share a name"
    missing = sorted(set(BY_NAME) - set(ROUTES))
    assert not missing, f"add where these forms are posted to ROUTES: {missing}"
    assert not set(ROUTES) - set(BY_NAME), "ROUTES names a form without numbers"
    assert len(POSTS) >= 15


def test_every_number_field_is_the_shared_field_and_fits_its_column():
    for form, fields in FORMS.items():
        for name, unbound in fields.items():
            assert issubclass(unbound.field_class, NumberField), (form, name)
            bounds = (
                unbound.kwargs.get("bounds")
                or (unbound.field_class.__init__.__kwdefaults__["bounds"])
            )
            for column in _numeric_columns().get(name, []):
                assert bounds.minimum >= 0 or not isinstance(column.type, sa.Numeric)
                assert bounds.maximum <= _column_maximum(column), (form, name)
                if isinstance(column.type, sa.Numeric):
                    assert bounds.places <= (column.type.scale or 0), (form, name)


@pytest.mark.parametrize("route", sorted({p.route for p in POSTS}, key=str))
def test_the_data_posted_is_otherwise_valid(
    client, login_as, create_user, create_unit, route
):
    path, data = route(login_as, create_user, create_unit)
    valid = 200 if getattr(route, "method", "POST") == "GET" else 302
    assert _send(client, route, path, data).status_code == valid


class FieldError(HTMLParser):
    """The text of the error shown beside one field (id '<field>-error')."""

    def __init__(self, field: str):
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.text = f"{field}-error", 0, ""

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth:
            self.text += data


def _error_beside(page: str, field: str) -> str:
    parser = FieldError(field)
    parser.feed(page)
    return " ".join(parser.text.split())


def _database() -> dict[str, list]:
    db.session.expire_all()
    return {
        table.name: sorted(
            (tuple(map(repr, row)) for row in db.session.execute(sa.select(table))),
        )
        for table in db.metadata.sorted_tables
    }


def _danish(number: Decimal) -> str:
    """The number as the message may write it: '1.000.000' or '2100'."""
    whole = f"{int(number):,}".replace(",", ".")
    return f"({re.escape(whole)}|{int(number)})"


@pytest.mark.parametrize("post", POSTS, ids=str)
def test_bad_numbers_get_a_danish_message_beside_the_field(
    client, login_as, create_user, create_unit, post
):
    path, data = post.route(login_as, create_user, create_unit)
    before = _database()
    for value in (str(post.maximum + 1), "-1", "1e309", "NaN", "9" * 400):
        response = _send(client, post.route, path, data | {post.field: value})
        assert response.status_code in (200, 400, 422), (value, response.status_code)
        message = _error_beside(response.text, post.field)
        assert re.search(rf"Skriv .* fra .* til {_danish(post.maximum)}", message), (
            value,
            message,
        )
        assert _database() == before, value


def test_danish_numbers_are_read_as_danes_write_them(
    client, login_as, create_user, create_unit
):
    path, data = new_session(login_as, create_user, create_unit)
    danish = {
        "capacity": "1.000",
        "price_state": "1.250,50",
        "price_municipal": "250.000",
    }
    assert client.post(path, data=data | danish).status_code == 302
    stored = db.session.scalar(sa.select(CourseSession))
    assert stored.capacity == 1000
    assert stored.price_state == Decimal("1250.50")
    assert stored.price_municipal == Decimal("250000.00")


def test_a_number_that_reads_two_ways_is_refused(
    client, login_as, create_user, create_unit
):
    path, data = new_session(login_as, create_user, create_unit)
    response = client.post(path, data=data | {"price_state": "1,500"})
    assert response.status_code == 400
    assert "Skriv et beløb i kroner fra 0 til 1.000.000" in _error_beside(
        response.text, "price_state"
    )
    assert db.session.scalar(sa.select(sa.func.count(CourseSession.id))) == 0
