"""A person's copy of everything the platform holds about them: one query per
table that has a personal-data rule, written as a zip with a JSON and a CSV file
per table and a read-me that says what each holds."""

import enum
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from core.clock import COPENHAGEN
from core.db import db
from core.people.models import User
from core.personal_data.inventory import Holding, inventory
from core.registry import PersonalData
from core.tables import write_csv_table
from core.templating import date_time

# The audit details of an event the person did to someone else's data are that
# other person's; their copy shows the action, the object and the time only.
AUDIT_PRIVATE = ("before", "after")
_ABOUT = "about_the_person"  # the label of the query's own flag column


@dataclass(frozen=True)
class Section:
    """One table's rows about or naming the person, as plain values."""

    rule: PersonalData
    columns: list[str]
    rows: list[dict]


def _withheld(holding: Holding) -> tuple[str, ...]:
    private = AUDIT_PRIVATE if holding.is_audit else ()
    return (*holding.rule.free_text, *private)


def collect(person: User) -> list[Section]:
    """Every row that names `person`, table by table (one query each); free text
    in a row about someone else is withheld (None), secrets are never read."""
    found = inventory()
    sections = []
    for holding in found.holdings:
        shown = [
            c for c in holding.table.columns if c.name not in holding.rule.left_out
        ]
        readable = sa.case((found.text_about(holding, person), True), else_=False)
        stmt = (
            sa.select(*shown, readable.label(_ABOUT))
            .where(found.names(holding, person))
            .order_by(*holding.table.primary_key.columns)
        )
        withheld = _withheld(holding)
        rows = []
        for row in db.session.execute(stmt).mappings():
            values = {c.name: row[c.name] for c in shown}
            if not row[_ABOUT]:
                values.update(dict.fromkeys(withheld))
            rows.append(values)
        if rows:
            sections.append(Section(holding.rule, [c.name for c in shown], rows))
    return sections


def _json_value(value):
    """ISO 8601 for times (UTC) and dates, exact text for amounts, codes for enums."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not written to the copy")


def _csv_value(value) -> object:
    """What Danish Excel reads: Copenhagen time, decimal commas, ja/nej."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return value.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_json_value)
    return value


def _read_me(person: User, sections: list[Section], made_at: datetime) -> str:
    lines = [
        _("A copy of your data in Kompetence og kurser"),
        "",
        _("Made: %(moment)s", moment=date_time(made_at)),
        _("Person: %(name)s <%(email)s>", name=person.name, email=person.email),
        "",
        _(
            "Each kind of data is in two files: .json for programs (times in "
            "ISO 8601, UTC) and .csv for spreadsheets (semicolons, UTF-8, as "
            "Danish Excel opens it; times in Danish time)."
        ),
        "",
    ]
    for section in sections:
        lines.append(
            _(
                "%(table)s (%(count)d rows): %(label)s",
                table=section.rule.table,
                count=len(section.rows),
                label=section.rule.label,
            )
        )
    lines += [
        "",
        _(
            "Left out: secrets that open your account (the password's hash, "
            "session keys, password links and the calendar key), and in rows "
            "that name you but are about someone else, what was written about "
            "that person (the cells are empty)."
        ),
    ]
    return "\r\n".join(str(line) for line in lines) + "\r\n"


def _entry(name: str, made_at: datetime) -> zipfile.ZipInfo:
    # The zip's own time stamps come from the product's clock, not the system's.
    local = made_at.astimezone(COPENHAGEN)
    info = zipfile.ZipInfo(f"persondata/{name}", date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def as_zip(person: User, sections: list[Section], made_at: datetime) -> bytes:
    """The copy as a zip: laes-mig.txt, then <table>.json and <table>.csv."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            _entry("laes-mig.txt", made_at), _read_me(person, sections, made_at)
        )
        for section in sections:
            name = section.rule.table
            document = json.dumps(
                section.rows, default=_json_value, ensure_ascii=False, indent=2
            )
            archive.writestr(_entry(f"{name}.json", made_at), document)
            table = write_csv_table(
                section.columns,
                ([_csv_value(row[c]) for c in section.columns] for row in section.rows),
            )
            archive.writestr(_entry(f"{name}.csv", made_at), table)
    return out.getvalue()
