"""The requests the table implies for one endpoint and one role, each with the
answer it must get: a role's own objects open; another's, swapped into the
address one id at a time, are refused; a role the table does not name is
refused; nobody signed in is sent to the login page."""

import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.access.objects import PARENTS, Owners, Persona, find, outside, reach
from tests.access.table import entries
from tests.access.vocabulary import SHARED, Access, Kind, Scope, Who

PARAM = re.compile(r"<(?:([^<>:]+):)?([^<>]+)>")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BAD_SECRET = "ingen-adgang-uden-den-rigtige-noegle"


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    expect: str  # open | forbidden | refused | login | bad_key | no_token
    why: str
    data: tuple = ()  # the form, for a POST

    @property
    def form(self) -> dict:
        return dict(self.data)


def holds(p: Persona, scope: Scope) -> bool:
    """Whether `p` has anything in `scope`: a coordinator without a jobcentre
    reaches no jobcentre's objects, a manager without a team no team's."""
    return {
        Scope.own: True,
        Scope.provider: bool(p.provider_ids),
        Scope.team: bool(p.led_team_ids),
        Scope.area: Who.key_person in p.who,
        Scope.jobcentre: p.jobcentre_id is not None,
        Scope.region: bool(p.advised_region_ids),
        Scope.any: True,
    }[scope]


def granted(access: Access, p: Persona) -> Scope | None:
    """The widest scope the grants give `p`; None: the table does not let them in.
    A grant counts by the role held, even with nothing in its scope."""
    scopes = [s for w, s in access.grants.items() if w in p.who]
    held = [s for s in scopes if holds(p, s)]
    return max(held or scopes) if scopes else None


def form_for(access: Access, p: Persona | None, scope: Scope | None) -> tuple:
    """The entry's form as `p` would send it: objects of theirs where they have
    them, else the first of their kind."""
    data = {}
    for name, value in access.form.items():
        if isinstance(value, Kind):
            owners = reach(p, scope) if p is not None and scope else Owners()
            value = find(value, owners) or find(value, Owners())
        elif callable(value):
            value = value()
        data[name] = str(value)
    return tuple(sorted(data.items()))


def methods_of(rule) -> list[str]:
    return [m for m in METHODS if m in rule.methods]


def params_of(rule) -> list[str]:
    return [name for _conv, name in PARAM.findall(rule.rule)]


def literal_values(rule, name: str, access: Access) -> tuple[str, ...]:
    """What to try for a plain parameter: the table's values, else the choices
    of an `any(...)` converter."""
    if name in access.values:
        return access.values[name]
    converter = getattr(rule, "_converters", {}).get(name)
    items = getattr(converter, "items", None)
    return tuple(sorted(items)) if items else ()


def fill(rule, values: dict, query: dict | None = None) -> str:
    """The rule's address with `values`; `query` names those sent after the `?`
    (None: the values the rule's path does not take)."""
    path = PARAM.sub(lambda m: str(values[m.group(2)]), rule.rule)
    if query is None:
        query = {k: v for k, v in values.items() if k not in params_of(rule)}
    return f"{path}?{urlencode(query)}" if query else path


def _literals(rule, access: Access) -> list[dict]:
    names = [n for n in params_of(rule) if n not in access.objects]
    choices = [literal_values(rule, n, access) for n in names]
    return [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)
    ]


class Resolver:
    """Fills an endpoint's object parameters for one person."""

    def __init__(self, access: Access, params: list[str], secret: str):
        self.objects = {n: k for n, k in access.objects.items() if n in params}
        self.objects |= {n: k for n, k in access.query.items() if isinstance(k, Kind)}
        self.secret = secret

    def _parent_param(self, kind: Kind) -> str | None:
        kinds = PARENTS.get(kind, ())
        return next((n for n, k in self.objects.items() if k in kinds), None)

    def with_owners(self, owners: Owners, base: dict | None = None) -> dict | None:
        """Every parameter from `owners`' objects (children under their parent);
        parameters already in `base` are kept."""
        values = dict(base or {})
        for name, kind in sorted(self.objects.items(), key=lambda i: i[1] in PARENTS):
            if name in values:
                continue
            parent = self._parent_param(kind)
            found = find(kind, owners, values.get(parent), secret=self.secret)
            if found is None:
                return None
            values[name] = found
        return values

    def anyones(self) -> dict | None:
        return self.with_owners(Owners())

    def mine(self, p: Persona, scope: Scope) -> dict | None:
        return self.with_owners(reach(p, scope))

    def theirs(self, p: Persona, scope: Scope, mine: dict | None) -> list[tuple]:
        """(values, the parameter changed): another's object in place of one of
        the person's own, one parameter at a time; a child (a plan's goal) is
        tried under another's parent and another's child under the own parent."""
        if scope is Scope.any:
            return []
        found = []
        children = [n for n, k in self.objects.items() if k in PARENTS]
        for name, kind in self.objects.items():
            if kind in SHARED or kind in PARENTS:
                continue
            for other in self._others(kind, p, scope, (mine or {}).get(name)):
                base = {
                    k: v
                    for k, v in (mine or {}).items()
                    if k != name and k not in children
                }
                whole = self.with_owners(Owners(), {**base, name: other})
                if whole:
                    found.append((whole, name))
                if mine and children:
                    found.append(({**mine, name: other}, name))
                    found += [
                        ({**mine, child: whole[child]}, child)
                        for child in children
                        if whole
                    ]
        return found

    def _others(self, kind: Kind, p: Persona, scope: Scope, own) -> list:
        """Up to two objects outside the scope: the nearest, then one far off."""
        others = []
        for owners in outside(p, scope):
            other = find(kind, owners, secret=self.secret)
            if other is not None and other != own and other not in others:
                others.append(other)
            if len(others) == 2:
                break
        return others


def _calls(rule, access: Access, resolver: Resolver, literal: dict, p) -> list[Call]:
    methods = methods_of(rule)
    literal = literal | {
        name: values[0]
        for name, values in access.query.items()
        if not isinstance(values, Kind)
    }
    url = lambda values: fill(rule, {**literal, **values})  # noqa: E731
    anyones = resolver.anyones()
    if anyones is None:
        raise AssertionError(f"{rule.rule}: the demo has nothing to fill it with")
    if access.public:
        return [Call("GET", url(anyones), "open", "public")] if "GET" in methods else []
    scope = granted(access, p) if p is not None and not access.key else None
    data = form_for(access, p, scope)
    if access.bearer:
        return [
            Call(m, url(anyones), "no_token", "a cookie, no token", data)
            for m in methods
        ]

    def each(method_values, expect, why):
        return [
            Call(m, url(v), expect, why, data if m != "GET" else ())
            for m, v in method_values
        ]

    if access.key:
        wrong = {**anyones, access.key: BAD_SECRET}
        calls = each([(m, wrong) for m in methods], "bad_key", "a wrong secret")
        if "GET" in methods:
            calls.append(Call("GET", url(anyones), "open", "the secret"))
        return calls
    if p is None:
        return each([(m, anyones) for m in methods], "login", "signed out")
    if scope is None:
        values = resolver.mine(p, Scope.own) or anyones
        expect = "refused" if resolver.objects else "forbidden"
        return each([(m, values) for m in methods], expect, "a role not in the table")
    calls = []
    # With nothing in the scope (a coordinator without a jobcentre) the table does
    # not say what the page shows, only that another's objects stay closed.
    mine = resolver.mine(p, scope) if holds(p, scope) else None
    if mine is not None and "GET" in methods:
        calls.append(Call("GET", url(mine), "open", f"their own ({scope.name})"))
        if any(isinstance(k, Kind) for k in access.query.values()):
            plain = {k: v for k, v in mine.items() if k not in access.query}
            calls.append(Call("GET", url(plain), "open", "their own, unnamed"))
    for values, changed in resolver.theirs(p, scope, mine):
        calls += each([(m, values) for m in methods], "refused", f"another's {changed}")
    return calls


def calls_for(app, endpoint: str, p: Persona | None, secret: str) -> list[Call]:
    """Every request the table implies for `endpoint` and `p` (None: signed out)."""
    rules = list(app.url_map.iter_rules(endpoint))
    found: list[Call] = []
    for access in entries(endpoint):
        for rule in rules:
            resolver = Resolver(access, params_of(rule), secret)
            for literal in _literals(rule, access):
                found += _calls(rule, access, resolver, literal, p)
    return list(dict.fromkeys(found))
