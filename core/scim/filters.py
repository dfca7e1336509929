"""SCIM filters (RFC 7644 3.4.2.2): parsed to a small tree, then turned into SQL
for a listing or tested against a multi-valued attribute's values in a PATCH
path. Unsupported or malformed filters raise ScimError 400 invalidFilter."""

import json
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from core.scim.errors import ScimError

OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"}
MAX_LENGTH = 1000

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\() | (?P<close>\)) | (?P<lbracket>\[) | (?P<rbracket>\])
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<word>[A-Za-z0-9_$:.\-]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Compare:
    path: str  # as written, e.g. 'userName', 'emails.value', 'urn:...:department'
    op: str
    value: object = None


@dataclass(frozen=True)
class Logical:
    op: str  # 'and' or 'or'
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    inner: object


@dataclass(frozen=True)
class ValuePath:
    """attr[filter]: some value of the multi-valued `path` matches `inner`."""

    path: str
    inner: object


def invalid(detail: str | None = None) -> ScimError:
    return ScimError(
        400, detail or _("The filter could not be understood."), "invalidFilter"
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise invalid()
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid()
        self.at += 1
        return token

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() in words:
            self.at += 1
            return token[1].lower()
        return None

    def parse(self):
        tree = self.disjunction()
        if self.peek() is not None:
            raise invalid()
        return tree

    def disjunction(self):
        tree = self.conjunction()
        while self.keyword("or"):
            tree = Logical("or", tree, self.conjunction())
        return tree

    def conjunction(self):
        tree = self.factor()
        while self.keyword("and"):
            tree = Logical("and", tree, self.factor())
        return tree

    def factor(self):
        if self.keyword("not"):
            if self.take()[0] != "open":
                raise invalid()
            inner = self.disjunction()
            if self.take()[0] != "close":
                raise invalid()
            return Not(inner)
        kind, text = self.take()
        if kind == "open":
            inner = self.disjunction()
            if self.take()[0] != "close":
                raise invalid()
            return inner
        if kind != "word":
            raise invalid()
        if self.peek() and self.peek()[0] == "lbracket":
            self.take()
            inner = self.disjunction()
            if self.take()[0] != "rbracket":
                raise invalid()
            return ValuePath(text, inner)
        op_kind, op = self.take()
        op = op.lower()
        if op_kind != "word" or op not in OPERATORS:
            raise invalid()
        if op == "pr":
            return Compare(text, op)
        return Compare(text, op, _value(self.take()))


def _value(token: tuple[str, str]):
    kind, text = token
    if kind == "string":
        try:
            return json.loads(text)
        except ValueError:
            raise invalid() from None
    if kind == "word":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise invalid() from None
    raise invalid()


def parse(text: str):
    """The tree of a filter, or ScimError 400 invalidFilter."""
    if not text or not text.strip() or len(text) > MAX_LENGTH:
        raise invalid()
    return _Parser(text).parse()


def _fold(value):
    return value.lower() if isinstance(value, str) else value


def matches(tree, item: dict) -> bool:
    """Whether one value of a multi-valued complex attribute (a dict) matches."""
    if isinstance(tree, Logical):
        if tree.op == "and":
            return matches(tree.left, item) and matches(tree.right, item)
        return matches(tree.left, item) or matches(tree.right, item)
    if isinstance(tree, Not):
        return not matches(tree.inner, item)
    if not isinstance(tree, Compare):
        raise invalid()
    if not isinstance(item, dict):
        return False
    found = next((v for k, v in item.items() if k.lower() == tree.path.lower()), None)
    if tree.op == "pr":
        return found not in (None, "", [], {})
    left, right = _fold(found), _fold(tree.value)
    if tree.op == "eq":
        return left == right
    if tree.op == "ne":
        return left != right
    if not isinstance(left, str) or not isinstance(right, str):
        if tree.op in ("co", "sw", "ew") or left is None:
            return False
        try:
            return {
                "gt": left > right,
                "ge": left >= right,
                "lt": left < right,
                "le": left <= right,
            }[tree.op]
        except TypeError:
            raise invalid() from None
    return {
        "co": right in left,
        "sw": left.startswith(right),
        "ew": left.endswith(right),
        "gt": left > right,
        "ge": left >= right,
        "lt": left < right,
        "le": left <= right,
    }[tree.op]


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_sql(tree, columns: dict):
    """The SQL condition of a filter. `columns` maps each filterable attribute
    path (lower-cased) to (expression, kind), kind 'text' (not case-exact),
    'exact' (case-exact text) or 'boolean'; or to a callable taking the
    Compare and answering the condition."""

    if isinstance(tree, Logical):
        join = sa.and_ if tree.op == "and" else sa.or_
        return join(to_sql(tree.left, columns), to_sql(tree.right, columns))
    if isinstance(tree, Not):
        return sa.not_(to_sql(tree.inner, columns))
    if isinstance(tree, ValuePath):
        return to_sql(_prefixed(tree.inner, tree.path), columns)
    target = columns.get(tree.path.lower())
    if target is None:
        raise invalid(_("The filter names an attribute that cannot be filtered on."))
    if callable(target):
        return target(tree)
    column, kind = target
    return compare(column, kind, tree)


def compare(column, kind: str, tree: Compare):

    if tree.op == "pr":
        present = column.is_not(None)
        return sa.and_(present, column != "") if kind != "boolean" else present
    value = tree.value
    if kind == "boolean":
        if not isinstance(value, bool) or tree.op not in ("eq", "ne"):
            raise invalid()
        return column == value if tree.op == "eq" else column != value
    if value is None:
        if tree.op == "eq":
            return column.is_(None)
        if tree.op == "ne":
            return column.is_not(None)
        raise invalid()
    if not isinstance(value, str):
        value = str(value).lower() if isinstance(value, bool) else str(value)
    if kind == "text":
        column, value = sa.func.lower(column), value.lower()
    if tree.op == "eq":
        return column == value
    if tree.op == "ne":
        return sa.or_(column != value, column.is_(None))
    if tree.op == "co":
        return column.like(f"%{_like(value)}%", escape="\\")
    if tree.op == "sw":
        return column.like(f"{_like(value)}%", escape="\\")
    if tree.op == "ew":
        return column.like(f"%{_like(value)}", escape="\\")
    return {
        "gt": column > value,
        "ge": column >= value,
        "lt": column < value,
        "le": column <= value,
    }[tree.op]


def _prefixed(tree, path: str):
    if isinstance(tree, Logical):
        return Logical(tree.op, _prefixed(tree.left, path), _prefixed(tree.right, path))
    if isinstance(tree, Not):
        return Not(_prefixed(tree.inner, path))
    if isinstance(tree, Compare):
        return Compare(f"{path}.{tree.path}", tree.op, tree.value)
    raise invalid()
