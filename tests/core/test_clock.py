"""One clock for the product: UTC instants, Copenhagen's date, whatever the server's
time zone; no production code reads the system clock past it."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from core import clock
from tests.dates import today

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("server_zone", [None, "America/Los_Angeles", "Asia/Tokyo"])
def test_today_is_the_date_in_copenhagen_around_midnight(travel, server_zone):
    year = today().year
    travel(datetime(year, 12, 31, 23, 30), server_zone=server_zone)
    assert clock.today() == date(year, 12, 31)
    assert clock.now().date() == date(year, 12, 31)  # UTC: 22:30
    travel(datetime(year + 1, 1, 1, 0, 30), server_zone=server_zone)
    assert clock.today() == date(year + 1, 1, 1)
    assert clock.now().date() == date(year, 12, 31)  # UTC: still 23:30


# Calls that read the system clock or the server's local date behind the seam.
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "localtime"),
}


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else None
            if (name, node.func.attr) in FORBIDDEN:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            # utcnow().date() / .year: the UTC date, a day off around midnight
            if (
                node.func.attr in ("date",)
                and isinstance(owner, ast.Call)
                and getattr(owner.func, "id", None) == "utcnow"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "year"
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "utcnow"
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_production_code_reads_the_time_only_through_core_clock():
    offences = [
        where
        for package in ("core", "courses", "learning")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "core" / "clock.py"
        for where in clock_reads(path)
    ]
    assert offences == []
