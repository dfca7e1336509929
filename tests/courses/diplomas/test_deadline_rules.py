"""The diploma's completion deadline (issue 15): without a start date the 6-year
rule read as met, and with the deadline passed the page still said 'senest
<dag>' as if it could be met. Now a missing start date is named, and a rule that
can no longer be met says so. Dates from the product's clock (travel fixture)."""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest

from core import clock
from core.db import db
from courses.diplomas import services
from courses.diplomas.models import Diploma, ModuleKind, ModuleStatus
from tests.courses.catalogue.factories import make_course
from tests.dates import danish

MODULES = [
    ("Lovgivning", 10, ModuleKind.mandatory),
    ("Kommunikation", 10, ModuleKind.mandatory),
    ("Virksomhedssamarbejde", 25, ModuleKind.elective),
    ("Afgangsprojekt", 15, ModuleKind.final_project),
]


@pytest.fixture
def diploma(app):
    diploma = Diploma(key="dib-frist", title="Diplom i beskæftigelse")
    db.session.add(diploma)
    for title, ects, kind in MODULES:
        services.add_module(
            None, diploma, make_course(title=title), ects=ects, kind=kind
        )
    db.session.commit()
    return diploma


def _pass(diploma, person, admin, titles, on=None) -> None:
    for module in diploma.modules:
        if module.course.title in titles:
            services.set_status(
                admin, person, module, ModuleStatus.passed, completed_on=on
            )
    db.session.commit()


def _rules(client, diploma) -> str:
    page = client.get(f"/diplomer/{diploma.id}/fremdrift").get_data(as_text=True)
    rules = page[page.index("<h2>Regler</h2>") :]
    text = re.sub(r"<[^>]+>", " ", rules[: rules.index("</ul>")])
    return " ".join(unescape(text).split())


def _started(client, diploma, person, days_ago: int):
    """The person records their start date on the page; returns the deadline."""
    started = clock.today() - timedelta(days=days_ago)
    response = client.post(
        f"/diplomer/{diploma.id}/start/{person.id}",
        data={"started_on": started.isoformat()},
    )
    assert response.status_code == 302
    return services.progress(person, diploma).deadline


def _travel_to(travel, day) -> None:
    travel(datetime.combine(day, time(12)))


def test_without_a_start_date_the_six_year_rule_is_not_met(client, login_as, diploma):
    person = login_as("employee")
    admin = login_as("admin")
    _pass(diploma, person, admin, {t for t, _e, _k in MODULES if t != "Afgangsprojekt"})
    _pass(diploma, person, admin, {"Afgangsprojekt"})
    login_as(person)

    rules = _rules(client, diploma)

    assert (
        "Kan endnu ikke vurderes: Startdatoen mangler, så reglen om, at uddannelsen "
        "skal være gennemført inden for 6 år fra start, kan ikke vurderes." in rules
    )
    assert "Opfyldt: Uddannelsen skal" not in rules
    page = client.get(f"/diplomer/{diploma.id}/fremdrift").get_data(as_text=True)
    assert "diplomuddannelsen er gennemført" not in page.lower()


def test_before_the_deadline_the_page_gives_the_deadline(
    client, login_as, diploma, travel
):
    person = login_as("employee")
    deadline = _started(client, diploma, person, days_ago=400)
    _travel_to(travel, deadline)
    login_as(person)

    rules = _rules(client, diploma)

    assert (
        f"Endnu ikke opfyldt: Uddannelsen skal være gennemført senest "
        f"{danish(deadline)}." in rules
    )
    assert "Kan ikke længere opfyldes" not in rules


def test_after_the_deadline_the_rule_can_no_longer_be_met(
    client, login_as, diploma, travel
):
    person = login_as("employee")
    admin = login_as("admin")
    _pass(diploma, person, admin, {"Lovgivning"})
    login_as(person)
    deadline = _started(client, diploma, person, days_ago=400)
    _travel_to(travel, deadline + timedelta(days=1))
    login_as(person)

    rules = _rules(client, diploma)

    assert (
        f"Kan ikke længere opfyldes: Fristen var {danish(deadline)}: uddannelsen "
        "skulle være gennemført inden for 6 år fra start." in rules
    )
    assert "senest" not in rules
    # The rules still open when the deadline passed cannot be met either.
    assert (
        "Kan ikke længere opfyldes: 1 obligatoriske moduler blev ikke bestået "
        "inden fristen." in rules
    )
    assert "Endnu ikke opfyldt" not in rules
    assert "Opfyldt:" not in rules


def test_completed_in_time_meets_the_rule_and_late_does_not(
    client, login_as, diploma, travel
):
    person = login_as("employee")
    admin = login_as("admin")
    login_as(person)
    deadline = _started(client, diploma, person, days_ago=400)
    _travel_to(travel, deadline - timedelta(days=10))
    everything = {t for t, _e, _k in MODULES}
    _pass(diploma, person, admin, everything - {"Afgangsprojekt"}, on=clock.today())
    _pass(diploma, person, admin, {"Afgangsprojekt"}, on=clock.today())
    _travel_to(travel, deadline + timedelta(days=30))
    login_as(person)

    rules = _rules(client, diploma)
    assert "Opfyldt: Gennemført inden for 6 år fra start." in rules
    assert "Kan ikke længere opfyldes" not in rules

    # The final project recorded as passed after the deadline: too late.
    _pass(diploma, person, admin, {"Afgangsprojekt"}, on=clock.today())
    rules = _rules(client, diploma)
    assert f"Kan ikke længere opfyldes: Fristen var {danish(deadline)}" in rules
