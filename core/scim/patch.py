"""PATCH (RFC 7644 3.5.2) on a resource's writable attributes as a dict: the
result is then written like a PUT, so one set of rules checks both."""

import copy
import re

from flask_babel import gettext as _

from core.scim import filters
from core.scim.errors import ScimError

_PATH = re.compile(
    r"(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>.*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?",
    re.DOTALL,
)


def bad_path(detail: str | None = None) -> ScimError:
    return ScimError(
        400, detail or _("The path of the change is not valid."), "invalidPath"
    )


def no_target() -> ScimError:
    return ScimError(400, _("The change names nothing to change."), "noTarget")


class Shape:
    """What PATCH needs to know of a resource type: its core schema, its
    extension (if any) and their attributes, and which are multi-valued."""

    def __init__(
        self,
        core: str,
        attributes: list[str],
        multi: set[str],
        read_only: set[str],
        extension: str | None = None,
        extension_attributes: list[str] = (),
    ):
        self.core = core
        self.names = {name.lower(): name for name in attributes}
        self.multi = multi
        self.read_only = read_only
        self.extension = extension
        self.extension_names = {name.lower(): name for name in extension_attributes}

    def canonical(self, name: str, *, in_extension: bool = False) -> str:
        names = self.extension_names if in_extension else self.names
        found = names.get(name.lower())
        if found is None:
            raise bad_path(_("The resource has no attribute '%(name)s'.", name=name))
        if not in_extension and found in self.read_only:
            raise ScimError(
                400,
                _("The attribute '%(name)s' cannot be changed.", name=found),
                "mutability",
            )
        return found


def _split(path: str, shape: Shape):
    """(in_extension, attribute or None for the whole extension, filter, sub)."""
    text = path.strip()
    in_extension = False
    if shape.extension and text.lower().startswith(shape.extension.lower()):
        rest = text[len(shape.extension) :]
        if not rest:
            return True, None, None, None
        if rest[0] != ":":
            raise bad_path()
        in_extension, text = True, rest[1:]
    elif text.lower().startswith(shape.core.lower() + ":"):
        text = text[len(shape.core) + 1 :]
    match = _PATH.fullmatch(text)
    if match is None:
        raise bad_path()
    attribute = shape.canonical(match["attr"], in_extension=in_extension)
    tree = filters.parse(match["filter"]) if match["filter"] is not None else None
    return in_extension, attribute, tree, match["sub"]


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict) and "value" in a and "value" in b:
        return str(a["value"]).lower() == str(b["value"]).lower()
    return a == b


def _extend(existing: list, values) -> list:
    values = values if isinstance(values, list) else [values]
    result = list(existing)
    for value in values:
        for i, item in enumerate(result):
            if _same(item, value):
                result[i] = value
                break
        else:
            result.append(value)
    return result


def _key(container: dict, name: str) -> str | None:
    return next((k for k in container if k.lower() == name.lower()), None)


def _set_sub(item: dict, sub: str, value) -> None:
    item[_key(item, sub) or sub] = value


def _merge_top(doc: dict, value, shape: Shape, op: str) -> None:
    if not isinstance(value, dict):
        raise ScimError(
            400, _("The change needs an object of attributes."), "invalidValue"
        )
    for name, item in value.items():
        if name.lower() in ("schemas", "id", "meta"):
            continue
        if shape.extension and name.lower().startswith(shape.extension.lower()):
            if name.lower() == shape.extension.lower():
                _apply_one(doc, op, shape.extension, item, shape)
            else:
                _apply_one(doc, op, name, item, shape)
            continue
        _apply_one(doc, op, name, item, shape)


def _apply_one(doc: dict, op: str, path: str, value, shape: Shape) -> None:
    in_extension, attribute, tree, sub = _split(path, shape)
    if attribute is None:  # the whole extension
        if op == "remove":
            doc.pop(shape.extension, None)
        elif not isinstance(value, dict):
            raise ScimError(
                400, _("The change needs an object of attributes."), "invalidValue"
            )
        else:
            values = {
                shape.canonical(k, in_extension=True): v
                for k, v in value.items()
                if k.lower() != "schemas"
            }
            if op == "replace":
                doc[shape.extension] = values
            else:
                doc.setdefault(shape.extension, {}).update(values)
        return
    if in_extension:
        container = (
            doc.setdefault(shape.extension, {})
            if op != "remove"
            else doc.get(shape.extension, {})
        )
    else:
        container = doc
    multi = not in_extension and attribute in shape.multi
    current = container.get(attribute)

    if tree is None and sub is None:
        if op == "remove":
            if multi and value is not None:
                removing = value if isinstance(value, list) else [value]
                container[attribute] = [
                    item
                    for item in current or []
                    if not any(_same(item, r) for r in removing)
                ]
            else:
                container.pop(attribute, None)
        elif multi:
            values = value if isinstance(value, list) else [value]
            container[attribute] = (
                _extend(current or [], values) if op == "add" else list(values)
            )
        elif isinstance(value, dict) and isinstance(current, dict) and op == "add":
            current.update(value)
        else:
            container[attribute] = value
        return

    if not multi:
        if tree is not None:
            raise bad_path()
        # name.givenName: a sub-attribute of a single complex attribute.
        if op == "remove":
            if isinstance(current, dict):
                current.pop(_key(current, sub) or sub, None)
        else:
            container.setdefault(attribute, {})
            _set_sub(container[attribute], sub, value)
        return

    items = current or []
    chosen = [item for item in items if tree is None or filters.matches(tree, item)]
    if op == "remove":
        if sub is None:
            container[attribute] = [item for item in items if item not in chosen]
        else:
            for item in chosen:
                item.pop(_key(item, sub) or sub, None)
        return
    if not chosen:
        # emails[type eq "work"].value on a person without one: make it, as
        # directories expect.
        if isinstance(tree, filters.Compare) and tree.op == "eq":
            made = {tree.path: tree.value}
            if sub is None:
                if not isinstance(value, dict):
                    raise no_target()
                made.update(value)
            else:
                made[sub] = value
            container[attribute] = [*items, made]
            return
        if tree is not None:
            raise no_target()
        container[attribute] = [{sub: value}]
        return
    for item in chosen:
        if sub is None:
            if not isinstance(value, dict):
                raise ScimError(
                    400, _("The change needs an object of attributes."), "invalidValue"
                )
            item.update(value)
        else:
            _set_sub(item, sub, value)


def apply(doc: dict, body, shape: Shape) -> dict:
    """`doc` (not changed) with the body's operations applied, in order."""
    if not isinstance(body, dict):
        raise ScimError(400, _("The request could not be read."), "invalidSyntax")
    operations = next((v for k, v in body.items() if k.lower() == "operations"), None)
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, _("The change lists no operations."), "invalidSyntax")
    result = copy.deepcopy(doc)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, _("The request could not be read."), "invalidSyntax")
        fields = {k.lower(): v for k, v in operation.items()}
        op = str(fields.get("op", "")).lower()
        if op not in ("add", "remove", "replace"):
            raise ScimError(
                400, _("An operation is add, remove or replace."), "invalidSyntax"
            )
        path = fields.get("path")
        value = fields.get("value")
        if path is None or path == "":
            if op == "remove":
                raise no_target()
            _merge_top(result, value, shape, op)
        elif not isinstance(path, str):
            raise bad_path()
        else:
            if op != "remove" and "value" not in fields:
                raise ScimError(400, _("The change has no value."), "invalidValue")
            _apply_one(result, op, path, value, shape)
    return result
