"""Colleagues at Beherske or above and the specialist area's key persons are
suggested for a person's gaps; asking one sends a notice and an e-mail; they
answer; a person can decline to be suggested."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification, OutboxMail
from core.people.models import KeyPerson, SpecialistArea, UnitKind
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.internal import mentoring
from learning.internal.models import MentorRequest, RequestStatus
from tests.conftest import counting_queries


@pytest.fixture
def jobcentre_team(create_unit, team):
    return create_unit(UnitKind.team, parent=team.parent)


@pytest.fixture
def skilled(create_user, rate, small_framework, jobcentre_team):
    """A colleague in another team of the same jobcentre, at Beherske in B-H1."""
    person = create_user("employee", team=jobcentre_team, name="Birgitte Lund")
    rate(small_framework, person, RatingSource.self, {"B-H1": 3})
    return person


@pytest.fixture
def middling(create_user, rate, small_framework, team):
    """A colleague at Kunne only: not a mentor."""
    person = create_user("employee", team=team, name="Jonas Kristensen")
    rate(small_framework, person, RatingSource.self, {"B-H1": 2})
    return person


@pytest.fixture
def far_away(create_user, rate, small_framework, create_unit):
    """An expert in another jobcentre: not suggested."""
    person = create_user("employee", team=create_unit(UnitKind.team), name="Kim Fjern")
    rate(small_framework, person, RatingSource.self, {"B-H1": 4})
    return person


def _names(page: str) -> set[str]:
    return {n for n in ("Birgitte Lund", "Jonas Kristensen", "Kim Fjern") if n in page}


def test_colleagues_at_beherske_in_the_jobcentre_are_suggested(
    client, login_as, consultant, skilled, middling, far_away
):
    login_as(consultant)
    page = client.get("/forslag/kolleger").get_data(as_text=True)
    assert _names(page) == {"Birgitte Lund"}
    assert "Kan føre en motiverende samtale" in page
    assert "Spørg Birgitte Lund om sparring" in page


def test_the_suggestions_page_links_to_the_colleagues(client, login_as, consultant):
    login_as(consultant)
    page = client.get("/forslag").get_data(as_text=True)
    assert "/forslag/kolleger" in page


@pytest.fixture
def minorities(small_framework, consultant):
    """An ethnic-minorities competence (area ETN) in the consultant's profile."""
    area = framework.save_area(None, None, code="ETN", title="Etniske minoriteter")
    competence = framework.save_competence(
        None,
        None,
        code="ETN-V1",
        title="Viden om integrationsloven",
        kind=small_framework.competences[0].kind,
        layer=small_framework.competences[0].layer,
        area=area,
    )
    wanted = {
        r.competence_id: (r.target, r.priority)
        for r in small_framework.consultant.requirements
    }
    wanted[competence.id] = (2, 3)
    framework.set_requirements(None, small_framework.consultant, wanted)
    # Rated below the target: a gap (a competence nobody rated would not be one).
    assessments.save_round(
        consultant, consultant, RatingSource.self, {competence.id: (0, "")}
    )
    db.session.commit()
    return competence


def _key_person(create_user, team, area=SpecialistArea.ethnic_minorities, name=""):
    person = create_user("employee", team=team, name=name)
    db.session.add(KeyPerson(user=person, area=area, jobcentre_id=team.parent_id))
    db.session.commit()
    return person


def test_key_persons_of_the_area_are_suggested_the_local_ones_first(
    client, login_as, consultant, minorities, create_user, create_unit, team
):
    other_jobcentre = create_unit(UnitKind.jobcentre, parent=team.parent.parent)
    elsewhere = create_unit(UnitKind.team, parent=other_jobcentre)
    _key_person(create_user, elsewhere, name="Nadia Region")
    login_as(consultant)
    page = client.get("/forslag/kolleger").get_data(as_text=True)
    assert "Nadia Region" in page
    assert "Nøgleperson for etniske minoriteter" in page

    _key_person(create_user, team, name="Ayse Lokal")
    page = client.get("/forslag/kolleger").get_data(as_text=True)
    assert "Ayse Lokal" in page
    assert "Nadia Region" not in page


def test_a_person_who_declines_is_no_longer_suggested(
    client, login_as, consultant, skilled
):
    login_as(skilled)
    response = client.post("/forslag/kolleger/indstilling", data={"opted_out": "y"})
    assert response.status_code == 302
    assert mentoring.opted_out(skilled)
    login_as(consultant)
    assert "Birgitte Lund" not in client.get("/forslag/kolleger").get_data(as_text=True)

    login_as(skilled)
    client.post("/forslag/kolleger/indstilling", data={})
    login_as(consultant)
    assert "Birgitte Lund" in client.get("/forslag/kolleger").get_data(as_text=True)


def _ask(client, mentor, competence, message="Kan vi tage en snak?"):
    return client.post(
        "/forslag/kolleger/spoerg",
        data={
            "mentor_id": str(mentor.id),
            "competence_id": str(competence.id),
            "message": message,
        },
    )


def test_asking_a_colleague_sends_a_notice_and_an_email(
    client, login_as, consultant, skilled, small_framework
):
    login_as(consultant)
    response = _ask(client, skilled, small_framework.by_code("B-H1"))
    assert response.status_code == 302
    request_ = db.session.scalar(sa.select(MentorRequest))
    assert request_.status is RequestStatus.pending
    assert request_.mentor_id == skilled.id
    notice = db.session.scalar(
        sa.select(Notification).where(Notification.user == skilled)
    )
    assert notice.subject == "Mette Nielsen spørger dig om sparring"
    assert notice.link == "/forslag/kolleger/anmodninger"
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.to_address == skilled.email
    assert "Kan vi tage en snak?" in mail.body
    assert db.session.scalar(
        sa.select(AuditEvent.action).where(AuditEvent.action == "mentor_request.ask")
    )
    page = client.get("/forslag/kolleger/anmodninger").get_data(as_text=True)
    assert "Birgitte Lund" in page
    assert "venter på svar" in page


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("middling", 400, "Den kollega er ikke foreslået til denne kompetence."),
        ("far_away", 400, "Den kollega er ikke foreslået til denne kompetence."),
    ],
)
def test_only_suggested_colleagues_can_be_asked(
    client,
    login_as,
    consultant,
    skilled,
    middling,
    far_away,
    small_framework,
    who,
    status,
    message,
):
    people = {"middling": middling, "far_away": far_away}
    login_as(consultant)
    response = _ask(client, people[who], small_framework.by_code("B-H1"))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MentorRequest.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_bad_requests_get_a_4xx_and_write_nothing(
    client, login_as, consultant, skilled, small_framework
):
    login_as(consultant)
    competence = small_framework.by_code("B-H1")
    bad = client.post(
        "/forslag/kolleger/spoerg",
        data={"mentor_id": "abc", "competence_id": str(competence.id)},
    )
    assert bad.status_code == 400
    missing = client.post(
        "/forslag/kolleger/spoerg",
        data={"mentor_id": "999999", "competence_id": str(competence.id)},
    )
    assert missing.status_code == 404
    long = _ask(client, skilled, competence, message="x" * 1001)
    assert long.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(MentorRequest.id))) == 0
    assert _ask(client, skilled, competence).status_code == 302
    again = _ask(client, skilled, competence)
    assert again.status_code == 409
    assert "Du har allerede spurgt" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MentorRequest.id))) == 1


def test_the_colleague_answers_and_the_asker_is_told(
    client, login_as, consultant, skilled, middling, small_framework
):
    request_ = mentoring.ask(consultant, skilled, small_framework.by_code("B-H1"))
    db.session.commit()
    url = f"/forslag/kolleger/anmodninger/{request_.id}"
    login_as(consultant)
    assert client.post(f"{url}/accept").status_code == 403
    login_as(middling)
    assert client.post(f"{url}/decline").status_code == 403
    login_as(skilled)
    page = client.get("/forslag/kolleger/anmodninger").get_data(as_text=True)
    assert "Ja, jeg hjælper Mette Nielsen" in page
    response = client.post(f"{url}/accept", data={"reply": "Ring på tirsdag."})
    assert response.status_code == 302
    db.session.refresh(request_)
    assert request_.status is RequestStatus.accepted
    told = db.session.scalar(
        sa.select(Notification).where(Notification.user == consultant)
    )
    assert told.subject == "Birgitte Lund har sagt ja til sparring"
    assert client.post(f"{url}/decline").status_code == 409
    assert client.post(f"{url}/nonsense").status_code == 404


def test_the_asker_may_withdraw_a_pending_request(
    client, login_as, consultant, skilled, small_framework
):
    request_ = mentoring.ask(consultant, skilled, small_framework.by_code("B-H1"))
    db.session.commit()
    login_as(consultant)
    url = f"/forslag/kolleger/anmodninger/{request_.id}/withdraw"
    assert client.post(url).status_code == 302
    db.session.refresh(request_)
    assert request_.status is RequestStatus.withdrawn


def test_mentor_suggestions_take_a_fixed_number_of_queries(
    consultant, create_user, rate, small_framework, jobcentre_team, minorities, team
):
    def add_colleagues(n):
        for i in range(n):
            person = create_user("employee", team=jobcentre_team)
            rate(small_framework, person, RatingSource.self, {"B-H1": 3, "B-V1": 4})
            if i % 2:
                _key_person(create_user, team)

    def measure():
        db.session.expire_all()
        with counting_queries() as statements:
            gaps = mentoring.mentors_for(consultant)
        return len(statements), sum(len(g.candidates) for g in gaps)

    add_colleagues(2)
    small, shown_small = measure()
    add_colleagues(12)
    large, shown_large = measure()
    assert shown_large > shown_small
    assert small == large


@pytest.mark.parametrize(
    "path",
    ["/forslag/kolleger", "/forslag/kolleger/anmodninger"],
)
def test_people_without_a_team_are_refused(client, login_as, path):
    login_as("provider_staff")
    assert client.get(path).status_code == 403


def test_the_asked_colleague_reads_the_competence_in_their_language(
    client, login_as, consultant, skilled, small_framework
):
    competence = small_framework.by_code("B-H1")
    competence.title_en = "Can hold a motivational interview"
    skilled.language = "en"
    db.session.commit()
    login_as(consultant)
    assert _ask(client, skilled, competence).status_code == 302
    notice = db.session.scalar(
        sa.select(Notification).where(Notification.user == skilled)
    )
    assert notice.subject == "Mette Nielsen asks you for sparring"
    assert "“Can hold a motivational interview”" in notice.body
    assert "Kan føre en motiverende samtale" not in notice.body


def _opted_box_checked(page: str) -> bool:
    box = page[page.index('id="opted_out"') - 200 : page.index('id="opted_out"') + 200]
    return "checked" in box


def test_the_page_shows_ones_own_opt_out_with_the_suggestions(
    client, login_as, consultant, skilled, create_user, team
):
    """The opt-out is read with the requests one sent (and alone for somebody
    with no gap to find help for): the box says what was saved."""
    login_as(consultant)
    page = client.get("/forslag/kolleger").get_data(as_text=True)
    assert not _opted_box_checked(page)
    client.post("/forslag/kolleger/indstilling", data={"opted_out": "y"})
    page = client.get("/forslag/kolleger").get_data(as_text=True)
    assert _opted_box_checked(page)
    assert "Birgitte Lund" in page  # opting out hides oneself, not the others

    no_gaps = create_user("employee", team=team, name="Uden Gab")
    login_as(no_gaps)
    client.post("/forslag/kolleger/indstilling", data={"opted_out": "y"})
    assert _opted_box_checked(client.get("/forslag/kolleger").get_data(as_text=True))
