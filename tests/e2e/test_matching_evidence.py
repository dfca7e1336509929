"""In Chromium: the demo employee books a session of a course linked to the
framework, the provider marks her completed once the course has run, and the
evidence shows on her profile. (Booking from "Forslag til dig" is test_matching's.)"""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.clock import COPENHAGEN
from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import User
from courses.catalogue.models import Course, ProviderMember
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Competence
from learning.matching.models import CourseCompetence
from tests.dates import working_day
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
TITLE = "Motiverende samtaler i praksis (e2e)"
PLACE = "Kursuscenter Amager (e2e)"


def demo_email(key: str) -> str:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)["email"]


@pytest.fixture
def linked_session(live_server) -> tuple[int, int, datetime]:
    """A free one-day session of the demo provider's on a Sunday a week or two
    ahead (no demo booking clashes with it), whose course develops every
    competence to the top level."""
    day = working_day(7)
    day += timedelta(days=6 - day.weekday())
    start = datetime.combine(day, time(9), tzinfo=COPENHAGEN)
    with live_server.app.app_context():
        provider_id = db.session.scalar(
            sa.select(ProviderMember.provider_id)
            .join(User, User.id == ProviderMember.user_id)
            .where(User.email == demo_email("provider"))
        )
        course = Course(
            provider_id=provider_id,
            title=TITLE,
            price_state=Decimal(0),
            price_municipal=Decimal(0),
        )
        cs = CourseSession(
            course=course,
            capacity=10,
            location=PLACE,
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
        cs.meetings.append(
            Meeting(starts_at=start, ends_at=start + timedelta(hours=6), place="Sal 2")
        )
        db.session.add_all([course, cs])
        db.session.flush()
        db.session.add_all(
            CourseCompetence(course_id=course.id, competence_id=cid, level=4)
            for cid in db.session.scalars(sa.select(Competence.id))
        )
        db.session.commit()
        return course.id, cs.id, start


def _person(browser, live_server, key: str):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_email(key), DEMO_PASSWORD)
    return page


def test_a_completed_suggestion_leaves_evidence_on_the_profile(
    browser, live_server, linked_session, travel
):
    course_id, course_session_id, start = linked_session
    employee = _person(browser, live_server, "employee")
    employee.goto(f"/kurser/{course_id}")
    employee.get_by_role("button", name=re.compile("^Tilmeld")).first.click()
    assert "Du er tilmeldt" in employee.get_by_role("status").first.inner_text()
    employee.context.close()

    # The course day has come: the server's clock runs on from its afternoon.
    travel(start + timedelta(hours=5), tick=True)
    provider = _person(browser, live_server, "provider")
    provider.goto(f"/hold/{course_session_id}/deltagerliste")
    row = provider.locator("tr", has_text="Mette Nielsen")
    row.get_by_role("combobox").select_option("completed")
    row.get_by_role("button", name="Gem").click()
    assert "Mette Nielsen" in provider.get_by_role("status").first.inner_text()

    employee = _person(browser, live_server, "employee")
    employee.goto("/kompetencer/vurdering/profil")
    assert employee.get_by_text(f"Gennemført: {TITLE}").count() >= 1
