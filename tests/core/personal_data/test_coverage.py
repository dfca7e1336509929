"""No table that refers to a person can be forgotten: each is in a person's copy
(it has a personal-data rule, see core.registry.PersonalData) or on the list
below with the reason it is not. A new table fails here until someone decides."""

import sqlalchemy as sa

from core.db import db
from core.personal_data.inventory import Inventory, inventory, person_columns
from core.registry import registry

# Tables that refer to a person but are neither in the copy nor erased, each with
# why. Empty today: every such table is in the copy. A table put here keeps its
# rows when the person is erased (only names and e-mails in its text change), so
# the reason must say why that is right.
EXCLUDED: dict[str, str] = {}


def test_every_table_that_refers_to_a_person_is_exported_or_excluded(app):
    missing = {
        table: how
        for table, how in inventory().unruled().items()
        if table not in EXCLUDED
    }
    assert missing == {}, (
        "Add a PersonalData rule for these tables in their package's "
        "personal_data.py (core, courses or learning), or put them on EXCLUDED "
        "with the reason"
    )


def test_the_list_finds_the_tables_that_refer_to_a_person(app):
    """The check reads the schema itself: the foreign keys to users."""
    referring = {t.name for t in db.metadata.sorted_tables if person_columns(t)}
    assert {"ratings", "bookings", "plans", "notifications", "evidence"} <= referring
    assert referring <= set(registry().personal_data) | set(EXCLUDED)


def test_exclusions_name_tables_that_refer_to_a_person_and_say_why(app):
    unruled = inventory().unruled()
    for table, why in EXCLUDED.items():
        assert table in unruled, f"{table} is in the copy or names no person"
        assert len(why) > 20, f"{table}: say why it is left out"


def test_every_rule_accounts_for_each_column_of_its_table(app):
    """A column naming a person is the subject, an actor or unlinked; every text
    column is free text (emptied on erasure), platform text or left out."""
    assert inventory().problems() == []


def test_a_new_table_naming_a_person_is_found(app):
    """What another engineer's new table would meet: the schema plus one table."""
    schema = sa.MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(schema)
    sa.Table(
        "specialist_notes",
        schema,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.ForeignKey("users.id")),
        sa.Column("booking_id", sa.ForeignKey("bookings.id")),
    )
    found = Inventory(registry().personal_data, schema).unruled()
    assert found == {
        "specialist_notes": ["author_id -> users", "booking_id -> bookings"]
    }
