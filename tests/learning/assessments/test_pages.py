"""Assessing, the profile page with its picture, and the heat maps."""

import re

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences import services as framework
from tests.dates import danish
from tests.learning.conftest import at


@pytest.fixture
def team_setup(small_framework, create_unit, create_user, login_as):
    team = create_unit()
    member = create_user("employee", team=team, name="Anna Ansat")
    framework.set_user_profiles(None, member, [small_framework.consultant])
    manager = create_user("manager", team=team, name="Mette Leder")
    team.manager = manager
    db.session.commit()
    return small_framework, team, member, manager


def form_data(fw, levels: dict[str, int], comments: dict[str, str] | None = None):
    data = {f"level_{fw.by_code(code).id}": str(v) for code, v in levels.items()}
    for code, text in (comments or {}).items():
        data[f"comment_{fw.by_code(code).id}"] = text
    return data


def test_the_self_assessment_goes_area_by_area_with_progress_and_the_scale_once(
    client, login_as, team_setup, rate
):
    fw, _team, member, _manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 2})
    login_as(member)
    page = client.get("/kompetencer/vurdering/selv", follow_redirects=True).text
    assert "1 af 4 vurderet" in page
    nav = page[page.index('aria-label="Afsnit i vurderingen"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.index("Lovgivning") < nav.index("Virksomhedskontakt")
    assert "1 af 3" in nav
    assert "0 af 1" in nav
    # The first area with something left: Lovgivning, three competences.
    assert "<h2>Lovgivning</h2>" in page
    assert page.count('type="radio"') == 3 * 5
    assert "Kan opsøge og servicere virksomheder" not in page.split("<form")[1]
    assert page.count("Behersker kompetencen selvstændigt") == 1
    assert 'aria-describedby="scale"' in page


def test_saving_a_section_stores_its_round_and_goes_on_to_the_next(
    client, login_as, team_setup
):
    fw, _team, member, _manager = team_setup
    login_as(member)
    law, firms = fw.by_code("B-V1").area_id, fw.by_code("S-VK1").area_id
    url = f"/kompetencer/vurdering/personer/{member.id}/selv"
    response = client.post(f"{url}?omraade={law}", data=form_data(fw, {"B-V1": 2}))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?omraade={firms}")
    page = client.get(response.headers["Location"]).text
    assert "Lovgivning er gemt. 1 af 4 vurderet" in page
    assert "<h2>Virksomhedskontakt</h2>" in page
    levels = db.session.scalars(sa.select(Rating.level)).all()
    assert levels == [2]
    last = client.post(f"{url}?omraade={firms}", data=form_data(fw, {"S-VK1": 1}))
    assert last.headers["Location"].endswith("/kompetencer/vurdering/profil")
    assert client.get(f"{url}?omraade=99999").status_code == 404


def test_saving_a_self_assessment_stores_a_dated_round(client, login_as, team_setup):
    fw, _team, member, _manager = team_setup
    login_as(member)
    url = f"/kompetencer/vurdering/personer/{member.id}/selv"
    response = client.post(
        url, data=form_data(fw, {"B-V1": 2, "S-VK1": 1}, {"B-V1": "Lovkursus i 2025"})
    )
    assert response.status_code == 302
    rounds = db.session.scalars(sa.select(AssessmentRound)).all()
    assert [(r.source, r.rated_by_id) for r in rounds] == [
        (RatingSource.self, member.id)
    ]
    ratings = {
        r.competence_id: (r.level, r.comment)
        for r in db.session.scalars(sa.select(Rating))
    }
    assert ratings == {
        fw.by_code("B-V1").id: (2, "Lovkursus i 2025"),
        fw.by_code("S-VK1").id: (1, ""),
    }
    page = client.get(response.headers["Location"]).text
    assert "Vurderingen er gemt." in page
    assert "Lovkursus i 2025" in page


def test_nothing_chosen_or_a_bad_level_changes_nothing(client, login_as, team_setup):
    fw, _team, member, _manager = team_setup
    login_as(member)
    url = f"/kompetencer/vurdering/personer/{member.id}/selv"
    empty = client.post(url, data={})
    assert empty.status_code == 400
    assert "Vælg et niveau for mindst én kompetence." in empty.text
    bad = client.post(url, data={f"level_{fw.by_code('B-V1').id}": "9"})
    assert bad.status_code == 400
    orphan = client.post(
        url,
        data=form_data(fw, {}, {"B-V1": "en kommentar"})
        | {f"level_{fw.by_code('B-H1').id}": "2"},
    )
    assert orphan.status_code == 400
    assert "Vælg et niveau til kommentaren." in orphan.text
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0


def test_manager_and_agreed_ratings_decide_the_current_level(
    client, login_as, team_setup
):
    fw, _team, member, manager = team_setup
    login_as(member)
    client.post(
        f"/kompetencer/vurdering/personer/{member.id}/selv",
        data=form_data(fw, {"S-VK1": 4, "B-V1": 3}),
    )
    login_as(manager)
    client.post(
        f"/kompetencer/vurdering/personer/{member.id}/leder",
        data=form_data(fw, {"S-VK1": 1, "B-V1": 3}),
    )
    page = client.get(f"/kompetencer/vurdering/personer/{member.id}/profil").text
    assert "Samtaleemner til udviklingssamtalen" in page
    assert re.search(r'data-code="S-VK1">.*?<td class="gap">2</td>', page, re.S)
    client.post(
        f"/kompetencer/vurdering/personer/{member.id}/aftalt",
        data=form_data(fw, {"S-VK1": 3}),
    )
    page = client.get(f"/kompetencer/vurdering/personer/{member.id}/profil").text
    assert re.search(r'data-code="S-VK1">.*?<td class="gap">0</td>', page, re.S)
    assert db.session.scalar(sa.select(sa.func.count(AssessmentRound.id))) == 3


def test_the_agreed_form_starts_from_the_managers_levels(client, login_as, team_setup):
    fw, _team, member, manager = team_setup
    login_as(manager)
    client.post(
        f"/kompetencer/vurdering/personer/{member.id}/leder",
        data=form_data(fw, {"S-VK1": 1}),
    )
    firms = fw.by_code("S-VK1").area_id
    url = f"/kompetencer/vurdering/personer/{member.id}/aftalt?omraade={firms}"
    page = client.get(url).text
    cid = fw.by_code("S-VK1").id
    assert re.search(rf'<input[^>]* checked [^>]*id="level_{cid}-1"', page)
    assert not re.search(rf'<input[^>]* checked [^>]*id="level_{cid}-[02-4]"', page)


def test_the_profile_page_draws_an_accessible_picture_with_the_same_numbers(
    client, login_as, team_setup, rate
):
    fw, _team, member, _manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 1, "B-H1": 3, "B-A1": 0, "S-VK1": 2})
    login_as(member)
    page = client.get("/kompetencer/vurdering/profil").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "1/3" in svg
    assert "2/3" in svg
    assert "<h1>Min kompetenceprofil</h1>" in page
    assert re.search(r'data-code="B-V1">.*?<td class="gap">2</td>', page, re.S)
    gaps = page[page.index('id="gaps-in-order"') :]
    # B-V1: 2 levels x priority 3 = 6 comes before B-A1: 3 levels x priority 1 = 3
    assert gaps.index("B-V1") < gaps.index("B-A1")
    sums = page[
        page.index('id="layer-sums"') : page.index(
            "</table>", page.index('id="layer-sums"')
        )
    ]
    assert re.search(r"Grundlæggende</th><td>2</td><td>5</td><td>9</td>", sums)


def test_the_profile_shows_unassessed_apart_from_gaps_and_invites_to_assess(
    client, login_as, team_setup, rate
):
    fw, _team, member, manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 1})
    login_as(member)
    page = client.get("/kompetencer/vurdering/profil").text
    row = re.search(r'data-code="B-A1">.*?</tr>', page, re.S).group(0)
    assert "ikke vurderet" in row
    assert '<td class="gap">3</td>' not in row
    assert "3 af 4 kompetencer er ikke vurderet endnu" in page
    gaps = page[page.index('id="gaps-in-order"') :]
    assert "B-V1" in gaps
    assert "B-A1" not in gaps[: gaps.index("</ol>")]
    assert f"/personer/{member.id}/selv" in page
    login_as(manager)
    page = client.get(f"/kompetencer/vurdering/personer/{member.id}/profil").text
    assert "Vurdér Anna Ansat" in page


def test_the_team_heat_map_shows_numbers_and_sorts_by_largest_gap(
    client, login_as, team_setup, create_user, rate
):
    fw, team, member, manager = team_setup
    expert = create_user("employee", team=team, name="Bo Ekspert")
    rate(fw, expert, RatingSource.self, {"B-V1": 4, "B-H1": 4, "B-A1": 4})
    rate(fw, member, RatingSource.self, {"B-V1": 0})
    login_as(manager)
    page = client.get("/kompetencer/vurdering/team").text
    table = page[page.index('id="heat-map"') :]
    assert table.index("Anna Ansat") < table.index("Bo Ekspert")
    assert 'class="heat-3"' in table
    assert 'class="heat-0"' in table
    by_name = client.get("/kompetencer/vurdering/team?sort=name").text
    table = by_name[by_name.index('id="heat-map"') :]
    assert (
        table.index("Anna Ansat")
        < table.index("Bo Ekspert")
        < table.index("Mette Leder")
    )


def test_the_jobcentre_view_lists_the_competences_most_missing(
    client, login_as, team_setup, create_user, rate
):
    fw, team, member, _manager = team_setup
    coordinator = create_user("coordinator", team=team)
    rate(fw, member, RatingSource.self, {"S-VK1": 0})
    login_as(coordinator)
    page = client.get("/kompetencer/vurdering/jobcentre").text
    missing = page[page.index('id="most-missing"') :]
    assert "S-VK1" in missing
    assert "Anna Ansat" in page


def _fill_team(create_user, team, fw, rate, size):
    people = [create_user("employee", team=team) for _ in range(size)]
    for n, person in enumerate(people):
        if n % 2:
            framework.set_user_profiles(None, person, [fw.consultant])
        rate(fw, person, RatingSource.self, {"B-V1": n % 5, "B-H1": 2}, day=1)
        rate(fw, person, RatingSource.self, {"B-V1": (n + 1) % 5}, day=2)
    db.session.commit()
    return people


@pytest.mark.parametrize("page", ["team", "profile", "assess", "jobcentre"])
def test_pages_issue_the_same_number_of_queries_for_5_and_50_people(
    client,
    login_as,
    small_framework,
    create_unit,
    create_user,
    rate,
    count_queries,
    page,
):
    counts = []
    for size in (5, 50):
        team = create_unit(UnitKind.team)
        manager = create_user("manager", team=team)
        team.manager = manager
        people = _fill_team(create_user, team, small_framework, rate, size)
        last = people[-1].id
        url = {
            "team": "/kompetencer/vurdering/team",
            "profile": f"/kompetencer/vurdering/personer/{last}/profil",
            "assess": f"/kompetencer/vurdering/personer/{last}/leder",
            "jobcentre": "/kompetencer/vurdering/jobcentre",
        }[page]
        if page == "jobcentre":
            login_as(create_user("coordinator", team=team))
        else:
            login_as(manager)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_dashboard_sums_up_ones_own_gaps(client, login_as, team_setup, rate):
    fw, _team, member, _manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 3, "B-H1": 2, "B-A1": 0, "S-VK1": 3})
    login_as(member)
    page = client.get("/").text
    assert "2 af dine kompetencer er under målet." in page  # B-A1 and B-H1 (target 3)
    assert f"Du vurderede dig selv senest den {danish(at(1))}." in page


def test_the_dashboard_panel_is_hidden_without_a_team(client, login_as, app):
    login_as("admin")
    assert "Min kompetenceprofil" not in client.get("/").text.split("<main")[1]


def test_the_team_page_lists_when_each_person_was_last_assessed(
    client, login_as, team_setup, rate
):
    fw, _team, member, manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 1}, day=3)
    rate(fw, member, RatingSource.manager, {"B-V1": 3}, by=manager, day=4)
    login_as(manager)
    page = client.get("/kompetencer/vurdering/team").text
    table = page[page.index('id="team-assessments"') :]
    row = table[table.index("Anna Ansat") : table.index("</tr>", table.index("Anna"))]
    assert f"<td>{danish(at(3))}</td>" in row
    assert f"<td>{danish(at(4))}</td>" in row
    assert f"/kompetencer/vurdering/personer/{member.id}/leder" in row
    assert "Vurdér Mette Leder" not in table  # a manager does not rate themselves


def test_the_history_keeps_every_rating_per_competence_newest_first(
    client, login_as, team_setup, rate
):
    fw, _team, member, manager = team_setup
    rate(fw, member, RatingSource.self, {"B-V1": 1}, day=2)
    rate(fw, member, RatingSource.manager, {"B-V1": 2}, by=manager, day=3)
    rate(fw, member, RatingSource.self, {"B-V1": 3}, day=5)
    login_as(member)
    page = client.get("/kompetencer/vurdering/profil").text
    history = page[page.index('id="history"') :]
    row = history[history.index("B-V1") : history.index("</tr>", history.index("B-V1"))]
    first, second, third = (row.index(f"<li>{danish(at(d))}:") for d in (5, 3, 2))
    assert first < second < third
    assert "Lederens vurdering 2 Kunne (Mette Leder)" in row


def test_the_english_interface_shows_english_titles(client, login_as, team_setup):
    fw, _team, member, _manager = team_setup
    fw.by_code("S-VK1").title_en = "Can approach and serve companies"
    db.session.commit()
    login_as(member)
    with client.session_transaction() as sess:
        sess["language"] = "en"
    page = client.get("/kompetencer/vurdering/profil").text
    assert "Can approach and serve companies" in page
    assert "<h1>My competence profile</h1>" in page


def test_a_new_colleague_without_ratings_does_not_top_the_team_map(
    client, login_as, team_setup, create_user, rate
):
    fw, team, member, manager = team_setup
    newcomer = create_user("employee", team=team, name="Ny Kollega")
    framework.set_user_profiles(None, newcomer, [fw.consultant])
    rate(fw, member, RatingSource.self, {"B-V1": 2, "B-H1": 2, "B-A1": 3, "S-VK1": 2})
    login_as(manager)
    page = client.get("/kompetencer/vurdering/team").text
    body = page[page.index("<tbody>", page.index('id="heat-map"')) :]
    assert body.index("Anna Ansat") < body.index("Ny Kollega")
    row = body[body.index("Ny Kollega") : body.index("</tr>", body.index("Ny Kollega"))]
    assert "ikke vurderet" in row
    assert 'class="heat-3"' not in row
    assert row.count('class="heat-unassessed"') == 5  # the total and four competences
