"""'Tilføj aktiviteter' (issue 19): the plan's page reads the plan and the gaps
only, and what the owner may add (the sessions suggested for the gaps, the
colleagues who can help, an activity of one's own) is one click away on a page
of its own, with the same suggestions it had."""

import re
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from core.db import db
from core.templating import money
from learning.plans import decisions, figures, services
from learning.plans.models import ActivityKind, Funding, PlanActivity
from tests.dates import today


def _add_page(plan) -> str:
    return f"/planer/{plan.id}/tilfoej-aktiviteter"


def test_the_plan_links_to_its_own_page_of_suggestions(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    login_as(setting.person)

    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert f'href="{_add_page(plan)}"' in page
    assert ">Tilføj aktiviteter</a>" in page
    assert "Kursus B-V1" not in page  # the suggestions are no longer on it

    adding = client.get(_add_page(plan))
    assert adding.status_code == 200
    text = adding.get_data(as_text=True)
    assert "<h1>Tilføj aktiviteter</h1>" in text
    assert "Foreslåede kurser til dine kompetencegab" in text
    for title in ("Kursus B-V1", "Kursus S-VK1", "Kursus B-H1"):
        assert title in text
    assert "Tilføj en anden aktivitet" in text
    assert f'href="/planer/{plan.id}#activities">Tilbage til planen' in text


def test_an_added_session_is_listed_and_no_longer_suggested(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    chosen = setting.sessions[0]

    response = client.post(
        f"/planer/{plan.id}/aktiviteter/hold",
        data={"course_session_id": chosen.id, "funding": "fund"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_add_page(plan)}#in-plan")
    text = client.get(_add_page(plan)).get_data(as_text=True)
    in_plan, suggested = text.split('id="suggested"', 1)
    assert "Kursus B-V1" in in_plan.split('id="in-plan"', 1)[1]
    assert "Kursus B-V1" not in suggested
    assert "Kursus S-VK1" in suggested
    assert (
        db.session.scalar(
            sa.select(PlanActivity.course_session_id).where(
                PlanActivity.plan_id == plan.id
            )
        )
        == chosen.id
    )


def test_a_bad_activity_is_shown_again_on_the_page_it_came_from(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={"kind": "reading", "title": "Bog om samtaler", "cost": "mange penge"},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "<h1>Tilføj aktiviteter</h1>" in text
    assert "Skriv et beløb i kroner" in text
    assert db.session.scalar(sa.select(sa.func.count(PlanActivity.id))) == 0


def test_only_who_may_change_the_plan_opens_it(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    login_as(setting.manager)  # sees the plan, does not write it
    response = client.get(_add_page(plan))
    assert response.status_code == 403
    assert "Tilføj aktiviteter" not in client.get(f"/planer/{plan.id}").get_data(
        as_text=True
    )

    login_as(setting.person)
    services.add_goal(setting.person, plan, text="Bedre til virksomhedsbesøg")
    services.add_activity(
        setting.person, plan, kind=ActivityKind.reading, title="Faglitteratur"
    )
    decisions.submit(setting.person, plan)
    db.session.commit()
    assert client.get(_add_page(plan)).status_code == 403  # submitted: not now


def _money(text: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", text)
    assert found, label
    return found.group(1)


def test_the_fund_used_by_the_owners_other_plans_is_shown_as_before(
    client, login_as, setting
):
    """The plan page reads the fund's use with the plan's own activities: only
    the fund-paid activities of the owner's submitted or decided plans starting
    within the plan's 12 months count, as figures.fund_used_before."""
    person = setting.person
    day = today()
    current = services.period_containing(day)
    # The plan shown covers the period's first months; another plan starting
    # within its 12 months counts, one starting after them does not.
    first, rest = current[0] + timedelta(days=59), current[0] + timedelta(days=60)
    plan = services.create_plan(person, person, **_period((current[0], first)))
    services.add_activity(
        person,
        plan,
        kind=ActivityKind.reading,
        title="Faglitteratur",
        cost=Decimal(400),
        funding=Funding.fund,
    )
    later = services.next_period(day)
    for period, cost in (((rest, current[1]), 10000), (later, 5000)):
        other = services.create_plan(person, person, **_period(period))
        for title, amount, funding in (
            ("Kursus senere", Decimal(cost), Funding.fund),
            ("Bog senere", Decimal(999), Funding.budget),
        ):
            services.add_activity(
                person,
                other,
                kind=ActivityKind.reading,
                title=title,
                cost=amount,
                funding=funding,
            )
        services.add_goal(person, other, text="Bedre til virksomhedsbesøg")
        decisions.submit(person, other)
    db.session.commit()
    login_as(person)

    expected = figures.fund_used_before([plan])[plan.id]
    assert expected == Decimal(8000)  # 80 % of the fund-paid course only
    text = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    used = _money(text, "Allerede brugt af fonden i disse 12 måneder")
    assert used == str(money(expected))
    assert "Faglitteratur" in text
    assert "Kursus senere" not in text


def _period(dates) -> dict:
    starts_on, ends_on = dates
    return {"starts_on": starts_on, "ends_on": ends_on}
