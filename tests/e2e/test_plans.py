"""In Chromium: a demo employee prepares the development talk, turns two gaps
into goals, adds two suggested sessions (one of them full) and a mentor, and
submits; the manager sees the cost against the team's budget and the
Kompetencefond's share and approves the plan with its bookings in one step; the
employee sees one booking confirmed and one on the waiting list with its place; the
printed plan is a clean A4 PDF with Danish dates, names, and no activity row
split across two pages."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import User
from core.templating import long_date, money
from courses.bookings import budgets
from courses.bookings import services as bookings
from courses.bookings.models import Budget
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Competence
from learning.plans import figures, services
from learning.plans.labels import (
    ACTIVITY_STATUS_LABELS,
    FUNDING_LABELS,
    KIND_LABELS,
)
from learning.plans.models import ActivityKind, ActivityStatus, Funding, Plan, PlanKind
from tests.dates import today
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
pypdf = pytest.importorskip("pypdf")
CourseCompetence = pytest.importorskip("learning.matching.models").CourseCompetence

OPEN_TITLE = "Jobsamtalen med virksomheden (plan e2e)"
FULL_TITLE = "Netværk og virksomhedsrettet indsats (plan e2e)"
# Not the demo's Mette: other browser tests complete courses for her that close
# every gap, so no course is suggested to her any longer.
EMPLOYEE = "jonas-kristensen"
SEAT_HOLDER = "coordinator"  # holds the one seat of the full session
TYPED = 40  # typed activities: enough for the printed table to span pages


def demo(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def _far_sunday(days: int) -> datetime:
    # A Sunday morning far ahead: no demo session or other browser test's session
    # can clash with it.
    day = today() + timedelta(days=days)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)


def _session(provider: Provider, title: str, price: int, capacity: int, days: int):
    course = Course(
        provider=provider,
        title=title,
        price_state=Decimal(price),
        price_municipal=Decimal(price),
    )
    start = _far_sunday(days)
    cs = CourseSession(
        course=course,
        capacity=capacity,
        location="Kursuscenter Vejle",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
    )
    cs.meetings.append(
        Meeting(starts_at=start, ends_at=start + timedelta(hours=6), place="Sal B")
    )
    db.session.add_all([course, cs])
    db.session.flush()
    # The course develops every competence to the top: it closes every gap, so
    # it is among the employee's first suggestions.
    for competence_id in db.session.scalars(sa.select(Competence.id)):
        db.session.add(
            CourseCompetence(course_id=course.id, competence_id=competence_id, level=4)
        )
    return cs


@pytest.fixture
def plan_sessions(live_server):
    """Two paid sessions; the one seat of the second is taken by a colleague,
    booked and approved through the booking service; the team has a budget for
    the coming period."""
    with live_server.app.test_request_context():
        provider = Provider(
            key="e2e-plans", name="COK (plan e2e)", kind=ProviderKind.cok
        )
        db.session.add(provider)
        _session(provider, OPEN_TITLE, 3000, 10, 260)
        full = _session(provider, FULL_TITLE, 2000, 1, 290)
        colleague = db.session.scalar(
            sa.select(User).where(User.email == demo(SEAT_HOLDER)["email"])
        )
        manager = db.session.scalar(
            sa.select(User).where(User.email == demo("manager")["email"])
        )
        seat = bookings.book(colleague, full)
        bookings.approve(manager, seat)
        # The team's budget for the year the coming plan period starts in.
        year = services.next_period(today())[0].year
        team = manager.team
        if not db.session.scalar(
            sa.select(Budget.id).where(
                Budget.org_unit_id == team.id, Budget.year == year
            )
        ):
            coordinator = db.session.scalar(
                sa.select(User).where(User.email == demo("coordinator")["email"])
            )
            budgets.set_budget(coordinator, team, year, Decimal(75000))
        db.session.commit()
        assert full.seats_taken == full.capacity


def _person(browser, live_server, key: str):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo(key)["email"], DEMO_PASSWORD)
    return page


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


def _typed_activities(live_server, plan_id: int) -> list[tuple[str, str]]:
    """The employee's own activities, typed in before the talk: each title with
    its whole row as the printed table reads it, in the product's own words."""
    rows = []
    with live_server.app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        for n in range(1, TYPED + 1):
            cost = Decimal(100 + n) + Decimal(n) / 100
            first = plan.starts_on + timedelta(days=7 * n)
            activity = services.add_activity(
                plan.owner,
                plan,
                kind=ActivityKind.reading,
                title=f"Faglig læsning nr. {n:02d}",
                cost=cost,
                funding=Funding.budget,
                starts_on=first,
            )
            cells = (
                activity.title,
                KIND_LABELS[ActivityKind.reading],
                long_date(first),
                "–",  # no particular goal
                money(cost),
                FUNDING_LABELS[Funding.budget],
                money(0),  # the fund pays nothing from the team's budget
                money(cost),
                ACTIVITY_STATUS_LABELS[ActivityStatus.planned],
            )
            rows.append((activity.title, " ".join(str(c) for c in cells)))
        db.session.commit()
    return rows


def _expected_figures(live_server, plan_id: int) -> dict[str, str]:
    with live_server.app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        f = figures.for_plan(plan)
        return {
            "cost": money(f.totals.cost),
            "fund": money(f.totals.fund),
            "jobcentre": money(f.totals.jobcentre),
            "budget": money(f.budget["budget"]),
            "committed": money(f.budget["committed"]),
            "left": money(f.remaining_after),
        }


def _approval_facts(live_server, plan_id: int) -> dict[str, str]:
    with live_server.app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        return {
            "from": long_date(plan.starts_on),
            "to": long_date(plan.ends_on),
            "approved_on": long_date(plan.decided_at),
        }


def test_plan_from_talk_to_one_step_approval_and_print(
    browser, live_server, plan_sessions
):
    name = demo(EMPLOYEE)["name"]
    employee = _person(browser, live_server, EMPLOYEE)
    employee.goto("/planer")
    # In the talk they plan the coming period (the demo may hold this one's draft).
    employee.locator("label", has_text=re.compile("^Næste periode")).click()
    assert employee.get_by_label(re.compile("^Næste periode")).is_checked()
    employee.get_by_role("button", name="Opret planen").click()
    employee.get_by_role("heading", name=f"Udviklingsplan for {name}").wait_for()
    plan_id = int(re.search(r"/planer/(\d+)", employee.url).group(1))

    # The talk: the employee's wishes.
    employee.get_by_label("Dine ønsker til din udvikling").fill(
        "Jeg vil blive bedre til virksomhedsbesøg og netværk."
    )
    employee.get_by_role("button", name="Gem din forberedelse").click()
    assert "gemt" in _status(employee)

    # Two gaps become goals, one click each. Each answer's message reads as the
    # one before, so the goals counted show that the click's page has come.
    goals = employee.locator("ul.plan-goals > li")
    for made in (1, 2):
        employee.locator("ul.plan-gaps").get_by_role(
            "button", name=re.compile("^Gør det til et mål")
        ).first.click()
        expect(goals).to_have_count(made)
        assert "er nu et mål i din plan" in _status(employee)

    # What to add is one click away, on 'Tilføj aktiviteter'.
    employee.get_by_role("link", name="Tilføj aktiviteter").click()
    employee.get_by_role("heading", name="Tilføj aktiviteter", level=1).wait_for()
    # Two suggested sessions, paid by the Kompetencefond; the second is full.
    for title in (OPEN_TITLE, FULL_TITLE):
        offered = employee.locator("ul.plan-suggestions")
        card = offered.locator("> li", has_text=title)
        assert card.count() == 1, f"{title} is not suggested: {offered.inner_text()}"
        if title == FULL_TITLE:
            assert "nummer 1 på ventelisten" in card.inner_text()
        card.get_by_label("Finansiering").select_option("fund")
        card.get_by_role("button", name=re.compile("^Tilføj til planen")).click()
        # The message is the same for each course: wait for this one in the plan
        # (the next click on the page before would cancel this one's sending).
        expect(employee.locator("#in-plan")).to_contain_text(title)
        assert "tilføjet" in _status(employee)

    # A colleague as mentor.
    employee.locator("ul.plan-mentors").get_by_role(
        "button", name=re.compile("^Tilføj som mentor")
    ).first.click()
    expect(employee.locator("#in-plan")).to_contain_text("Sparring med")
    assert "tilføjet" in _status(employee)
    employee.get_by_role("link", name="Tilbage til planen").click()
    mentor = employee.locator("table.plan-activities tr", has_text="Sparring med")
    assert "Intern læring med en kollega" in mentor.inner_text()

    typed = _typed_activities(live_server, plan_id)
    employee.reload()
    employee.get_by_role("button", name="Send planen til din leder").click()
    assert "sendt" in _status(employee)
    expected = _expected_figures(live_server, plan_id)

    # The manager: inbox, then the review with budget and fund share.
    manager = _person(browser, live_server, "manager")
    manager.goto("/planer/indbakke")
    # The demo may have another plan of theirs waiting: find this one's row.
    review = manager.locator(f'a[href="/planer/{plan_id}/godkend"]')
    row = manager.locator("tr", has=review)
    assert name in row.inner_text()
    assert expected["cost"] in row.inner_text()
    assert expected["fund"] in row.inner_text()
    review.click()
    manager.get_by_role("heading", name=re.compile(name)).wait_for()
    numbers = manager.locator("dl.plan-figures").inner_text()
    assert "Den Kommunale Kompetencefond betaler" in numbers
    assert "Teamets budget" in numbers
    for key in ("cost", "fund", "jobcentre", "budget", "committed", "left"):
        assert expected[key] in numbers, key
    manager.get_by_role("button", name="Godkend planen og dens tilmeldinger").click()
    assert "Planen og dens tilmeldinger er godkendt" in _status(manager)

    # The employee: one seat confirmed, one place on the waiting list.
    employee.goto(f"/planer/{plan_id}")
    table = employee.locator("table.plan-activities")
    seated = table.locator("tr", has_text=OPEN_TITLE).inner_text()
    assert "bekræftet" in seated.lower()
    waiting = table.locator("tr", has_text=FULL_TITLE).inner_text()
    assert "nummer 1 på ventelisten" in waiting

    # The printed plan: A4 PDF, Danish dates and names, no row split.
    facts = _approval_facts(live_server, plan_id)
    employee.goto(f"/planer/{plan_id}/udskriv")
    pdf = employee.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # Text per page, with a cell's line breaks read as spaces.
    pages = [
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]
    assert len(pages) >= 2, "40 activities should take more than one A4 page"
    everything = "\n".join(pages)
    assert name in everything
    assert "Lars Jensen" in everything
    assert f"{facts['from']} – {facts['to']}" in everything
    assert f"Godkendt af Lars Jensen den {facts['approved_on']}" in everything
    assert "Log ud" not in everything  # the print view has no menus
    for title in (OPEN_TITLE, FULL_TITLE):
        assert title in everything
    on_pages = set()
    for title, row in typed:
        holding = [i for i, text in enumerate(pages) if title in text]
        assert len(holding) == 1, f"{title} is on pages {holding}"
        assert row in pages[holding[0]], f"the row of {title} is split"
        on_pages.add(holding[0])
    assert len(on_pages) >= 2, "the activities' table should span pages"


SEMINARS = 30  # enough rows for the unit plan's table to span pages


def _unit_plan(live_server) -> tuple[int, list[tuple[str, str]], dict[str, str]]:
    """A regional advisory project with the demo's unit plan's jobcentre, started
    by the region's adviser a year ahead (its own period), with aims, strategy,
    who is responsible, seminars for several people and a closing status report.
    Returns its id, each seminar's title with its date and cost as printed, and
    the period's dates the Danish way."""
    with live_server.app.test_request_context():
        adviser = db.session.scalar(
            sa.select(User).where(User.email == demo("region-adviser")["email"])
        )
        demo_plan = db.session.scalar(
            sa.select(Plan).where(Plan.kind == PlanKind.unit).order_by(Plan.id)
        )
        starts_on = today() + timedelta(days=400)
        plan = services.create_unit_plan(
            adviser,
            demo_plan.unit,
            title="Rådgivningsforløb om sygedagpenge (print e2e)",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=300),
            aims="Flere borgere på sygedagpenge i job inden for 22 uger.",
            strategy="Seminarer for sagsbehandlerne og netværksmøder med lægerne.",
            responsible="Regionens rådgiver og jobcentrets koordinator",
        )
        rows = []
        for n in range(1, SEMINARS + 1):
            day = starts_on + timedelta(days=7 * n)
            cost = Decimal(1000 + n)
            activity = services.add_activity(
                adviser,
                plan,
                kind=ActivityKind.seminar,
                title=f"Seminar om opfølgning nr. {n:02d}",
                cost=cost,
                funding=Funding.budget,
                starts_on=day,
                participants=12,
            )
            rows.append((activity.title, f"{long_date(day)}", money(cost)))
        db.session.commit()
        period = {"from": long_date(plan.starts_on), "to": long_date(plan.ends_on)}
        return plan.id, rows, period


def test_a_unit_plan_prints_as_a_clean_a4_document(browser, live_server):
    plan_id, rows, period = _unit_plan(live_server)
    adviser = _person(browser, live_server, "region-adviser")
    adviser.goto(f"/planer/{plan_id}/udskriv")
    adviser.get_by_role(
        "heading", name="Rådgivningsforløb om sygedagpenge (print e2e)"
    ).wait_for()
    pdf = adviser.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:  # A4: 595 x 842 points
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) >= 2, f"{SEMINARS} seminars should take more than one page"
    everything = "\n".join(pages)
    assert f"{period['from']} – {period['to']}" in everything  # Danish dates
    assert "Flere borgere på sygedagpenge i job inden for 22 uger." in everything
    assert "Regionens rådgiver og jobcentrets koordinator" in everything
    assert "12 deltagere" in everything
    assert "Log ud" not in everything  # the print view has no menus
    on_pages = set()
    for title, day, cost in rows:
        holding = [i for i, text in enumerate(pages) if title in text]
        assert len(holding) == 1, f"{title} is on pages {holding}"
        page = pages[holding[0]]
        # The row: from its title to the next seminar's (or the table's end).
        row = page[page.index(title) :].split("Seminar om opfølgning", 2)[1]
        assert day in row, f"the row of {title} is split"
        assert cost in row, f"the row of {title} is split"
        on_pages.add(holding[0])
    assert len(on_pages) >= 2, "the seminars' table should span pages"
