"""Where the platform holds personal data: each table's rule (core.registry's
PersonalData, registered by the package that owns the table) bound to the table
itself, the conditions that find one person's rows, and the check that every
table and column naming a person has a rule."""

from dataclasses import dataclass

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.people.models import User
from core.registry import PersonalData, registry

ERASE_ACTIONS = ("keep", "delete")
# Keys under which audit details name a person by id ({"user_id": 7}).
AUDIT_PERSON_KEYS = ("user_id", "person_id")


def is_text(column: sa.Column) -> bool:
    """A column people or the platform write words into (an enum is a code)."""
    return isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum)


def is_json(column: sa.Column) -> bool:
    return isinstance(column.type, sa.JSON)


def person_columns(table: sa.Table) -> list[sa.Column]:
    """The columns holding a user's id: the foreign keys to users.id."""
    return [
        c
        for c in table.columns
        if any(fk.target_fullname == "users.id" for fk in c.foreign_keys)
    ]


@dataclass(frozen=True)
class Holding:
    """A rule and the table it is about."""

    rule: PersonalData
    table: sa.Table

    def column(self, name: str) -> sa.Column:
        return self.table.c[name]

    @property
    def is_audit(self) -> bool:
        return self.table is AuditEvent.__table__

    @property
    def is_personal(self) -> bool:
        """Its rows belong to someone (not only name who acted)."""
        rule = self.rule
        return bool(rule.subject or rule.parent or rule.email_column or self.is_audit)


class Inventory:
    """Every rule, in the tables' dependency order, and one person's rows in each."""

    def __init__(self, rules: dict[str, PersonalData], metadata: sa.MetaData):
        self.rules = rules
        self.metadata = metadata
        self.holdings = [
            Holding(rules[table.name], table)
            for table in metadata.sorted_tables
            if table.name in rules
        ]
        self.by_table = {h.table.name: h for h in self.holdings}

    def about(self, holding: Holding, person: User) -> sa.ColumnElement[bool]:
        """The rows that are `person`'s own data: theirs by subject, by e-mail
        address, or by belonging to a parent row that is theirs."""
        rule, conditions = holding.rule, []
        if rule.subject:
            conditions.append(holding.column(rule.subject) == person.id)
        if rule.email_column:
            column = holding.column(rule.email_column)
            conditions.append(sa.func.lower(column) == person.email.lower())
        if rule.parent:
            name, parent_table = rule.parent
            parent = self.by_table[parent_table]
            column = holding.column(name)
            target = next(iter(column.foreign_keys)).column
            conditions.append(
                column.in_(sa.select(target).where(self.about(parent, person)))
            )
        if holding.is_audit:
            conditions.append(self._audit_about(person))
        return sa.or_(*conditions) if conditions else sa.false()

    def _audit_about(self, person: User) -> sa.ColumnElement[bool]:
        """Audit events whose object is one of the person's rows, or whose details
        name the person's id; one condition, so the events take one query."""
        events = AuditEvent.__table__.c
        conditions = []
        for holding in self.holdings:
            keys = list(holding.table.primary_key.columns)
            if holding.is_audit or not holding.is_personal or len(keys) != 1:
                continue
            conditions.append(
                sa.and_(
                    events.object_type == holding.table.name,
                    events.object_id.in_(
                        sa.select(keys[0]).where(self.about(holding, person))
                    ),
                )
            )
        # The details are JSON written by json.dumps: {"user_id": 7, ...}.
        for column in (events.before, events.after):
            text = sa.cast(column, sa.Text)
            for key in AUDIT_PERSON_KEYS:
                for end in (",", "}"):
                    conditions.append(text.like(f'%"{key}": {person.id}{end}%'))
        return sa.or_(*conditions)

    def names(self, holding: Holding, person: User) -> sa.ColumnElement[bool]:
        """The rows that name `person` in any way: theirs, or naming them as the
        one who acted, was asked or is appointed."""
        rule = holding.rule
        conditions = [self.about(holding, person)]
        for name in (*rule.actors, *rule.unlink, *rule.text_of):
            conditions.append(holding.column(name) == person.id)
        return sa.or_(*conditions)

    def text_about(self, holding: Holding, person: User) -> sa.ColumnElement[bool]:
        """The rows whose free text is about `person` (or was written to them)."""
        conditions = [self.about(holding, person)]
        for name in holding.rule.text_of:
            conditions.append(holding.column(name) == person.id)
        return sa.or_(*conditions)

    def problems(self) -> list[str]:
        """What keeps the registered rules from describing their tables: a rule
        for no table, or a column naming a person or holding text that no part
        of the rule accounts for; empty when they are complete."""
        found = [
            f"{name}: a rule for a table that does not exist"
            for name in sorted(set(self.rules) - set(self.by_table))
        ]
        for holding in self.holdings:
            found += _rule_problems(self, holding)
        return found

    def unruled(self) -> dict[str, list[str]]:
        """Tables without a rule that name a person, each with how: a foreign
        key to users, or to a table whose rows are someone's (a person's data
        one step away). tests/core/personal_data/test_coverage.py reads it."""
        personal = {h.table.name for h in self.holdings if h.is_personal}
        found = {}
        for table in self.metadata.sorted_tables:
            if table.name in self.rules:
                continue
            naming = [f"{c.name} -> users" for c in person_columns(table)]
            naming += [
                f"{fk.parent.name} -> {fk.column.table.name}"
                for fk in table.foreign_keys
                if fk.column.table.name in personal - {"users"}
            ]
            if naming:
                found[table.name] = naming
        return found


def _rule_problems(inventory: Inventory, holding: Holding) -> list[str]:
    rule, table = holding.rule, holding.table
    where = rule.table
    found = []
    parts = {
        "subject": [rule.subject] if rule.subject else [],
        "parent": [rule.parent[0]] if rule.parent else [],
        "actors": rule.actors,
        "unlink": rule.unlink,
        "email_column": [rule.email_column] if rule.email_column else [],
        "free_text": rule.free_text,
        "erased_text": list(rule.erased_text),
        "text_of": rule.text_of,
        "plain": rule.plain,
        "left_out": list(rule.left_out),
    }
    for part, names in parts.items():
        found += [
            f"{where}.{name}: named in {part} but not a column"
            for name in names
            if name not in table.c
        ]
    if rule.parent and rule.parent[1] not in inventory.by_table:
        found.append(f"{where}: its parent {rule.parent[1]} has no rule")
    if rule.on_erase not in ERASE_ACTIONS:
        found.append(f"{where}: on_erase must be one of {ERASE_ACTIONS}")
    roles = {rule.subject, *rule.actors, *rule.unlink}
    for column in person_columns(table):
        if column.name not in roles:
            found.append(
                f"{where}.{column.name}: names a person but is neither the "
                "subject, an actor nor unlinked"
            )
    found += [
        f"{where}.{name}: in erased_text but not free text"
        for name in rule.erased_text
        if name not in rule.free_text
    ]
    for name in rule.text_of:
        if name not in roles:
            found.append(f"{where}.{name}: in text_of but names no person")
    classified = {*rule.free_text, *rule.plain, *rule.left_out, rule.email_column}
    for column in table.columns:
        words = is_text(column) or is_json(column)
        if words and column.name not in classified:
            found.append(
                f"{where}.{column.name}: text that is neither free_text, plain "
                "nor left_out"
            )
        if isinstance(column.type, sa.LargeBinary) and column.name not in classified:
            found.append(f"{where}.{column.name}: binary data must be left_out")
    if not table.primary_key.columns:
        found.append(f"{where}: no primary key to find its rows by")
    return found


def inventory() -> Inventory:
    """The rules registered on the current app, bound to its tables."""
    return Inventory(registry().personal_data, db.metadata)
