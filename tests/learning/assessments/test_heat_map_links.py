"""The heat maps' links per person and per column (built once a page, issue 19):
the same addresses and texts as one url_for or gettext each gave."""

from core.db import db
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from tests.learning.assessments.test_pages import team_setup  # noqa: F401


def test_the_team_page_links_each_person_and_column(
    client,
    login_as,
    team_setup,  # noqa: F811
    create_user,
    rate,
):
    fw, team, member, manager = team_setup
    odd = create_user("employee", team=team, name="Åse & Bo <Holm>")
    framework.set_user_profiles(None, odd, [fw.consultant])
    db.session.commit()
    rate(fw, member, RatingSource.self, {"B-V1": 1})
    login_as(manager)

    page = client.get(f"/kompetencer/vurdering/team?team={team.id}&sort=name").text

    column = fw.by_code("B-V1").id
    assert (
        f'href="/kompetencer/vurdering/team?team={team.id}&amp;sort=c{column}"' in page
    )
    for person in (member, odd):
        assert f'href="/kompetencer/vurdering/personer/{person.id}/profil"' in page
        assert f'href="/kompetencer/vurdering/personer/{person.id}/leder"' in page
        assert f'href="/kompetencer/vurdering/personer/{person.id}/aftalt"' in page
    # The name escaped once into the translated text, in the invitation
    # (nobody rated her) and in the table.
    assert page.count("Vurdér Åse &amp; Bo &lt;Holm&gt;</a>") == 2
    assert "Aftalt niveau for Åse &amp; Bo &lt;Holm&gt;</a>" in page
    assert "Vurdér Mette Leder" not in page  # a manager does not rate themselves
