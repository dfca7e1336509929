"""Erasing a person: their name, e-mail and free text go from every table, while
bookings, budgets and statistics stay, anonymised. One transaction: it flushes,
the caller commits, and a failure anywhere leaves nothing half-erased."""

import functools
import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from core.audit import AuditEvent, record
from core.db import db
from core.people.models import User
from core.personal_data.errors import PersonalDataError
from core.personal_data.inventory import (
    Holding,
    Inventory,
    inventory,
    is_json,
    is_text,
)

# An address under a reserved top-level domain (RFC 2606): unique per account,
# and no mail can ever reach it.
ERASED_DOMAIN = "slettet.invalid"


def erased_email(user_id: int) -> str:
    return f"slettet-{user_id}@{ERASED_DOMAIN}"


def is_erased(person: User) -> bool:
    return person.email == erased_email(person.id)


def erased_name() -> str:
    """'Slettet bruger': stored data, so in the installation's language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("Deleted user")


def namesakes(person: User) -> int:
    """How many other accounts have the same name: texts naming them lose it too."""
    names = db.session.scalars(
        sa.select(User.name).where(
            sa.func.lower(User.name).like(_like(person.name), escape="\\"),
            User.id != person.id,
        )
    )
    return sum(name.lower() == person.name.lower() for name in names)


def erase(actor: User, person: User) -> None:
    """Anonymise `person` everywhere: their account becomes 'Slettet bruger' with
    no way in (no password, no sessions, no roles, no appointments), their own
    rows lose their free text or go (see each table's PersonalData), and their
    name and e-mail are replaced in every text and JSON column of every table."""
    if person.id == actor.id:
        raise PersonalDataError("own_account")
    if is_erased(person):
        raise PersonalDataError("already_erased")
    names, emails = _identities(person)
    found = inventory()
    db.session.flush()
    # Children before parents, so a deleted row is never still pointed at.
    for holding in reversed(found.holdings):
        _erase_rows(found, holding, person)
    new_name, new_email = erased_name(), erased_email(person.id)
    db.session.execute(
        sa.update(User.__table__)
        .where(User.__table__.c.id == person.id)
        .values(
            name=new_name,
            email=new_email,
            password_hash="",
            password_changed_at=None,
            active=False,
        )
    )
    # Other accounts keep their own name and address, even a namesake's.
    # Addresses first: an address may hold a name ('soeren.aeroe@...').
    scrub(
        [(email, new_email) for email in emails] + [(name, new_name) for name in names],
        skip={User.__tablename__},
    )
    db.session.expire_all()
    # The event names the account by id only: it must not bring the name back.
    record(actor, "user.erased", person)
    db.session.flush()


def _identities(person: User) -> tuple[list[str], list[str]]:
    """The names and addresses the account has had (the audit trail of its
    changes keeps the earlier ones), longest first so a longer one is replaced
    before a shorter one inside it."""
    names, emails = {person.name}, {person.email}
    events = AuditEvent.__table__.c
    for before, after in db.session.execute(
        sa.select(events.before, events.after).where(
            events.object_type == User.__tablename__, events.object_id == person.id
        )
    ):
        for details in (before, after):
            if isinstance(details, dict):
                names.add(details.get("name") or "")
                emails.add(details.get("email") or "")
    longest = functools.partial(sorted, key=len, reverse=True)
    return longest(names - {""}), longest(emails - {""})


def _emptied(rule, table: sa.Table) -> dict:
    """Free text becomes empty, or the rule's stand-in where a text is required."""
    values = dict.fromkeys(rule.free_text, "")
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for name, text in rule.erased_text.items():
            column = table.c[name]
            values[name] = sa.case((column == "", ""), else_=str(text))
    return values


def _erase_rows(found: Inventory, holding: Holding, person: User) -> None:
    """Delete the person's rows, or empty their free text; unlink appointments."""
    rule, table = holding.rule, holding.table
    # Core statements, not the ORM: ratings refuse ORM updates (append-only), and
    # erasure is the one change the law asks of them.
    if rule.on_erase == "delete":
        db.session.execute(sa.delete(table).where(found.about(holding, person)))
        return
    if holding.is_audit:
        _forget_written(found, holding, person)
    if rule.free_text:
        db.session.execute(
            sa.update(table)
            .where(found.text_about(holding, person))
            .values(_emptied(rule, table))
        )
    for name in rule.unlink:
        db.session.execute(
            sa.update(table).where(table.c[name] == person.id).values({name: None})
        )


def _forget_written(found: Inventory, holding: Holding, person: User) -> None:
    """Audit details of changes to the person's data keep what was written (a
    plan's wishes before and after): those keys go, the rest of the event stays."""
    written = {name for h in found.holdings for name in h.rule.free_text}
    events = holding.table
    rows = db.session.execute(
        sa.select(events.c.id, events.c.before, events.c.after).where(
            found.about(holding, person)
        )
    ).all()
    for row in rows:
        before, after = _without(row.before, written), _without(row.after, written)
        if (before, after) != (row.before, row.after):
            db.session.execute(
                sa.update(events)
                .where(events.c.id == row.id)
                .values(before=before, after=after)
            )


def _without(details, keys: set[str]):
    if isinstance(details, dict):
        return {k: _without(v, keys) for k, v in details.items() if k not in keys}
    if isinstance(details, list):
        return [_without(item, keys) for item in details]
    return details


# --- replacing a text everywhere ------------------------------------------------


def _like(text: str, beyond_ascii: str = "_") -> str:
    """A LIKE pattern for lower(column) that finds `text` in any case: a letter
    beyond ASCII matches any one character (`_`), as a PostgreSQL in the C locale
    folds only ASCII; in JSON, where json.dumps may have written it as a \\u
    escape, any run of characters (`%`). A superset: Python replaces exactly."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%")
    escaped = escaped.replace("_", "\\_")
    return "%" + "".join(c if c.isascii() else beyond_ascii for c in escaped) + "%"


def _pattern(text: str) -> re.Pattern:
    # Whole words only: erasing "Ib Holm" must leave "Ib Holmberg" alone.
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def _replace(value, replacements: list[tuple[re.Pattern, str]]):
    if isinstance(value, str):
        for pattern, new in replacements:
            value = pattern.sub(new, value)
        return value
    if isinstance(value, list):
        return [_replace(item, replacements) for item in value]
    if isinstance(value, dict):
        return {
            _replace(key, replacements): _replace(item, replacements)
            for key, item in value.items()
        }
    return value


def scrub(replacements: list[tuple[str, str]], *, skip: set[str] = frozenset()) -> int:
    """Replace each (old, new) text, case-insensitively and as whole words, in
    every text and JSON column of every table but those in `skip`. One query per
    table finds the rows that may hold one (a superset), Python replaces exactly.
    Returns how many rows changed."""
    replacements = [(old, new) for old, new in replacements if old]
    compiled = [(_pattern(old), new) for old, new in replacements]
    plain = [_like(old) for old, _new in replacements]
    in_json = [_like(old, "%") for old, _new in replacements]
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        texts = [c for c in table.columns if is_text(c)]
        documents = [c for c in table.columns if is_json(c)]
        if not texts and not documents:
            continue
        conditions = [
            sa.func.lower(column).like(pattern, escape="\\")
            for column in texts
            for pattern in plain
        ] + [
            sa.func.lower(sa.cast(column, sa.Text)).like(pattern, escape="\\")
            for column in documents
            for pattern in in_json
        ]
        keys = list(table.primary_key.columns)
        rows = db.session.execute(
            sa.select(*keys, *texts, *documents).where(sa.or_(*conditions))
        ).all()
        for row in rows:
            values = {}
            for column in (*texts, *documents):
                old = row._mapping[column]
                new = _replace(old, compiled)
                if new != old:
                    length = getattr(column.type, "length", None)
                    values[column.name] = new[:length] if length else new
            if values:
                db.session.execute(
                    sa.update(table)
                    .where(*(key == row._mapping[key] for key in keys))
                    .values(values)
                )
                changed += 1
    return changed
