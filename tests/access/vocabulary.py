"""The words of the permission table (table.py): who a grant names, whose objects
it reaches, what an id names, and the entries built from them."""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from core.clock import today


class Who(enum.Enum):
    """Who a grant names: anyone signed in, a role, or a link that acts as one."""

    anyone = "anyone"
    employee = "employee"
    manager = "manager"  # leading a team (or deputising)
    coordinator = "coordinator"
    provider_staff = "provider_staff"
    admin = "admin"
    adviser = "adviser"  # a coordinator linked to a region (seed 002)
    key_person = "key_person"  # appointed for a specialist area


class Scope(enum.IntEnum):
    """Whose objects a grant reaches, narrowest first."""

    own = 1
    provider = 2  # the providers the person works for
    team = 3  # the teams the person leads
    area = 4  # the specialist area the person is key person for
    jobcentre = 5  # the person's jobcentre and its teams
    region = 6  # the regions the person advises
    any = 9


class Kind(enum.Enum):
    """What an id in an address or a form names; objects.py finds them."""

    person = "person"
    unit = "unit"  # a jobcentre or a team
    jobcentre = "jobcentre"
    team = "team"
    booking = "booking"
    internal_booking = "internal_booking"  # a learner's booking of an internal offer
    hosted_booking = "hosted_booking"  # a booking of an offer the person hosts
    offer = "offer"
    plan = "plan"  # a person's development plan
    unit_plan = "unit_plan"
    plan_to_decide = "plan_to_decide"  # submitted, waiting for the manager
    unit_plan_to_decide = "unit_plan_to_decide"
    plan_to_edit = "plan_to_edit"  # a draft, or returned
    unit_plan_to_edit = "unit_plan_to_edit"
    goal = "goal"  # of the plan in the same address
    activity = "activity"  # of the plan in the same address
    # an activity of an approved plan naming the person as the colleague who leads it
    led_activity = "led_activity"
    notification = "notification"
    mentor_request = "mentor_request"
    provider = "provider"
    course = "course"
    course_session = "course_session"
    meeting = "meeting"
    calendar_import = "calendar_import"  # of the provider in the same address
    provider_token = "provider_token"  # an API token of the provider in the address
    api_token = "api_token"  # a person's own API token
    directory_token = "directory_token"  # the organisation's SCIM token
    diploma = "diploma"
    module = "module"
    competence = "competence"
    competence_area = "competence_area"
    profile = "profile"
    feed_secret = "feed_secret"
    knowledge_feed_secret = "knowledge_feed_secret"  # a private feed address
    password_token = "password_token"
    key_person = "key_person"  # an appointment, of a jobcentre
    specialist_function = "specialist_function"  # a region's, for one area
    knowledge_item = "knowledge_item"  # a published one, owned by its author
    knowledge_document = "knowledge_document"  # a published document
    # a course linked to the ethnic minorities area (the demo key person's)
    area_course = "area_course"


# Objects shared by everyone who may use the route: no one owns them.
SHARED = frozenset(
    {
        Kind.diploma,
        Kind.module,
        Kind.competence,
        Kind.competence_area,
        Kind.profile,
        Kind.specialist_function,
        Kind.area_course,
        Kind.directory_token,
    }
)


@dataclass(frozen=True)
class Field:
    """A form field that names an object, as the page's form sends it: changing
    it to another's object must be refused. `page` is the GET endpoint showing
    the form, `sample` the values a person would type besides the defaults."""

    name: str
    kind: Kind
    page: str
    sample: dict = field(default_factory=dict)
    scope: Scope | None = None  # else the grant's scope


@dataclass(frozen=True)
class Access:
    grants: MappingProxyType  # Who -> Scope; empty for public and token routes
    objects: MappingProxyType  # URL parameter -> Kind
    values: MappingProxyType  # plain URL parameter -> values to try
    public: bool = False
    key: str | None = None  # the parameter whose secret opens the route
    bearer: bool = False  # a bearer token opens it; a cookie never does
    fields: tuple[Field, ...] = ()
    # Query-string parameters: an object of a Kind (tried as another's too) or
    # the values to send, e.g. {"team": Kind.unit, "budget": ("100000",)}.
    query: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # What a person would send to the route (POST): text, an object of a Kind
    # (the person's own), or a callable giving a value on the day of the test.
    form: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def _access(
    grants,
    params: dict,
    *,
    fields=(),
    form=None,
    query=None,
    public=False,
    key=None,
    bearer=False,
) -> Access:
    objects = {k: v for k, v in params.items() if isinstance(v, Kind)}
    values = {k: tuple(v) for k, v in params.items() if not isinstance(v, Kind)}
    return Access(
        MappingProxyType(dict(grants or {})),
        MappingProxyType(objects),
        MappingProxyType(values),
        public=public,
        key=key,
        bearer=bearer,
        fields=tuple(fields),
        form=MappingProxyType(dict(form or {})),
        query=MappingProxyType(dict(query or {})),
    )


def public(*, form=None, **params) -> Access:
    """Anyone, signed in or not."""
    return _access(None, params, public=True, form=form)


def by_token(param: str, *, form=None, **params) -> Access:
    """Anyone holding the secret in `param`; a wrong secret opens nothing."""
    return _access(None, params, key=param, form=form)


def bearer(**params) -> Access:
    """Systems with a bearer token (the API, the directory's SCIM): no cookie
    opens it, so everyone, signed in or not, gets 401. What each token may do is
    tested with tokens in tests/api and tests/core/scim."""
    return _access(None, params, bearer=True)


def signed_in(scope: Scope = Scope.any, *, form=None, **params) -> Access:
    """Everyone signed in, on objects within `scope`."""
    return _access({Who.anyone: scope}, params, form=form)


def allow(grants: dict, *, fields=(), form=None, query=None, **params) -> Access:
    """The roles in `grants`, each on objects within its scope."""
    return _access(grants, params, fields=fields, form=form, query=query)


def day(offset: int = 0) -> Callable[[], str]:
    """A date `offset` days from the product's today, as a date field sends it."""
    return lambda: (today() + timedelta(days=offset)).isoformat()


def this_year() -> str:
    return str(today().year)
