"""In Chromium: a jobcentre's coordinator opens the demand report from the menu,
looks at the picture and the table beside it, goes on to the purchase plan,
sets a budget the Danish way and a period, gets a plan that closes more gap than
the simple choice (most gap per krone first), downloads it as Excel (the file
opens in openpyxl with the page's numbers), and turns it into booking requests,
which each person's manager then sees in the approval inbox.

The jobcentre is made here, beside the demo's (other browser tests book the
demo's people): two teams, two rated people and two sessions far ahead, on
competences of their own, so the plan is the one of
tests/learning/reports/purchase/conftest.py: greedy closes 10, the optimum 18.
"""

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.db import db
from core.people import services as people
from core.people.demo import DEMO_PASSWORD
from core.people.models import OrgUnit, Role, UnitKind
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.competences.models import Area, CompetenceKind, Layer, UserProfile
from learning.matching.models import CourseCompetence
from tests.dates import today
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

ETHICS = "Etik i praksis (indkøb e2e)"
LAW = "Lovgivning grundigt (indkøb e2e)"


@dataclass
class Jobcentre:
    coordinator: str
    manager_a: str
    manager_b: str
    first_day: date


def _sunday(days: int) -> datetime:
    # A Sunday morning far ahead: nothing else in the demo clashes with it.
    day = today() + timedelta(days=days)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return datetime.combine(day, time(7), tzinfo=UTC)


def _session(provider, title: str, price: int, start: datetime, links: dict):
    course = Course(
        provider=provider,
        title=title,
        price_state=Decimal(price),
        price_municipal=Decimal(price),
    )
    cs = CourseSession(
        course=course,
        capacity=10,
        status=SessionStatus.open,
        location="Kursuscenter Vejle",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
    )
    cs.meetings.append(
        Meeting(starts_at=start, ends_at=start + timedelta(hours=6), place="Sal A")
    )
    db.session.add_all([course, cs])
    db.session.flush()
    for competence, level in links.items():
        db.session.add(
            CourseCompetence(
                course_id=course.id, competence_id=competence.id, level=level
            )
        )


def _make_jobcentre() -> Jobcentre:
    """Pia (team A) misses 3 levels of K1 (priority 3); Per (team B) misses 3 of
    K1 and 1 of K2 (priority 1). Etik (1.000 kr.) raises K2, Lovgivning (10.000
    kr.) K1, both to 3."""
    region = db.session.scalar(
        db.select(OrgUnit).where(OrgUnit.kind == UnitKind.region)
    )
    centre = people.create_unit(
        None, kind=UnitKind.jobcentre, name="Jobcenter Indkøb", parent=region
    )
    team_a, team_b = (
        people.create_unit(None, kind=UnitKind.team, name=name, parent=centre)
        for name in ("Indkøb Team A", "Indkøb Team B")
    )

    def person(key: str, name: str, team, *roles: Role):
        return people.create_user(
            None,
            email=f"{key}@indkoeb-e2e.demo.dk",
            name=name,
            password=DEMO_PASSWORD,
            roles=(Role.employee, *roles),
            team=team,
        )

    team_a.manager = person("leder-a", "Anne Indkøbsleder", team_a, Role.manager)
    team_b.manager = person("leder-b", "Bo Indkøbsleder", team_b, Role.manager)
    person("koordinator", "Hanne Indkøb", team_a, Role.coordinator)
    pia = person("pia", "Pia Andersen", team_a)
    per = person("per", "Per Bach", team_b)
    area = db.session.scalar(db.select(Area).order_by(Area.id))
    k1, k2 = (
        framework.save_competence(
            None,
            None,
            code=code,
            title=title,
            kind=CompetenceKind.knowledge,
            layer=Layer.specific,
            area=area,
        )
        for code, title in (
            ("E2E-K1", "Viden om indkøbets lovgivning"),
            ("E2E-K2", "Respekt for indkøbets borgere"),
        )
    )
    profile = framework.save_profile(
        None, None, key="indkoeb-e2e", title="Indkøbsprøve"
    )
    framework.set_requirements(None, profile, {k1.id: (3, 3), k2.id: (3, 1)})
    db.session.add_all(
        UserProfile(user_id=p.id, profile_id=profile.id) for p in (pia, per)
    )
    db.session.flush()
    rated = datetime.combine(today() - timedelta(days=7), time(9), tzinfo=UTC)
    for who, levels in ((pia, {k1.id: 0}), (per, {k1.id: 0, k2.id: 2})):
        entries = {c: (level, "") for c, level in levels.items()}
        assessments.save_round(who, who, RatingSource.self, entries, at=rated)
    provider = Provider(key="indkoeb-e2e", name="Indkøbsskolen", kind=ProviderKind.cok)
    start = _sunday(150)
    _session(provider, ETHICS, 1_000, start, {k2: 3})
    _session(provider, LAW, 10_000, start + timedelta(days=7), {k1: 3})
    db.session.commit()
    return Jobcentre(
        "koordinator@indkoeb-e2e.demo.dk",
        "leder-a@indkoeb-e2e.demo.dk",
        "leder-b@indkoeb-e2e.demo.dk",
        start.date(),
    )


@pytest.fixture
def jobcentre(live_server) -> Jobcentre:
    with live_server.app.app_context():
        return _make_jobcentre()


def _summary(page) -> dict[str, list[str]]:
    rows = page.locator("#plan-summary tbody tr")
    result = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("th, td").all_inner_texts()
        result[cells[0].strip()] = [c.strip() for c in cells[1:]]
    return result


def _number(text: str) -> Decimal:
    """'20.000,00 kr.' or '18' as a number."""
    return Decimal(re.sub(r"[^\d,]", "", text).replace(",", "."))


def test_a_budget_becomes_an_optimal_plan_an_excel_file_and_requests(page, jobcentre):
    sign_in(page, jobcentre.coordinator, DEMO_PASSWORD)
    page.get_by_role("link", name="Efterspørgsel").first.click()
    page.get_by_role("heading", level=1, name="Efterspørgsel: Jobcenter Indkøb")
    picture = page.get_by_role("img", name=re.compile("mest manglende kompetencer"))
    expect(picture).to_be_visible()
    bars = picture.locator("g title").all_text_contents()
    assert [b.split(":")[0] for b in bars] == [
        "E2E-K1 Viden om indkøbets lovgivning",
        "E2E-K2 Respekt for indkøbets borgere",
    ]
    k1 = page.locator("#kompetencer tbody tr").filter(has_text="E2E-K1")
    assert k1.locator("td").all_inner_texts()[2:] == ["2", "2", "6", "18", "0"]
    assert violations(page) == []
    page.get_by_role("link", name="Beregn, hvad der skal købes").click()
    page.get_by_role("heading", level=1, name="Indkøbsplan: Jobcenter Indkøb")
    page.get_by_label("Budget (kr.)").fill("20.500")
    page.get_by_label("Fra").fill((jobcentre.first_day - timedelta(days=1)).isoformat())
    page.get_by_label("Til").fill(
        (jobcentre.first_day + timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Beregn planen").click()
    page.locator("#plan-summary").wait_for()  # the plan's page, not the question's

    summary = _summary(page)
    optimal, greedy = (int(n) for n in summary["Lukket gab"])
    assert (optimal, greedy) == (18, 10)
    assert summary["Udgift"] == ["20.000,00 kr.", "11.000,00 kr."]
    assert "Den optimale plan lukker 8 mere af kompetencegabet" in page.inner_text(
        "#plan-gain"
    )
    seats = page.locator("#plan-seats tbody tr").all_inner_texts()
    assert [("Per Bach" in s, "Pia Andersen" in s) for s in seats] == [
        (True, False),
        (False, True),
    ]
    assert violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    compared = list(book["Optimal og simpel"].iter_rows(values_only=True))
    # Each of the page's summary rows has the same numbers in the workbook's
    # column of that name (its cost column says kr.): optimal first, then greedy.
    for label, on_page in summary.items():
        column = compared[0].index("Udgift (kr.)" if label == "Udgift" else label)
        in_book = [row[column] for row in compared[1:]]
        assert in_book == [_number(text) for text in on_page], label
    planned = list(book["Indkøbsplan"].iter_rows(values_only=True))[1:]
    assert [(r[0], r[3], r[5], r[6]) for r in planned] == [
        (LAW, "Per Bach", 10_000, 9),
        (LAW, "Pia Andersen", 10_000, 9),
    ]

    page.get_by_role("button", name="Send 2 anmodninger om tilmelding").click()
    page.get_by_text("2 anmodninger om tilmelding venter på ledernes godkendelse.")

    for manager, mine, other in (
        (jobcentre.manager_a, "Pia Andersen", "Per Bach"),
        (jobcentre.manager_b, "Per Bach", "Pia Andersen"),
    ):
        page.context.clear_cookies()
        sign_in(page, manager, DEMO_PASSWORD)
        page.goto("/tilmeldinger/godkendelser")
        requests = page.locator(".booking-card h2").all_inner_texts()
        assert f"{mine}: {LAW}" in requests
        assert not any(other in r for r in requests)
